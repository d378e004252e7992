"""penlink.plot draws a real recorded session: penlink-sim over TCP raises an over-temperature
fault part way through a recorded, logged run; the plot goes to PNG (checked by its signature,
its IHDR size and its pixels read back) and to SVG (parsed as XML: axis labels, the steps by
name, the fault marks). Without matplotlib the call says which extra to install; a recording
cut short is a clear error; the penlink-plot command line draws the same."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

import pytest

import penlink
import penlink.plot
from penlink.records import RecordingError

from conftest import wait_for_status

if not os.environ.get("CI"):
    pytest.importorskip("matplotlib")  # CI installs it (scripts/test.sh): never skipped there

RECIPE = json.dumps({
    "schema": "penlink.recipe/1", "name": "fault demo",
    "steps": [
        {"name": "Forehead", "zone": "forehead", "depth_mm": 0.5, "speed_hz": 100,
         "duration_s": 0.8},
        {"name": "Cheeks", "zone": "cheek", "depth_mm": 1.0, "speed_hz": 120,
         "duration_s": 3.0},
    ]})

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def faulted_run(tmp_path_factory):
    """A recorded run on penlink-sim whose pen overheats 1.6 s after it starts (in the second
    step), written into a treatment log: (recording, RunReport)."""
    from conftest import SimProcess
    directory = tmp_path_factory.mktemp("plot")
    sim = SimProcess("--tcp", "0", "--at", "1600:fault 0")
    try:
        recording = directory / "faulted.plrec"
        database = directory / "clinic.db"
        with penlink.connect(sim.url, record_path=recording) as pen:
            result = pen.run_recipe(penlink.treatment.parse_recipe(RECIPE), record_db=database,
                                    timeout=30)
            # The fault stays latched: record a little of the time after it too.
            wait_for_status(pen, lambda s: s.fault_bits != 0)
            time.sleep(0.5)
        assert result.outcome is penlink.RunOutcome.FAILED, result
        with penlink.TreatmentLog.open(database) as log:
            report = log.report(log.recent_runs(1)[0].id)
        yield recording, report
    finally:
        sim.close()


def _png_size(path) -> tuple:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_faulted_run_is_in_the_recording(faulted_run) -> None:
    recording_path, report = faulted_run
    recording = penlink.read_recording(recording_path)
    assert any(s.status.fault_bits & penlink.Fault.OVER_TEMPERATURE for s in recording.statuses)
    kinds = [e.event.kind for e in recording.events]
    assert penlink.EventKind.FAULT_RAISED in kinds
    assert report.run.outcome is penlink.records.RecordOutcome.FAILED
    assert report.run.failing_step == 1


def test_a_png_of_the_session(faulted_run, tmp_path) -> None:
    import matplotlib.image
    recording_path, report = faulted_run
    out = penlink.plot.plot_session(recording_path, tmp_path / "session.png", run=report)
    assert out == tmp_path / "session.png"
    width, height = _png_size(out)
    assert (width, height) == (1000, 1100)  # 10 x 11 in at 100 dpi
    assert out.stat().st_size > 20_000
    pixels = matplotlib.image.imread(str(out))
    assert pixels.shape[:2] == (1100, 1000)
    # Not a blank canvas: lines in several colours, the red fault shading among them.
    assert pixels[..., :3].std() > 0.05
    red = (pixels[..., 0] > 0.8) & (pixels[..., 1] < 0.8) & (pixels[..., 2] < 0.8)
    assert red.sum() > 1000


def test_an_svg_of_the_session_names_axes_steps_and_faults(faulted_run, tmp_path) -> None:
    recording_path, report = faulted_run
    out = penlink.plot.plot_session(recording_path, tmp_path / "session.svg", run=report)
    root = ElementTree.parse(out).getroot()
    assert root.tag == SVG + "svg"
    texts = {"".join(t.itertext()).strip() for t in root.iter(SVG + "text")}
    for label in ("depth (mm)", "speed (Hz)", "temperature (°C)", "RF energy (J)",
                  "LED dose (J/cm²)", "time since the recording started (s)"):
        assert label in texts, sorted(texts)
    assert "1. Forehead" in texts and "2. Cheeks" in texts
    assert "fault: over-temperature" in texts
    assert any("fault demo (failed)" in t for t in texts)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert {"step-0", "step-1", "fault-span-0", "fault-event-0"} <= ids


def test_without_a_run_the_start_commands_mark_the_steps(faulted_run, tmp_path) -> None:
    recording = penlink.read_recording(faulted_run[0])
    starts = [c for c in recording.commands if c.type == "Start"]
    assert len(starts) == 2
    out = penlink.plot.plot_session(recording, tmp_path / "plain.svg", title="plain")
    root = ElementTree.parse(out).getroot()
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert {"step-0", "step-1"} <= ids and "step-2" not in ids
    assert "plain" in {"".join(t.itertext()) for t in root.iter(SVG + "text")}


def test_without_matplotlib_the_error_names_the_extra(faulted_run, tmp_path, monkeypatch
                                                      ) -> None:
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends",
                 "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)  # import now raises ImportError
    with pytest.raises(ImportError, match=r"pip install penlink\[plot\]"):
        penlink.plot.plot_session(faulted_run[0], tmp_path / "never.png")
    assert not (tmp_path / "never.png").exists()


def test_bad_requests_are_refused_before_drawing(faulted_run, tmp_path) -> None:
    with pytest.raises(penlink.InvalidArgumentError, match=r"'\.pdf'.*\.png or \.svg"):
        penlink.plot.plot_session(faulted_run[0], tmp_path / "session.pdf")
    with pytest.raises(penlink.InvalidArgumentError, match="dpi"):
        penlink.plot.plot_session(faulted_run[0], tmp_path / "session.png", dpi=5)
    data = faulted_run[0].read_bytes()
    cut = tmp_path / "cut.plrec"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(RecordingError, match="cut.plrec.*byte"):
        penlink.plot.plot_session(cut, tmp_path / "cut.png")
    assert not (tmp_path / "cut.png").exists()


def test_a_recording_without_status_is_refused(tmp_path) -> None:
    path = tmp_path / "quiet.plrec"
    with penlink.connect("sim://", record_path=path, idle_status_rate_hz=0):
        pass
    with pytest.raises(penlink.InvalidArgumentError, match="no status frames"):
        penlink.plot.plot_session(path, tmp_path / "quiet.png")


def test_a_run_plots_straight_from_the_treatment_log(faulted_run, tmp_path) -> None:
    import matplotlib.image
    recording_path, report = faulted_run
    database = recording_path.parent / "clinic.db"
    with penlink.TreatmentLog.open(database) as log:
        assert log.report(report.run.id).run.recording_path == str(recording_path)
    out = penlink.plot.plot_run(database, report.run.id, tmp_path / "run.png")
    assert _png_size(out) == (1000, 1100)
    pixels = matplotlib.image.imread(str(out))
    red = (pixels[..., 0] > 0.8) & (pixels[..., 1] < 0.8) & (pixels[..., 2] < 0.8)
    assert red.sum() > 1000  # the fault the recording holds
    # The steps come from the log, by name: the SVG says so.
    svg = penlink.plot.plot_run(database, report.run.id, tmp_path / "run.svg")
    texts = {"".join(t.itertext()).strip() for t in ElementTree.parse(svg).iter(SVG + "text")}
    assert "1. Forehead" in texts and "2. Cheeks" in texts
    assert any("fault demo (failed)" in t for t in texts)
    # penlink-plot DB --run N OUT, as the command line is written.
    cli = tmp_path / "cli-run.png"
    completed = subprocess.run([sys.executable, "-m", "penlink.plot", str(database), "--run",
                                str(report.run.id), str(cli)], capture_output=True, text=True,
                               timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert _png_size(cli) == (1000, 1100)


def test_plotting_a_run_that_is_not_there_says_so(faulted_run, tmp_path, capsys) -> None:
    recording_path, report = faulted_run
    database = recording_path.parent / "clinic.db"
    assert penlink.plot.main([str(database), "--run", "999", str(tmp_path / "x.png")]) == 1
    assert "999" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_the_command_line_draws_and_reports_errors(faulted_run, tmp_path, capsys) -> None:
    recording_path, report = faulted_run
    out = tmp_path / "cli.png"
    database = recording_path.parent / "clinic.db"
    assert penlink.plot.main([str(recording_path), str(out), "--db", str(database),
                              "--run", str(report.run.id)]) == 0
    assert _png_size(out)[0] == 1000
    assert penlink.plot.main([str(tmp_path / "missing.plrec"), str(out)]) == 1
    assert "missing.plrec" in capsys.readouterr().err
    # python -m penlink.plot, as a user's shell runs it.
    svg = tmp_path / "module.svg"
    completed = subprocess.run([sys.executable, "-m", "penlink.plot", str(recording_path),
                                str(svg)], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert ElementTree.parse(svg).getroot().tag == SVG + "svg"
