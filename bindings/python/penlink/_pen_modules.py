"""Pen's calls for add-on modules (pen.modules, pen.set_params, ...), a mixin of penlink.Pen;
penlink.modules has the Module objects they return."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Mapping

from . import _async, _checks, _convert
from .errors import PenError
from .modules import Module, ModuleMap
from .types import ParamValue


class ModuleCommands:
    """Pen's add-on module calls; Pen holds the native pen they send through."""

    __slots__ = ()

    # --- add-on modules (penlink.modules) -----------------------------------------------------
    # A module is named by its descriptor's key ("cooling"), or "key@slot" when two of a kind
    # are fitted. Values are bool, float or str (an enum label), checked against the
    # descriptor before anything is sent; errors name "module.key", the value, limit and unit.

    @property
    def modules(self) -> ModuleMap:
        """The modules fitted, mapping-like: pen.modules["cooling"], "cooling" in pen.modules,
        iteration over their keys, len(). Asks the SDK each time (it re-reads the pen's list
        after a MODULE_ATTACHED or MODULE_DETACHED event), so keep the result for a while
        rather than reading it per frame."""
        return ModuleMap(tuple(Module(self, native) for native in self._native.modules()))

    def module(self, selector: str) -> Module:
        """The module named "key" or "key@slot"; raises NotSupportedError naming the fitted
        ones if none matches."""
        return Module(self, self._native.module(_checks.text("module", selector)))

    def set_params(self, module: str, values: Mapping[str, Any]) -> None:
        """Sets every value at once, set_params("cooling", {"enabled": True,
        "setpoint_c": 12.5}): the pen applies all or none (a refusal names the first
        offending parameter)."""
        module = _checks.text("module", module)
        self._set_params(module, module, values)

    def set_params_async(self, module: str, values: Mapping[str, Any]) -> "Future[None]":
        """set_params() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError set_params() would raise."""
        try:
            module = _checks.text("module", module)
        except PenError as error:
            return _async.refused(error)
        return self._set_params_async(module, module, values)

    def set_param(self, module: str, key: str, value: ParamValue) -> None:
        """Sets one parameter: set_param("cooling", "setpoint_c", 12.5)."""
        module = _checks.text("module", module)
        self._set_param(module, module, key, value)

    def get_param(self, module: str, key: str) -> ParamValue:
        """Reads one parameter's current value from the pen."""
        return _convert.from_param_value(self._native.get_param(
            _checks.text("module", module), _checks.text("parameter key", key)))

    def get_params(self, module: str) -> dict:
        """Every parameter of the module, read from the pen, {key: value} in descriptor order."""
        return _convert.param_dict(self._native.get_params(_checks.text("module", module)))

    # selector names the module for the SDK ("cooling@2"), name for errors raised here
    # ("cooling.setpoint_c", as the SDK's own errors name it).

    def _set_params(self, selector: str, name: str, values: Mapping[str, Any]) -> None:
        self._native.set_params(selector, _convert.param_list(name, values))

    def _set_params_async(self, selector: str, name: str,
                          values: Mapping[str, Any]) -> "Future[None]":
        try:
            native = _convert.param_list(name, values)
        except PenError as error:
            return _async.refused(error)
        return _async.submit(lambda done: self._native.set_params_async(selector, native, done))

    def _set_param(self, selector: str, name: str, key: Any, value: Any) -> None:
        key = _checks.text(f"parameter key of {name}", key)
        self._native.set_param(selector, key, _convert.to_param_value(f"{name}.{key}", value))
