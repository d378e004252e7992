"""Add-on modules fitted to a pen (a cooling tip, an RF head, ...), driven by key through what
each module's descriptor declares, so a module penlink has never heard of works like any other.

    cooling = pen.modules["cooling"]            # or "cooling@2" when two are fitted
    cooling.params["setpoint_c"] = 12.5         # one value, acknowledged by the pen
    cooling.set(enabled=True, fan="boost")      # several at once: all applied or none
    print(cooling.params["setpoint_c"], cooling.telemetry(pen.latest_status, "plate_c"))

Values are bool, float or str (an enum's label). Every refusal is a PenError naming
"module.key": OutOfRangeError (value, limit, unit), InvalidArgumentError (unknown key, wrong
kind of value), NotSupportedError (no such module), RejectedError / SafetyError (the pen said
no). A Module keeps its Pen alive; it is a snapshot of what the pen reported, except for
params, which always reads from and writes to the pen.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Iterator, Mapping as MappingType, Optional, Tuple

from . import _async, _checks, _convert
from . import native as _native
from .errors import ErrorCode, InvalidArgumentError, NotSupportedError, PenError
from .types import ModuleDescriptor, ParamValue, Status, TelemetrySpec

if TYPE_CHECKING:
    from .pen import Pen

__all__ = ["Module", "ModuleMap", "ParamMap", "parse_module_descriptor", "ModuleNotFittedError"]


def parse_module_descriptor(text: str) -> ModuleDescriptor:
    """Parses and checks a descriptor (JSON text, docs/modules.md), e.g. one a partner ships
    for a pen that cannot store it. Raises InvalidArgumentError naming the bad field, e.g.
    'parameters[2] ("setpoint_c"): min 30 > max 20'."""
    return _convert.module_descriptor(
        _native.parse_module_descriptor(_checks.text("module descriptor", text)))


class ModuleNotFittedError(NotSupportedError, KeyError):
    """No module of that key (or key@slot) is fitted: a NotSupportedError, and a KeyError so
    that pen.modules behaves like a mapping."""

    def __str__(self) -> str:
        return self.message


class Module:
    """A module fitted to the pen, as the pen reported it at connect or after an attach event.
    Keeps its pen alive."""

    def __init__(self, pen: "Pen", native: Any) -> None:
        self._pen = pen
        self.slot: int = native.slot  #: the pen's slot (1..8)
        self.vendor_id: int = native.vendor_id
        self.model_id: int = native.model_id
        self.firmware_version: str = native.firmware_version  #: "major.minor.patch"
        self.descriptor: ModuleDescriptor = _convert.module_descriptor(native.descriptor)
        self.params = ParamMap(self)

    @property
    def key(self) -> str:
        """The descriptor's key, e.g. "cooling"."""
        return self.descriptor.key

    @property
    def name(self) -> str:
        """The module's name for people, e.g. "CoolTip C1" (its descriptor's name)."""
        return self.descriptor.name

    @property
    def selector(self) -> str:
        """"key@slot": names exactly this module in pen.set_params() and friends."""
        return f"{self.key}@{self.slot}"

    @property
    def pen(self) -> "Pen":
        """The pen this module is fitted to."""
        return self._pen

    def set(self, values: Optional[MappingType[str, Any]] = None, **by_key: Any) -> None:
        """Sets several parameters at once, set(enabled=True, setpoint_c=12.5) or
        set({"enabled": True}): the pen applies all of them or none."""
        self._pen._set_params(self.selector, self.key, _merged(values, by_key))

    def set_async(self, values: Optional[MappingType[str, Any]] = None,
                  **by_key: Any) -> "Future[None]":
        """set() returning a Future, like the pen's other _async commands."""
        try:
            merged = _merged(values, by_key)
        except PenError as error:
            return _async.refused(error)
        return self._pen._set_params_async(self.selector, self.key, merged)

    def get(self, key: str) -> ParamValue:
        """Reads one parameter's current value from the pen."""
        return self._pen.get_param(self.selector, key)

    def read_params(self) -> dict:
        """Every parameter's current value, read from the pen in one go (descriptor order)."""
        return self._pen.get_params(self.selector)

    def telemetry(self, status: Status, key: str) -> Optional[float]:
        """The reading of channel key in status, in the channel's unit; None if the frame
        carries none. Raises InvalidArgumentError if the module has no such channel."""
        spec = self._channel(key)
        for reading in status.telemetry:
            if reading.slot == self.slot and reading.channel == spec.id:
                return reading.raw * spec.scale
        return None

    def telemetry_alarm(self, status: Status, key: str) -> bool:
        """True if the reading of channel key in status is beyond its alarm limits."""
        spec = self._channel(key)
        value = self.telemetry(status, key)
        if value is None:
            return False
        return ((spec.has_alarm_low and value < spec.alarm_low)
                or (spec.has_alarm_high and value > spec.alarm_high))

    def _channel(self, key: str) -> TelemetrySpec:
        spec = self.descriptor.channel(_checks.text("telemetry channel", key))
        if spec is None:
            names = ", ".join(t.key for t in self.descriptor.telemetry) or "none"
            raise InvalidArgumentError(f"module {self.key} has no telemetry channel \"{key}\" "
                                       f"(it has: {names})")
        return spec

    def __repr__(self) -> str:
        return (f"<penlink.Module {self.selector} {self.name!r} firmware "
                f"{self.firmware_version}>")


class ParamMap(Mapping):
    """A module's parameters by key. Reading an item asks the pen; assigning one sets it
    (and waits for the pen's acknowledgement); update() sets several at once, all or none.
    Iteration gives the keys the descriptor declares, without talking to the pen."""

    def __init__(self, module: Module) -> None:
        self._module = module

    def __getitem__(self, key: str) -> ParamValue:
        return self._module.get(key)

    def __setitem__(self, key: str, value: Any) -> None:
        module = self._module
        module.pen._set_param(module.selector, module.key, key, value)

    def __delitem__(self, key: str) -> None:
        raise InvalidArgumentError(f"{self._module.key}.{key}: a module parameter cannot be "
                                   f"removed")

    def update(self, values: Optional[MappingType[str, Any]] = None,  # type: ignore[override]
               **by_key: Any) -> None:
        """Sets every value at once: all applied or none."""
        self._module.set(values, **by_key)

    def __iter__(self) -> Iterator[str]:
        return iter(spec.key for spec in self._module.descriptor.parameters)

    def __len__(self) -> int:
        return len(self._module.descriptor.parameters)

    def __contains__(self, key: object) -> bool:
        return any(spec.key == key for spec in self._module.descriptor.parameters)

    def __repr__(self) -> str:
        return f"<penlink.ParamMap of {self._module.selector}: {', '.join(self)}>"


class ModuleMap(Mapping):
    """The modules fitted to a pen when pen.modules was read, by key ("cooling"), or by
    "key@slot" when two of a kind are fitted. Iteration gives the keys ("key@slot" for the
    kinds fitted more than once); values() the Module objects."""

    def __init__(self, modules: Tuple[Module, ...]) -> None:
        self._modules = modules

    def _find(self, selector: Any) -> Optional[Module]:
        if not isinstance(selector, str):
            return None
        key, at, slot = selector.partition("@")
        matches = [m for m in self._modules
                   if m.key == key and (not at or str(m.slot) == slot)]
        return matches[0] if len(matches) == 1 or (matches and at) else None

    def __getitem__(self, selector: str) -> Module:
        module = self._find(selector)
        if module is None:
            fitted = ", ".join(m.selector for m in self._modules) or "none"
            raise ModuleNotFittedError(f"no module {selector!r} is fitted to the pen, or more "
                                       f"than one: name it key@slot (fitted: {fitted})",
                                       ErrorCode.NOT_SUPPORTED)
        return module

    def __iter__(self) -> Iterator[str]:
        counts: dict = {}
        for module in self._modules:
            counts[module.key] = counts.get(module.key, 0) + 1
        return iter(m.key if counts[m.key] == 1 else m.selector for m in self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __contains__(self, selector: object) -> bool:
        return self._find(selector) is not None

    def __repr__(self) -> str:
        return f"<penlink.ModuleMap {', '.join(m.selector for m in self._modules) or 'empty'}>"


def _merged(values: Optional[MappingType[str, Any]], by_key: dict) -> dict:
    if values is None:
        return dict(by_key)
    if not isinstance(values, Mapping):
        raise InvalidArgumentError(f"parameters {_checks._shown(values)} are not a mapping of "
                                   f"key to value (got {type(values).__name__})")
    return {**values, **by_key}
