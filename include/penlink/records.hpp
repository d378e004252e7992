/// @file records.hpp
/// @brief The treatment record and the cartridge ledger: what every treatment run delivered,
/// kept in a SQLite file (schema and rules in docs/records.md).
///
/// A run is begun with the pen's identity, its cartridge and the recipe; each step's totals and
/// the run's events are added as it goes; it ends completed, aborted or failed. A run left
/// open by a process that died shows as interrupted the next time the log is opened. Cartridges
/// are single-use: begin_run refuses a cartridge that a completed or aborted run already used
/// (or that a run in progress holds), unless the app gives an explicit override reason, which
/// is recorded. The log holds no personal data; the app may store an opaque client reference.
///
/// Threads: a TreatmentLog may be used from several threads (calls are serialised). Several
/// processes may share one file: every write is one transaction, and the ledger check and the
/// claim of a cartridge are one transaction, so two processes cannot both claim it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "penlink/errors.hpp"
#include "penlink/export.h"
#include "penlink/recorder.hpp"

namespace penlink {

/// How a run ended (or that it has not).
enum class RunOutcome {
    Running,      ///< begun and not finished
    Completed,    ///< every step ran
    Aborted,      ///< stopped by the operator or the app
    Failed,       ///< stopped by a fault, an emergency stop or a lost link
    Interrupted,  ///< the process recording it ended without finishing it
};
/// "running", "completed", "aborted", "failed", "interrupted" (as stored in the log).
PENLINK_EXPORT const char* to_string(RunOutcome outcome) noexcept;

/// Why the treatment log refused or failed (TreatmentLogError::kind()).
enum class TreatmentLogProblem {
    NotATreatmentLog,  ///< the file is not a penlink treatment log, or is corrupt
    Locked,            ///< another process held the database longer than the busy timeout
    SchemaTooNew,      ///< written by a newer penlink (its schema version is higher)
    CartridgeUsed,     ///< the cartridge is single-use and a run already used it
    UnknownRun,        ///< no run has that id, or it has already finished
    Storage,           ///< the file could not be read or written (permissions, full disk)
};

/// A failure of the treatment log. code() is InvalidArgument (NotATreatmentLog, UnknownRun),
/// Timeout (Locked), NotSupported (SchemaTooNew), Rejected (CartridgeUsed) or ConnectionFailed
/// (Storage); kind() says which.
class PENLINK_EXPORT TreatmentLogError : public Error {
public:
    /// An error of this kind with this message.
    TreatmentLogError(TreatmentLogProblem kind, const std::string& message);
    ~TreatmentLogError() override;
    /// What went wrong.
    TreatmentLogProblem kind() const noexcept { return kind_; }

private:
    TreatmentLogProblem kind_;
};

/// What a run starts with.
struct RunStart {
    std::string pen_serial;    ///< Pen::info().serial_number
    std::string pen_model;     ///< Pen::info().model
    std::string pen_firmware;  ///< Pen::info().firmware_version
    std::string cartridge_id;  ///< the fitted cartridge (Status); must not be empty
    std::string recipe_name;   ///< the recipe run
    std::string recipe_hash;   ///< a hash of the recipe file, so a record names its exact text
    std::string device_class;  ///< "professional" or "at-home"
    /// An opaque reference the app keeps to its client (never a name): stored as given.
    std::string client_reference;
    /// Non-empty: use the cartridge even though a finished run used it, for this reason, which
    /// is recorded with the run.
    std::string cartridge_override_reason;
    /// The session recording of this run (Pen::active_recording()), if one was made: stored
    /// with the run so the raw session can be found and plotted. A path without absolute_path
    /// is resolved against the current directory. nullopt: the run has no recording.
    std::optional<RecordingFile> recording;
};

/// One step's totals: what treatment::Runner reports (treatment::StepTotals is this type) and
/// the log stores.
struct StepTotals {
    std::size_t index = 0;             ///< 0-based position in the recipe (Recipe::steps)
    std::string name;                  ///< the step's name
    std::string zone;                  ///< the zone key; "" for a Pause step
    double started_s = 0.0;            ///< seconds since the run began
    double ended_s = 0.0;              ///< seconds since the run began
    std::uint64_t strokes = 0;         ///< needle strokes during the step
    double depth_set_min_mm = 0.0;     ///< shallowest depth set point seen, mm
    double depth_set_max_mm = 0.0;     ///< deepest depth set point seen, mm
    double depth_actual_min_mm = 0.0;  ///< shallowest measured depth while the needle ran, mm
    double depth_actual_max_mm = 0.0;  ///< deepest measured depth while the needle ran, mm
    double rf_energy_j = 0.0;          ///< RF energy delivered (add-on or "rf" module), J
    double led_dose_j_cm2 = 0.0;       ///< LED dose delivered (add-on or "led" module), J/cm2
    /// Running totals of fitted modules' channels in J or J/cm2, as "module.channel" (e.g.
    /// "rf.energy"): what the step added.
    std::map<std::string, double> module_totals;
    /// "completed", "skipped", "continued" (a Pause step), "aborted" or "failed" ("running"
    /// in the log while it runs).
    std::string outcome;
};

/// Something that happened during a run (fault, pause, button, skip).
struct RunEvent {
    double t_s = 0.0;  ///< seconds since the run began
    std::string kind;  ///< e.g. "fault", "paused", "resumed", "skipped"
    std::string text;  ///< what happened, in words
};

/// How a run ended.
struct RunEnd {
    RunOutcome outcome = RunOutcome::Completed;  ///< Completed, Aborted or Failed
    std::optional<std::size_t> failing_step;     ///< the step it stopped in, if any
    std::string reason;                          ///< why it stopped (empty when completed)
};

/// A run as listed.
struct RunSummary {
    std::int64_t id = 0;                       ///< the run's id in the log
    std::string started_utc;                   ///< ISO 8601, UTC
    std::string ended_utc;                     ///< ISO 8601, UTC; empty while running
    std::string pen_serial;                    ///< the pen
    std::string pen_model;                     ///< the pen's model
    std::string pen_firmware;                  ///< the pen's firmware
    std::string cartridge_id;                  ///< the cartridge used
    std::string recipe_name;                   ///< the recipe
    std::string recipe_hash;                   ///< its hash
    std::string device_class;                  ///< "professional" or "at-home"
    std::string client_reference;              ///< the app's opaque reference, if any
    RunOutcome outcome = RunOutcome::Running;  ///< how it ended
    std::optional<std::size_t> failing_step;   ///< where it stopped, if it did not complete
    std::string reason;                        ///< why it stopped
    std::string cartridge_override_reason;     ///< non-empty if a used cartridge was reused
    std::size_t steps = 0;                     ///< steps recorded
    /// The session recording made during the run (RunStart::recording); nullopt if none was
    /// made, or the run was logged before the log knew recordings (schema version 1).
    std::optional<RecordingFile> recording;
};

/// One run in full.
struct RunReport {
    RunSummary run;                 ///< the run
    std::vector<StepTotals> steps;  ///< in step order
    std::vector<RunEvent> events;   ///< in time order
};

/// One use of a cartridge.
struct CartridgeUse {
    std::string cartridge_id;                  ///< the cartridge
    std::int64_t run_id = 0;                   ///< the run that used it
    std::string started_utc;                   ///< when that run began
    std::string pen_serial;                    ///< on which pen
    RunOutcome outcome = RunOutcome::Running;  ///< how that run ended
    std::string override_reason;               ///< why a used cartridge was reused, if it was
};

/// How TreatmentLog::open waits and behaves.
struct TreatmentLogOptions {
    /// How long a call waits for another process holding the database before it fails with
    /// TreatmentLogProblem::Locked.
    std::chrono::milliseconds busy_timeout{5000};
    /// true: a file that does not exist is created as an empty log. false: it is an error
    /// (TreatmentLogProblem::Storage), for tools that only read.
    bool create = true;
};

/// The treatment record and cartridge ledger in one SQLite file (see the file comment).
class PENLINK_EXPORT TreatmentLog {
public:
    /// The schema version this penlink writes (SQLite user_version).
    static int schema_version() noexcept;

    /// Opens path, creating the log if the file does not exist, and marks the runs of processes
    /// that died as interrupted. Throws TreatmentLogError: NotATreatmentLog (another file or a
    /// corrupt one), SchemaTooNew, Locked, Storage.
    static TreatmentLog open(const std::string& path, const TreatmentLogOptions& options = {});

    /// Closes the file.
    ~TreatmentLog();
    /// Takes over other's file.
    TreatmentLog(TreatmentLog&& other) noexcept;
    /// Closes this file, then takes over other's.
    TreatmentLog& operator=(TreatmentLog&& other) noexcept;
    TreatmentLog(const TreatmentLog&) = delete;
    TreatmentLog& operator=(const TreatmentLog&) = delete;

    /// The file.
    const std::string& path() const;

    /// Begins a run and claims its cartridge, in one transaction. Returns the run's id. Throws
    /// TreatmentLogError CartridgeUsed naming the cartridge and the earlier run if a completed
    /// or aborted run used it (and no override reason is given) or a run in progress holds it;
    /// InvalidArgumentError if cartridge_id or pen_serial is empty, or cartridge_id is "0" (the
    /// pen's "no cartridge").
    std::int64_t begin_run(const RunStart& start);
    /// Records that a step began (outcome "running" until step_finished). OutOfRangeError for a
    /// negative or non-finite started_s.
    void step_started(std::int64_t run, std::size_t index, const std::string& name,
                      const std::string& zone, double started_s);
    /// Records a step's totals (replacing what step_started wrote). Checked first: a time,
    /// depth, energy or dose that is negative or not finite, or a minimum above its maximum, is
    /// an OutOfRangeError naming the step, the field, the value and the unit, and nothing is
    /// written.
    void step_finished(std::int64_t run, const StepTotals& totals);
    /// Records an event (OutOfRangeError for a negative time, InvalidArgumentError for an empty
    /// kind).
    void event(std::int64_t run, const RunEvent& event);
    /// Ends the run. A step still "running" gets the run's outcome. Throws TreatmentLogError
    /// UnknownRun if the run does not exist or has already ended, InvalidArgumentError if
    /// outcome is Running or Interrupted.
    void finish_run(std::int64_t run, const RunEnd& end);

    /// The newest runs first, at most limit.
    std::vector<RunSummary> recent_runs(std::size_t limit = 20);
    /// One run with its steps and events. Throws TreatmentLogError UnknownRun.
    RunReport report(std::int64_t run);
    /// Every use of every cartridge, the newest first, at most limit.
    std::vector<CartridgeUse> cartridge_ledger(std::size_t limit = 50);
    /// The uses of one cartridge, the newest first.
    std::vector<CartridgeUse> cartridge_uses(const std::string& cartridge_id);
    /// Runs this open() found left running by a process that died, now interrupted.
    const std::vector<std::int64_t>& interrupted_at_open() const;

    struct Impl;

private:
    explicit TreatmentLog(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace penlink
