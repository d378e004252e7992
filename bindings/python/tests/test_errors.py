"""Every C++ error arrives as the matching Python exception, with code and message."""

from __future__ import annotations

import builtins

import pytest

import penlink


def test_hierarchy_is_pythonic() -> None:
    for cls in (penlink.InvalidArgumentError, penlink.OutOfRangeError, penlink.TimeoutError,
                penlink.ConnectionError, penlink.ConnectionLostError, penlink.SafetyError,
                penlink.NotSupportedError, penlink.RejectedError):
        assert issubclass(cls, penlink.PenError)
    assert issubclass(penlink.PenError, Exception)
    assert issubclass(penlink.OutOfRangeError, ValueError)
    assert issubclass(penlink.TimeoutError, builtins.TimeoutError)
    assert issubclass(penlink.ConnectionLostError, builtins.ConnectionError)
    error = penlink.ConnectionLostError("link gone", penlink.ErrorCode.CONNECTION_LOST)
    assert str(error) == "link gone"  # not OSError's "[Errno ...]" rendering
    assert error.args == ("link gone",)


def test_bad_url_is_invalid_argument() -> None:
    with pytest.raises(penlink.InvalidArgumentError) as caught:
        penlink.connect("foo://x")
    assert "foo" in str(caught.value)
    assert caught.value.code is penlink.ErrorCode.INVALID_ARGUMENT


def test_refused_tcp_is_connection_error() -> None:
    with pytest.raises(penlink.ConnectionError) as caught:
        penlink.connect("tcp://127.0.0.1:1", connect_timeout=2.0)
    assert caught.value.code is penlink.ErrorCode.CONNECTION_FAILED


def test_missing_serial_port_is_connection_error() -> None:
    with pytest.raises(penlink.ConnectionError):
        penlink.connect("serial:///dev/does-not-exist-penlink")


def test_speed_out_of_range_names_value_limit_unit(pen: penlink.Pen) -> None:
    with pytest.raises(penlink.OutOfRangeError) as caught:
        pen.set_speed(hz=200)
    assert (caught.value.value, caught.value.limit, caught.value.unit) == (200.0, 150.0, "Hz")
    assert "200" in str(caught.value) and "150" in str(caught.value)


def test_depth_below_minimum_and_host_limit(pen: penlink.Pen) -> None:
    with pytest.raises(penlink.OutOfRangeError) as caught:
        pen.set_depth(um=-50)
    assert caught.value.limit == pytest.approx(0.0)
    pen.depth_limit_mm = 1.5
    assert pen.depth_limit_mm == pytest.approx(1.5)
    with pytest.raises(penlink.OutOfRangeError) as caught:
        pen.set_depth(mm=2.0)
    assert caught.value.limit == pytest.approx(1.5)
    pen.set_depth(mm=1.5)


def test_depth_needs_exactly_one_unit(pen: penlink.Pen) -> None:
    with pytest.raises(penlink.InvalidArgumentError):
        pen.set_depth()
    with pytest.raises(penlink.InvalidArgumentError):
        pen.set_depth(mm=1.0, um=1000)


def test_missing_add_on_is_not_supported() -> None:
    with penlink.connect("sim://?rf=0&led=0") as pen:
        assert not pen.capabilities.rf.fitted
        with pytest.raises(penlink.NotSupportedError) as caught:
            pen.set_rf(power_w=5.0)
        assert caught.value.code is penlink.ErrorCode.NOT_SUPPORTED
        with pytest.raises(penlink.NotSupportedError):
            pen.set_led(wavelength_nm=633, irradiance_mw_cm2=10.0)


def test_unfitted_wavelength_is_not_supported(pen: penlink.Pen) -> None:
    with pytest.raises(penlink.NotSupportedError) as caught:
        pen.set_led(wavelength_nm=500, irradiance_mw_cm2=10.0)
    assert "500 nm" in str(caught.value)


def test_start_without_cartridge_is_rejected() -> None:
    with penlink.connect("sim://?cartridge_id=0") as pen:
        with pytest.raises(penlink.RejectedError):
            pen.start()


def test_latched_fault_is_safety_error() -> None:
    with penlink.connect("sim://?fault_after_ms=50") as pen:
        from conftest import wait_for_status

        wait_for_status(pen, lambda s: bool(s.faults & penlink.Fault.INJECTED))
        with pytest.raises(penlink.SafetyError) as caught:
            pen.start()
        assert caught.value.code is penlink.ErrorCode.FAULT_ACTIVE


def test_commands_after_close_raise_connection_lost() -> None:
    pen = penlink.connect("sim://")
    pen.close()
    with pytest.raises(penlink.ConnectionLostError) as caught:
        pen.set_depth(mm=1.0)
    assert caught.value.code in (penlink.ErrorCode.NOT_CONNECTED, penlink.ErrorCode.CONNECTION_LOST)


def test_bad_mode_type_is_invalid_argument(pen: penlink.Pen) -> None:
    with pytest.raises(penlink.InvalidArgumentError):
        pen.set_rf(penlink.LedMode())  # type: ignore[arg-type]
