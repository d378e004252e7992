"""Add-on modules from Python: descriptor parsing and value conversions (no pen needed), then a
module no penlink source knows, written here at test time, driven through sim://?module=FILE:
discovery, set, out-of-range refusal naming key and unit, atomic multi-set, get, telemetry.

The end-to-end tests skip (only) when the simulator does not know the `module` option yet."""

from __future__ import annotations

import gc
import json
import math
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import penlink
from penlink import _convert

from conftest import REPO, wait_for_status

EXAMPLE = REPO / "examples" / "modules" / "cooling_tip.json"

# A suction head: nothing in penlink's sources mentions it.
SUCTION = {
    "schema": "penlink.module/1",
    "key": "suction",
    "name": "VacuHead V2",
    "description": "A suction cup around the cartridge that lifts the skin.",
    "vendor": {"id": 4660, "name": "Test Vendor"},
    "model": {"id": 7},
    "parameters": [
        {"key": "enabled", "id": 32769, "type": "bool", "default": False},
        {"key": "pressure_kpa", "id": 32770, "type": "fixed", "unit": "kPa", "scale": 0.1,
         "min": 10.0, "max": 60.0, "step": 0.5, "default": 20.0,
         "description": "Vacuum to hold"},
        {"key": "pattern", "id": 32771, "type": "enum", "labels": ["steady", "pulse", "wave"],
         "default": "steady"},
        {"key": "runtime_s", "id": 32772, "type": "integer", "unit": "s", "min": 0,
         "max": 3600, "default": 0, "access": "read"},
    ],
    "telemetry": [
        {"key": "vacuum_kpa", "id": 128, "unit": "kPa", "scale": 0.01, "min": 0.0,
         "max": 100.0, "alarm_high": 70.0, "description": "Measured vacuum"},
    ],
    "interlocks": [
        {"key": "cartridge", "condition": "cartridge_fitted", "guards": ["enabled"],
         "description": "Suction only with a cartridge fitted"},
    ],
    "simulation": {
        "telemetry": {
            "vacuum_kpa": {"model": "first_order", "source": "pressure_kpa", "when": "enabled",
                           "idle": 0.0, "tau_s": 0.2},
        },
    },
}


# --- no pen needed -----------------------------------------------------------------------------

def test_parse_the_example_descriptor() -> None:
    descriptor = penlink.parse_module_descriptor(EXAMPLE.read_text())
    assert isinstance(descriptor, penlink.ModuleDescriptor)
    assert descriptor.key == "cooling" and descriptor.vendor_id == 19233
    assert [p.key for p in descriptor.parameters] == ["enabled", "setpoint_c", "fan", "hold_s"]
    setpoint = descriptor.parameter("setpoint_c")
    assert setpoint is not None
    assert setpoint.type is penlink.ParamType.FIXED
    assert (setpoint.unit, setpoint.min, setpoint.max, setpoint.step) == ("degC", 4.0, 20.0, 0.5)
    assert setpoint.default == 15.0 and setpoint.writable
    fan = descriptor.parameter("fan")
    assert fan is not None and fan.labels == ("quiet", "normal", "boost")
    assert fan.default == "normal"
    enabled = descriptor.parameter("enabled")
    assert enabled is not None and enabled.default is False
    hold = descriptor.parameter("hold_s")
    assert hold is not None and hold.access is penlink.ParamAccess.READ and not hold.writable
    assert all(p.safety is penlink.SafetyClass.NONE for p in descriptor.parameters)
    plate = descriptor.channel("plate_c")
    assert plate is not None and plate.unit == "degC" and plate.has_alarm_high
    assert plate.alarm_high == 42.0
    assert descriptor.interlocks[0].guards == ("enabled",)
    assert descriptor.parameter("nope") is None


def test_a_malformed_descriptor_is_refused_naming_the_field() -> None:
    broken = json.loads(json.dumps(SUCTION))
    broken["parameters"][1]["min"] = 70.0
    with pytest.raises(penlink.InvalidArgumentError) as error:
        penlink.parse_module_descriptor(json.dumps(broken))
    assert "pressure_kpa" in str(error.value) and "min" in str(error.value)

    missing = json.loads(json.dumps(SUCTION))
    del missing["parameters"][0]["type"]
    with pytest.raises(penlink.InvalidArgumentError, match="type"):
        penlink.parse_module_descriptor(json.dumps(missing))

    with pytest.raises(penlink.InvalidArgumentError):
        penlink.parse_module_descriptor("{not json")
    with pytest.raises(penlink.InvalidArgumentError, match="module descriptor"):
        penlink.parse_module_descriptor(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("value, kind", [(True, 0), (False, 0), (12.5, 1), (3, 1), ("boost", 2)])
def test_param_values_cross_as_bool_float_and_label(value: object, kind: int) -> None:
    native = _convert.to_param_value("cooling.x", value)
    assert penlink.native.param_kind(native) == kind
    back = _convert.from_param_value(native)
    assert back == value and type(back) is {0: bool, 1: float, 2: str}[kind]


@pytest.mark.parametrize("value", [None, [1], {"a": 1}, b"boost", 1j])
def test_a_value_of_no_parameter_kind_is_refused_naming_the_parameter(value: object) -> None:
    with pytest.raises(penlink.InvalidArgumentError, match=r"cooling\.setpoint_c"):
        _convert.to_param_value("cooling.setpoint_c", value)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_non_finite_number_is_refused_naming_the_parameter(value: float) -> None:
    with pytest.raises(penlink.InvalidArgumentError, match=r"cooling\.setpoint_c .* finite"):
        _convert.to_param_value("cooling.setpoint_c", value)


def test_status_carries_module_telemetry_fields() -> None:
    assert penlink.Status._fields[-2:] == ("telemetry_count", "telemetry")
    assert penlink.TelemetryReading._fields == ("slot", "channel", "raw")
    assert penlink.EventKind.MODULE_ATTACHED == 9 and penlink.EventKind.MODULE_DETACHED == 10


def _offline_module(descriptor_text: str, slot: int = 2) -> penlink.Module:
    info = penlink.native.ModuleInfo()
    info.slot = slot
    info.firmware_version = "1.2.3"
    info.descriptor = penlink.native.parse_module_descriptor(descriptor_text)
    return penlink.Module(None, info)  # type: ignore[arg-type]


def test_module_telemetry_reads_its_own_slot_and_channel() -> None:
    module = _offline_module(json.dumps(SUCTION), slot=2)
    readings = (penlink.TelemetryReading(1, 128, 9999), penlink.TelemetryReading(2, 128, 4250))
    base = penlink.Status(*([0] * 21))
    status = base._replace(telemetry_count=2, telemetry=readings)
    assert module.telemetry(status, "vacuum_kpa") == pytest.approx(42.5)
    assert module.telemetry(base, "vacuum_kpa") is None
    assert not module.telemetry_alarm(status, "vacuum_kpa")
    hot = base._replace(telemetry_count=1, telemetry=(penlink.TelemetryReading(2, 128, 7100),))
    assert module.telemetry_alarm(hot, "vacuum_kpa")
    with pytest.raises(penlink.InvalidArgumentError, match="vacuum_kpa"):
        module.telemetry(status, "pressure")
    assert module.selector == "suction@2" and list(module.params) == [
        "enabled", "pressure_kpa", "pattern", "runtime_s"]
    assert "pattern" in module.params and len(module.params) == 4


def test_connect_takes_module_paths(tmp_path: Path) -> None:
    with pytest.raises(penlink.InvalidArgumentError, match="module_paths"):
        penlink.connect("sim://", module_paths="/one/dir")
    with pytest.raises(penlink.InvalidArgumentError, match="module path"):
        penlink.connect("sim://", module_paths=[3])
    # Accepted: a list of str or path-like (connecting itself is the end-to-end tests' job).
    options = _convert.connect_options(
        module_paths=[tmp_path, str(tmp_path)], connect_timeout=1, command_timeout=0.3,
        command_retries=2, heartbeat_interval=0, link_timeout=0, idle_status_rate_hz=10,
        callback_queue_capacity=16)
    assert list(options.module_paths) == [str(tmp_path)] * 2


# --- against a simulated pen with the suction head ------------------------------------------

def _connect(directory: Path, options: str = "") -> penlink.Pen:
    descriptor = directory / "suction_head.json"
    descriptor.write_text(json.dumps(SUCTION))
    try:
        return penlink.connect(f"sim://?{options}module={descriptor}")
    except penlink.InvalidArgumentError as error:
        if "module" in str(error):
            pytest.skip(f"this simulator cannot host modules yet: {error}")
        raise


@pytest.fixture
def module_pen(tmp_path: Path) -> Iterator[penlink.Pen]:
    with _connect(tmp_path) as pen:
        yield pen


def test_discovery(module_pen: penlink.Pen) -> None:
    modules = module_pen.modules
    assert len(modules) == 1 and "suction" in modules and "cooling" not in modules
    assert list(modules) == ["suction"]
    suction = modules["suction"]
    assert suction.key == "suction" and suction.name == "VacuHead V2"
    assert suction.vendor_id == 4660 and suction.model_id == 7
    assert f"suction@{suction.slot}" in modules
    assert suction.descriptor.parameter("pressure_kpa").unit == "kPa"  # type: ignore[union-attr]
    assert module_pen.module("suction").slot == suction.slot
    with pytest.raises(penlink.NotSupportedError, match="suction"):
        module_pen.modules["cooling"]
    with pytest.raises(KeyError) as missing:
        module_pen.modules["cooling"]
    assert missing.value.code is penlink.ErrorCode.NOT_SUPPORTED
    with pytest.raises(penlink.NotSupportedError, match="suction"):
        module_pen.module("cooling")


def test_discovery_and_set_over_tcp(tmp_path: Path, sim_process: Callable[..., Any]) -> None:
    # The same module hosted by penlink-sim in its own process (--module FILE), over real TCP.
    descriptor = tmp_path / "suction_head.json"
    descriptor.write_text(json.dumps(SUCTION))
    with penlink.connect(sim_process("--tcp", "0", "--module", str(descriptor)).url) as pen:
        suction = pen.modules["suction"]
        assert suction.descriptor.channel("vacuum_kpa") is not None
        suction.set(pattern="pulse", pressure_kpa=25)
        assert pen.get_params("suction")["pressure_kpa"] == 25.0


def test_module_paths_find_a_descriptor_kept_off_the_pen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PENLINK_MODULE_PATH", raising=False)
    partner = tmp_path / "partner"
    partner.mkdir()
    (partner / "suction_head.json").write_text(json.dumps(SUCTION))
    url = f"sim://?module_store=0&module={partner / 'suction_head.json'}"
    with pytest.raises(penlink.NotSupportedError, match="module path"):
        penlink.connect(url).close()
    with penlink.connect(url, module_paths=[partner]) as pen:
        assert list(pen.modules) == ["suction"]
        assert pen.modules["suction"].descriptor.channel("vacuum_kpa") is not None


def test_set_and_get(module_pen: penlink.Pen) -> None:
    suction = module_pen.modules["suction"]
    assert suction.params["pressure_kpa"] == 20.0
    assert suction.params["pattern"] == "steady" and suction.params["enabled"] is False
    suction.params["pressure_kpa"] = 35.5
    assert suction.params["pressure_kpa"] == 35.5
    module_pen.set_param("suction", "pattern", "wave")
    assert module_pen.get_param("suction", "pattern") == "wave"
    assert suction.read_params() == {"enabled": False, "pressure_kpa": 35.5, "pattern": "wave",
                                     "runtime_s": 0.0}
    assert module_pen.get_params("suction")["pattern"] == "wave"


def test_out_of_range_names_the_key_and_the_unit(module_pen: penlink.Pen) -> None:
    suction = module_pen.modules["suction"]
    with pytest.raises(penlink.OutOfRangeError) as error:
        suction.params["pressure_kpa"] = 80
    assert "suction.pressure_kpa" in str(error.value) and "kPa" in str(error.value)
    assert (error.value.value, error.value.limit, error.value.unit) == (80.0, 60.0, "kPa")
    with pytest.raises(penlink.InvalidArgumentError, match=r"suction\.pattern"):
        suction.params["pattern"] = "vortex"
    with pytest.raises(penlink.InvalidArgumentError, match=r"suction\.enabled"):
        suction.params["enabled"] = "yes"
    with pytest.raises(penlink.PenError, match="runtime_s"):
        suction.params["runtime_s"] = 5
    with pytest.raises(penlink.InvalidArgumentError, match="nozzle"):
        suction.params["nozzle"] = 1.0
    assert suction.params["pressure_kpa"] == 20.0


def test_multi_set_is_atomic(module_pen: penlink.Pen) -> None:
    suction = module_pen.modules["suction"]
    suction.set(pattern="pulse", pressure_kpa=30)
    assert (suction.params["pattern"], suction.params["pressure_kpa"]) == ("pulse", 30.0)
    with pytest.raises(penlink.OutOfRangeError, match=r"suction\.pressure_kpa"):
        suction.params.update({"pattern": "wave", "pressure_kpa": 99})
    assert suction.params["pattern"] == "pulse"  # the good first value was not applied either
    with pytest.raises(penlink.OutOfRangeError, match=r"suction\.pressure_kpa"):
        module_pen.set_params("suction", {"pattern": "steady", "pressure_kpa": 5})
    assert suction.params["pattern"] == "pulse"


def test_a_refusal_by_the_pen_applies_nothing_either(tmp_path: Path) -> None:
    # Without a cartridge the pen's interlock refuses enabled=True: the whole request goes.
    with _connect(tmp_path, "cartridge_id=0&") as pen:
        suction = pen.modules["suction"]
        with pytest.raises(penlink.RejectedError) as error:
            suction.set(pattern="wave", enabled=True)
        assert "suction.enabled" in str(error.value) and "cartridge" in str(error.value)
        assert suction.read_params()["pattern"] == "steady"
        assert suction.descriptor.interlocks[0].guards == ("enabled",)


def test_a_module_keeps_its_pen_alive(tmp_path: Path) -> None:
    pen = _connect(tmp_path)
    suction = pen.modules["suction"]
    del pen
    gc.collect()
    suction.params["pattern"] = "wave"
    assert suction.params["pattern"] == "wave"
    suction.pen.close()
    with pytest.raises(penlink.ConnectionLostError):
        suction.params["pattern"]


def test_async_multi_set(module_pen: penlink.Pen) -> None:
    suction = module_pen.modules["suction"]
    assert suction.set_async(pattern="wave", pressure_kpa=40.5).result(timeout=5) is None
    assert suction.params["pressure_kpa"] == 40.5
    refused = module_pen.set_params_async("suction", {"pressure_kpa": 61})
    with pytest.raises(penlink.OutOfRangeError, match="kPa"):
        refused.result(timeout=5)
    bad = module_pen.set_params_async("suction", {"pressure_kpa": object()})
    with pytest.raises(penlink.InvalidArgumentError, match=r"suction\.pressure_kpa"):
        bad.result(timeout=5)


def test_telemetry_in_status(module_pen: penlink.Pen) -> None:
    suction = module_pen.modules["suction"]
    suction.set(enabled=True, pressure_kpa=30)
    status = wait_for_status(
        module_pen, lambda s: (suction.telemetry(s, "vacuum_kpa") or 0.0) > 25.0, timeout=10)
    assert status.telemetry_count == len(status.telemetry) >= 1
    assert all(isinstance(r, penlink.TelemetryReading) for r in status.telemetry)
    assert suction.telemetry(status, "vacuum_kpa") == pytest.approx(30.0, abs=5.0)


BAD_VALUES = [math.nan, math.inf, -math.inf, 1e308, -1e308, 2 ** 63, -(2 ** 63), 10 ** 400, -1,
              "1", None, b"1", [1], 1.5, 7, "yes", True, object()]


def test_every_bad_value_is_a_pen_error_naming_the_parameter(module_pen: penlink.Pen) -> None:
    suction = module_pen.modules["suction"]
    before = suction.read_params()
    setters = {
        "params[key] = v": lambda key, v: suction.params.__setitem__(key, v),
        "set(key=v)": lambda key, v: suction.set(**{key: v}),
        "set_param": lambda key, v: module_pen.set_param("suction", key, v),
        "set_params_async": lambda key, v: module_pen.set_params_async(
            "suction", {"pattern": "wave", key: v}).result(timeout=5),
    }
    escaped = {}
    for key in ("enabled", "pressure_kpa", "pattern", "runtime_s"):
        for value in BAD_VALUES:
            if key == "enabled" and value is True:
                continue  # a fine value
            for how, setter in setters.items():
                try:
                    setter(key, value)
                except penlink.PenError as error:
                    if f"suction.{key}" not in str(error):
                        escaped[f"{how} {key}={value!r}"] = f"does not name it: {error}"
                except BaseException as error:  # noqa: BLE001 - the point of the test
                    escaped[f"{how} {key}={value!r}"] = f"{type(error).__name__}: {error}"
                else:
                    escaped[f"{how} {key}={value!r}"] = "accepted"
    assert not escaped, "\n".join(f"{k}: {v}" for k, v in escaped.items())
    assert suction.read_params() == before
    for bad_key in (None, 3, b"pattern"):
        with pytest.raises(penlink.InvalidArgumentError):
            module_pen.set_params("suction", {bad_key: 1.0})
        with pytest.raises(penlink.InvalidArgumentError):
            module_pen.get_param("suction", bad_key)  # type: ignore[arg-type]
    for bad_values in (None, [("pattern", "wave")], "pattern"):
        with pytest.raises(penlink.InvalidArgumentError):
            module_pen.set_params("suction", bad_values)  # type: ignore[arg-type]
        with pytest.raises(penlink.InvalidArgumentError):
            module_pen.set_params_async("suction", bad_values).result(timeout=5)  # type: ignore[arg-type]
