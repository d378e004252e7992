"""Values exchanged with a pen. Every field carries its unit in its name (depth_set_mm,
speed_actual_hz, temperature_c). All of them are immutable snapshots, safe to keep and to
hand to other threads."""

from __future__ import annotations

import dataclasses
import enum
from typing import NamedTuple, Tuple

__all__ = [
    "PenState", "RfPolarity", "ConnectionState", "LogLevel", "EventKind", "Fault",
    "Status", "Event", "RfMode", "LedMode", "DeviceInfo", "LedChannel", "RfCapabilities",
    "LedCapabilities", "Capabilities", "PenSettings", "SerialPortInfo",
]


class PenState(enum.IntEnum):
    IDLE = 0
    RUNNING = 1
    PAUSED = 2
    FAULT = 3
    EMERGENCY_STOPPED = 4


class RfPolarity(enum.IntEnum):
    MONOPOLAR = 0
    BIPOLAR = 1


class ConnectionState(enum.IntEnum):
    CONNECTING = 0
    CONNECTED = 1
    LOST = 2
    CLOSED = 3


class LogLevel(enum.IntEnum):
    TRACE = 0
    DEBUG = 1
    INFO = 2
    WARNING = 3
    ERROR = 4
    OFF = 5


class EventKind(enum.IntEnum):
    FAULT_RAISED = 1
    FAULT_CLEARED = 2
    CARTRIDGE_INSERTED = 3
    CARTRIDGE_REMOVED = 4
    BUTTON_PRESSED = 5
    WATCHDOG_EXPIRED = 6
    EMERGENCY_STOPPED = 7
    EMERGENCY_CLEARED = 8


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


class Status(NamedTuple):
    """One status frame from the pen. The SWIG module builds these directly (field order is
    that of penlink::Status in penlink/types.hpp; bindings/python/status.i fills them)."""

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

    @property
    def faults(self) -> Fault:
        return Fault(self.fault_bits)

    def __repr__(self) -> str:
        state = self.state.name if isinstance(self.state, PenState) else self.state
        return (f"Status(#{self.sequence} {state} depth {self.depth_actual_mm:.2f}/"
                f"{self.depth_set_mm:.2f} mm, speed {self.speed_actual_hz:.1f}/"
                f"{self.speed_set_hz:.1f} Hz, battery {self.battery_percent}%, "
                f"{self.temperature_c:.1f} C, cartridge {self.cartridge_id} "
                f"{self.cartridge_strokes}/{self.cartridge_stroke_limit} strokes, "
                f"rf {'on' if self.rf_enabled else 'off'}, "
                f"led {'on' if self.led_enabled else 'off'}, faults {self.fault_bits:#x})")


class Event(NamedTuple):
    """Something that happened on the pen."""

    kind: EventKind
    detail: int  #: fault bit index, cartridge id, button index or watchdog ms
    device_time_ms: int


@dataclasses.dataclass(frozen=True)
class RfMode:
    """RF energy settings (add-on)."""

    enabled: bool = False
    polarity: RfPolarity = RfPolarity.BIPOLAR
    frequency_khz: int = 1000
    power_w: float = 0.0
    pulse_ms: int = 100


@dataclasses.dataclass(frozen=True)
class LedMode:
    """LED light settings (add-on); wavelength_nm picks a fitted channel."""

    enabled: bool = False
    wavelength_nm: int = 633
    irradiance_mw_cm2: float = 0.0
    pulsed: bool = False
    pulse_rate_hz: float = 0.0  #: pulsed only
    duty_percent: float = 50.0  #: pulsed only, (0, 100]


@dataclasses.dataclass(frozen=True)
class DeviceInfo:
    model: str
    serial_number: str
    firmware_version: str  #: "major.minor.patch"
    protocol_version: int


@dataclasses.dataclass(frozen=True)
class LedChannel:
    wavelength_nm: int
    max_irradiance_mw_cm2: float


@dataclasses.dataclass(frozen=True)
class RfCapabilities:
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
    fitted: bool
    channels: Tuple[LedChannel, ...]
    pulse_rate_min_hz: float
    pulse_rate_max_hz: float

    @property
    def wavelengths_nm(self) -> Tuple[int, ...]:
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
        return Fault(self.fault_bits)


@dataclasses.dataclass(frozen=True)
class SerialPortInfo:
    path: str  #: e.g. "/dev/ttyACM0"
    description: str
    is_usb: bool
    usb_vid: int  #: 0 if not USB
    usb_pid: int
    manufacturer: str
    product: str
    serial_number: str
