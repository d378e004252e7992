"""Treatment recipes from Python: the example recipes validate, a bad recipe's report names
step, field, value, limit and unit, the at-home class is refused energy and depth, and
acne-scars runs to completion on sim:// (an in-process simulated pen) with progress, or is
aborted part way."""

from __future__ import annotations

import gc
import inspect
import json
import threading
from typing import List

import pytest

import penlink
from penlink import treatment

from conftest import REPO, wait_for_status

RECIPES = REPO / "examples" / "recipes"
ACNE = RECIPES / "acne-scars.json"


@pytest.mark.parametrize("path", sorted(RECIPES.glob("*.json")), ids=lambda p: p.name)
def test_every_example_recipe_validates(path) -> None:
    recipe = penlink.load_recipe(path)
    assert recipe.name
    assert recipe.steps and recipe.total_duration_s > 0
    report = recipe.validate()
    assert report.ok, str(report)


def test_the_recipe_reads_back_its_steps() -> None:
    recipe = penlink.load_recipe(ACNE)
    steps = recipe.steps
    assert [s.zone for s in steps] == ["cheek", "forehead", "cheek", "chin"]
    assert steps[0].depth_mm == pytest.approx(1.5)
    assert steps[0].kind is treatment.StepKind.TREAT
    assert recipe.total_duration_s == pytest.approx(8.0)
    assert json.loads(recipe.source)["concern"] == "acne-scars"


def test_a_report_lists_every_violation_with_field_value_limit_and_unit() -> None:
    recipe = penlink.treatment.parse_recipe(json.dumps({
        "schema": "penlink.recipe/1", "name": "too deep",
        "steps": [
            {"name": "Eyes", "zone": "periorbital", "depth_mm": 1.0, "speed_hz": 100,
             "duration_s": 1},
            {"name": "Moon", "zone": "moon", "depth_mm": 0.5, "speed_hz": 100,
             "duration_s": 1},
        ]}))
    report = recipe.validate()
    assert not report.ok
    depth = [v for v in report.violations if v.field == "steps[0].depth_mm"]
    assert depth, str(report)
    assert (depth[0].step, depth[0].unit) == (0, "mm")
    assert float(depth[0].value) == pytest.approx(1.0)
    assert float(depth[0].limit) == pytest.approx(0.3)
    assert "periorbital" in depth[0].message
    assert any(v.step == 1 and "moon" in v.message for v in report.violations), str(report)
    assert "steps[0].depth_mm" in str(report)


def test_the_at_home_class_refuses_depth_and_energy() -> None:
    recipe = penlink.load_recipe(RECIPES / "laxity-rf.json")
    report = recipe.validate(device_class=penlink.DeviceClass.AT_HOME)
    assert not report.ok
    fields = [v.field for v in report.violations]
    assert any(f.endswith("depth_mm") for f in fields), fields
    assert any(".rf" in f or "modules" in f for f in fields), fields
    capped = [v for v in report.violations if v.field.endswith("depth_mm")]
    assert float(capped[0].limit) == pytest.approx(0.25) and capped[0].unit == "mm"
    # The cap is the app's to set, never the recipe's.
    looser = recipe.validate(device_class="at-home", at_home_depth_cap_mm=2.0)
    assert not any(v.field.endswith("depth_mm") for v in looser.violations)


def test_the_at_home_class_refuses_to_run_on_a_pen(pen: penlink.Pen) -> None:
    recipe = penlink.load_recipe(ACNE)
    with treatment.Runner(pen, recipe, device_class="at-home") as runner:
        with pytest.raises(penlink.InvalidArgumentError, match="depth_mm"):
            runner.start()
        assert not runner.validation.ok
        assert runner.state is penlink.RunState.NOT_STARTED


def test_bad_input_is_refused_with_a_clear_error(tmp_path) -> None:
    with pytest.raises(penlink.InvalidArgumentError, match="nowhere.json"):
        penlink.load_recipe(tmp_path / "nowhere.json")
    with pytest.raises(penlink.InvalidArgumentError, match="depth_mm"):
        treatment.parse_recipe(json.dumps({
            "schema": "penlink.recipe/1", "name": "x",
            "steps": [{"name": "a", "zone": "cheek", "depth_mm": -0.5, "speed_hz": 100,
                       "duration_s": 1}]}))
    recipe = penlink.load_recipe(ACNE)
    with pytest.raises(penlink.InvalidArgumentError, match="kitchen"):
        recipe.validate(device_class="kitchen")


def test_validation_against_a_pen_uses_its_depth_limit(pen: penlink.Pen) -> None:
    pen.depth_limit_mm = 1.0
    report = penlink.load_recipe(ACNE).validate(pen)
    over = [v for v in report.violations if v.field.endswith("depth_mm")]
    assert {v.step for v in over} == {0, 2}, str(report)
    assert all(float(v.limit) == pytest.approx(1.0) and v.unit == "mm" for v in over)


def test_acne_scars_runs_to_completion_on_sim_with_progress(pen: penlink.Pen) -> None:
    progress: List[treatment.RunProgress] = []
    result = pen.run_recipe(penlink.load_recipe(ACNE), on_progress=progress.append,
                            timeout=60)
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    assert result.step is None and result.reason == ""
    assert [t.zone for t in result.steps] == ["cheek", "forehead", "cheek", "chin"]
    assert all(t.outcome == "completed" and t.strokes > 0 for t in result.steps)
    # The depth never exceeded the zone's cap, measured.
    assert result.steps[1].depth_actual_max_mm <= 0.5 + 0.02
    assert progress, "no progress reported"
    assert {p.zone for p in progress} >= {"cheek", "forehead", "chin"}
    assert {p.step for p in progress} == {0, 1, 2, 3}
    assert progress[-1].total_strokes >= progress[0].total_strokes
    assert all(p.step_count == 4 for p in progress)
    assert min(p.time_left_s for p in progress) < 2.0


def test_a_run_is_aborted_from_a_progress_callback(pen: penlink.Pen) -> None:
    def on_progress(progress: treatment.RunProgress) -> None:
        if progress.step == 1:
            runner.abort("operator pressed stop")

    runner = treatment.Runner(pen, penlink.load_recipe(ACNE), on_progress=on_progress)
    with runner:
        runner.start()
        result = runner.wait(timeout=60)
        assert runner.state is penlink.RunState.FINISHED
    assert result.outcome is penlink.RunOutcome.ABORTED
    assert result.step == 1 and result.reason == "operator pressed stop"
    assert result.steps[-1].outcome == "aborted"
    # Everything is off once the result is in.
    wait_for_status(pen, lambda s: s.state != penlink.PenState.RUNNING)


def test_closing_a_runner_mid_run_aborts_it(pen: penlink.Pen) -> None:
    started = threading.Event()
    with treatment.Runner(pen, penlink.load_recipe(ACNE),
                          on_progress=lambda p: started.set()) as runner:
        runner.start()
        assert started.wait(10)
        assert runner.state in (penlink.RunState.RUNNING, penlink.RunState.PAUSED)
    with pytest.raises(penlink.RejectedError, match="closed"):
        runner.wait()


def test_a_raising_progress_callback_does_not_stop_the_run(pen: penlink.Pen) -> None:
    def broken(progress: treatment.RunProgress) -> None:
        raise RuntimeError("bug in the app")

    recipe = treatment.parse_recipe(json.dumps({
        "schema": "penlink.recipe/1", "name": "short",
        "steps": [{"name": "a", "zone": "cheek", "depth_mm": 0.5, "speed_hz": 100,
                   "duration_s": 0.5}]}))
    result = pen.run_recipe(recipe, on_progress=broken, timeout=30)
    assert result.outcome is penlink.RunOutcome.COMPLETED


def test_every_public_name_of_the_treatment_module_has_a_docstring() -> None:
    missing = []
    for name in treatment.__all__:
        obj = getattr(treatment, name)
        if not (inspect.getdoc(obj) or "").strip():
            missing.append(name)
        if inspect.isclass(obj):
            for attribute, value in vars(obj).items():
                if attribute.startswith("_"):
                    continue
                if inspect.isfunction(value) or isinstance(value, property):
                    doc = value.__doc__ if isinstance(value, property) else inspect.getdoc(value)
                    if not (doc or "").strip():
                        missing.append(f"{name}.{attribute}")
    assert not missing, missing


def test_a_runner_dropped_mid_run_aborts_it_with_everything_off(pen: penlink.Pen) -> None:
    started = threading.Event()
    runner = treatment.Runner(pen, penlink.load_recipe(ACNE),
                              on_progress=lambda p: started.set())
    runner.start()
    assert started.wait(10)
    del runner
    gc.collect()
    # Destruction aborted the run and switched everything off before returning.
    wait_for_status(pen, lambda s: s.state != penlink.PenState.RUNNING)


def test_a_runner_released_inside_its_own_callback_does_not_deadlock(pen: penlink.Pen) -> None:
    holder = {}
    released = threading.Event()

    def on_progress(progress: treatment.RunProgress) -> None:
        if holder.pop("runner", None) is not None:
            gc.collect()  # the last reference goes here, on the runner's own thread
            released.set()

    holder["runner"] = treatment.Runner(pen, penlink.load_recipe(ACNE), on_progress=on_progress)
    holder["runner"].start()
    assert released.wait(10)
    wait_for_status(pen, lambda s: s.state != penlink.PenState.RUNNING)


def test_a_runner_closed_inside_its_own_callback_stops_the_run(pen: penlink.Pen) -> None:
    closed = threading.Event()

    def on_progress(progress: treatment.RunProgress) -> None:
        if not closed.is_set():
            runner.close()
            closed.set()

    runner = treatment.Runner(pen, penlink.load_recipe(ACNE), on_progress=on_progress)
    runner.start()
    assert closed.wait(10)
    with pytest.raises(penlink.RejectedError, match="closed"):
        runner.state
    wait_for_status(pen, lambda s: s.state != penlink.PenState.RUNNING)
