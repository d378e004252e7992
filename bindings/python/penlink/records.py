"""Session recordings and the treatment log (docs/records.md) from Python.

Record a session, then read it back decoded, frame by frame:

    with penlink.connect("sim://", record_path="session.plrec") as pen:
        ...
    recording = penlink.records.read_recording("session.plrec")
    for s in recording.statuses:
        print(s.t_s, s.status.depth_actual_mm, s.rf_energy_j)
    columns = recording.series()          # {"t_s": [...], "depth_set_mm": [...], ...}

Read what treatment runs delivered, and the cartridge ledger:

    with penlink.records.TreatmentLog.open("clinic.db") as log:
        for run in log.recent_runs(10):
            print(run.id, run.recipe_name, run.outcome)
        report = log.report(run.id)

Decoding happens in C++ (penlink::read_recording_timeline): this module only copies the
result into immutable Python values. penlink.plot draws a recording.
"""

from __future__ import annotations

import dataclasses
import enum
import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

from . import _checks
from . import native as _native
from .errors import InvalidArgumentError
from .treatment import StepTotals
from .types import Event, EventKind, Status

__all__ = ["RecordingError", "RecordedStatus", "RecordedEvent", "RecordedCommand",
           "TelemetryChannel", "Recording", "read_recording", "Recorder", "start_recording",
           "RecordOutcome", "LoggedRun", "LoggedStep", "LoggedEvent", "RunReport",
           "CartridgeUse", "TreatmentLog", "SERIES_FIELDS"]


class RecordingError(InvalidArgumentError):
    """A recording file that is cut short or breaks the format after its header: path is the
    file, offset the byte where reading stopped. (A file that is not a recording at all is an
    InvalidArgumentError, a newer format a NotSupportedError.)"""

    def __init__(self, message: str, path: str, offset: int) -> None:
        super().__init__(message)
        self.path = path
        self.offset = offset


@dataclasses.dataclass(frozen=True)
class RecordedStatus:
    """One Status frame of a recording: when it came (s since the recording started), the
    frame, and the RF energy (J) and LED dose (J/cm2) delivered since the recording started,
    built-in add-ons and rf/led modules together."""

    t_s: float
    status: Status
    rf_energy_j: float
    led_dose_j_cm2: float


@dataclasses.dataclass(frozen=True)
class RecordedEvent:
    """One Event frame of a recording and when it came (s since the recording started)."""

    t_s: float
    event: Event


@dataclasses.dataclass(frozen=True)
class RecordedCommand:
    """One request the host sent: when (s), its type ("SetDepth") and the type with its value
    ("SetDepth 1.500 mm"). Heartbeats and resends are left out."""

    t_s: float
    type: str
    text: str


@dataclasses.dataclass(frozen=True)
class TelemetryChannel:
    """A module telemetry channel named by a descriptor the recording holds: readings of this
    slot and channel are raw * scale in unit."""

    slot: int
    channel: int
    module: str
    key: str
    unit: str
    scale: float


#: The columns Recording.series() gives, in order: time, then Status fields, then the running
#: RF energy and LED dose since the recording started.
SERIES_FIELDS: Tuple[str, ...] = (
    "t_s", "depth_set_mm", "depth_actual_mm", "speed_set_hz", "speed_actual_hz",
    "temperature_c", "battery_percent", "state", "fault_bits", "rf_energy_j",
    "led_dose_j_cm2")

_STATUS_COLUMNS = SERIES_FIELDS[1:9]


class Recording:
    """A session recording read back and decoded (read_recording): its statuses, events and
    commands in time order, and what the file says about itself."""

    __slots__ = ("path", "description", "started_unix_ms", "duration_s", "statuses", "events",
                 "commands", "channels", "undecodable_frames", "sealed_frames", "warning",
                 "warning_offset")

    def __init__(self, native: Any) -> None:
        #: The file read.
        self.path: str = native.path()
        #: What was recorded: the URL and the link.
        self.description: str = native.description()
        #: Wall-clock time the recording started, ms since 1970.
        self.started_unix_ms: int = native.started_unix_ms()
        #: From the start to the last whole record, s.
        self.duration_s: float = native.duration_s()
        statuses = []
        for i in range(native.status_count()):
            statuses.append(RecordedStatus(native.status_time_s(i), native.status(i),
                                           native.status_rf_energy_j(i),
                                           native.status_led_dose_j_cm2(i)))
        #: Every Status frame, in time order.
        self.statuses: Tuple[RecordedStatus, ...] = tuple(statuses)
        events = []
        for i in range(native.event_count()):
            e = native.event(i)
            try:
                kind: Any = EventKind(e.kind)
            except ValueError:
                kind = e.kind
            events.append(RecordedEvent(e.t_s, Event(kind, e.detail, e.device_time_ms)))
        #: Every Event frame, in time order.
        self.events: Tuple[RecordedEvent, ...] = tuple(events)
        commands = []
        for i in range(native.command_count()):
            c = native.command(i)
            commands.append(RecordedCommand(c.t_s, c.type, c.text))
        #: Every request the host sent, in time order.
        self.commands: Tuple[RecordedCommand, ...] = tuple(commands)
        #: Module telemetry channels the recorded descriptors name.
        self.channels: Tuple[TelemetryChannel, ...] = tuple(
            TelemetryChannel(c.slot, c.channel, c.module, c.key, c.unit, c.scale)
            for c in native.channels())
        #: Frames that were not valid (line noise).
        self.undecodable_frames: int = native.undecodable_frames()
        #: Frames of an authenticated session (not decoded).
        self.sealed_frames: int = native.sealed_frames()
        #: Empty, or why reading stopped before the end of the file.
        self.warning: str = native.warning()
        #: The byte where reading stopped when warning is set, else 0.
        self.warning_offset: int = native.warning_offset()

    def series(self) -> Dict[str, List[Any]]:
        """The statuses as columns, one list per name in SERIES_FIELDS (state as PenState,
        fault_bits as int), for plotting or analysis."""
        columns: Dict[str, List[Any]] = {name: [] for name in SERIES_FIELDS}
        for s in self.statuses:
            columns["t_s"].append(s.t_s)
            for name in _STATUS_COLUMNS:
                columns[name].append(getattr(s.status, name))
            columns["rf_energy_j"].append(s.rf_energy_j)
            columns["led_dose_j_cm2"].append(s.led_dose_j_cm2)
        return columns

    def telemetry(self, module: str, key: str) -> List[Tuple[float, float]]:
        """(t_s, value in the channel's unit) of one module channel, e.g. ("rf", "energy"), for
        every status that carries it; InvalidArgumentError if no recorded descriptor names it
        (self.channels lists those that do)."""
        channel = next((c for c in self.channels if (c.module, c.key) == (module, key)), None)
        if channel is None:
            known = ", ".join(f"{c.module}.{c.key}" for c in self.channels) or "none"
            raise InvalidArgumentError(
                f"the recording {self.path!r} names no telemetry channel {module}.{key} "
                f"(it names: {known})")
        values = []
        for s in self.statuses:
            for reading in s.status.telemetry:
                if reading.slot == channel.slot and reading.channel == channel.channel:
                    values.append((s.t_s, reading.raw * channel.scale))
                    break
        return values

    def __repr__(self) -> str:
        return (f"Recording({self.path!r}, {self.duration_s:.3f} s, {len(self.statuses)} "
                f"statuses, {len(self.events)} events, {len(self.commands)} commands)")


def read_recording(path: Any, *, allow_truncated: bool = False) -> Recording:
    """Reads and decodes a session recording (docs/records.md). A file cut short or broken
    after its header raises RecordingError naming the file and the byte where it stopped;
    with allow_truncated=True, what came before is returned and warning says why it stopped.
    InvalidArgumentError if the file cannot be read or is not a penlink recording,
    NotSupportedError if its format is newer than this penlink reads."""
    name = os.fspath(path)
    if not isinstance(name, str):
        raise InvalidArgumentError(f"recording path {path!r} is not a text path")
    native = _native.RecordingTimeline.read(name)
    if native.warning() and not allow_truncated:
        raise RecordingError(
            f"recording {name!r} stops at byte {native.warning_offset()}: {native.warning()} "
            "(read_recording(..., allow_truncated=True) returns what came before)",
            name, native.warning_offset())
    return Recording(native)


class Recorder:
    """A recording in progress (start_recording or Pen.start_recording); a context manager
    that stops it on exit. Keeps its pen open while it lives."""

    __slots__ = ("_native",)

    def __init__(self, native: Any) -> None:
        self._native = native

    @property
    def active(self) -> bool:
        """True until stop()."""
        return self._native.active()

    @property
    def path(self) -> str:
        """The file written."""
        return self._native.path()

    @property
    def frames(self) -> int:
        """Frames recorded so far, both directions."""
        return self._native.frames()

    @property
    def bytes_written(self) -> int:
        """Bytes written to the file so far (buffered bytes not yet)."""
        return self._native.bytes_written()

    def stop(self) -> None:
        """Writes out what is buffered and closes the file; idempotent. InvalidArgumentError
        naming the file if a write failed (a full disk)."""
        self._native.stop()

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Recorder({self.path!r}, active={self.active}, frames={self.frames})"


def start_recording(pen: Any, path: Any) -> Recorder:
    """Records every frame of pen's link from now on into path (Pen.start_recording). Such a
    recording has no handshake, so replay:// cannot play it; connect(..., record_path=...)
    records a whole session. InvalidArgumentError naming the file being written if the pen is
    already recording."""
    return Recorder(_native.Recorder.start(pen._native, os.fspath(path)))


# --- the treatment log --------------------------------------------------------------------------


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
