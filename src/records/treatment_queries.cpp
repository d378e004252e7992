// TreatmentLog's queries: recent runs, one run's report, the cartridge ledger.
#include "records/treatment_log_impl.hpp"

namespace penlink {
namespace {

using records::Statement;

constexpr const char* kRunColumns =
    "id, started_utc, ended_utc, pen_serial, pen_model, pen_firmware, cartridge_id, "
    "recipe_name, recipe_hash, device_class, client_reference, outcome, failing_step, reason, "
    "cartridge_override_reason, (SELECT count(*) FROM steps WHERE steps.run_id = runs.id), "
    "recording_path, recording_absolute_path, recording_started_unix_ms";

RunSummary read_run(const Statement& row, const std::string& path) {
    RunSummary run;
    run.id = row.integer(0);
    run.started_utc = row.text(1);
    run.ended_utc = row.text(2);
    run.pen_serial = row.text(3);
    run.pen_model = row.text(4);
    run.pen_firmware = row.text(5);
    run.cartridge_id = row.text(6);
    run.recipe_name = row.text(7);
    run.recipe_hash = row.text(8);
    run.device_class = row.text(9);
    run.client_reference = row.text(10);
    run.outcome = records::outcome_from_text(row.text(11), path);
    if (!row.is_null(12)) run.failing_step = static_cast<std::size_t>(row.integer(12));
    run.reason = row.text(13);
    run.cartridge_override_reason = row.text(14);
    run.steps = static_cast<std::size_t>(row.integer(15));
    if (!row.is_null(16)) {
        run.recording =
            RecordingFile{row.text(16), row.text(17), row.is_null(18) ? 0 : row.integer(18)};
    }
    return run;
}

std::vector<CartridgeUse> read_uses(Statement& query, const std::string& path) {
    std::vector<CartridgeUse> uses;
    while (query.step()) {
        CartridgeUse use;
        use.cartridge_id = query.text(0);
        use.run_id = query.integer(1);
        use.started_utc = query.text(2);
        use.pen_serial = query.text(3);
        use.outcome = records::outcome_from_text(query.text(4), path);
        use.override_reason = query.text(5);
        uses.push_back(std::move(use));
    }
    return uses;
}

constexpr const char* kUseColumns =
    "SELECT cartridge_id, id, started_utc, pen_serial, outcome, cartridge_override_reason "
    "FROM runs ";

std::int64_t as_limit(std::size_t limit) {
    return static_cast<std::int64_t>(std::min<std::size_t>(limit, 1u << 30));
}

}  // namespace

std::vector<RunSummary> TreatmentLog::recent_runs(std::size_t limit) {
    std::lock_guard lock(impl_->mutex);
    Statement query(
        impl_->db,
        (std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id DESC LIMIT ?1").c_str());
    query.bind(1, as_limit(limit));
    std::vector<RunSummary> runs;
    while (query.step()) runs.push_back(read_run(query, impl_->db.path()));
    return runs;
}

RunReport TreatmentLog::report(std::int64_t run) {
    std::lock_guard lock(impl_->mutex);
    auto& db = impl_->db;
    // One read transaction: the run, its steps and its events as of one moment.
    db.execute("BEGIN");
    struct Rollback {
        records::Database& db;
        ~Rollback() {
            try {
                db.execute("COMMIT");
            } catch (...) {
                // A read-only transaction has nothing to lose.
            }
        }
    } end_read{db};
    RunReport report;
    {
        Statement query(
            db, (std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1").c_str());
        query.bind(1, run);
        if (!query.step())
            throw TreatmentLogError(
                TreatmentLogProblem::UnknownRun,
                "the treatment log '" + db.path() + "' has no run " + std::to_string(run));
        report.run = read_run(query, db.path());
    }
    Statement steps(db,
                    "SELECT step_index, name, zone, started_s, coalesce(ended_s, started_s), "
                    "strokes, coalesce(depth_set_min_mm, 0), coalesce(depth_set_max_mm, 0), "
                    "coalesce(depth_actual_min_mm, 0), coalesce(depth_actual_max_mm, 0), "
                    "rf_energy_j, led_dose_j_cm2, outcome FROM steps WHERE run_id = ?1 "
                    "ORDER BY step_index");
    steps.bind(1, run);
    while (steps.step()) {
        StepTotals step;
        step.index = static_cast<std::size_t>(steps.integer(0));
        step.name = steps.text(1);
        step.zone = steps.text(2);
        step.started_s = steps.real(3);
        step.ended_s = steps.real(4);
        step.strokes = static_cast<std::uint64_t>(steps.integer(5));
        step.depth_set_min_mm = steps.real(6);
        step.depth_set_max_mm = steps.real(7);
        step.depth_actual_min_mm = steps.real(8);
        step.depth_actual_max_mm = steps.real(9);
        step.rf_energy_j = steps.real(10);
        step.led_dose_j_cm2 = steps.real(11);
        step.outcome = steps.text(12);
        report.steps.push_back(std::move(step));
    }
    Statement modules(db,
                      "SELECT step_index, key, value FROM step_module_totals WHERE run_id = ?1");
    modules.bind(1, run);
    while (modules.step()) {
        const auto index = static_cast<std::size_t>(modules.integer(0));
        for (auto& step : report.steps)
            if (step.index == index) step.module_totals[modules.text(1)] = modules.real(2);
    }
    Statement events(db, "SELECT t_s, kind, text FROM events WHERE run_id = ?1 ORDER BY t_s, id");
    events.bind(1, run);
    while (events.step())
        report.events.push_back(RunEvent{events.real(0), events.text(1), events.text(2)});
    return report;
}

std::vector<CartridgeUse> TreatmentLog::cartridge_ledger(std::size_t limit) {
    std::lock_guard lock(impl_->mutex);
    Statement query(impl_->db, (std::string(kUseColumns) + "ORDER BY id DESC LIMIT ?1").c_str());
    query.bind(1, as_limit(limit));
    return read_uses(query, impl_->db.path());
}

std::vector<CartridgeUse> TreatmentLog::cartridge_uses(const std::string& cartridge_id) {
    std::lock_guard lock(impl_->mutex);
    Statement query(
        impl_->db, (std::string(kUseColumns) + "WHERE cartridge_id = ?1 ORDER BY id DESC").c_str());
    query.bind(1, cartridge_id);
    return read_uses(query, impl_->db.path());
}

}  // namespace penlink
