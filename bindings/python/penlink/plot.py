"""Plots of a recorded session (docs/records.md, "Plotting a session"): depth set and
actual, speed set and actual, handpiece temperature, RF energy and LED dose delivered, over
time, with step boundaries and faults marked, to PNG or SVG.

    import penlink.plot
    penlink.plot.plot_session("session.plrec", "session.png")

    # Step boundaries named after the recipe's steps, from the treatment log:
    with penlink.TreatmentLog.open("clinic.db") as log:
        penlink.plot.plot_session("session.plrec", "session.svg", run=log.report(7))

    # Or straight from the treatment log, which names the run's recording:
    penlink.plot.plot_run("clinic.db", 7, "run7.png")

From a shell: `penlink-plot session.plrec session.png [--db clinic.db --run 7]`,
`penlink-plot clinic.db --run 7 run7.png`, or `python -m penlink.plot ...`.

Needs matplotlib, an optional extra: `pip install penlink[plot]`. It is imported only when a
plot is drawn, and drawn with the Agg renderer on a Figure of its own, so neither pyplot's
global state nor the application's chosen backend is touched.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path
from typing import Any, List, Optional, Sequence, Tuple

from .errors import InvalidArgumentError, PenError
from .records import Recording, RunReport, TreatmentLog, read_recording
from .types import EventKind, Fault

__all__ = ["plot_session", "plot_run", "main", "FORMATS", "MISSING_MATPLOTLIB"]

#: File extensions plot_session writes, and the format each one means.
FORMATS = {".png": "png", ".svg": "svg"}

#: What plot_session says when matplotlib is not installed.
MISSING_MATPLOTLIB = ("penlink.plot needs matplotlib, an optional extra of penlink: "
                      "pip install penlink[plot]")

_FAULT_EVENTS = (EventKind.FAULT_RAISED, EventKind.EMERGENCY_STOPPED,
                 EventKind.WATCHDOG_EXPIRED)


def _matplotlib() -> Tuple[Any, Any]:
    """The Figure class and the Agg canvas; ImportError naming the extra if absent."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(MISSING_MATPLOTLIB) from error
    return Figure, FigureCanvasAgg


def _utc_seconds(text: str) -> Optional[float]:
    """Seconds since 1970 of an ISO 8601 UTC time as the treatment log writes it."""
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.timestamp()


def _step_marks(recording: Recording, run: Optional[RunReport]
                ) -> List[Tuple[float, str]]:
    """(time on the recording's clock, label) of each step start, and the end of the last.

    With a run from the treatment log, its steps (their times count from the run's start,
    placed on the recording by the two wall clocks); otherwise each Start command the host
    sent, since a step starts the needle."""
    if run is not None:
        run_start = _utc_seconds(run.run.started_utc)
        if run_start is not None:
            offset = run_start - recording.started_unix_ms / 1000.0
            marks = [(offset + s.totals.started_s, f"{s.totals.index + 1}. {s.totals.name}")
                     for s in run.steps]
            if run.steps:
                marks.append((offset + run.steps[-1].totals.ended_s, "end"))
            return [(t, label) for t, label in marks if 0.0 <= t <= recording.duration_s + 1]
    return [(c.t_s, "start") for c in recording.commands if c.type == "Start"]


def _fault_spans(times: Sequence[float], fault_bits: Sequence[int]
                 ) -> List[Tuple[float, float, int]]:
    """(from, to, bits) of every stretch of statuses with a fault latched."""
    spans: List[Tuple[float, float, int]] = []
    begin: Optional[float] = None
    bits = 0
    for t, b in zip(times, fault_bits):
        if b and begin is None:
            begin, bits = t, b
        elif b:
            bits |= b
        elif begin is not None:
            spans.append((begin, t, bits))
            begin = None
    if begin is not None and times:
        spans.append((begin, times[-1], bits))
    return spans


def _fault_name(bits: int) -> str:
    names = [f.name.lower().replace("_", "-") for f in Fault if f and bits & f]
    return ", ".join(names) or f"0x{bits:x}"


def _event_label(kind: Any, detail: int) -> str:
    if kind is EventKind.FAULT_RAISED:
        return "fault: " + _fault_name(1 << detail if detail < 32 else 0)
    if kind is EventKind.EMERGENCY_STOPPED:
        return "emergency stop"
    return "watchdog expired"


def plot_session(source: Any, out_path: Any, *, run: Optional[RunReport] = None,
                 title: Optional[str] = None, width_in: float = 10.0, dpi: int = 100) -> Path:
    """Draws a recorded session to out_path, PNG or SVG by its extension, and returns it.

    source is a recording file (read with read_recording: a file cut short raises
    RecordingError) or a Recording already read. Five panels share the time axis (seconds
    since the recording started): depth set and actual (mm), speed set and actual (Hz),
    temperature (C), RF energy (J) and LED dose (J/cm2) delivered since the recording started,
    built-in add-ons and rf/led modules together. Step boundaries are dotted vertical lines:
    the steps of run (a RunReport from TreatmentLog.report) by name when given, else each
    Start command. Faults are red: shaded while a status reports one latched, a line where
    a fault, emergency-stop or watchdog event came. In SVG, text stays text and the marks have
    ids (step-N, fault-span-N, fault-event-N), so the file can be searched.

    ImportError (pip install penlink[plot]) without matplotlib; InvalidArgumentError for an
    extension other than .png or .svg, a recording without status frames, or a bad size."""
    out = Path(os.fspath(out_path))
    file_format = FORMATS.get(out.suffix.lower())
    if file_format is None:
        raise InvalidArgumentError(
            f"plot file {str(out)!r} has extension {out.suffix!r}; penlink.plot writes "
            f"{' or '.join(FORMATS)}")
    if not (2.0 <= width_in <= 100.0):
        raise InvalidArgumentError(f"plot width {width_in} in is outside 2..100 in")
    if not (20 <= dpi <= 1200):
        raise InvalidArgumentError(f"plot resolution {dpi} dpi is outside 20..1200 dpi")
    recording = source if isinstance(source, Recording) else read_recording(source)
    if not recording.statuses:
        raise InvalidArgumentError(
            f"the recording {recording.path!r} holds no status frames to plot (was status "
            "streaming on?)")
    Figure, FigureCanvasAgg = _matplotlib()
    import matplotlib

    series = recording.series()
    t = series["t_s"]
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "penlink"}):
        figure = Figure(figsize=(width_in, 11.0), dpi=dpi, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(5, 1, sharex=True)
        depth, speed, temperature, rf, led = axes
        depth.step(t, series["depth_set_mm"], where="post", label="set", color="tab:blue")
        depth.plot(t, series["depth_actual_mm"], label="actual", color="tab:orange")
        depth.set_ylabel("depth (mm)")
        speed.step(t, series["speed_set_hz"], where="post", label="set", color="tab:blue")
        speed.plot(t, series["speed_actual_hz"], label="actual", color="tab:orange")
        speed.set_ylabel("speed (Hz)")
        temperature.plot(t, series["temperature_c"], color="tab:red")
        temperature.set_ylabel("temperature (°C)")
        rf.plot(t, series["rf_energy_j"], color="tab:purple")
        rf.set_ylabel("RF energy (J)")
        led.plot(t, series["led_dose_j_cm2"], color="tab:green")
        led.set_ylabel("LED dose (J/cm²)")
        led.set_xlabel("time since the recording started (s)")
        for a in axes:
            a.grid(True, alpha=0.3)

        for i, (when, label) in enumerate(_step_marks(recording, run)):
            for a in axes:
                a.axvline(when, color="0.35", linestyle=":", linewidth=1.0, gid=f"step-{i}")
            depth.annotate(label, (when, 1.0), xycoords=("data", "axes fraction"),
                           xytext=(2, -2), textcoords="offset points", va="top",
                           fontsize=7, rotation=90, color="0.25")

        for i, (begin, end, bits) in enumerate(_fault_spans(t, series["fault_bits"])):
            for a in axes:
                a.axvspan(begin, end, color="tab:red", alpha=0.15, linewidth=0,
                          gid=f"fault-span-{i}")
            # Late in the session the label goes to the left of the span, inside the axes.
            late = begin > (t[0] + t[-1]) / 2
            temperature.annotate("fault: " + _fault_name(bits), (begin, 0.0),
                                 xycoords=("data", "axes fraction"),
                                 xytext=(-2 if late else 2, 2), textcoords="offset points",
                                 ha="right" if late else "left", fontsize=7, color="tab:red")
        faults = [e for e in recording.events if e.event.kind in _FAULT_EVENTS]
        for i, e in enumerate(faults):
            for a in axes:
                a.axvline(e.t_s, color="tab:red", linewidth=1.2, gid=f"fault-event-{i}")
            speed.annotate(_event_label(e.event.kind, e.event.detail), (e.t_s, 1.0),
                           xycoords=("data", "axes fraction"), xytext=(2, -2),
                           textcoords="offset points", va="top", fontsize=7, rotation=90,
                           color="tab:red")

        depth.legend(loc="upper right", fontsize=8)
        speed.legend(loc="upper right", fontsize=8)
        started = datetime.datetime.fromtimestamp(recording.started_unix_ms / 1000.0,
                                                  tz=datetime.timezone.utc)
        heading = title if title is not None else (
            f"{recording.description}\nrecorded {started:%Y-%m-%d %H:%M:%S} UTC, "
            f"{recording.duration_s:.1f} s"
            + (f", run {run.run.id}: {run.run.recipe_name} ({run.run.outcome.value})"
               if run is not None else ""))
        figure.suptitle(heading, fontsize=10)
        out.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(out, format=file_format, metadata=(
            {"Date": None} if file_format == "svg" else None))
    return out


def plot_run(log_path: Any, run_id: int, out_path: Any, *, title: Optional[str] = None,
             width_in: float = 10.0, dpi: int = 100) -> Path:
    """Draws a run of the treatment log in log_path from the session recording the log names
    for it (TreatmentLog.recording_of), its steps marked by name, to out_path (PNG or SVG, as
    plot_session). InvalidArgumentError if the run does not exist, has no recording, or its
    recording is gone or was overwritten; ConnectionError if log_path does not exist."""
    with TreatmentLog.open(log_path) as log:
        report = log.report(run_id)
        recording = log.recording_of(run_id)
    return plot_session(recording, out_path, run=report, title=title, width_in=width_in,
                        dpi=dpi)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """penlink-plot RECORDING OUT [--db FILE --run ID] [--title T], or penlink-plot DB --run
    ID OUT: draws a recorded session (see plot_session), or a logged run from the recording
    its log names (see plot_run); 0 on success, 1 with the reason on stderr otherwise."""
    parser = argparse.ArgumentParser(
        prog="penlink-plot",
        description="Plot a recorded penlink session (depth, speed, temperature, RF energy, "
                    "LED dose over time, steps and faults marked) to PNG or SVG.")
    parser.add_argument("recording",
                        help="a session recording (.plrec), or a treatment log with --run "
                             "and no --db: the run's recording is the one the log names")
    parser.add_argument("out", help="the image to write: .png or .svg")
    parser.add_argument("--db", help="treatment log to name the steps from (with --run)")
    parser.add_argument("--run", type=int, help="the run's id in --db (or in the log given)")
    parser.add_argument("--title", help="a title instead of the recording's description")
    arguments = parser.parse_args(argv)
    if arguments.db is not None and arguments.run is None:
        parser.error("--db needs --run")
    try:
        if arguments.run is not None and arguments.db is None:
            out = plot_run(arguments.recording, arguments.run, arguments.out,
                           title=arguments.title)
        else:
            report = None
            if arguments.db is not None:
                with TreatmentLog.open(arguments.db) as log:
                    report = log.report(arguments.run)
            out = plot_session(arguments.recording, arguments.out, run=report,
                               title=arguments.title)
    except (PenError, ImportError, OSError) as error:
        print(f"penlink-plot: {error}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
