"""penlink: control professional microneedling pens (depth, speed, RF and LED add-ons, status
streaming) over serial, TCP or the built-in simulator.

    import penlink

    with penlink.connect("sim://") as pen:
        print(pen.info.model, pen.capabilities.depth_max_mm)
        pen.set_depth(mm=1.0)
        pen.set_speed(hz=100)
        pen.start()
        for status in pen.status(rate_hz=100):
            print(status.depth_actual_mm, status.speed_actual_hz)
            break
        pen.stop()

Add-on modules are driven by the keys their descriptor declares (penlink.modules):
`pen.modules["cooling"].params["setpoint_c"] = 12.5`.

Every command has an _async twin returning a concurrent.futures.Future (None, or the same
PenError) that asyncio code awaits directly. In asyncio:

    async with penlink.connect_async("sim://") as pen:
        await pen.set_depth_async(mm=1.0)
        async for status in pen.status_async(rate_hz=100):
            ...

Depth and speed are set with the unit as the keyword (set_depth(mm=...) or um=...,
set_speed(hz=...)) so a value never travels without its unit. Errors are PenError
subclasses (see penlink.errors). Status frames and events are immutable named tuples.
"""

import atexit as _atexit

from . import _checks
from . import native as _native

from ._stream import StatusStream
from .errors import (AuthenticationError, ConnectionError, ConnectionLostError, ErrorCode,
                     InvalidArgumentError, NotSupportedError, OutOfRangeError, PenError,
                     RejectedError, SafetyError, TimeoutError)
from .discovery import DiscoveredPen, TransportKind, discover, register_usb_pen
from .log import list_serial_ports, log_to_logging, set_log_handler
from .modules import (Module, ModuleMap, ModuleNotFittedError, ParamMap,
                      parse_module_descriptor)
from .pen import Pen, Subscription, connect, connect_async
from . import treatment
from . import records
from .records import TreatmentLog, read_recording
from . import plot  # matplotlib is imported only when a plot is drawn
from .treatment import DeviceClass, Recipe, RunObserver, RunOutcome, RunState, load_recipe
from .types import (Capabilities, ConnectionState, DeviceInfo, Event, EventKind, Fault,
                    InterlockSpec, LedCapabilities, LedChannel, LedMode, LogLevel,
                    ModuleDescriptor, ParamAccess, ParamSpec, ParamType, PenSettings, PenState,
                    RfCapabilities, RfMode, RfPolarity, SafetyClass, SecurityStats,
                    SerialPortInfo, Status, StatusRate, StatusRateLimit, TelemetryReading,
                    TelemetrySpec, Threading)

# Before the interpreter finalizes: a callback thread that ends later must not call into it.
_atexit.register(_native.penlink_prepare_exit)

# Status and Event frames are built in C++ straight into these classes (see status.i).
_native._register_types(Status, Event, tuple(PenState),
                        (None,) + tuple(EventKind), TelemetryReading)

#: Version of the penlink library this package runs on, "major.minor.patch".
__version__: str = _native.version()


def describe_faults(fault_bits: int) -> str:
    """Names of the faults set in fault_bits, comma separated ("over-temperature, watchdog")."""
    return _native.describe_faults(
        _checks.integer("fault bits", fault_bits, "", lowest=0, highest=_checks.UINT32_MAX))


__all__ = [
    "connect", "connect_async", "Pen", "Subscription", "StatusStream", "set_log_handler", "log_to_logging",
    "list_serial_ports", "describe_faults", "__version__",
    "discover", "register_usb_pen", "DiscoveredPen", "TransportKind",
    "PenError", "InvalidArgumentError", "OutOfRangeError", "TimeoutError", "ConnectionError",
    "ConnectionLostError", "SafetyError", "NotSupportedError", "RejectedError", "ErrorCode",
    "AuthenticationError", "SecurityStats", "StatusRate", "StatusRateLimit",
    "PenState", "RfPolarity", "ConnectionState", "LogLevel", "EventKind", "Fault", "Status",
    "Event", "RfMode", "LedMode", "DeviceInfo", "LedChannel", "RfCapabilities",
    "LedCapabilities", "Capabilities", "PenSettings", "SerialPortInfo",
    "Module", "ModuleMap", "ParamMap", "ModuleNotFittedError", "parse_module_descriptor",
    "ModuleDescriptor", "ParamSpec", "TelemetrySpec", "InterlockSpec", "ParamType",
    "ParamAccess", "SafetyClass", "TelemetryReading",
    "treatment", "Recipe", "load_recipe", "DeviceClass", "RunState", "RunOutcome", "RunObserver",
    "records", "read_recording", "TreatmentLog", "plot", "Threading",
]
