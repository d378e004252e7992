"""Copies SWIG proxies of penlink's C++ value types into the package's frozen dataclasses,
and the other way for modes, so nothing a user holds points into C++ memory."""

from __future__ import annotations

from typing import Any

from . import _checks
from . import native as _native
from .types import (Capabilities, DeviceInfo, LedCapabilities, LedChannel, LedMode,
                    PenSettings, PenState, RfCapabilities, RfMode, RfPolarity, SerialPortInfo)


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


def connect_options(**seconds_and_counts: Any) -> Any:
    """ConnectOptions from connect()'s keyword arguments (times in seconds)."""
    native = _native.ConnectOptions()
    for name in ("connect_timeout", "command_timeout", "heartbeat_interval", "link_timeout"):
        setattr(native, f"{name}_ms", _checks.seconds_to_ms(name, seconds_and_counts[name]))
    for name, unit, lowest in (("command_retries", "", 0), ("idle_status_rate_hz", "Hz", 0),
                               ("callback_queue_capacity", "frames", 1)):
        setattr(native, name, _checks.integer(name, seconds_and_counts[name], unit, lowest))
    return native
