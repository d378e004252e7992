"""Values exchanged with a pen. Every field carries its unit in its name (depth_set_mm,
speed_actual_hz, temperature_c). All of them are immutable snapshots, safe to keep and to
hand to other threads."""

from __future__ import annotations

import dataclasses
import enum
from typing import NamedTuple, Tuple

# RF and LED modes, and what add-on modules declare, live in modules of their own.
from ._module_values import (InterlockSpec, ModuleDescriptor, ParamAccess, ParamSpec, ParamType,
                             ParamValue, SafetyClass, TelemetrySpec)
from ._output_modes import LedMode, RfMode, RfPolarity

__all__ = [
    "PenState", "RfPolarity", "ConnectionState", "LogLevel", "EventKind", "Fault",
    "Status", "Event", "RfMode", "LedMode", "DeviceInfo", "LedChannel", "RfCapabilities",
    "LedCapabilities", "Capabilities", "PenSettings", "SerialPortInfo", "TelemetryReading",
    "ParamType", "ParamAccess", "SafetyClass", "ParamSpec", "TelemetrySpec", "InterlockSpec",
    "ModuleDescriptor", "Threading",
]


class PenState(enum.IntEnum):
    """What the pen is doing (Status.state)."""

    IDLE = 0
    RUNNING = 1
    PAUSED = 2
    FAULT = 3
    EMERGENCY_STOPPED = 4


class Threading(enum.IntEnum):
    """Which threads carry a pen's traffic and run its callbacks (connect(threading=...);
    docs/architecture.md, Threads).

    SHARED (the default): every pen shares penlink's I/O thread and two callback threads, so a
    process with hundreds of pens runs three penlink threads; one pen's callbacks still never
    run two at a time. DEDICATED: the pen has an I/O thread and a callback thread of its own,
    so no other pen's traffic or slow callback can delay it (two threads more per pen)."""

    SHARED = 0
    DEDICATED = 1


class ConnectionState(enum.IntEnum):
    """State of the link to the pen (Pen.connection_state, on_connection_state)."""

    CONNECTING = 0
    CONNECTED = 1
    LOST = 2
    CLOSED = 3


class LogLevel(enum.IntEnum):
    """Severity of an SDK log line; OFF silences the log."""

    TRACE = 0
    DEBUG = 1
    INFO = 2
    WARNING = 3
    ERROR = 4
    OFF = 5


class EventKind(enum.IntEnum):
    """What an Event reports; Event.detail says more (see Event)."""

    FAULT_RAISED = 1
    FAULT_CLEARED = 2
    CARTRIDGE_INSERTED = 3
    CARTRIDGE_REMOVED = 4
    BUTTON_PRESSED = 5
    WATCHDOG_EXPIRED = 6
    EMERGENCY_STOPPED = 7
    EMERGENCY_CLEARED = 8
    MODULE_ATTACHED = 9  #: detail = the slot; pen.modules lists the modules again
    MODULE_DETACHED = 10  #: detail = the slot
    SECURITY_REJECTED = 11  #: the pen rejected forged/replayed/injected frames; detail = count
    FRAME_REJECTED = 12  #: penlink rejected a forged/replayed/injected frame; detail = count


class Fault(enum.IntFlag):
    """Bits of Status.fault_bits (Status.faults gives them as this flag)."""

    NONE = 0
    OVER_TEMPERATURE = 1 << 0
    BATTERY_CRITICAL = 1 << 1
    CARTRIDGE_EXHAUSTED = 1 << 2
    CARTRIDGE_MISSING = 1 << 3
    MOTOR_STALL = 1 << 4
    RF_IMPEDANCE = 1 << 5
    WATCHDOG = 1 << 6
    EMERGENCY_STOP = 1 << 7
    INJECTED = 1 << 8
    DEPTH_ACTUATOR = 1 << 9

    def __str__(self) -> str:
        """The names of the faults set, "OVER_TEMPERATURE|WATCHDOG", or "NONE"."""
        if self.value == 0:
            return "NONE"
        names = [fault.name for fault in Fault if fault.value and fault.value & self.value]
        unknown = self.value & ~sum(fault.value for fault in Fault)
        if unknown:
            names.append(hex(unknown))
        return "|".join(str(name) for name in names)

    def __format__(self, spec: str) -> str:
        # f"{status.faults}" shows names like str(); a numeric spec ("#x", "d") the number.
        return str(self) if not spec else format(self.value, spec)


class TelemetryReading(NamedTuple):
    """One module telemetry reading as the pen sent it; Module.telemetry(status, key) gives
    it in the channel's unit (raw * the channel's scale)."""

    slot: int  #: the module's slot
    channel: int  #: the channel's id in the module's descriptor
    raw: int


class Status(NamedTuple):
    """One status frame from the pen: an immutable named tuple, safe to keep and to pass to
    other threads. Every field's unit is in its name; help(penlink.Status) describes each.
    .faults gives fault_bits as Fault names; repr() is a one-line summary."""

    # Built in C++ straight into this class (bindings/python/status.i): the field order is
    # that of penlink::Status in penlink/types.hpp, checked by test_value_types_agree.py.

    sequence: int  #: pen's status counter; gaps are dropped frames
    device_time_ms: int  #: pen uptime
    state: PenState
    depth_set_mm: float
    depth_actual_mm: float
    speed_set_hz: float
    speed_actual_hz: float
    battery_percent: int
    temperature_c: float
    cartridge_id: int  #: 0 = no cartridge
    cartridge_strokes: int
    cartridge_stroke_limit: int
    rf_enabled: bool
    rf_delivering: bool
    rf_impedance_ohm: int
    rf_energy_j: float
    led_enabled: bool
    led_emitting: bool
    led_wavelength_nm: int
    led_dose_j_cm2: float
    fault_bits: int  #: see Fault and the faults property
    telemetry_count: int = 0  #: len(telemetry)
    #: module telemetry carried by this frame; Module.telemetry(status, key) reads one
    telemetry: Tuple[TelemetryReading, ...] = ()

    @property
    def faults(self) -> Fault:
        """fault_bits as a Fault flag; prints its names ("WATCHDOG|MOTOR_STALL", "NONE")."""
        return Fault(self.fault_bits)

    def __repr__(self) -> str:
        state = self.state.name if isinstance(self.state, PenState) else self.state
        return (f"Status(#{self.sequence} {state} depth {self.depth_actual_mm:.2f}/"
                f"{self.depth_set_mm:.2f} mm, speed {self.speed_actual_hz:.1f}/"
                f"{self.speed_set_hz:.1f} Hz, battery {self.battery_percent}%, "
                f"{self.temperature_c:.1f} C, cartridge {self.cartridge_id} "
                f"{self.cartridge_strokes}/{self.cartridge_stroke_limit} strokes, "
                f"rf {'on' if self.rf_enabled else 'off'}, "
                f"led {'on' if self.led_enabled else 'off'}, faults {Fault(self.fault_bits)})")


class Event(NamedTuple):
    """Something that happened on the pen (Pen.on_event): an immutable named tuple."""

    kind: EventKind
    detail: int  #: fault bit index, cartridge id, button index or watchdog ms
    device_time_ms: int


@dataclasses.dataclass(frozen=True)
class DeviceInfo:
    """Who the pen is (Pen.info): read once at connect."""

    model: str
    serial_number: str
    firmware_version: str  #: "major.minor.patch"
    protocol_version: int


@dataclasses.dataclass(frozen=True)
class LedChannel:
    """One LED channel the pen has: its wavelength and the most it can emit."""

    wavelength_nm: int
    max_irradiance_mw_cm2: float


@dataclasses.dataclass(frozen=True)
class RfCapabilities:
    """What the RF add-on can do (fitted False: no RF add-on; the ranges are then 0)."""

    fitted: bool
    frequency_min_khz: int
    frequency_max_khz: int
    power_max_w: float
    pulse_min_ms: int
    pulse_max_ms: int
    monopolar: bool
    bipolar: bool


@dataclasses.dataclass(frozen=True)
class LedCapabilities:
    """What the LED add-on can do (fitted False: no LED add-on)."""

    fitted: bool
    channels: Tuple[LedChannel, ...]
    pulse_rate_min_hz: float
    pulse_rate_max_hz: float

    @property
    def wavelengths_nm(self) -> Tuple[int, ...]:
        """The wavelengths of the channels, the values LedMode.wavelength_nm may take."""
        return tuple(channel.wavelength_nm for channel in self.channels)


@dataclasses.dataclass(frozen=True)
class Capabilities:
    """What the pen reported it can do; the SDK refuses anything outside it before sending."""

    depth_min_mm: float
    depth_max_mm: float
    depth_step_mm: float
    speed_min_hz: float
    speed_max_hz: float
    watchdog_ms: int
    max_status_rate_hz: int
    rf: RfCapabilities
    led: LedCapabilities


class StatusRateLimit(enum.IntEnum):
    """What holds a status subscription below the rate it asked for (StatusRate.limited_by)."""

    NONE = 0  #: it gets what it asked for
    LINK = 1  #: the link carries no more status (docs/protocol.md sections 11 and 15.3)


@dataclasses.dataclass(frozen=True)
class StatusRate:
    """The status rate a subscription asked for and the rate it gets now
    (Subscription.status_rate, StatusStream.status_rate). The granted rate follows the link,
    e.g. a Bluetooth LE link's MTU."""

    requested_hz: int  #: what on_status()/status() asked for, Hz
    granted_hz: int  #: what this subscriber receives at most, Hz
    limited_by: StatusRateLimit  #: why granted_hz < requested_hz
    reason: str  #: in words, e.g. "ble ... carries about 16266 bytes/s; ..."; "" if not limited


@dataclasses.dataclass(frozen=True)
class SecurityStats:
    """What the authenticated-session checks rejected in this session (Pen.security_stats();
    the counts start again at a reconnect)."""

    authenticated: bool  #: the session is authenticated (mutual proof, every frame tagged)
    forged: int  #: frames whose tag did not verify
    replayed: int  #: frames whose counter was used before or is too old
    unauthenticated: int  #: unsealed frames in an authenticated session, or sealed ones outside
    rejected_by_pen: int  #: what the pen last reported (EventKind.SECURITY_REJECTED)


@dataclasses.dataclass(frozen=True)
class PenSettings:
    """The pen's current set points, as Pen.read_settings() reads them back. After a command
    raised TimeoutError or ConnectionLostError its outcome is unknown (it was applied at most
    once, never after a newer command of its kind); this says what holds. rf and led are the
    modes in force, so pen.set_rf(settings.rf) sends one back as it is."""

    state: PenState
    depth_set_mm: float
    depth_limit_mm: float  #: the session depth limit the pen enforces
    speed_set_hz: float
    running: bool  #: needle commanded to run
    rf: RfMode  #: enabled is False when RF is off
    led: LedMode  #: enabled is False when the LED is off
    status_rate_hz: int
    fault_bits: int  #: see Fault and the faults property

    @property
    def faults(self) -> Fault:
        """fault_bits as a Fault flag; prints its names ("WATCHDOG", "NONE")."""
        return Fault(self.fault_bits)


@dataclasses.dataclass(frozen=True)
class SerialPortInfo:
    """A serial port of this machine (penlink.list_serial_ports())."""

    path: str  #: e.g. "/dev/ttyACM0"
    description: str
    is_usb: bool
    usb_vid: int  #: 0 if not USB
    usb_pid: int
    manufacturer: str
    product: str
    serial_number: str


# help() shows these for each field of the named tuples (instead of "Alias for field number 3").
_FIELD_DOCS = {
    TelemetryReading: {
        "slot": "The slot of the module that sent the reading.",
        "channel": "The channel's id in the module's descriptor (TelemetrySpec.id).",
        "raw": "The reading as sent; multiply by the channel's scale for its unit.",
    },
    Status: {
        "sequence": "The pen's status counter; a gap means frames were dropped.",
        "device_time_ms": "The pen's uptime when it sent the frame, in milliseconds.",
        "state": "What the pen is doing: a PenState (IDLE, RUNNING, ...).",
        "depth_set_mm": "Needle depth commanded, in millimetres.",
        "depth_actual_mm": "Needle depth measured, in millimetres.",
        "speed_set_hz": "Needle speed commanded, in strokes per second.",
        "speed_actual_hz": "Needle speed measured, in strokes per second.",
        "battery_percent": "Battery charge, 0-100 %.",
        "temperature_c": "Handpiece temperature in degrees Celsius.",
        "cartridge_id": "The fitted cartridge's id; 0 means no cartridge.",
        "cartridge_strokes": "Strokes the fitted cartridge has made.",
        "cartridge_stroke_limit": "Strokes the cartridge is good for.",
        "rf_enabled": "RF is switched on (a mode with power is in force).",
        "rf_delivering": "RF energy is flowing now (needle running and RF on).",
        "rf_impedance_ohm": "Tissue impedance the RF add-on measures, in ohms.",
        "rf_energy_j": "RF energy delivered this session, in joules.",
        "led_enabled": "The LED is switched on.",
        "led_emitting": "The LED is emitting now.",
        "led_wavelength_nm": "Wavelength of the LED channel in use, in nanometres.",
        "led_dose_j_cm2": "Light dose delivered this session, in J/cm2.",
        "fault_bits": "Latched faults as bits; .faults gives their names (Fault).",
        "telemetry_count": "len(telemetry).",
        "telemetry": "Module telemetry carried by this frame (TelemetryReading); "
                     "Module.telemetry(status, key) reads one in its unit.",
    },
    Event: {
        "kind": "What happened: an EventKind.",
        "detail": "Fault bit index, cartridge id, button index, watchdog period in ms or "
                  "module slot, depending on kind.",
        "device_time_ms": "The pen's uptime when it happened, in milliseconds.",
    },
}
for _cls, _docs in _FIELD_DOCS.items():
    for _name, _doc in _docs.items():
        getattr(_cls, _name).__doc__ = _doc
del _cls, _docs, _name, _doc
