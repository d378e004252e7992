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

Decoding happens in C++ (penlink::read_recording_timeline): penlink only copies the result
into immutable Python values. penlink.plot draws a recording.
"""

from __future__ import annotations

# Session recordings (_recordings.py) and the treatment log (_treatment_log.py) each have a
# module of their own; penlink.records is where users find both.
from ._recordings import (SERIES_FIELDS, RecordedCommand, RecordedEvent, RecordedStatus,
                          Recorder, Recording, RecordingError, TelemetryChannel, read_recording,
                          start_recording)
from ._treatment_log import (CartridgeUse, LoggedEvent, LoggedRun, LoggedStep, RecordOutcome,
                             RunReport, TreatmentLog)

__all__ = ["RecordingError", "RecordedStatus", "RecordedEvent", "RecordedCommand",
           "TelemetryChannel", "Recording", "read_recording", "Recorder", "start_recording",
           "RecordOutcome", "LoggedRun", "LoggedStep", "LoggedEvent", "RunReport",
           "CartridgeUse", "TreatmentLog", "SERIES_FIELDS"]
