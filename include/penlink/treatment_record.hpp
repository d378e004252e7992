/// @file treatment_record.hpp
/// @brief A treatment run written into the treatment record as it happens (docs/records.md,
/// docs/treatments.md): the glue between treatment::Runner and TreatmentLog.
///
/// RunRecord is a RunObserver. Given to RunOptions::observer, it claims the run's cartridge in
/// the record when the runner starts the run, before anything on the pen moves; a cartridge that
/// a finished run already used (without an override reason) fails the run there, with
/// everything still off. Then it writes each step as it starts and ends, every event, and the
/// outcome, so a failed or aborted run still leaves a complete record.
///
/// Threads: the runner calls it on the runner's own thread; run_id() may be read from any.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "penlink/export.h"
#include "penlink/records.hpp"
#include "penlink/treatment_runner.hpp"

namespace penlink::treatment {

/// What a recorded run carries besides the runner's own facts.
struct RunRecordOptions {
    /// An opaque reference the app keeps to its client (never a name or other personal data).
    std::string client_reference;
    /// Non-empty: run even though a finished run used the cartridge, for this reason (recorded).
    std::string cartridge_override_reason;
    /// Non-empty: the run's session recording is this file (written by another process or a
    /// proxy, say), stored with the run instead of the pen's own (RunInfo::recording). It must
    /// already be a penlink recording when the run starts: its header identifies it.
    std::string recording_path;
};

/// Writes one run into a TreatmentLog (see the file comment). Forwards every call to next (may
/// be null) after recording it.
class PENLINK_EXPORT RunRecord final : public RunObserver {
public:
    /// log must outlive the run; so must next.
    explicit RunRecord(TreatmentLog& log, RunRecordOptions options = {},
                       RunObserver* next = nullptr);
    ~RunRecord() override;
    RunRecord(const RunRecord&) = delete;
    RunRecord& operator=(const RunRecord&) = delete;

    /// The run's id in the log once the cartridge was claimed; nullopt before, or if refused.
    std::optional<std::int64_t> run_id() const;

    /// Claims the cartridge (TreatmentLog::begin_run) and stores the run's recording: the one
    /// in RunRecordOptions::recording_path, else the pen's (RunInfo::recording), else none.
    /// Throws TreatmentLogError CartridgeUsed (the runner then fails the run before any
    /// output), InvalidArgumentError when the pen reports no cartridge or recording_path is not
    /// a readable penlink recording.
    void run_started(const RunInfo& info) override;
    /// Records the step as begun.
    void step_started(std::size_t index, const RecipeStep& step, double t_s) override;
    /// Records the step's totals.
    void step_finished(const StepTotals& totals) override;
    /// Records the event.
    void event(double t_s, const std::string& kind, const std::string& text) override;
    /// Records the outcome.
    void run_finished(const RunResult& result) override;

private:
    TreatmentLog& log_;
    RunRecordOptions options_;
    RunObserver* next_;
    std::atomic<std::int64_t> run_{0};  // 0 = no run begun in the log
};

/// The outcome the treatment log stores for a runner's outcome (Completed, Aborted and Failed
/// keep their meaning; the log's numbers are the C ABI's pl_run_outcome).
PENLINK_EXPORT penlink::RunOutcome to_logged_outcome(RunOutcome outcome) noexcept;

/// The SHA-256 of a recipe's text as lowercase hex: what the record stores as recipe_hash.
PENLINK_EXPORT std::string recipe_hash(const std::string& recipe_source);

}  // namespace penlink::treatment
