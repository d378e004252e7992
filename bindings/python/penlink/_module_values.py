"""What add-on modules declare about themselves (penlink/module_descriptor.hpp; penlink.types
re-exports every name): the descriptor, its parameters, telemetry channels and interlocks, and
the value a parameter takes."""

from __future__ import annotations

import dataclasses
import enum
from typing import Optional, Tuple, Union


#: A parameter's value: bool (ParamType.BOOL), float (INTEGER, FIXED) or str (ENUM, a label).
ParamValue = Union[bool, float, str]


class ParamType(enum.IntEnum):
    """How a parameter is typed; on the wire every value is an integer raw = value / scale."""

    BOOL = 0
    INTEGER = 1
    FIXED = 2  #: fixed point: value = raw * scale
    ENUM = 3  #: one of labels


class ParamAccess(enum.IntEnum):
    READ = 0  #: read only: setting it is refused
    READ_WRITE = 1


class SafetyClass(enum.IntEnum):
    NONE = 0
    #: delivers energy into tissue: refused away from its default while the e-stop or a fault
    #: is latched, and returned to its default by the pen on e-stop, fault and closed link
    ENERGY = 1


@dataclasses.dataclass(frozen=True)
class ParamSpec:
    """One settable or readable value of a module, as its descriptor declares it."""

    key: str  #: e.g. "setpoint_c"
    id: int  #: wire id
    type: ParamType
    unit: str  #: SI unit, e.g. "degC"; "" = none
    scale: float  #: value = raw * scale
    min: float  #: in unit
    max: float
    step: float  #: values lie on min + k * step
    default_value: float  #: in unit; an ENUM's default is its label index (see default)
    labels: Tuple[str, ...]  #: ENUM: the label of each raw value
    access: ParamAccess
    safety: SafetyClass
    description: str

    @property
    def default(self) -> ParamValue:
        """The default as a value of this parameter: bool, float or label."""
        if self.type is ParamType.BOOL:
            return self.default_value != 0
        if self.type is ParamType.ENUM:
            index = int(self.default_value)
            return self.labels[index] if 0 <= index < len(self.labels) else str(index)
        return self.default_value

    @property
    def writable(self) -> bool:
        """True unless the parameter is read only."""
        return self.access is ParamAccess.READ_WRITE


@dataclasses.dataclass(frozen=True)
class TelemetrySpec:
    """One telemetry channel a module reports in every Status."""

    key: str  #: e.g. "plate_c"
    id: int  #: the channel of TelemetryReading
    unit: str
    scale: float  #: value = raw * scale
    min: float  #: the range the channel measures, in unit
    max: float
    has_alarm_low: bool
    alarm_low: float  #: below this a reading is an alarm (has_alarm_low)
    has_alarm_high: bool
    alarm_high: float  #: above this a reading is an alarm (has_alarm_high)
    description: str


@dataclasses.dataclass(frozen=True)
class InterlockSpec:
    """A rule the pen enforces, stated so an app can explain a refusal."""

    key: str
    condition: str  #: "needle_running", "cartridge_fitted", "no_fault" or "param:KEY"
    guards: Tuple[str, ...]  #: parameters that may leave their default only while it holds
    description: str


@dataclasses.dataclass(frozen=True)
class ModuleDescriptor:
    """What a module says about itself (docs/modules.md)."""

    key: str  #: the module kind, e.g. "cooling"
    name: str  #: for people, e.g. "CoolTip C1"
    vendor_id: int
    vendor_name: str
    model_id: int
    profiles: Tuple[str, ...]  #: standard profiles it implements ("rf", "led")
    parameters: Tuple[ParamSpec, ...]
    telemetry: Tuple[TelemetrySpec, ...]
    interlocks: Tuple[InterlockSpec, ...]

    def parameter(self, key: str) -> Optional[ParamSpec]:
        """The parameter named key, or None."""
        return next((spec for spec in self.parameters if spec.key == key), None)

    def channel(self, key: str) -> Optional[TelemetrySpec]:
        """The telemetry channel named key, or None."""
        return next((spec for spec in self.telemetry if spec.key == key), None)
