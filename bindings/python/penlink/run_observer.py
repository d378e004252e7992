"""Following a treatment run step by step (docs/treatments.md, "Observing a run").

Subclass RunObserver, override the methods you need and pass an instance to
penlink.treatment.Runner(..., observer=obj) or run_recipe(..., observer=obj):

    class Log(penlink.treatment.RunObserver):
        def step_finished(self, totals):
            print(totals.name, totals.strokes, totals.depth_actual_max_mm)

        def event(self, t_s, kind, text):
            print(f"{t_s:6.1f} s {kind}: {text}")

Every method runs on the runner's own thread, one call at a time, in the order the run
happens: run_started, then per step step_started, any events and step_finished, then
run_finished once everything is off. A method may call the runner's pause(), resume(), skip()
and abort() but not wait(). Whatever a method raises is reported through the log handler
(penlink.set_log_handler) with its traceback, and the run goes on. The runner keeps the
observer referenced while it lives.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Optional

from . import _listeners
from . import native as _native
from ._run_values import (DeviceClass, RecipeStep, RunResult, StepTotals, _device_class, _result,
                          _step, _totals)
from .errors import InvalidArgumentError

__all__ = ["RunInfo", "RunObserver"]


@dataclasses.dataclass(frozen=True)
class RunInfo:
    """The run about to start: the recipe, the device class, the zone chart and the pen."""

    recipe_name: str
    #: The recipe's JSON text, e.g. to hash and store with the run.
    recipe_source: str
    step_count: int
    #: The needle time of the recipe's Treat steps, s.
    planned_duration_s: float
    device_class: DeviceClass
    zone_chart: str
    pen_model: str
    pen_serial: str
    pen_firmware: str
    #: The cartridge fitted at start; 0 if the pen does not say.
    cartridge_id: int


class RunObserver:
    """Told how a run goes, on the runner's thread; every method does nothing until
    overridden (see the module docstring for the order and the thread rules)."""

    def run_started(self, info: RunInfo) -> None:
        """Before the first step."""

    def step_started(self, index: int, step: RecipeStep, t_s: float) -> None:
        """As step index begins (before its depth is set), t_s seconds into the run."""

    def step_finished(self, totals: StepTotals) -> None:
        """As a step ends, with what it delivered (strokes, depths, energy, outcome)."""

    def event(self, t_s: float, kind: str, text: str) -> None:
        """Something worth recording: kind is "pause", "resume", "skip", "abort", "fault",
        "estop", "link", "cartridge", "operator", "pass", "outputs-off" or "warning"."""

    def run_finished(self, result: RunResult) -> None:
        """After everything is off, with the result."""


def _info(i: Any) -> RunInfo:
    return RunInfo(i.recipe_name, i.recipe_source, i.step_count, i.planned_duration_s,
                   _device_class(i.device_class), i.zone_chart, i.pen_model, i.pen_serial,
                   i.pen_firmware, i.cartridge_id)


class _RunListener(_native.RunListener):
    """Hands the native RunListener's calls to the app's RunObserver as Python values."""

    def __init__(self, observer: RunObserver) -> None:
        super().__init__()
        self._observer = observer

    def _tell(self, name: str, *args: Any) -> None:
        method = getattr(self._observer, name)
        try:
            method(*args)
        except BaseException:  # noqa: BLE001 - a bug in user code must not end the run thread
            _listeners._report(f"run observer {name}", method)

    def run_started(self, info: Any) -> None:
        self._tell("run_started", _info(info))

    def step_started(self, index: int, step: Any, t_s: float) -> None:
        self._tell("step_started", index, _step(step), t_s)

    def step_finished(self, totals: Any) -> None:
        self._tell("step_finished", _totals(totals))

    def event(self, t_s: float, kind: str, text: str) -> None:
        self._tell("event", t_s, kind, text)

    def run_finished(self, result: Any) -> None:
        self._tell("run_finished", _result(result))


def _observer(observer: Any) -> Optional[_RunListener]:
    if observer is None:
        return None
    if not isinstance(observer, RunObserver):
        raise InvalidArgumentError(f"observer {observer!r} is not a penlink.treatment."
                                   f"RunObserver (got {type(observer).__name__}); subclass it")
    return _RunListener(observer)
