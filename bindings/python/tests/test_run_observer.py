"""The run observer from Python (penlink.treatment.RunObserver) against a real penlink-sim
process over TCP and sim:// with modules: run_started once, step_started / step_finished for
every step in order with real totals, skip and abort events, run_finished with the outcome,
all on the runner's thread; a raising observer is reported through the log handler while the
run still ends with everything off; the treatment record and the observer are both told."""

from __future__ import annotations

import gc
import json
import threading
from typing import Any, Callable, List, Tuple

import pytest

import penlink
from penlink import treatment

from conftest import REPO, wait_for_status

RF_MODULE = REPO / "modules" / "rf.json"
LAXITY = REPO / "examples" / "recipes" / "laxity-rf.json"

THREE_STEPS = json.dumps({
    "schema": "penlink.recipe/1", "name": "three zones",
    "steps": [
        {"name": "Cheek", "zone": "cheek", "depth_mm": 1.0, "speed_hz": 120, "duration_s": 0.6},
        {"name": "Forehead", "zone": "forehead", "depth_mm": 0.5, "speed_hz": 100,
         "duration_s": 0.6},
        {"name": "Chin", "zone": "chin", "depth_mm": 0.8, "speed_hz": 100, "duration_s": 0.6},
    ]})


class Recording(treatment.RunObserver):
    """Keeps every call with the thread it came on."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, Any]] = []
        self.threads: set = set()
        self.finished = threading.Event()

    def _note(self, name: str, value: Any) -> None:
        self.threads.add(threading.get_ident())
        self.calls.append((name, value))

    def run_started(self, info: treatment.RunInfo) -> None:
        self._note("run_started", info)

    def step_started(self, index: int, step: treatment.RecipeStep, t_s: float) -> None:
        self._note("step_started", (index, step, t_s))

    def step_finished(self, totals: treatment.StepTotals) -> None:
        self._note("step_finished", totals)

    def event(self, t_s: float, kind: str, text: str) -> None:
        self._note("event", (t_s, kind, text))

    def run_finished(self, result: treatment.RunResult) -> None:
        self._note("run_finished", result)
        self.finished.set()

    def of(self, name: str) -> List[Any]:
        return [value for called, value in self.calls if called == name]


@pytest.fixture
def tcp_pen(sim_process: Callable[..., Any]):
    """A pen on a penlink-sim process over TCP 127.0.0.1."""
    with penlink.connect(sim_process("--tcp", "0").url) as pen:
        yield pen


def test_the_observer_follows_every_step_in_order_with_real_totals(tcp_pen) -> None:
    observer = Recording()
    recipe = treatment.parse_recipe(THREE_STEPS)
    result = tcp_pen.run_recipe(recipe, observer=observer, timeout=60)
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason

    names = [name for name, _ in observer.calls if name != "event"]
    assert names == ["run_started"] + ["step_started", "step_finished"] * 3 + ["run_finished"]
    (info,) = observer.of("run_started")
    assert (info.recipe_name, info.step_count) == ("three zones", 3)
    assert info.device_class is penlink.DeviceClass.PROFESSIONAL
    assert info.pen_serial and json.loads(info.recipe_source)["name"] == "three zones"

    started = observer.of("step_started")
    assert [index for index, _, _ in started] == [0, 1, 2]
    assert [step.zone for _, step, _ in started] == ["cheek", "forehead", "chin"]
    assert [t for _, _, t in started] == sorted(t for _, _, t in started)

    finished = observer.of("step_finished")
    assert [t.index for t in finished] == [0, 1, 2]
    for totals, step in zip(finished, recipe.steps):
        assert totals.outcome == "completed" and totals.strokes > 0, totals
        # The measured depth reached the step's and never went past it.
        assert totals.depth_actual_max_mm == pytest.approx(step.depth_mm, abs=0.05), totals
        assert totals.ended_s > totals.started_s
    (told,) = observer.of("run_finished")
    assert told == result  # the observer's result is the one wait() returns
    # Called off the caller's thread: on the runner's own, always the same one.
    assert threading.get_ident() not in observer.threads and len(observer.threads) == 1


def test_a_skip_from_step_started_ends_that_step_with_a_skip_event(tcp_pen) -> None:
    class SkipForehead(Recording):
        def step_started(self, index: int, step: treatment.RecipeStep, t_s: float) -> None:
            super().step_started(index, step, t_s)
            if step.zone == "forehead":
                runner.skip()

    observer = SkipForehead()
    with treatment.Runner(tcp_pen, treatment.parse_recipe(THREE_STEPS),
                          observer=observer) as runner:
        runner.start()
        result = runner.wait(timeout=60)
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    assert [t.outcome for t in observer.of("step_finished")] == ["completed", "skipped",
                                                                "completed"]
    skips = [text for _, kind, text in observer.of("event") if kind == "skip"]
    assert len(skips) == 1 and "Forehead" in skips[0], observer.of("event")
    assert observer.of("step_finished")[1].strokes == 0


def test_an_abort_from_step_finished_ends_the_run_with_an_abort_event(tcp_pen) -> None:
    class AbortAfterFirst(Recording):
        def step_finished(self, totals: treatment.StepTotals) -> None:
            super().step_finished(totals)
            if totals.index == 0:
                runner.abort("operator pressed stop")

    observer = AbortAfterFirst()
    with treatment.Runner(tcp_pen, treatment.parse_recipe(THREE_STEPS),
                          observer=observer) as runner:
        runner.start()
        result = runner.wait(timeout=60)
    assert result.outcome is penlink.RunOutcome.ABORTED
    assert result.reason == "operator pressed stop"
    kinds = [kind for _, kind, _ in observer.of("event")]
    assert "abort" in kinds, kinds
    (told,) = observer.of("run_finished")
    assert told.outcome is penlink.RunOutcome.ABORTED and told.reason == result.reason
    assert observer.calls[-1][0] == "run_finished"
    wait_for_status(tcp_pen, lambda s: s.state != penlink.PenState.RUNNING)


def test_a_raising_observer_is_reported_and_the_run_still_ends(tcp_pen) -> None:
    class Broken(Recording):
        def step_finished(self, totals: treatment.StepTotals) -> None:
            super().step_finished(totals)
            raise RuntimeError("bug in the app's observer")

    messages: List[str] = []
    penlink.set_log_handler(lambda level, message: messages.append(message))
    try:
        observer = Broken()
        result = tcp_pen.run_recipe(treatment.parse_recipe(THREE_STEPS), observer=observer,
                                    timeout=60)
    finally:
        penlink.set_log_handler(None)
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    # Every step still reached the observer, and each raise was reported with its traceback.
    assert len(observer.of("step_finished")) == 3 and observer.finished.is_set()
    reported = [m for m in messages if "run observer step_finished" in m]
    assert len(reported) == 3, messages
    assert "RuntimeError: bug in the app's observer" in reported[0]
    wait_for_status(tcp_pen, lambda s: s.state != penlink.PenState.RUNNING)


def test_step_totals_carry_module_totals() -> None:
    observer = Recording()
    with penlink.connect(f"sim://?rf=0&module={RF_MODULE}") as pen:
        result = pen.run_recipe(penlink.load_recipe(LAXITY), observer=observer, timeout=60)
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    finished = observer.of("step_finished")
    assert finished and all(t.module_totals.get("rf.energy", 0.0) > 0 for t in finished)
    assert [t.module_totals for t in finished] == [t.module_totals for t in result.steps]
    started = observer.of("step_started")
    assert all("rf" in step.modules for _, step, _ in started), started


def test_the_treatment_record_and_the_observer_are_both_told(tcp_pen, tmp_path) -> None:
    observer = Recording()
    db = tmp_path / "treatments.db"
    with treatment.Runner(tcp_pen, treatment.parse_recipe(THREE_STEPS), observer=observer,
                          record_db=db) as runner:
        runner.start()
        result = runner.wait(timeout=60)
        run_id = runner.run_id
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    assert run_id is not None and len(observer.of("step_finished")) == 3
    with penlink.TreatmentLog.open(db) as log:
        stored = log.report(run_id)
    assert ([s.totals.strokes for s in stored.steps]
            == [t.strokes for t in observer.of("step_finished")])
    assert [e.kind for e in stored.events] == [kind for _, kind, _ in observer.of("event")]


def test_an_observer_that_is_not_a_run_observer_is_refused(pen: penlink.Pen) -> None:
    with pytest.raises(penlink.InvalidArgumentError, match="RunObserver"):
        treatment.Runner(pen, treatment.parse_recipe(THREE_STEPS), observer=print)


def test_a_runner_released_inside_its_own_observer_does_not_deadlock(tcp_pen) -> None:
    holder = {}
    released = threading.Event()

    class Release(treatment.RunObserver):
        def step_started(self, index: int, step: treatment.RecipeStep, t_s: float) -> None:
            if holder.pop("runner", None) is not None:
                gc.collect()  # the last reference goes here, on the runner's own thread
                released.set()

    holder["runner"] = treatment.Runner(tcp_pen, treatment.parse_recipe(THREE_STEPS),
                                        observer=Release())
    holder["runner"].start()
    assert released.wait(10)
    # The released runner aborted the run and switched everything off on another thread.
    wait_for_status(tcp_pen, lambda s: s.state != penlink.PenState.RUNNING)


def test_a_runner_closed_inside_its_own_observer_stops_the_run(tcp_pen) -> None:
    closed = threading.Event()

    class Close(treatment.RunObserver):
        def step_finished(self, totals: treatment.StepTotals) -> None:
            if not closed.is_set():
                runner.close()  # wait() is refused here: close hands the join to a thread
                closed.set()

    runner = treatment.Runner(tcp_pen, treatment.parse_recipe(THREE_STEPS), observer=Close())
    runner.start()
    assert closed.wait(10)
    with pytest.raises(penlink.RejectedError, match="closed"):
        runner.state
    wait_for_status(tcp_pen, lambda s: s.state != penlink.PenState.RUNNING)


def test_a_pause_and_resume_reach_the_observer_as_events(tcp_pen) -> None:
    paused = threading.Event()

    class PauseForehead(Recording):
        def step_started(self, index: int, step: treatment.RecipeStep, t_s: float) -> None:
            super().step_started(index, step, t_s)
            if step.zone == "forehead":
                runner.pause()

        def event(self, t_s: float, kind: str, text: str) -> None:
            super().event(t_s, kind, text)
            if kind == "pause":
                paused.set()

    observer = PauseForehead()
    with treatment.Runner(tcp_pen, treatment.parse_recipe(THREE_STEPS),
                          observer=observer) as runner:
        runner.start()
        assert paused.wait(20), observer.of("event")
        assert runner.state is penlink.RunState.PAUSED
        runner.resume()
        result = runner.wait(timeout=60)
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    kinds = [kind for _, kind, _ in observer.of("event")]
    assert kinds.index("pause") < kinds.index("resume"), kinds
    assert [t.outcome for t in observer.of("step_finished")] == ["completed"] * 3
