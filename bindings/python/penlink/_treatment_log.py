"""The treatment log and cartridge ledger (docs/records.md; penlink.records re-exports every
public name): what treatment runs delivered, read from the SQLite file the runner writes
(TreatmentLog), and the session recording made during a run (TreatmentLog.recording_of)."""

from __future__ import annotations

import dataclasses
import enum
import os
from typing import Any, Dict, Mapping, Optional, Tuple

from . import _checks
from . import native as _native
from ._recordings import Recording, read_recording
from .errors import InvalidArgumentError
from .treatment import StepTotals


class RecordOutcome(str, enum.Enum):
    """How a logged run ended, as the log stores it."""

    RUNNING = "running"
    COMPLETED = "completed"
    ABORTED = "aborted"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@dataclasses.dataclass(frozen=True)
class LoggedRun:
    """A run in the treatment log: when, which pen, cartridge and recipe, how it ended."""

    id: int
    started_utc: str
    ended_utc: str
    pen_serial: str
    pen_model: str
    pen_firmware: str
    cartridge_id: str
    recipe_name: str
    recipe_hash: str
    device_class: str
    client_reference: str
    outcome: RecordOutcome
    failing_step: Optional[int]
    reason: str
    cartridge_override_reason: str
    steps: int
    #: The session recording made during the run, as the app named it; None if none was made.
    recording_path: Optional[str] = None
    #: The same file as an absolute path, resolved when it was recorded; None if none.
    recording_absolute_path: Optional[str] = None
    #: The recording's header start time, ms since 1970 (tells that file from a later one at
    #: the same path); None if none.
    recording_started_unix_ms: Optional[int] = None


@dataclasses.dataclass(frozen=True)
class LoggedStep:
    """One step of a logged run: its totals (as the runner reported them) and the totals of
    other modules by "module.key"."""

    totals: StepTotals
    module_totals: Mapping[str, float]


@dataclasses.dataclass(frozen=True)
class LoggedEvent:
    """Something that happened during a run: when (s since the run began), kind, text."""

    t_s: float
    kind: str
    text: str


@dataclasses.dataclass(frozen=True)
class RunReport:
    """One run in full: the run, its steps in order and its events in time order."""

    run: LoggedRun
    steps: Tuple[LoggedStep, ...]
    events: Tuple[LoggedEvent, ...]


@dataclasses.dataclass(frozen=True)
class CartridgeUse:
    """One use of a cartridge in the ledger."""

    cartridge_id: str
    run_id: int
    started_utc: str
    pen_serial: str
    outcome: RecordOutcome
    override_reason: str


def _run(r: Any) -> LoggedRun:
    return LoggedRun(r.id, r.started_utc, r.ended_utc, r.pen_serial, r.pen_model,
                     r.pen_firmware, r.cartridge_id, r.recipe_name, r.recipe_hash,
                     r.device_class, r.client_reference, RecordOutcome(r.outcome),
                     None if r.failing_step < 0 else r.failing_step, r.reason,
                     r.cartridge_override_reason, r.steps,
                     r.recording_path or None, r.recording_absolute_path or None,
                     r.recording_started_unix_ms if r.recording_path else None)


def _use(u: Any) -> CartridgeUse:
    return CartridgeUse(u.cartridge_id, u.run_id, u.started_utc, u.pen_serial,
                        RecordOutcome(u.outcome), u.override_reason)


class TreatmentLog:
    """The treatment log and cartridge ledger in a SQLite file, for reading (the runner
    writes it: Runner(..., record_db=...)). A context manager that closes the file on exit."""

    __slots__ = ("_native",)

    def __init__(self, native: Any) -> None:
        self._native = native

    @classmethod
    def open(cls, path: Any, *, create: bool = False, busy_timeout: float = 5.0
             ) -> "TreatmentLog":
        """Opens the log in path. A file that does not exist is a ConnectionError unless
        create; another SQLite file or a corrupt one an InvalidArgumentError; one written by a
        newer penlink a NotSupportedError. Runs left running by a process that died are marked
        interrupted (interrupted_at_open)."""
        return cls(_native.TreatmentLog.open(
            os.fspath(path), bool(create), _checks.seconds_to_ms("busy timeout", busy_timeout)))

    @property
    def path(self) -> str:
        """The file."""
        return self._native.path()

    def recent_runs(self, limit: int = 20) -> Tuple[LoggedRun, ...]:
        """The newest runs first, at most limit."""
        return tuple(_run(r) for r in self._native.recent_runs(
            _checks.integer("limit", limit, "runs", lowest=1, highest=2**31 - 1)))

    def report(self, run_id: int) -> RunReport:
        """One run with its steps and events; InvalidArgumentError if there is no such run."""
        native = self._native.report(_checks.integer("run id", run_id, "", lowest=1,
                                                     highest=2**63 - 1))
        module_totals: Dict[int, Dict[str, float]] = {}
        for total in native.module_totals:
            module_totals.setdefault(total.step, {})[total.key] = total.value
        steps = []
        for t in native.steps:
            totals = StepTotals(t.index, t.name, t.zone, t.started_s, t.ended_s, t.strokes,
                                t.depth_set_min_mm, t.depth_set_max_mm, t.depth_actual_min_mm,
                                t.depth_actual_max_mm, t.rf_energy_j, t.led_dose_j_cm2,
                                t.outcome)
            steps.append(LoggedStep(totals, dict(module_totals.get(t.index, {}))))
        events = tuple(LoggedEvent(e.t_s, e.kind, e.text) for e in native.events)
        return RunReport(_run(native.run), tuple(steps), events)

    def cartridge_ledger(self, limit: int = 50) -> Tuple[CartridgeUse, ...]:
        """Every use of every cartridge, the newest first, at most limit."""
        return tuple(_use(u) for u in self._native.cartridge_ledger(
            _checks.integer("limit", limit, "uses", lowest=1, highest=2**31 - 1)))

    def cartridge_uses(self, cartridge_id: Any) -> Tuple[CartridgeUse, ...]:
        """The uses of one cartridge (its id as text or a number), the newest first."""
        return tuple(_use(u) for u in self._native.cartridge_uses(str(cartridge_id)))

    def recording_of(self, run_id: int) -> Recording:
        """The session recording made during a run, read (read_recording) from the file the
        log names: its absolute path, else its path as given, relative to the log's folder.
        InvalidArgumentError naming the run and the paths tried if the run has no recording,
        the file is gone, or the file there is another recording (its header's start time
        differs from the one logged)."""
        run = self.report(run_id).run
        if run.recording_path is None:
            raise InvalidArgumentError(
                f"run {run.id} in {self.path!r} has no session recording (the pen was not "
                "recording when it ran)")
        given = os.fspath(run.recording_path)
        candidates = [run.recording_absolute_path or given,
                      os.path.join(os.path.dirname(os.path.abspath(self.path)), given)]
        tried = []
        for candidate in dict.fromkeys(candidates):
            tried.append(candidate)
            if not os.path.isfile(candidate):
                continue
            recording = read_recording(candidate, allow_truncated=True)
            if (run.recording_started_unix_ms
                    and recording.started_unix_ms != run.recording_started_unix_ms):
                raise InvalidArgumentError(
                    f"{candidate!r} is not run {run.id}'s recording: it started at "
                    f"{recording.started_unix_ms} ms, the run's at "
                    f"{run.recording_started_unix_ms} ms since 1970 (overwritten by a later "
                    "recording?)")
            return recording
        raise InvalidArgumentError(
            f"run {run.id}'s recording {given!r} is not there any more (tried "
            f"{', '.join(repr(t) for t in tried)})")

    @property
    def interrupted_at_open(self) -> Tuple[int, ...]:
        """Runs open() found left running by a process that died, now interrupted."""
        return tuple(self._native.interrupted_at_open(i)
                     for i in range(self._native.interrupted_at_open_count()))

    def close(self) -> None:
        """Closes the file; idempotent. Later calls raise InvalidArgumentError."""
        self._native.close()

    def __enter__(self) -> "TreatmentLog":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TreatmentLog({self.path!r})"
