/// @file penlink_bind_records.hpp
/// @brief Session recordings (penlink/recorder.hpp, penlink/recording_timeline.hpp) and the
/// treatment log (penlink/records.hpp) in a shape SWIG wraps the same way for every language:
/// plain structs, outcomes as their stored text ("completed"), -1 for "no step", int32 counts
/// and indexes instead of std::size_t and std::optional, and a recording's timeline read
/// through indexed accessors so no host copies a C++ vector it does not need.
///
/// Threads: a Recorder and a TreatmentLog may be used from any thread (see the C++ headers).
/// Header-only like penlink_bind.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "penlink/recorder.hpp"
#include "penlink/recording_timeline.hpp"
#include "penlink/records.hpp"
#include "penlink_bind.hpp"
#include "penlink_bind_treatment.hpp"

namespace penlink::bind {

// --- session recordings ----------------------------------------------------------------------

/// A recording in progress (penlink::Recorder). Holds its pen alive; stop() or the pen's
/// close ends it.
class Recorder {
public:
    Recorder() = default;
    /// Starts recording everything the pen's link carries from now on into path
    /// (penlink::Pen::start_recording): InvalidArgumentError if the file cannot be created or
    /// the pen is already recording (naming the file being written).
    static Recorder start(Pen& pen, const std::string& path) {
        Recorder recorder;
        recorder.pen_ = pen.native();
        recorder.recorder_ =
            std::make_shared<penlink::Recorder>(recorder.pen_->start_recording(path));
        return recorder;
    }
    bool active() const { return recorder_ && recorder_->active(); }
    std::string path() const { return recorder_ ? recorder_->path() : std::string(); }
    std::uint64_t frames() const { return recorder_ ? recorder_->frames() : 0; }
    std::uint64_t bytes_written() const { return recorder_ ? recorder_->bytes_written() : 0; }
    /// Writes out what is buffered and closes the file; idempotent. InvalidArgumentError
    /// naming the file if a write failed.
    void stop() {
        if (recorder_) recorder_->stop();
    }

private:
    std::shared_ptr<penlink::Pen> pen_;  // declared first, destroyed after the recorder
    std::shared_ptr<penlink::Recorder> recorder_;
};

/// One event of a recording (penlink::RecordedEvent), the kind as its number.
struct RecordedEvent {
    double t_s = 0.0;
    std::int32_t kind = 0;  ///< EventKind
    std::uint32_t detail = 0;
    std::uint32_t device_time_ms = 0;
};

/// A recording read back (penlink::read_recording_timeline).
class RecordingTimeline {
public:
    /// Reads and decodes path; errors as penlink::read_recording_timeline.
    static RecordingTimeline read(const std::string& path) {
        RecordingTimeline timeline;
        timeline.timeline_ =
            std::make_shared<penlink::RecordingTimeline>(penlink::read_recording_timeline(path));
        return timeline;
    }

    std::string path() const { return timeline_->path; }
    std::string description() const { return timeline_->description; }
    std::int64_t started_unix_ms() const { return timeline_->started_unix_ms; }
    double duration_s() const { return timeline_->duration_s; }
    std::string warning() const { return timeline_->warning; }
    std::uint64_t warning_offset() const { return timeline_->warning_offset; }
    std::uint64_t undecodable_frames() const { return timeline_->undecodable_frames; }
    std::uint64_t sealed_frames() const { return timeline_->sealed_frames; }

    std::int32_t status_count() const { return count(timeline_->statuses); }
    /// The index-th Status (OutOfRangeError outside [0, status_count())).
    Status status(std::int32_t index) const { return at(timeline_->statuses, index).status; }
    double status_time_s(std::int32_t index) const { return at(timeline_->statuses, index).t_s; }
    double status_rf_energy_j(std::int32_t index) const {
        return at(timeline_->statuses, index).rf_energy_j;
    }
    double status_led_dose_j_cm2(std::int32_t index) const {
        return at(timeline_->statuses, index).led_dose_j_cm2;
    }

    std::int32_t event_count() const { return count(timeline_->events); }
    RecordedEvent event(std::int32_t index) const {
        const penlink::RecordedEvent& e = at(timeline_->events, index);
        return RecordedEvent{e.t_s, static_cast<std::int32_t>(e.event.kind), e.event.detail,
                             e.event.device_time_ms};
    }

    std::int32_t command_count() const { return count(timeline_->commands); }
    RecordedCommand command(std::int32_t index) const { return at(timeline_->commands, index); }

    std::vector<RecordedTelemetryChannel> channels() const { return timeline_->channels; }

#ifndef SWIG
    RecordingTimeline() = default;  // the wrappers' return slots
#endif

private:
    template <typename T>
    static std::int32_t count(const std::vector<T>& items) {
        return static_cast<std::int32_t>(items.size());
    }
    template <typename T>
    static const T& at(const std::vector<T>& items, std::int32_t index) {
        if (index < 0 || index >= count(items)) {
            throw OutOfRangeError("index " + std::to_string(index) + " is outside the " +
                                      std::to_string(items.size()) + " items of the recording",
                                  index, count(items) - 1, "");
        }
        return items[static_cast<std::size_t>(index)];
    }

    std::shared_ptr<const penlink::RecordingTimeline> timeline_ =
        std::make_shared<penlink::RecordingTimeline>();
};

// --- the treatment log -----------------------------------------------------------------------

#ifndef SWIG
/// The penlink::TreatmentLogProblem of a treatment log error as its number, -1 for any other
/// error: what the Java and C# error hooks pass on, so the host throws its
/// TreatmentLogException carrying the problem (Python maps the error by its code alone).
inline std::int32_t treatment_log_problem(const Error& error) noexcept {
    const auto* log_error = dynamic_cast<const penlink::TreatmentLogError*>(&error);
    return log_error ? static_cast<std::int32_t>(log_error->kind()) : -1;
}
#endif

/// A run as listed (penlink::RunSummary).
struct LoggedRun {
    std::int64_t id = 0;
    std::string started_utc;
    std::string ended_utc;
    std::string pen_serial;
    std::string pen_model;
    std::string pen_firmware;
    std::string cartridge_id;
    std::string recipe_name;
    std::string recipe_hash;
    std::string device_class;
    std::string client_reference;
    std::string outcome;             ///< "running", "completed", "aborted", "failed", "interrupted"
    std::int32_t failing_step = -1;  ///< -1: none
    std::string reason;
    std::string cartridge_override_reason;
    std::int32_t steps = 0;
    /// The run's session recording as the app named it; "" when none was made.
    std::string recording_path;
    /// The same file as an absolute path; "" when none was made.
    std::string recording_absolute_path;
    /// The recording's header start time, ms since 1970; 0 when none was made.
    std::int64_t recording_started_unix_ms = 0;
};

/// The text the treatment log stores for an outcome (penlink::RunOutcome given as its number):
/// "running", "completed", ... The hosts' outcome names are checked against it.
inline std::string run_outcome_text(std::int32_t outcome) {
    if (outcome < 0 || outcome > static_cast<std::int32_t>(penlink::RunOutcome::Interrupted)) {
        throw OutOfRangeError(
            "run outcome " + std::to_string(outcome) + " is outside 0.." +
                std::to_string(static_cast<int>(penlink::RunOutcome::Interrupted)),
            outcome, static_cast<double>(penlink::RunOutcome::Interrupted), "");
    }
    return penlink::to_string(static_cast<penlink::RunOutcome>(outcome));
}

/// One module total of one step ("rf.energy" and its value).
struct LoggedModuleTotal {
    std::int32_t step = 0;
    std::string key;
    double value = 0.0;
};

/// One event of a run (penlink::RunEvent).
struct LoggedEvent {
    double t_s = 0.0;
    std::string kind;
    std::string text;
};

/// One run in full (penlink::RunReport).
struct LoggedRunReport {
    LoggedRun run;
    std::vector<StepTotals> steps;
    std::vector<LoggedModuleTotal> module_totals;
    std::vector<LoggedEvent> events;
};

/// One use of a cartridge (penlink::CartridgeUse).
struct LoggedCartridgeUse {
    std::string cartridge_id;
    std::int64_t run_id = 0;
    std::string started_utc;
    std::string pen_serial;
    std::string outcome;
    std::string override_reason;
};

#ifndef SWIG
namespace detail {

inline LoggedRun to_logged(const penlink::RunSummary& r) {
    const penlink::RecordingFile none;
    const penlink::RecordingFile& recording = r.recording ? *r.recording : none;
    return LoggedRun{r.id,
                     r.started_utc,
                     r.ended_utc,
                     r.pen_serial,
                     r.pen_model,
                     r.pen_firmware,
                     r.cartridge_id,
                     r.recipe_name,
                     r.recipe_hash,
                     r.device_class,
                     r.client_reference,
                     penlink::to_string(r.outcome),
                     r.failing_step ? static_cast<std::int32_t>(*r.failing_step) : -1,
                     r.reason,
                     r.cartridge_override_reason,
                     static_cast<std::int32_t>(r.steps),
                     recording.path,
                     recording.absolute_path,
                     recording.started_unix_ms};
}

inline std::vector<LoggedCartridgeUse> to_logged(const std::vector<penlink::CartridgeUse>& uses) {
    std::vector<LoggedCartridgeUse> out;
    for (const penlink::CartridgeUse& u : uses) {
        out.push_back({u.cartridge_id, u.run_id, u.started_utc, u.pen_serial,
                       penlink::to_string(u.outcome), u.override_reason});
    }
    return out;
}

inline std::size_t to_limit(std::int32_t limit) {
    if (limit < 1) {
        throw OutOfRangeError("limit " + std::to_string(limit) + " must be at least 1", limit, 1,
                              "");
    }
    return static_cast<std::size_t>(limit);
}

}  // namespace detail
#endif

/// The treatment record and cartridge ledger (penlink::TreatmentLog), for reading.
class TreatmentLog {
public:
    /// Opens path; create false refuses a file that does not exist (TreatmentLogError Storage,
    /// code ConnectionFailed). Errors as penlink::TreatmentLog::open.
    static TreatmentLog open(const std::string& path, bool create = false,
                             std::int32_t busy_timeout_ms = 5000) {
        penlink::TreatmentLogOptions options;
        options.create = create;
        options.busy_timeout = std::chrono::milliseconds(busy_timeout_ms);
        TreatmentLog log;
        log.log_ =
            std::make_shared<penlink::TreatmentLog>(penlink::TreatmentLog::open(path, options));
        return log;
    }
    static std::int32_t schema_version() { return penlink::TreatmentLog::schema_version(); }

    std::string path() const { return native().path(); }
    /// The newest runs first, at most limit (>= 1).
    std::vector<LoggedRun> recent_runs(std::int32_t limit = 20) {
        std::vector<LoggedRun> out;
        for (const penlink::RunSummary& r : native().recent_runs(detail::to_limit(limit)))
            out.push_back(detail::to_logged(r));
        return out;
    }
    /// One run with its steps, module totals and events; TreatmentLogError UnknownRun.
    LoggedRunReport report(std::int64_t run) {
        const penlink::RunReport full = native().report(run);
        LoggedRunReport out;
        out.run = detail::to_logged(full.run);
        for (const penlink::StepTotals& step : full.steps) {
            out.steps.push_back(detail::to_totals(step));
            for (const auto& [key, value] : step.module_totals)
                out.module_totals.push_back({static_cast<std::int32_t>(step.index), key, value});
        }
        for (const penlink::RunEvent& e : full.events)
            out.events.push_back({e.t_s, e.kind, e.text});
        return out;
    }
    /// Every use of every cartridge, the newest first, at most limit (>= 1).
    std::vector<LoggedCartridgeUse> cartridge_ledger(std::int32_t limit = 50) {
        return detail::to_logged(native().cartridge_ledger(detail::to_limit(limit)));
    }
    /// The uses of one cartridge, the newest first.
    std::vector<LoggedCartridgeUse> cartridge_uses(const std::string& cartridge_id) {
        return detail::to_logged(native().cartridge_uses(cartridge_id));
    }
    /// Runs this open found left running by a process that died, now interrupted.
    /// (A count and an indexed accessor: SWIG's vector of int64 does not compile on LP64.)
    std::int32_t interrupted_at_open_count() const {
        return static_cast<std::int32_t>(native().interrupted_at_open().size());
    }
    /// The index-th of them (OutOfRangeError outside [0, interrupted_at_open_count())).
    std::int64_t interrupted_at_open(std::int32_t index) const {
        const auto& runs = native().interrupted_at_open();
        if (index < 0 || static_cast<std::size_t>(index) >= runs.size()) {
            throw OutOfRangeError("index " + std::to_string(index) + " is outside the " +
                                      std::to_string(runs.size()) + " interrupted runs",
                                  index, static_cast<double>(runs.size()) - 1, "");
        }
        return runs[static_cast<std::size_t>(index)];
    }
    /// Closes the file; later calls fail with InvalidArgumentError.
    void close() { log_.reset(); }

#ifndef SWIG
    TreatmentLog() = default;  // the wrappers' return slots
#endif

private:
    penlink::TreatmentLog& native() const {
        if (!log_) throw InvalidArgumentError("the treatment log is closed");
        return *log_;
    }

    std::shared_ptr<penlink::TreatmentLog> log_;
};

}  // namespace penlink::bind
