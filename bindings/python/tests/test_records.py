"""Session recordings and the treatment log from Python, against real pens: penlink-sim over
TCP on 127.0.0.1 and sim://, real recording files and a real SQLite treatment log. A session
recorded with connect(record_path=...) reads back decoded (commands, statuses, events, module
channels); the runner writes its run into the log and TreatmentLog reads it back with its
steps, module totals and the cartridge ledger; a file cut short or broken is a clear error
naming the file and the byte."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

import penlink
from penlink import records
from penlink.records import RecordOutcome, RecordingError

from conftest import wait_for_status

# Short on purpose: two RF steps of 0.6 s each on the jawline and the cheeks.
RF_RECIPE = json.dumps({
    "schema": "penlink.recipe/1", "name": "short rf", "concern": "laxity",
    "steps": [
        {"name": "Jawline", "zone": "jawline", "depth_mm": 1.0, "speed_hz": 100,
         "duration_s": 0.6,
         "modules": {"rf": {"enabled": True, "polarity": "bipolar", "frequency": 1000,
                            "power": 8, "pulse": 100}}},
        {"name": "Cheeks", "zone": "cheek", "depth_mm": 0.5, "speed_hz": 80,
         "duration_s": 0.6, "modules": {"rf": {"enabled": True, "power": 10}}},
    ]})


@pytest.fixture(scope="module")
def rf_session(tmp_path_factory):
    """penlink-sim over TCP with RF and LED as descriptor modules, RF_RECIPE run on it with the
    session recorded and the run written into a treatment log."""
    from conftest import SimProcess
    directory = tmp_path_factory.mktemp("rf_session")
    sim = SimProcess("--tcp", "0", "--addons", "modules")
    try:
        recording = directory / "session.plrec"
        database = directory / "clinic.db"
        recipe = penlink.treatment.parse_recipe(RF_RECIPE)
        with penlink.connect(sim.url, record_path=recording) as pen:
            with penlink.treatment.Runner(pen, recipe, record_db=database,
                                          client_reference="c-7f3a") as runner:
                runner.start()
                result = runner.wait(30)
                run_id = runner.run_id
        yield recording, database, result, run_id, sim.url
    finally:
        sim.close()


def test_a_session_recorded_at_connect_reads_back_decoded(tmp_path) -> None:
    path = tmp_path / "manual.plrec"
    with penlink.connect("sim://", record_path=path) as pen:
        pen.set_depth(mm=1.0)
        pen.set_speed(hz=100)
        pen.start()
        wait_for_status(pen, lambda s: s.depth_actual_mm > 0.99 and s.speed_actual_hz > 99)
        pen.stop()
    recording = penlink.read_recording(path)
    assert recording.path == str(path)
    assert "sim://" in recording.description
    assert recording.warning == "" and recording.warning_offset == 0
    texts = [c.text for c in recording.commands]
    assert texts[0] == "Hello"
    assert "SetDepth 1.000 mm" in texts and "SetSpeed 100.00 Hz" in texts
    assert texts.index("Start") < texts.index("Stop")
    assert "Heartbeat" not in [c.type for c in recording.commands]
    times = [s.t_s for s in recording.statuses]
    assert len(times) > 5 and times == sorted(times)
    assert 0 <= times[0] and times[-1] <= recording.duration_s
    assert any(s.status.depth_actual_mm > 0.99 for s in recording.statuses)
    assert isinstance(recording.statuses[-1].status, penlink.Status)
    assert isinstance(recording.statuses[-1].status.state, penlink.PenState)
    series = recording.series()
    assert tuple(series) == records.SERIES_FIELDS
    assert {len(column) for column in series.values()} == {len(recording.statuses)}
    assert max(series["speed_set_hz"]) == pytest.approx(100.0)
    # The built-in RF add-on never ran: nothing delivered.
    assert series["rf_energy_j"][-1] == 0.0


def test_the_recorded_rf_energy_is_what_the_run_delivered(rf_session) -> None:
    recording_path, _, result, _, url = rf_session
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    recording = penlink.read_recording(recording_path)
    assert url.replace("tcp://", "") in recording.description
    delivered = sum(step.rf_energy_j for step in result.steps)
    assert delivered > 0
    # The same frames, counted the same way (built-in counter plus rf modules' energy).
    assert recording.statuses[-1].rf_energy_j == pytest.approx(delivered, rel=0.02)
    channels = {(c.module, c.key): c for c in recording.channels}
    assert channels[("rf", "energy")].unit == "J"
    energy = recording.telemetry("rf", "energy")
    assert energy and [v for _, v in energy] == sorted(v for _, v in energy)
    with pytest.raises(penlink.InvalidArgumentError, match="no telemetry channel rf.nothing"):
        recording.telemetry("rf", "nothing")
    # Each step started the needle once.
    assert [c.type for c in recording.commands].count("Start") == 2


def test_the_runner_writes_the_run_and_the_log_reads_it_back(rf_session) -> None:
    _, database, result, run_id, _ = rf_session
    assert run_id is not None
    with penlink.TreatmentLog.open(database) as log:
        assert log.path == str(database)
        runs = log.recent_runs()
        assert [r.id for r in runs] == [run_id]
        run = runs[0]
        assert run.outcome is RecordOutcome.COMPLETED and run.failing_step is None
        assert (run.recipe_name, run.client_reference, run.steps) == ("short rf", "c-7f3a", 2)
        assert run.pen_serial and run.cartridge_id not in ("", "0")
        assert len(run.recipe_hash) == 64 and int(run.recipe_hash, 16) >= 0
        report = log.report(run_id)
        assert report.run == run
        assert [s.totals.name for s in report.steps] == ["Jawline", "Cheeks"]
        for logged, reported in zip(report.steps, result.steps):
            assert logged.totals.rf_energy_j == pytest.approx(reported.rf_energy_j)
            assert logged.totals.strokes == reported.strokes
            assert logged.totals.outcome == "completed"
            assert logged.module_totals["rf.energy"] == pytest.approx(reported.rf_energy_j)
        assert report.steps[1].totals.depth_set_max_mm == pytest.approx(0.5)
        ledger = log.cartridge_ledger()
        assert [(u.cartridge_id, u.run_id) for u in ledger] == [(run.cartridge_id, run_id)]
        assert log.cartridge_uses(run.cartridge_id) == ledger
        assert log.cartridge_uses("999999") == ()
        assert log.interrupted_at_open == ()


def test_the_logged_run_names_its_session_recording(rf_session) -> None:
    recording, database, _, run_id, _ = rf_session
    with penlink.TreatmentLog.open(database) as log:
        run = log.report(run_id).run
        assert run.recording_path == str(recording)
        assert run.recording_absolute_path == os.path.abspath(recording)
        found = log.recording_of(run_id)
    assert found.path == str(recording)
    assert run.recording_started_unix_ms == found.started_unix_ms
    # The recording spans the run: its first step's depth was set in it, the needle started.
    assert any(c.text == "SetDepth 1.000 mm" for c in found.commands)
    assert any(c.type == "Start" for c in found.commands)


def test_recording_of_says_why_it_cannot_find_a_recording(rf_session, tmp_path) -> None:
    recording, database, _, run_id, url = rf_session
    copy = tmp_path / "clinic.db"
    # SQLite's own backup: the log is in WAL mode, so a file copy could miss its last commits.
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with penlink.connect(url) as pen:  # not recording
        result = pen.run_recipe(penlink.treatment.parse_recipe(RF_RECIPE), record_db=copy,
                                timeout=30, reuse_cartridge="test: a run without a recording")
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    with penlink.TreatmentLog.open(copy) as log:
        unrecorded = log.recent_runs(1)[0]
        assert unrecorded.recording_path is None
        assert unrecorded.recording_absolute_path is None
        assert unrecorded.recording_started_unix_ms is None
        with pytest.raises(penlink.InvalidArgumentError,
                           match=f"run {unrecorded.id} .* has no session recording"):
            log.recording_of(unrecorded.id)
    # Another recording written over the file: refused by its header time, not plotted.
    moved = tmp_path / "kept.plrec"
    shutil.copyfile(recording, moved)
    try:
        with penlink.connect(url, record_path=recording):
            pass
        with penlink.TreatmentLog.open(copy) as log:
            with pytest.raises(penlink.InvalidArgumentError, match="is not run .*'s recording"):
                log.recording_of(run_id)
        os.remove(recording)
        with penlink.TreatmentLog.open(copy) as log:
            with pytest.raises(penlink.InvalidArgumentError, match="not there any more"):
                log.recording_of(run_id)
    finally:
        shutil.copyfile(moved, recording)


def test_a_used_cartridge_is_refused_and_an_override_is_stored(rf_session) -> None:
    _, database, _, first_run, url = rf_session
    recipe = penlink.treatment.parse_recipe(RF_RECIPE)
    with penlink.connect(url) as pen:
        refused = pen.run_recipe(recipe, record_db=database, timeout=30)
        assert refused.outcome is penlink.RunOutcome.FAILED
        assert "already used" in refused.reason and refused.steps == ()
        reused = pen.run_recipe(recipe, record_db=database, timeout=30,
                                reuse_cartridge="test: same simulated cartridge")
        assert reused.outcome is penlink.RunOutcome.COMPLETED, reused.reason
    with penlink.TreatmentLog.open(database) as log:
        newest = log.recent_runs(1)[0]
        assert newest.id > first_run
        assert newest.cartridge_override_reason == "test: same simulated cartridge"
        uses = log.cartridge_uses(newest.cartridge_id)
        assert [u.run_id for u in uses][0] == newest.id and uses[-1].run_id == first_run
        assert uses[0].override_reason == "test: same simulated cartridge"


def test_client_reference_without_a_log_is_refused(pen) -> None:
    recipe = penlink.treatment.parse_recipe(RF_RECIPE)
    with pytest.raises(penlink.InvalidArgumentError, match="give record_db"):
        penlink.treatment.Runner(pen, recipe, client_reference="c-1")


def test_a_recording_started_mid_session_holds_what_came_after(tmp_path) -> None:
    path = tmp_path / "later.plrec"
    with penlink.connect("sim://") as pen:
        with pen.start_recording(path) as recorder:
            assert recorder.active and recorder.path == str(path)
            with pytest.raises(penlink.PenError, match="record"):
                pen.start_recording(tmp_path / "second.plrec")
            pen.set_depth(mm=0.5)
            wait_for_status(pen, lambda s: s.depth_set_mm == pytest.approx(0.5))
            assert recorder.frames > 0
        assert not recorder.active
        recorder.stop()  # idempotent
    recording = penlink.read_recording(path)
    assert [c.text for c in recording.commands][:1] != ["Hello"]
    assert "SetDepth 0.500 mm" in [c.text for c in recording.commands]
    assert recording.statuses


def _cut(source, target, keep_bytes: int):
    data = source.read_bytes()
    target.write_bytes(data[:keep_bytes])
    return len(data)


def test_a_truncated_recording_names_the_file_and_the_byte(rf_session, tmp_path) -> None:
    source = rf_session[0]
    cut = tmp_path / "cut.plrec"
    size = _cut(source, cut, source.stat().st_size - 5)
    with pytest.raises(RecordingError) as raised:
        penlink.read_recording(cut)
    error = raised.value
    assert isinstance(error, penlink.InvalidArgumentError)
    assert error.path == str(cut)
    assert 0 < error.offset < size - 5
    assert str(cut) in str(error) and f"byte {error.offset}" in str(error)
    assert "cut short" in str(error)
    partial = penlink.read_recording(cut, allow_truncated=True)
    assert partial.warning and partial.warning_offset == error.offset
    whole = penlink.read_recording(source)
    assert 0 < len(partial.statuses) <= len(whole.statuses)


def test_a_broken_record_and_a_foreign_file_are_refused(rf_session, tmp_path) -> None:
    data = bytearray(rf_session[0].read_bytes())
    header_size = data[10] | (data[11] << 8)
    data[header_size] = 7  # a direction that is neither 1 nor 2
    broken = tmp_path / "broken.plrec"
    broken.write_bytes(bytes(data))
    with pytest.raises(RecordingError, match=f"byte {header_size}") as raised:
        penlink.read_recording(broken)
    assert raised.value.offset == header_size
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a recording")
    with pytest.raises(penlink.InvalidArgumentError, match="notes.txt.*PLREC"):
        penlink.read_recording(foreign)
    with pytest.raises(penlink.InvalidArgumentError, match="missing.plrec"):
        penlink.read_recording(tmp_path / "missing.plrec")


def test_treatment_log_errors_name_the_problem(tmp_path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(penlink.ConnectionError, match="none.db"):
        penlink.TreatmentLog.open(missing)
    assert not missing.exists()
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"this is not a database" * 100)
    with pytest.raises(penlink.InvalidArgumentError, match="foreign.db"):
        penlink.TreatmentLog.open(foreign)
    log = penlink.TreatmentLog.open(tmp_path / "new.db", create=True)
    assert log.recent_runs() == () and log.cartridge_ledger() == ()
    with pytest.raises(penlink.InvalidArgumentError, match="run 42"):
        log.report(42)
    with pytest.raises(penlink.OutOfRangeError, match="limit 0"):
        log.recent_runs(0)
    log.close()
    with pytest.raises(penlink.InvalidArgumentError, match="closed"):
        log.recent_runs()


def test_the_outcome_names_are_the_logs_own() -> None:
    # One source of truth: penlink::to_string(RunOutcome), in the C++ enum's order.
    from penlink import native
    assert [native.run_outcome_text(i) for i in range(len(RecordOutcome))] == \
        [member.value for member in RecordOutcome]
    with pytest.raises(penlink.OutOfRangeError, match="run outcome 5"):
        native.run_outcome_text(len(RecordOutcome))


def test_every_series_field_is_a_status_field_or_a_running_total() -> None:
    fields = set(penlink.Status._fields)
    assert records.SERIES_FIELDS[0] == "t_s"
    assert set(records.SERIES_FIELDS[1:-2]) <= fields
    assert records.SERIES_FIELDS[-2:] == ("rf_energy_j", "led_dose_j_cm2")
