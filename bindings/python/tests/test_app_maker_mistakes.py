"""The mistakes a new app maker makes, each refused with an error that says what to do instead
(issue 12): invented attributes, modes that switch an output on at zero or leave it off by
default, values of the wrong type, the constructor instead of connect(), connect() without a
URL, faults printed as a number, a log that ignores the logging module's level."""

from __future__ import annotations

import logging
import time
from typing import List

import pytest

import penlink

from conftest import wait_until


def test_attributes_that_do_not_exist_cannot_be_set(pen: penlink.Pen) -> None:
    with pytest.raises(AttributeError, match=r"no attribute 'depth'.*set_depth\(mm=\.\.\.\)"):
        pen.depth = 1.0  # type: ignore[attr-defined]
    assert not hasattr(pen, "__dict__")
    pen.depth_limit_mm = 1.5  # the one settable attribute still is
    assert pen.depth_limit_mm == pytest.approx(1.5)
    with pen.on_status(lambda status: None) as subscription, pen.status() as stream:
        for thing in (subscription, stream):
            with pytest.raises(AttributeError):
                thing.rate_hz = 10  # type: ignore[union-attr]


@pytest.mark.parametrize("build", [
    lambda: penlink.LedMode(wavelength_nm=633, irradiance_mw_cm2=40),  # enabled left out
    lambda: penlink.RfMode(power_w=5, frequency_khz=1500),
    lambda: penlink.LedMode(enabled=True, wavelength_nm=633),  # on at 0 mW/cm2
    lambda: penlink.RfMode(enabled=True, frequency_khz=1500),  # on at 0 W
    lambda: penlink.LedMode(enabled=True, wavelength_nm=633, irradiance_mw_cm2=40,
                            pulsed=True),  # pulsed at 0 Hz
], ids=["led-enabled-implicit", "rf-enabled-implicit", "led-at-zero", "rf-at-zero",
        "led-pulsed-at-zero"])
def test_modes_that_would_do_nothing_cannot_be_built(build) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(penlink.InvalidArgumentError, match="enabled|emits nothing|delivers "
                                                           "nothing|never pulses"):
        build()


def test_switching_an_output_on_needs_a_level_above_zero() -> None:
    with penlink.connect("sim://?rf=1&led=1") as pen:
        with pytest.raises(penlink.InvalidArgumentError, match="LED irradiance 0 mW/cm2"):
            pen.set_led(wavelength_nm=633)
        with pytest.raises(penlink.InvalidArgumentError, match="RF power 0 W"):
            pen.set_rf(frequency_khz=1500)
        assert isinstance(pen.set_led_async(wavelength_nm=633).exception(timeout=5),
                          penlink.InvalidArgumentError)
        status = next(iter(pen.status(rate_hz=100)))
        assert not status.led_enabled and not status.rf_enabled
        pen.set_led(penlink.LedMode(enabled=True, wavelength_nm=633, irradiance_mw_cm2=40))
        wait_until(lambda: pen.latest_status is not None and pen.latest_status.led_enabled)
        pen.led_off()
        pen.set_led(penlink.LedMode.off())
        pen.set_rf(penlink.RfMode.off())
    assert penlink.LedMode.off() == penlink.LedMode(enabled=False)


@pytest.mark.parametrize("call,message", [
    (lambda pen: pen.set_depth(mm="1"), r"depth '1' is not a number \(got str\)"),
    (lambda pen: pen.set_depth(um=1000.5), "depth 1000.5 um is not a whole number"),
    (lambda pen: pen.set_speed(hz="100"), r"speed '100' is not a number"),
    (lambda pen: pen.set_led(wavelength_nm=633.5, irradiance_mw_cm2=40),
     "LED wavelength 633.5 nm is not a whole number"),
])
def test_values_are_type_checked(pen: penlink.Pen, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(penlink.InvalidArgumentError, match=message):
        call(pen)


def test_the_constructor_points_at_connect() -> None:
    with pytest.raises(penlink.InvalidArgumentError, match=r"penlink\.connect\('sim://'\)"):
        penlink.Pen("sim://")  # type: ignore[arg-type]
    with pytest.raises(penlink.InvalidArgumentError, match=r"penlink\.connect\(url\)"):
        penlink.Pen(None)


def test_connect_needs_a_url() -> None:
    with pytest.raises(TypeError, match="url"):
        penlink.connect()  # type: ignore[call-arg]


def test_faults_print_their_names() -> None:
    faults = penlink.Fault.WATCHDOG | penlink.Fault.OVER_TEMPERATURE
    assert str(faults) == "OVER_TEMPERATURE|WATCHDOG"
    assert f"{faults}" == "OVER_TEMPERATURE|WATCHDOG" and f"{faults:#x}" == "0x41"
    assert str(penlink.Fault(0)) == "NONE"
    assert str(penlink.Fault(1 << 20)) == "0x100000"
    with penlink.connect("sim://") as pen:
        status = next(iter(pen.status(rate_hz=100)))
        assert str(status.faults) == "NONE" and "faults NONE" in repr(status)
        pen.emergency_stop()
        stopped = next(s for s in pen.status(rate_hz=100) if s.fault_bits)
        assert "EMERGENCY_STOP" in str(stopped.faults) and "EMERGENCY_STOP" in repr(stopped)
        pen.clear_emergency_stop()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_log_to_logging_follows_the_logging_level() -> None:
    logger = logging.getLogger("penlink.test_level")
    records = _Records()
    logger.addHandler(records)
    logger.propagate = False

    def fail(status: penlink.Status) -> None:
        raise RuntimeError("a callback that fails")

    try:
        penlink.log_to_logging(logger_name=logger.name)
        with penlink.connect("sim://") as pen:
            logger.setLevel(logging.CRITICAL)  # set after log_to_logging: still obeyed
            with pen.on_status(fail, rate_hz=100):
                time.sleep(0.3)
            assert records.records == []
            logger.setLevel(logging.DEBUG)
            with pen.on_status(fail, rate_hz=100):
                wait_until(lambda: records.records)
        assert any("a callback that fails" in r.getMessage() for r in records.records)
    finally:
        penlink.set_log_handler(None)
        logger.removeHandler(records)
