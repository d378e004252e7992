// TreatmentLog: opening the file, and writing runs, steps and events (the queries are in
// treatment_queries.cpp).

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "records/schema.hpp"
#include "records/treatment_log_impl.hpp"

namespace penlink {
namespace {

using records::Statement;
using records::Transaction;

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

void require_text(const std::string& value, const char* what) {
    if (value.empty())
        throw InvalidArgumentError(std::string(what) + " is empty; a treatment record needs it");
}

// The recording as the log stores it: a path is required, and an absolute one is resolved here
// when the caller did not give it (a relative path alone would not find the file from another
// directory).
std::optional<RecordingFile> resolved(const std::optional<RecordingFile>& recording) {
    if (!recording) return std::nullopt;
    if (recording->path.empty())
        throw InvalidArgumentError(
            "the run's recording has an empty path; leave RunStart::recording unset for a run "
            "without one");
    if (recording->started_unix_ms < 0)
        throw OutOfRangeError("the recording's started_unix_ms " +
                                  std::to_string(recording->started_unix_ms) + " ms is before 1970",
                              static_cast<double>(recording->started_unix_ms), 0.0, "ms");
    RecordingFile out = *recording;
    if (out.absolute_path.empty()) {
        std::error_code no_throw;
        const auto absolute = std::filesystem::absolute(out.path, no_throw);
        out.absolute_path = no_throw ? out.path : absolute.lexically_normal().string();
    }
    return out;
}

// Marks the runs left "running" by processes of this host that have died.
std::vector<std::int64_t> mark_interrupted(records::Database& db) {
    std::vector<std::int64_t> marked;
    Transaction transaction(db);
    struct Candidate {
        std::int64_t id;
        records::ProcessIdentity owner;
    };
    std::vector<Candidate> candidates;
    {
        Statement running(db,
                          "SELECT id, owner_host, owner_pid, owner_start FROM runs "
                          "WHERE outcome = 'running'");
        while (running.step()) {
            candidates.push_back(
                {running.integer(0), {running.text(1), running.integer(2), running.text(3)}});
        }
    }
    for (const auto& candidate : candidates) {
        if (!records::certainly_dead(candidate.owner)) continue;
        Statement update(db, (std::string("UPDATE runs SET outcome = 'interrupted', ended_utc = ") +
                              kNow + ", reason = ?1 WHERE id = ?2 AND outcome = 'running'")
                                 .c_str());
        update
            .bind(1, "the process recording it (pid " + std::to_string(candidate.owner.pid) +
                         " on " + candidate.owner.host + ") ended without finishing the run")
            .bind(2, candidate.id)
            .run();
        Statement steps(db,
                        "UPDATE steps SET outcome = 'interrupted' WHERE run_id = ?1 AND "
                        "outcome = 'running'");
        steps.bind(1, candidate.id).run();
        marked.push_back(candidate.id);
    }
    transaction.commit();
    return marked;
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", value);
    return text;
}

// A value the runner reported for a step: finite and not negative.
void require_amount(const StepTotals& step, const char* field, double value, const char* unit) {
    if (std::isfinite(value) && value >= 0.0) return;
    throw OutOfRangeError("step " + std::to_string(step.index) + " (" + step.name + ") " + field +
                              " " + number(value) + " " + unit +
                              " is not a finite amount of at least 0 " + unit,
                          value, 0.0, unit);
}

void require_range(const StepTotals& step, const char* field, double low, double high,
                   const char* unit) {
    if (low <= high) return;
    throw OutOfRangeError("step " + std::to_string(step.index) + " (" + step.name + ") " + field +
                              " runs from " + number(low) + " down to " + number(high) + " " +
                              unit + ": the minimum must not exceed the maximum",
                          low, high, unit);
}

// Everything a step records is checked before anything is written: a bad total is the
// runner's bug and must not become part of a clinical record.
void check_totals(const StepTotals& step) {
    require_amount(step, "started_s", step.started_s, "s");
    require_amount(step, "ended_s", step.ended_s, "s");
    require_range(step, "time", step.started_s, step.ended_s, "s");
    require_amount(step, "depth_set_min_mm", step.depth_set_min_mm, "mm");
    require_amount(step, "depth_set_max_mm", step.depth_set_max_mm, "mm");
    require_range(step, "depth set", step.depth_set_min_mm, step.depth_set_max_mm, "mm");
    require_amount(step, "depth_actual_min_mm", step.depth_actual_min_mm, "mm");
    require_amount(step, "depth_actual_max_mm", step.depth_actual_max_mm, "mm");
    require_range(step, "depth actual", step.depth_actual_min_mm, step.depth_actual_max_mm, "mm");
    require_amount(step, "rf_energy_j", step.rf_energy_j, "J");
    require_amount(step, "led_dose_j_cm2", step.led_dose_j_cm2, "J/cm2");
    for (const auto& [key, value] : step.module_totals) {
        if (key.empty())
            throw InvalidArgumentError("a module total of step " + std::to_string(step.index) +
                                       " has an empty key");
        if (!std::isfinite(value))
            throw InvalidArgumentError("module total " + key + " of step " +
                                       std::to_string(step.index) + " is not a finite number");
    }
}

// The run must exist and still be running.
void require_running(records::Database& db, std::int64_t run) {
    Statement check(db, "SELECT outcome FROM runs WHERE id = ?1");
    check.bind(1, run);
    if (!check.step())
        throw TreatmentLogError(
            TreatmentLogProblem::UnknownRun,
            "the treatment log '" + db.path() + "' has no run " + std::to_string(run));
    const auto outcome = check.text(0);
    if (outcome != "running")
        throw TreatmentLogError(TreatmentLogProblem::UnknownRun,
                                "run " + std::to_string(run) + " in '" + db.path() +
                                    "' has already ended (" + outcome + ")");
}

}  // namespace

const char* to_string(RunOutcome outcome) noexcept {
    switch (outcome) {
        case RunOutcome::Running:
            return "running";
        case RunOutcome::Completed:
            return "completed";
        case RunOutcome::Aborted:
            return "aborted";
        case RunOutcome::Failed:
            return "failed";
        case RunOutcome::Interrupted:
            return "interrupted";
    }
    return "unknown";
}

RunOutcome records::outcome_from_text(const std::string& text, const std::string& path) {
    for (auto outcome : {RunOutcome::Running, RunOutcome::Completed, RunOutcome::Aborted,
                         RunOutcome::Failed, RunOutcome::Interrupted}) {
        if (text == to_string(outcome)) return outcome;
    }
    throw TreatmentLogError(TreatmentLogProblem::NotATreatmentLog,
                            "'" + path + "' is corrupt: it holds a run outcome '" + text +
                                "' that penlink does not know");
}

TreatmentLogError::TreatmentLogError(TreatmentLogProblem kind, const std::string& message)
    : Error(kind == TreatmentLogProblem::Locked          ? ErrorCode::Timeout
            : kind == TreatmentLogProblem::SchemaTooNew  ? ErrorCode::NotSupported
            : kind == TreatmentLogProblem::CartridgeUsed ? ErrorCode::Rejected
            : kind == TreatmentLogProblem::Storage       ? ErrorCode::ConnectionFailed
                                                         : ErrorCode::InvalidArgument,
            message),
      kind_(kind) {}

TreatmentLogError::~TreatmentLogError() = default;

int TreatmentLog::schema_version() noexcept { return records::kSchemaVersion; }

TreatmentLog TreatmentLog::open(const std::string& path, const TreatmentLogOptions& options) {
    if (path.empty()) throw InvalidArgumentError("the treatment log path is empty");
    if (options.busy_timeout.count() < 0)
        throw InvalidArgumentError("busy_timeout " + std::to_string(options.busy_timeout.count()) +
                                   " ms is negative");
    if (!options.create && !std::filesystem::exists(path)) {
        throw TreatmentLogError(TreatmentLogProblem::Storage,
                                "the treatment log '" + path + "' does not exist");
    }
    auto impl = std::make_unique<Impl>(path, static_cast<int>(std::min<std::int64_t>(
                                                 options.busy_timeout.count(), 24 * 3600 * 1000)));
    records::prepare_schema(impl->db);
    // WAL: readers never block the writer and a crash mid-write leaves the last commit intact.
    impl->db.execute("PRAGMA journal_mode = WAL");
    impl->db.execute("PRAGMA foreign_keys = ON");
    impl->me = records::this_process();
    impl->interrupted = mark_interrupted(impl->db);
    return TreatmentLog(std::move(impl));
}

TreatmentLog::TreatmentLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TreatmentLog::~TreatmentLog() = default;
TreatmentLog::TreatmentLog(TreatmentLog&& other) noexcept = default;
TreatmentLog& TreatmentLog::operator=(TreatmentLog&& other) noexcept = default;

const std::string& TreatmentLog::path() const { return impl_->db.path(); }

const std::vector<std::int64_t>& TreatmentLog::interrupted_at_open() const {
    return impl_->interrupted;
}

std::int64_t TreatmentLog::begin_run(const RunStart& start) {
    require_text(start.cartridge_id, "cartridge_id");
    if (start.cartridge_id == "0")
        throw InvalidArgumentError("cartridge_id 0 means no cartridge is fitted; fit one first");
    require_text(start.pen_serial, "pen_serial");
    const auto recording = resolved(start.recording);
    std::lock_guard lock(impl_->mutex);
    auto& db = impl_->db;
    // The check and the claim in one write transaction: a second process waits for this one
    // to commit and then sees its run.
    Transaction transaction(db);
    {
        Statement earlier(db,
                          "SELECT id, outcome, started_utc, owner_pid FROM runs "
                          "WHERE cartridge_id = ?1 AND outcome IN ('running', 'completed', "
                          "'aborted') ORDER BY (outcome = 'running') DESC, id DESC LIMIT 1");
        earlier.bind(1, start.cartridge_id);
        if (earlier.step()) {
            const auto id = std::to_string(earlier.integer(0));
            const auto outcome = earlier.text(1);
            if (outcome == "running") {
                throw TreatmentLogError(TreatmentLogProblem::CartridgeUsed,
                                        "cartridge " + start.cartridge_id + " is in use by run " +
                                            id + " (in progress since " + earlier.text(2) +
                                            ", process " + std::to_string(earlier.integer(3)) +
                                            "); a cartridge serves one run");
            }
            if (start.cartridge_override_reason.empty()) {
                throw TreatmentLogError(
                    TreatmentLogProblem::CartridgeUsed,
                    "cartridge " + start.cartridge_id + " was already used by run " + id + " (" +
                        outcome + ", started " + earlier.text(2) +
                        "); cartridges are single-use: fit a new one, or give an override "
                        "reason, which is recorded");
            }
        }
    }
    Statement insert(db, (std::string("INSERT INTO runs (started_utc, pen_serial, pen_model, "
                                      "pen_firmware, cartridge_id, recipe_name, recipe_hash, "
                                      "device_class, client_reference, outcome, "
                                      "cartridge_override_reason, owner_host, owner_pid, "
                                      "owner_start, recording_path, recording_absolute_path, "
                                      "recording_started_unix_ms) VALUES (") +
                          kNow +
                          ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'running', ?9, ?10, ?11, ?12, ?13, "
                          "?14, ?15)")
                             .c_str());
    insert.bind(1, start.pen_serial)
        .bind(2, start.pen_model)
        .bind(3, start.pen_firmware)
        .bind(4, start.cartridge_id)
        .bind(5, start.recipe_name)
        .bind(6, start.recipe_hash)
        .bind(7, start.device_class)
        .bind(8, start.client_reference)
        .bind(9, start.cartridge_override_reason)
        .bind(10, impl_->me.host)
        .bind(11, impl_->me.pid)
        .bind(12, impl_->me.start);
    if (recording) {
        insert.bind(13, recording->path)
            .bind(14, recording->absolute_path)
            .bind(15, recording->started_unix_ms);
    } else {
        insert.bind_null(13).bind_null(14).bind_null(15);
    }
    insert.run();
    const auto id = db.last_insert_id();
    transaction.commit();
    return id;
}

void TreatmentLog::step_started(std::int64_t run, std::size_t index, const std::string& name,
                                const std::string& zone, double started_s) {
    if (!std::isfinite(started_s) || started_s < 0.0)
        throw OutOfRangeError("step " + std::to_string(index) + " (" + name + ") started_s " +
                                  number(started_s) + " s is not a finite time of at least 0 s",
                              started_s, 0.0, "s");
    std::lock_guard lock(impl_->mutex);
    auto& db = impl_->db;
    Transaction transaction(db);
    require_running(db, run);
    Statement insert(db,
                     "INSERT OR REPLACE INTO steps (run_id, step_index, name, zone, started_s, "
                     "outcome) VALUES (?1, ?2, ?3, ?4, ?5, 'running')");
    insert.bind(1, run)
        .bind(2, static_cast<std::int64_t>(index))
        .bind(3, name)
        .bind(4, zone)
        .bind(5, started_s)
        .run();
    transaction.commit();
}

void TreatmentLog::step_finished(std::int64_t run, const StepTotals& totals) {
    check_totals(totals);
    std::lock_guard lock(impl_->mutex);
    auto& db = impl_->db;
    Transaction transaction(db);
    require_running(db, run);
    const auto index = static_cast<std::int64_t>(totals.index);
    Statement clear(db, "DELETE FROM step_module_totals WHERE run_id = ?1 AND step_index = ?2");
    clear.bind(1, run).bind(2, index).run();
    Statement upsert(db,
                     "INSERT OR REPLACE INTO steps (run_id, step_index, name, zone, started_s, "
                     "ended_s, strokes, depth_set_min_mm, depth_set_max_mm, depth_actual_min_mm, "
                     "depth_actual_max_mm, rf_energy_j, led_dose_j_cm2, outcome) VALUES (?1, ?2, "
                     "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    upsert.bind(1, run)
        .bind(2, index)
        .bind(3, totals.name)
        .bind(4, totals.zone)
        .bind(5, totals.started_s)
        .bind(6, totals.ended_s)
        .bind(7, static_cast<std::int64_t>(totals.strokes))
        .bind(8, totals.depth_set_min_mm)
        .bind(9, totals.depth_set_max_mm)
        .bind(10, totals.depth_actual_min_mm)
        .bind(11, totals.depth_actual_max_mm)
        .bind(12, totals.rf_energy_j)
        .bind(13, totals.led_dose_j_cm2)
        .bind(14, totals.outcome.empty() ? std::string("completed") : totals.outcome)
        .run();
    for (const auto& [key, value] : totals.module_totals) {
        Statement module(db,
                         "INSERT INTO step_module_totals (run_id, step_index, key, value) VALUES "
                         "(?1, ?2, ?3, ?4)");
        module.bind(1, run).bind(2, index).bind(3, key).bind(4, value).run();
    }
    transaction.commit();
}

void TreatmentLog::event(std::int64_t run, const RunEvent& event) {
    if (!std::isfinite(event.t_s) || event.t_s < 0.0)
        throw OutOfRangeError("event '" + event.kind + "' at " + number(event.t_s) +
                                  " s: not a finite time of at least 0 s",
                              event.t_s, 0.0, "s");
    require_text(event.kind, "the event's kind");
    std::lock_guard lock(impl_->mutex);
    auto& db = impl_->db;
    Transaction transaction(db);
    require_running(db, run);
    Statement insert(db, "INSERT INTO events (run_id, t_s, kind, text) VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, run).bind(2, event.t_s).bind(3, event.kind).bind(4, event.text).run();
    transaction.commit();
}

void TreatmentLog::finish_run(std::int64_t run, const RunEnd& end) {
    if (end.outcome == RunOutcome::Running || end.outcome == RunOutcome::Interrupted) {
        throw InvalidArgumentError(std::string("a run cannot be finished as ") +
                                   to_string(end.outcome) + "; use completed, aborted or failed");
    }
    std::lock_guard lock(impl_->mutex);
    auto& db = impl_->db;
    Transaction transaction(db);
    require_running(db, run);
    const std::string outcome = to_string(end.outcome);
    Statement update(db, (std::string("UPDATE runs SET outcome = ?1, ended_utc = ") + kNow +
                          ", failing_step = ?2, reason = ?3 WHERE id = ?4")
                             .c_str());
    update.bind(1, outcome)
        .bind(2, end.failing_step
                     ? std::optional<std::int64_t>(static_cast<std::int64_t>(*end.failing_step))
                     : std::nullopt)
        .bind(3, end.reason)
        .bind(4, run)
        .run();
    Statement steps(db, "UPDATE steps SET outcome = ?1 WHERE run_id = ?2 AND outcome = 'running'");
    steps.bind(1, outcome).bind(2, run).run();
    transaction.commit();
}

}  // namespace penlink
