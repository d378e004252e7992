"""Session recordings (docs/records.md; penlink.records re-exports every public name): read
one back decoded, frame by frame (read_recording, Recording), or record a pen's link from now
on (start_recording, Recorder).

Decoding happens in C++ (penlink::read_recording_timeline): this module only copies the
result into immutable Python values."""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Dict, List, Tuple

from . import native as _native
from .errors import InvalidArgumentError
from .types import Event, EventKind, Status


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
