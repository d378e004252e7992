"""Pen.read_settings(): the pen's set points read back, against sim://, penlink-sim over TCP and
over a pseudo-terminal. Needs a pen that answers protocol v2 GetSettings."""

from __future__ import annotations

import dataclasses

import pytest

import penlink
from penlink import _convert


def test_read_settings_returns_what_was_set(pen_url: str) -> None:
    with penlink.connect(pen_url) as pen:
        fresh = pen.read_settings()
        assert isinstance(fresh, penlink.PenSettings)
        assert not fresh.running and not fresh.rf.enabled and not fresh.led.enabled
        assert fresh.depth_limit_mm == pytest.approx(pen.depth_limit_mm)

        rf = penlink.RfMode(enabled=True, polarity=penlink.RfPolarity.BIPOLAR,
                            frequency_khz=1500, power_w=5.0, pulse_ms=100)
        led = penlink.LedMode(enabled=True, wavelength_nm=633, irradiance_mw_cm2=40.0,
                              pulsed=True, pulse_rate_hz=10.0, duty_percent=50.0)
        pen.set_depth(mm=1.0)
        pen.set_speed(hz=100)
        pen.set_rf(rf)
        pen.set_led(led)
        pen.start()

        settings = pen.read_settings()
        assert settings.depth_set_mm == 1.0
        assert settings.speed_set_hz == 100.0
        assert settings.running is True
        assert settings.rf == rf  # RfMode and LedMode as the Python types, equal to what was sent
        assert settings.led == led
        assert isinstance(settings.state, penlink.PenState)
        assert isinstance(settings.rf.polarity, penlink.RfPolarity)
        assert settings.state not in (penlink.PenState.FAULT,
                                      penlink.PenState.EMERGENCY_STOPPED)
        assert settings.status_rate_hz > 0
        assert settings.fault_bits == 0 and settings.faults == penlink.Fault.NONE

        pen.stop()
        stopped = pen.read_settings()
        assert stopped.running is False
        assert (stopped.depth_set_mm, stopped.speed_set_hz) == (1.0, 100.0)

        pen.depth_limit_mm = 1.5
        assert pen.read_settings().depth_limit_mm == 1.5

        # What an app does after an unknown outcome: send a read-back mode as it is.
        pen.set_rf(stopped.rf)
        pen.set_led(stopped.led)


def test_settings_are_an_immutable_documented_value() -> None:
    assert penlink.PenSettings.__doc__ and "read_settings" in penlink.PenSettings.__doc__
    assert penlink.Pen.read_settings.__doc__
    settings = penlink.PenSettings(
        state=penlink.PenState.IDLE, depth_set_mm=0.5, depth_limit_mm=3.0, speed_set_hz=80.0,
        running=False, rf=penlink.RfMode.off(), led=penlink.LedMode.off(), status_rate_hz=10,
        fault_bits=int(penlink.Fault.WATCHDOG))
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.depth_set_mm = 2.0  # type: ignore[misc]
    assert settings.faults == penlink.Fault.WATCHDOG
    assert hash(settings) == hash(dataclasses.replace(settings))


def test_read_settings_on_a_closed_pen_raises() -> None:
    pen = penlink.connect("sim://")
    pen.close()
    with pytest.raises(penlink.ConnectionLostError):
        pen.read_settings()


def test_every_field_is_copied_from_the_native_value() -> None:
    # No pen needed: a native PenSettings as the SWIG module returns it, with every field set
    # away from its default, copied into the Python value.
    native = penlink.native.PenSettings()
    native.state = int(penlink.PenState.RUNNING)
    native.depth_set_mm, native.depth_limit_mm, native.speed_set_hz = 1.25, 2.5, 120.0
    native.running = True
    native.rf.enabled, native.rf.polarity = True, int(penlink.RfPolarity.MONOPOLAR)
    native.rf.frequency_khz, native.rf.power_w, native.rf.pulse_ms = 1800, 7.5, 250
    native.led.enabled, native.led.wavelength_nm, native.led.irradiance_mw_cm2 = True, 830, 90.0
    native.led.pulsed, native.led.pulse_rate_hz, native.led.duty_percent = True, 25.0, 30.0
    native.status_rate_hz, native.fault_bits = 40, int(penlink.Fault.OVER_TEMPERATURE)

    settings = _convert.pen_settings(native)
    assert settings == penlink.PenSettings(
        state=penlink.PenState.RUNNING, depth_set_mm=1.25, depth_limit_mm=2.5,
        speed_set_hz=120.0, running=True,
        rf=penlink.RfMode(enabled=True, polarity=penlink.RfPolarity.MONOPOLAR,
                          frequency_khz=1800, power_w=7.5, pulse_ms=250),
        led=penlink.LedMode(enabled=True, wavelength_nm=830, irradiance_mw_cm2=90.0,
                            pulsed=True, pulse_rate_hz=25.0, duty_percent=30.0),
        status_rate_hz=40, fault_bits=int(penlink.Fault.OVER_TEMPERATURE))
    assert settings.state is penlink.PenState.RUNNING
    assert settings.rf.polarity is penlink.RfPolarity.MONOPOLAR
    assert settings.faults == penlink.Fault.OVER_TEMPERATURE
