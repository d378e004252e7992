"""Treatment recipes (docs/treatments.md): load a recipe, validate it against the zone chart,
the device class and a pen, and run it on a pen with progress.

    recipe = penlink.treatment.load_recipe("examples/recipes/acne-scars.json")
    report = recipe.validate(device_class="at-home")
    for violation in report.violations:
        print(violation.field, violation.value, violation.limit, violation.unit)

    with penlink.connect("sim://") as pen:
        result = pen.run_recipe(recipe, on_progress=lambda p: print(p.step, p.time_left_s))
        assert result.outcome is penlink.RunOutcome.COMPLETED

Progress callbacks run on the runner's own thread, one at a time; they may call pause(),
resume(), skip() and abort() but not wait(). Whatever a callback raises is reported through
the log handler (penlink.set_log_handler) and the run goes on. A RunObserver
(penlink.run_observer) passed as observer= is told of each step's start, totals and events
and of the result, under the same rules.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from typing import Any, Callable, Optional, Tuple

from . import _checks, _listeners
from . import native as _native
from ._run_values import (_DEVICE_CLASS_TEXT, DeviceClass, RecipeStep, RunOutcome, RunProgress,
                          RunResult, RunState, StepKind, StepTotals, _device_class, _progress,
                          _result, _step)
from .errors import InvalidArgumentError, RejectedError
from .run_observer import RunInfo, RunObserver, _observer

__all__ = ["DeviceClass", "RunState", "RunOutcome", "StepKind", "RecipeStep", "Violation",
           "ValidationReport", "Recipe", "load_recipe", "parse_recipe", "RunProgress",
           "StepTotals", "RunResult", "Runner", "RunInfo", "RunObserver"]


def _options(device_class: Any, at_home_depth_cap_mm: float, zone_chart: Optional[str],
             depth_limit_mm: Optional[float] = None) -> Any:
    options = _native.TreatmentOptions()
    options.device_class = _DEVICE_CLASS_TEXT[_device_class(device_class)]
    options.at_home_depth_cap_mm = _checks.real("at-home depth cap", at_home_depth_cap_mm, "mm")
    if zone_chart is not None:
        options.zone_chart_path = os.fspath(zone_chart)
    if depth_limit_mm is not None:
        limit = _checks.real("depth limit", depth_limit_mm, "mm")
        if limit <= 0:
            raise InvalidArgumentError(f"depth limit {limit} mm must be > 0")
        options.depth_limit_mm = limit
    return options


@dataclasses.dataclass(frozen=True)
class Violation:
    """One thing a recipe may not do: the step, the field, its value, the limit and the unit."""

    step: int
    field: str
    value: str
    limit: str
    unit: str
    message: str


@dataclasses.dataclass(frozen=True)
class ValidationReport:
    """Every violation found at once, plus notes that do not stop a run."""

    violations: Tuple[Violation, ...]
    notes: Tuple[str, ...]
    text: str

    @property
    def ok(self) -> bool:
        """True if the recipe may run (no violation)."""
        return not self.violations

    def __str__(self) -> str:
        return self.text


def _report(native: Any) -> ValidationReport:
    return ValidationReport(
        tuple(Violation(v.step, v.field, v.value, v.limit, v.unit, v.message)
              for v in native.violations),
        tuple(native.notes), native.text)


class Recipe:
    """A parsed recipe (schema penlink.recipe/1). Make one with load_recipe or parse_recipe."""

    __slots__ = ("_native",)

    def __init__(self, native: Any) -> None:
        if not isinstance(native, _native.Recipe):
            raise TypeError("use penlink.treatment.load_recipe() or parse_recipe()")
        self._native = native

    @property
    def name(self) -> str:
        """The recipe's name, for people."""
        return self._native.name()

    @property
    def concern(self) -> str:
        """What it treats, e.g. "acne-scars"; may be empty."""
        return self._native.concern()

    @property
    def description(self) -> str:
        """A description for people; may be empty."""
        return self._native.description()

    @property
    def source(self) -> str:
        """The JSON text the recipe was parsed from."""
        return self._native.source()

    @property
    def total_duration_s(self) -> float:
        """Needle time of all Treat steps, s."""
        return self._native.total_duration_s()

    @property
    def steps(self) -> Tuple[RecipeStep, ...]:
        """Every step, in order."""
        return tuple(_step(self._native.step(index))
                     for index in range(self._native.step_count()))

    def validate(self, pen: Any = None, device_class: Any = "professional", *,
                 at_home_depth_cap_mm: float = 0.25, zone_chart: Optional[str] = None,
                 depth_limit_mm: Optional[float] = None) -> ValidationReport:
        """Checks every step against the zone chart (the standard one, or the file zone_chart),
        the device class ("professional" / "at-home" or a DeviceClass) and, with a pen, its
        depth limit, ranges and fitted modules (offline: depth_limit_mm if given). Never raises
        for a bad recipe: the report lists every violation."""
        options = _options(device_class, at_home_depth_cap_mm, zone_chart,
                           None if pen is not None else depth_limit_mm)
        if pen is None:
            return _report(self._native.validate(options))
        return _report(self._native.validate_on(pen._native, options))

    def __repr__(self) -> str:
        return f"Recipe({self.name!r}, {self._native.step_count()} steps)"


def load_recipe(path: Any) -> Recipe:
    """Reads and parses a recipe file; InvalidArgumentError naming the file and the place."""
    return Recipe(_native.Recipe.load(os.fspath(path)))


def parse_recipe(text: str) -> Recipe:
    """Parses a recipe from JSON text; InvalidArgumentError naming the place."""
    return Recipe(_native.Recipe.parse(_checks.text("recipe", text)))


class _ProgressListener(_native.ProgressListener):
    def __init__(self, function: Callable[[RunProgress], Any]) -> None:
        super().__init__()
        self._function = function

    def on_progress(self, progress: Any) -> None:
        try:
            self._function(_progress(progress))
        except BaseException:  # noqa: BLE001 - a bug in user code must not end the run thread
            _listeners._report("progress", self._function)


def _record_options(options: Any, record_db: Optional[Any], client_reference: str,
                    reuse_cartridge: str) -> None:
    if record_db is None:
        if client_reference or reuse_cartridge:
            raise InvalidArgumentError("client_reference and reuse_cartridge are stored with "
                                       "the run in the treatment log: give record_db too")
        return
    options.record_db_path = _checks.text("record_db", os.fspath(record_db))
    options.client_reference = _checks.text("client_reference", client_reference)
    options.cartridge_override_reason = _checks.text("reuse_cartridge", reuse_cartridge)


class Runner:
    """Runs one recipe on one pen, once; a context manager that aborts a run still going on
    exit. Keeps the pen open while it lives.

    record_db: write the run into the treatment log in this file (created if need be;
    docs/records.md) as it happens: the cartridge is claimed before anything moves (a
    cartridge a finished run used fails the run there, unless reuse_cartridge gives the
    reason, which is stored), then every step, event and the outcome. client_reference is the
    app's opaque reference to its client, stored with the run (never a name). run_id names the
    run in the log; penlink.records.TreatmentLog reads it back.

    observer: a RunObserver told of the run's start, each step's start and totals, every
    event and the result, on the runner's thread (penlink.run_observer)."""

    __slots__ = ("_native", "_listener", "_observer", "_lock")

    def __init__(self, pen: Any, recipe: Recipe, *, device_class: Any = "professional",
                 at_home_depth_cap_mm: float = 0.25, zone_chart: Optional[str] = None,
                 on_progress: Optional[Callable[[RunProgress], Any]] = None,
                 progress_interval_s: float = 0.2, record_db: Optional[Any] = None,
                 client_reference: str = "", reuse_cartridge: str = "",
                 observer: Optional[RunObserver] = None) -> None:
        if not isinstance(recipe, Recipe):
            raise InvalidArgumentError(f"recipe {recipe!r} is not a penlink.treatment.Recipe")
        options = _options(device_class, at_home_depth_cap_mm, zone_chart)
        _record_options(options, record_db, client_reference, reuse_cartridge)
        options.progress_interval_ms = _checks.seconds_to_ms("progress interval",
                                                             progress_interval_s)
        self._listener = (None if on_progress is None else
                          _ProgressListener(_checks.callback("on_progress", on_progress)))
        self._observer = _observer(observer)
        self._lock = threading.Lock()
        self._native = _native.Runner(pen._native, recipe._native, options, self._listener,
                                      self._observer)

    def _runner(self) -> Any:
        native = self._native
        if native is None:
            raise RejectedError("the runner is closed")
        return native

    def start(self) -> "Runner":
        """Validates the recipe against the pen and starts the run; InvalidArgumentError lists
        every violation, SafetyError if the pen is in a fault or e-stop."""
        self._runner().start()
        return self

    @property
    def validation(self) -> ValidationReport:
        """The report of start()'s validation (empty before start())."""
        return _report(self._runner().validation())

    def pause(self) -> None:
        """Stops the needle and outputs, keeping the step's place. Between two steps it holds
        the next treat step paused before its needle starts (docs/treatments.md, "Pause and
        resume")."""
        self._runner().pause()

    def resume(self) -> None:
        """Resumes after pause(), or continues a Pause step; cancels a pause not applied yet;
        between two steps it is kept for a Pause step that follows; otherwise ignored
        (docs/treatments.md, "Pause and resume")."""
        self._runner().resume()

    def skip(self) -> None:
        """Ends the current step and goes on with the next."""
        self._runner().skip()

    def abort(self, reason: str = "aborted by the app") -> None:
        """Ends the run with everything off; outcome ABORTED with reason."""
        self._runner().abort(_checks.text("reason", reason))

    @property
    def run_id(self) -> Optional[int]:
        """The run's id in the treatment log (record_db) once it claimed its cartridge there;
        None before, without record_db, or if the log refused the cartridge."""
        run = self._runner().run_id()
        return run if run > 0 else None

    @property
    def state(self) -> RunState:
        """What the runner is doing now."""
        return RunState(self._runner().state())

    def wait(self, timeout: Optional[float] = None) -> RunResult:
        """Blocks until the run ends (TimeoutError after timeout seconds) and returns its
        result. Not from a progress callback."""
        if timeout is None:
            return _result(self._runner().wait_until_done())
        return _result(self._runner().wait_ms(_checks.seconds_to_ms("timeout", timeout)))

    def close(self) -> None:
        """Aborts a run still going, waits for everything to be off and releases the runner."""
        with self._lock:
            native, self._native = self._native, None
        if native is None:
            return
        if RunState(native.state()) not in (RunState.NOT_STARTED, RunState.FINISHED):
            native.abort("the runner was closed")
            # Inside its own progress callback the run cannot end while we wait: the native
            # runner then finishes switching off on another thread.
            if not native.on_own_thread():
                native.wait_until_done()
        del native

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def run_recipe(pen: Any, recipe: Recipe, *, on_progress: Optional[Callable[[RunProgress], Any]]
               = None, device_class: Any = "professional", at_home_depth_cap_mm: float = 0.25,
               zone_chart: Optional[str] = None, timeout: Optional[float] = None,
               record_db: Optional[Any] = None, client_reference: str = "",
               reuse_cartridge: str = "", observer: Optional[RunObserver] = None) -> RunResult:
    """Runs recipe on pen to its end and returns the result (see Runner, also for record_db,
    client_reference, reuse_cartridge and observer)."""
    with Runner(pen, recipe, device_class=device_class,
                at_home_depth_cap_mm=at_home_depth_cap_mm, zone_chart=zone_chart,
                on_progress=on_progress, record_db=record_db,
                client_reference=client_reference,
                reuse_cartridge=reuse_cartridge, observer=observer) as runner:
        runner.start()
        return runner.wait(timeout)
