"""Every public method refuses every bad argument with a PenError subclass that names the value:
never OverflowError, ValueError or TypeError from SWIG, never a silent truncation, and never a
command sent to the pen. The table is fed to each parameter of each public call in turn."""

from __future__ import annotations

import decimal
import math
from concurrent.futures import Future
from typing import Any, Callable, Dict, List, Tuple

import pytest

import penlink

NAN = math.nan
INF = math.inf

#: Bad for every parameter below (numbers, flags, enums, callbacks, text).
BAD_ANYWHERE: List[Any] = [NAN, INF, -INF, 1e308, -1e308, 2 ** 63, -(2 ** 63), 10 ** 400, -1,
                           "1", None, b"1", [1], 1.5]
#: Also bad for enums (RF polarity 0/1, log level 0..5) and flags.
BAD_POLARITY: List[Any] = BAD_ANYWHERE + [7, 2, True]
BAD_LEVEL: List[Any] = BAD_ANYWHERE + [7, 6, True]
BAD_FLAG: List[Any] = BAD_ANYWHERE + [7, 2, "yes"]
BAD_CALLBACK: List[Any] = [None, 1, "print", NAN]


#: Parameters where 1.5 is a fine value.
REAL_VALUED = ("(mm)", "(hz)", "depth_limit_mm", "(timeout)", "_timeout", "heartbeat_interval",
               "power_w", "irradiance_mw_cm2", "pulse_rate_hz", "duty_percent")


def _names_value(message: str, what: str, value: Any) -> bool:
    """Whether an error message shows the bad value in one of the ways people write it."""
    if value is None:
        return "None" in message
    shown = {str(value), repr(value)}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            shown |= {f"{float(value):g}", f"{float(value):.6g}", f"{float(value):.2f}"}
        except OverflowError:
            shown.add(format(decimal.Decimal(value), ".6g"))
    if what.endswith("(um)") and isinstance(value, int) and abs(value) < 10 ** 9:
        shown.add(f"{value / 1000:.3f} mm")  # micrometres are shown as millimetres
    return any(text in message for text in shown)


def _call(method: Callable[[], Any]) -> None:
    """Runs method; an _async method must not raise but fail its future the same way."""
    try:
        result = method()
    except BaseException as error:
        if "_async" in getattr(method, "__qualname__", "") or _in_async[0]:
            raise AssertionError(f"an _async call raised {error!r} instead of failing its "
                                 f"future") from error
        raise
    if isinstance(result, Future):
        result.result(timeout=5)


_in_async = [False]


def _cases(pen: penlink.Pen) -> List[Tuple[str, List[Any], Callable[[Any], Any]]]:
    """(what, bad values, call with that value)."""
    rf_pulsed = dict(power_w=5.0, frequency_khz=1500, pulse_ms=100)
    led_pulsed = dict(wavelength_nm=633, irradiance_mw_cm2=40.0, pulsed=True, pulse_rate_hz=10.0,
                      duty_percent=50.0)
    cases: List[Tuple[str, List[Any], Callable[[Any], Any]]] = [
        ("set_depth(mm)", BAD_ANYWHERE, lambda v: pen.set_depth(mm=v)),
        ("set_depth(um)", BAD_ANYWHERE, lambda v: pen.set_depth(um=v)),
        ("set_depth_async(mm)", BAD_ANYWHERE, lambda v: pen.set_depth_async(mm=v)),
        ("set_depth_async(um)", BAD_ANYWHERE, lambda v: pen.set_depth_async(um=v)),
        ("set_speed(hz)", BAD_ANYWHERE, lambda v: pen.set_speed(hz=v)),
        ("set_speed_async(hz)", BAD_ANYWHERE, lambda v: pen.set_speed_async(hz=v)),
        ("depth_limit_mm", BAD_ANYWHERE, lambda v: setattr(pen, "depth_limit_mm", v)),
        ("on_status(callback)", BAD_CALLBACK, lambda v: pen.on_status(v)),
        ("on_status(rate_hz)", BAD_ANYWHERE, lambda v: pen.on_status(print, rate_hz=v)),
        ("status(rate_hz)", BAD_ANYWHERE, lambda v: pen.status(rate_hz=v)),
        ("status(max_queue)", BAD_ANYWHERE, lambda v: pen.status(max_queue=v)),
        ("status(timeout)", BAD_ANYWHERE, lambda v: pen.status(timeout=v)),
        ("on_event(callback)", BAD_CALLBACK, lambda v: pen.on_event(v)),
        ("on_connection_state(callback)", BAD_CALLBACK, lambda v: pen.on_connection_state(v)),
        ("set_log_handler(handler)", BAD_CALLBACK[1:], lambda v: penlink.set_log_handler(v)),
        ("set_log_handler(level)", BAD_LEVEL,
         lambda v: penlink.set_log_handler(print, level=v)),
        ("log_to_logging(level)", [v for v in BAD_LEVEL if v is not None],
         lambda v: penlink.log_to_logging(level=v)),
        ("log_to_logging(logger_name)", [None, 1, NAN, b"x"],
         lambda v: penlink.log_to_logging(logger_name=v)),
        ("describe_faults", BAD_ANYWHERE + [2 ** 32], lambda v: penlink.describe_faults(v)),
        ("connect(url)", [None, 1, NAN, b"sim://", ["sim://"]], lambda v: penlink.connect(v)),
        ("set_rf(mode)", [None, 1, "on", penlink.LedMode.off()], lambda v: pen.set_rf(v or 0)),
        ("set_led(mode)", [1, "on", penlink.RfMode.off()], lambda v: pen.set_led(v)),
        ("set_rf(unknown field)", [1], lambda v: pen.set_rf(power=v)),
        ("set_led(unknown field)", [1], lambda v: pen.set_led(irradiance=v)),
    ]
    for name in ("connect_timeout", "command_timeout", "heartbeat_interval", "link_timeout",
                 "command_retries", "idle_status_rate_hz", "callback_queue_capacity"):
        values = [v for v in BAD_ANYWHERE if not (name == "command_timeout" and v == 1.5)]
        if name in ("connect_timeout", "command_timeout", "heartbeat_interval", "link_timeout"):
            values = [v for v in values if v != 1.5]
        cases.append((f"connect({name})", values,
                      lambda v, name=name: penlink.connect("sim://", **{name: v})))
    for field in ("enabled", "polarity", "frequency_khz", "power_w", "pulse_ms"):
        bad = (BAD_FLAG if field == "enabled" else BAD_POLARITY if field == "polarity" else
               BAD_ANYWHERE)
        for method in (pen.set_rf, pen.set_rf_async):
            cases.append((f"{method.__name__}({field})", bad,
                          lambda v, f=field, m=method: m(**{**rf_pulsed, f: v})))
        # A mode with a field of the wrong type cannot even be built; the pen's ranges are
        # checked when it is sent.
        cases.append((f"set_rf(RfMode({field}))", bad, lambda v, f=field: pen.set_rf(
            penlink.RfMode(**{"enabled": True, **rf_pulsed, f: v}))))
    for field in ("enabled", "wavelength_nm", "irradiance_mw_cm2", "pulsed", "pulse_rate_hz",
                  "duty_percent"):
        bad = BAD_FLAG if field in ("enabled", "pulsed") else BAD_ANYWHERE
        if field in ("pulse_rate_hz", "duty_percent", "irradiance_mw_cm2"):
            bad = [v for v in bad if v != 1.5]  # 1.5 Hz, 1.5 %, 1.5 mW/cm2 are fine values
        for method in (pen.set_led, pen.set_led_async):
            cases.append((f"{method.__name__}({field})", bad,
                          lambda v, f=field, m=method: m(**{**led_pulsed, f: v})))
        cases.append((f"set_led(LedMode({field}))", bad, lambda v, f=field: pen.set_led(
            penlink.LedMode(**{"enabled": True, **led_pulsed, f: v}))))
    return cases


def test_every_bad_argument_raises_a_pen_error_naming_the_value() -> None:
    try:
        _fuzz_every_public_call()
    finally:
        penlink.set_log_handler(None)


def _fuzz_every_public_call() -> None:
    with penlink.connect("sim://?rf=1&led=1") as pen:
        pen.set_depth(mm=1.0)
        escaped: Dict[str, str] = {}
        checked = 0
        for what, values, call in _cases(pen):
            for value in values:
                if value == 1.5 and any(name in what for name in REAL_VALUED):
                    continue  # a fine value for a real-valued parameter
                checked += 1
                label = f"{what} = {value!r}"
                _in_async[0] = "_async" in what
                try:
                    _call(lambda: call(value))
                except penlink.PenError as error:
                    if not _names_value(str(error), what, value) and not (
                            "callback" in what or "handler" in what or "(mode)" in what or
                            "unknown" in what):  # those name the type or the field instead
                        escaped[label] = f"{type(error).__name__} without the value: {error}"
                except BaseException as error:  # noqa: BLE001 - the point of the test
                    escaped[label] = f"{type(error).__name__}: {error}"
                else:
                    escaped[label] = "accepted"
        # Nothing bad reached the pen: the outputs it reports are still off.
        status = pen.latest_status
        if status is not None and (status.rf_enabled or status.led_enabled):
            escaped["outputs"] = f"switched on by a bad argument: {status}"
    assert checked > 300
    assert not escaped, "\n".join(f"{k}: {v}" for k, v in escaped.items())


@pytest.mark.parametrize("mm,expected", [(NAN, "depth nan mm is not a finite number"),
                                         (INF, "depth inf mm is not a finite number"),
                                         (-INF, "depth -inf mm is not a finite number")])
def test_non_finite_depth_is_invalid_argument(pen: penlink.Pen, mm: float, expected: str) -> None:
    with pytest.raises(penlink.InvalidArgumentError, match=expected):
        pen.set_depth(mm=mm)


def test_values_beyond_int32_are_out_of_range_naming_the_limit(pen: penlink.Pen) -> None:
    with pytest.raises(penlink.OutOfRangeError) as caught:
        pen.set_depth(mm=1e308)
    assert caught.value.unit == "mm" and caught.value.limit == pytest.approx(2147483.647)
    with pytest.raises(penlink.OutOfRangeError) as caught:
        pen.set_depth(um=2 ** 63)
    assert caught.value.limit == 2 ** 31 - 1 and "2147483647" in str(caught.value)


def test_rf_nan_power_and_undefined_polarity_switch_nothing_on() -> None:
    with penlink.connect("sim://?rf=1") as pen:
        with pytest.raises(penlink.InvalidArgumentError, match="RF power nan W"):
            pen.set_rf(power_w=NAN, frequency_khz=1500)
        with pytest.raises(penlink.InvalidArgumentError,
                           match=r"RF polarity 7 is not one of monopolar \(0\), bipolar \(1\)"):
            pen.set_rf(power_w=5, frequency_khz=1500, polarity=7)
        with pytest.raises(penlink.InvalidArgumentError, match="LED irradiance"):
            pen.set_led(irradiance_mw_cm2=NAN)
        status = pen.latest_status
        assert status is None or not status.rf_enabled
