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
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotations: treatment imports this module
    from .treatment import DeviceClass, RecipeStep, RunResult, StepTotals

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
    device_class: "DeviceClass"
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

    def step_started(self, index: int, step: "RecipeStep", t_s: float) -> None:
        """As step index begins (before its depth is set), t_s seconds into the run."""

    def step_finished(self, totals: "StepTotals") -> None:
        """As a step ends, with what it delivered (strokes, depths, energy, outcome)."""

    def event(self, t_s: float, kind: str, text: str) -> None:
        """Something worth recording: kind is "pause", "resume", "skip", "abort", "fault",
        "estop", "link", "cartridge", "operator", "pass", "outputs-off" or "warning"."""

    def run_finished(self, result: "RunResult") -> None:
        """After everything is off, with the result."""
