"""Copies SWIG proxies of penlink's C++ value types into the package's frozen dataclasses,
and the other way for modes, so nothing a user holds points into C++ memory."""

from __future__ import annotations

import numbers
import os
from typing import Any, Iterable, Mapping, Tuple

from . import _checks
from . import native as _native
from .errors import InvalidArgumentError
from .types import (Capabilities, DeviceInfo, InterlockSpec, LedCapabilities, LedChannel,
                    LedMode, ModuleDescriptor, ParamAccess, ParamSpec, ParamType, PenSettings,
                    PenState, RfCapabilities, RfMode, RfPolarity, SafetyClass, SerialPortInfo,
                    TelemetrySpec)


def device_info(native: Any) -> DeviceInfo:
    return DeviceInfo(model=native.model, serial_number=native.serial_number,
                      firmware_version=native.firmware_version,
                      protocol_version=native.protocol_version)


def capabilities(native: Any) -> Capabilities:
    rf = native.rf
    led = native.led
    return Capabilities(
        depth_min_mm=native.depth_min_mm,
        depth_max_mm=native.depth_max_mm,
        depth_step_mm=native.depth_step_mm,
        speed_min_hz=native.speed_min_hz,
        speed_max_hz=native.speed_max_hz,
        watchdog_ms=native.watchdog_ms,
        max_status_rate_hz=native.max_status_rate_hz,
        rf=RfCapabilities(fitted=rf.fitted, frequency_min_khz=rf.frequency_min_khz,
                          frequency_max_khz=rf.frequency_max_khz, power_max_w=rf.power_max_w,
                          pulse_min_ms=rf.pulse_min_ms, pulse_max_ms=rf.pulse_max_ms,
                          monopolar=rf.monopolar, bipolar=rf.bipolar),
        led=LedCapabilities(
            fitted=led.fitted,
            channels=tuple(LedChannel(wavelength_nm=channel.wavelength_nm,
                                      max_irradiance_mw_cm2=channel.max_irradiance_mw_cm2)
                           for channel in led.channels),
            pulse_rate_min_hz=led.pulse_rate_min_hz,
            pulse_rate_max_hz=led.pulse_rate_max_hz),
    )


def pen_settings(native: Any) -> PenSettings:
    rf = native.rf
    led = native.led
    return PenSettings(
        state=PenState(native.state),
        depth_set_mm=native.depth_set_mm,
        depth_limit_mm=native.depth_limit_mm,
        speed_set_hz=native.speed_set_hz,
        running=native.running,
        rf=RfMode(enabled=rf.enabled, polarity=RfPolarity(rf.polarity),
                  frequency_khz=rf.frequency_khz, power_w=rf.power_w, pulse_ms=rf.pulse_ms),
        led=LedMode(enabled=led.enabled, wavelength_nm=led.wavelength_nm,
                    irradiance_mw_cm2=led.irradiance_mw_cm2, pulsed=led.pulsed,
                    pulse_rate_hz=led.pulse_rate_hz, duty_percent=led.duty_percent),
        status_rate_hz=native.status_rate_hz,
        fault_bits=native.fault_bits,
    )


def serial_port(native: Any) -> SerialPortInfo:
    return SerialPortInfo(path=native.path, description=native.description,
                          is_usb=native.is_usb, usb_vid=native.usb_vid, usb_pid=native.usb_pid,
                          manufacturer=native.manufacturer, product=native.product,
                          serial_number=native.serial_number)


# Each field is checked for its type here (PenError, not SWIG's TypeError/OverflowError); the
# C++ checks then refuse NaN and infinity, and values outside the pen's ranges.


def rf_mode(mode: RfMode) -> Any:
    native = _native.RfMode()
    native.enabled = _checks.boolean("RF enabled", mode.enabled)
    native.polarity = int(_checks.member("RF polarity", mode.polarity, RfPolarity))
    native.frequency_khz = _checks.integer("RF frequency", mode.frequency_khz, "kHz")
    native.power_w = _checks.real("RF power", mode.power_w, "W")
    native.pulse_ms = _checks.integer("RF pulse length", mode.pulse_ms, "ms")
    return native


def led_mode(mode: LedMode) -> Any:
    native = _native.LedMode()
    native.enabled = _checks.boolean("LED enabled", mode.enabled)
    native.wavelength_nm = _checks.integer("LED wavelength", mode.wavelength_nm, "nm")
    native.irradiance_mw_cm2 = _checks.real("LED irradiance", mode.irradiance_mw_cm2, "mW/cm2")
    native.pulsed = _checks.boolean("LED pulsed", mode.pulsed)
    native.pulse_rate_hz = _checks.real("LED pulse rate", mode.pulse_rate_hz, "Hz")
    native.duty_percent = _checks.real("LED duty cycle", mode.duty_percent, "%")
    return native


def add_keys(native: Any, keys: Any, key_file: Any, require_authentication: Any) -> None:
    """Puts connect()'s keys (serial -> 32 bytes), key file and require_authentication into
    native ConnectOptions. Messages name the serial, never the key."""
    if keys is not None:
        if not isinstance(keys, Mapping):
            raise InvalidArgumentError(f"keys must map pen serial numbers to 32-byte keys (got "
                                       f"{type(keys).__name__})")
        for serial, key in keys.items():
            serial = _checks.text("a key's serial number", serial)
            native.add_key_hex(serial, _checks.key_bytes(f"the key for {serial}", key).hex())
    if key_file is not None:
        native.load_key_file(_checks.text("key_file", os.fspath(key_file)
                                          if isinstance(key_file, os.PathLike) else key_file))
    if not isinstance(require_authentication, bool):
        raise InvalidArgumentError(f"require_authentication must be True or False (got "
                                   f"{type(require_authentication).__name__})")
    native.require_authentication = require_authentication


def connect_options(module_paths: Iterable[Any] = (), **seconds_and_counts: Any) -> Any:
    """ConnectOptions from connect()'s keyword arguments (times in seconds)."""
    native = _native.ConnectOptions()
    if isinstance(module_paths, (str, bytes)):
        raise InvalidArgumentError(f"module_paths {module_paths!r} is a single string; give a "
                                   f"list of directories")
    try:
        paths = list(module_paths)
    except TypeError:
        raise InvalidArgumentError(f"module_paths {module_paths!r} is not a list of "
                                   f"directories") from None
    directories = _native.StringVector()
    for path in paths:
        directories.append(_checks.text(
            "module path", os.fspath(path) if isinstance(path, os.PathLike) else path))
    native.module_paths = directories
    for name in ("connect_timeout", "command_timeout", "heartbeat_interval", "link_timeout"):
        setattr(native, f"{name}_ms", _checks.seconds_to_ms(name, seconds_and_counts[name]))
    for name, unit, lowest in (("command_retries", "", 0), ("idle_status_rate_hz", "Hz", 0),
                               ("callback_queue_capacity", "frames", 1)):
        setattr(native, name, _checks.integer(name, seconds_and_counts[name], unit, lowest))
    return native


# --- add-on modules ---------------------------------------------------------------------------

def _strings(native: Any) -> Tuple[str, ...]:
    return tuple(str(item) for item in native)


def param_spec(n: Any) -> ParamSpec:
    return ParamSpec(key=n.key, id=n.id, type=ParamType(n.type), unit=n.unit, scale=n.scale,
                     min=n.min, max=n.max, step=n.step, default_value=n.default_value,
                     labels=_strings(n.labels), access=ParamAccess(n.access),
                     safety=SafetyClass(n.safety), description=n.description)


def telemetry_spec(n: Any) -> TelemetrySpec:
    return TelemetrySpec(key=n.key, id=n.id, unit=n.unit, scale=n.scale, min=n.min, max=n.max,
                         has_alarm_low=n.has_alarm_low, alarm_low=n.alarm_low,
                         has_alarm_high=n.has_alarm_high, alarm_high=n.alarm_high,
                         description=n.description)


def interlock_spec(n: Any) -> InterlockSpec:
    return InterlockSpec(key=n.key, condition=n.condition, guards=_strings(n.guards),
                         description=n.description)


def module_descriptor(n: Any) -> ModuleDescriptor:
    return ModuleDescriptor(
        key=n.key, name=n.name, vendor_id=n.vendor_id, vendor_name=n.vendor_name,
        model_id=n.model_id, profiles=_strings(n.profiles),
        parameters=tuple(param_spec(p) for p in n.parameters),
        telemetry=tuple(telemetry_spec(t) for t in n.telemetry),
        interlocks=tuple(interlock_spec(i) for i in n.interlocks))


def to_param_value(name: str, value: Any) -> Any:
    """A native ParamValue from bool, a real number or a str (an enum label). name is
    "module.key", for the error: the descriptor's checks (kind, range, step) stay in C++."""
    if isinstance(value, bool):
        return _native.param_bool(value)
    if isinstance(value, numbers.Real):
        return _native.param_number(_checks.real(name, value, ""))
    if isinstance(value, str):
        return _native.param_label(value)
    raise InvalidArgumentError(f"{name} {_checks._shown(value)} is not a bool, a number or a "
                               f"label (got {type(value).__name__})")


def from_param_value(native: Any) -> Any:
    kind = _native.param_kind(native)
    if kind == 0:
        return native.as_bool()
    if kind == 2:
        return native.as_label()
    return native.as_number()


def param_list(module: str, values: Mapping[str, Any]) -> Any:
    """A native ParamList from {key: value}, in the mapping's order."""
    if not isinstance(values, Mapping):
        raise InvalidArgumentError(f"parameters for {module} {_checks._shown(values)} are not "
                                   f"a mapping of key to value (got {type(values).__name__})")
    native = _native.ParamList()
    for key, value in values.items():
        _checks.text(f"parameter key of {module}", key)
        native.add(key, to_param_value(f"{module}.{key}", value))
    return native


def param_dict(native: Any) -> dict:
    return {native.key(i): from_param_value(native.value(i)) for i in range(native.size())}
