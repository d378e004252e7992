"""The value types of treatments (penlink.treatment re-exports every public one): device
classes, run states and outcomes, recipe steps, progress, step totals and run results, copied
out of the native proxies so nothing a user holds points into C++ memory."""

from __future__ import annotations

import dataclasses
import enum
import types
from typing import Any, Mapping, Optional, Tuple

from . import _checks
from .errors import InvalidArgumentError


class DeviceClass(enum.IntEnum):
    """Who the device is for, set by the app and never by a recipe."""

    PROFESSIONAL = 0
    AT_HOME = 1


class RunState(enum.IntEnum):
    """What a runner is doing."""

    NOT_STARTED = 0
    RUNNING = 1
    PAUSED = 2
    WAITING_FOR_OPERATOR = 3
    FINISHED = 4


class RunOutcome(enum.IntEnum):
    """How a run, or one of its steps, ended."""

    COMPLETED = 0
    ABORTED = 1
    FAILED = 2


class StepKind(enum.IntEnum):
    """Treat steps run the needle; pause steps wait for the operator."""

    TREAT = 0
    PAUSE = 1


_DEVICE_CLASS_TEXT = {DeviceClass.PROFESSIONAL: "professional", DeviceClass.AT_HOME: "at-home"}


def _device_class(value: Any) -> DeviceClass:
    if isinstance(value, str):
        for member, text in _DEVICE_CLASS_TEXT.items():
            if value == text:
                return member
        raise InvalidArgumentError(
            f"device class {value!r} is not 'professional' or 'at-home'")
    return _checks.member("device class", value, DeviceClass)


@dataclasses.dataclass(frozen=True)
class RecipeStep:
    """One step of a recipe: a Treat step over a zone, or a Pause for the operator."""

    kind: StepKind
    name: str
    zone: str
    depth_mm: float
    speed_hz: float
    duration_s: float
    passes: int
    pass_duration_s: float
    modules: Tuple[str, ...]
    message: str


@dataclasses.dataclass(frozen=True)
class RunProgress:
    """Progress of a run: the step, its zone, times and strokes."""

    state: RunState
    step: int
    step_count: int
    step_name: str
    zone: str
    current_pass: int
    passes: int
    step_elapsed_s: float
    step_duration_s: float
    run_elapsed_s: float
    time_left_s: float
    step_strokes: int
    total_strokes: int
    rf_energy_j: float
    led_dose_j_cm2: float
    #: Run-wide increase of every module telemetry channel ("rf.energy" in J, ...), read-only.
    module_totals: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: types.MappingProxyType({}), hash=False)


@dataclasses.dataclass(frozen=True)
class StepTotals:
    """What one step delivered."""

    index: int
    name: str
    zone: str
    started_s: float
    ended_s: float
    strokes: int
    depth_set_min_mm: float
    depth_set_max_mm: float
    depth_actual_min_mm: float
    depth_actual_max_mm: float
    rf_energy_j: float
    led_dose_j_cm2: float
    outcome: str
    #: The step's increase of every module telemetry channel ("rf.energy" in J, ...), read-only.
    module_totals: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: types.MappingProxyType({}), hash=False)


@dataclasses.dataclass(frozen=True)
class RunResult:
    """How a run ended: outcome, the step it stopped in (None if completed), why, per step."""

    outcome: RunOutcome
    step: Optional[int]
    reason: str
    steps: Tuple[StepTotals, ...]
    duration_s: float


def _progress(p: Any) -> RunProgress:
    return RunProgress(RunState(p.state), p.step, p.step_count, p.step_name, p.zone, p.current_pass,
                       p.passes, p.step_elapsed_s, p.step_duration_s, p.run_elapsed_s,
                       p.time_left_s, p.step_strokes, p.total_strokes, p.rf_energy_j,
                       p.led_dose_j_cm2, _module_totals(p.module_totals))


def _module_totals(totals: Any) -> Mapping[str, float]:
    return types.MappingProxyType({total.key: total.value for total in totals})


def _step(s: Any) -> RecipeStep:
    return RecipeStep(StepKind(s.kind), s.name, s.zone, s.depth_mm, s.speed_hz, s.duration_s,
                      s.passes, s.pass_duration_s, tuple(s.modules), s.message)


def _totals(t: Any) -> StepTotals:
    return StepTotals(t.index, t.name, t.zone, t.started_s, t.ended_s, t.strokes,
                      t.depth_set_min_mm, t.depth_set_max_mm, t.depth_actual_min_mm,
                      t.depth_actual_max_mm, t.rf_energy_j, t.led_dose_j_cm2, t.outcome,
                      _module_totals(t.module_totals))


def _result(r: Any) -> RunResult:
    return RunResult(RunOutcome(r.outcome), None if r.step < 0 else r.step, r.reason,
                     tuple(_totals(t) for t in r.steps), r.duration_s)
