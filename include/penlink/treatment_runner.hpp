/// @file treatment_runner.hpp
/// @brief Runs a validated recipe on a connected pen (docs/treatments.md, "The runner").
///
/// Safety: before a step starts, the needle is stopped, outputs are off and the depth is set
/// (and measured) at or below the step's zone cap; when the next zone is shallower the depth is
/// lowered before the step ends, so it never exceeds the cap of the zone being worked on. On a
/// fault, emergency stop, removed cartridge, lost link or pen restart the runner switches
/// everything off and the run ends as failed, naming the step and the reason.
///
/// Threads: a Runner has one thread of its own that drives the pen. Progress callbacks and
/// every RunObserver call run on that thread, one at a time, in order; they may call pause(),
/// resume(), skip() and abort() but not wait() (which throws there). The runner's own pen
/// callbacks only copy and wake that thread, as the pen's callback-thread rules ask
/// (penlink/pen.hpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "penlink/export.h"
#include "penlink/records.hpp"
#include "penlink/treatment.hpp"

namespace penlink {

class Pen;

namespace treatment {

/// How a run, or one of its steps, ended.
enum class RunOutcome {
    Completed = 0,  ///< every step ran to its end (some perhaps skipped)
    Aborted = 1,    ///< the app called abort()
    Failed = 2,     ///< a fault, e-stop, lost link, restart or refused command stopped it
};
/// "completed", "aborted" or "failed".
PENLINK_EXPORT const char* to_string(RunOutcome outcome) noexcept;

/// What the runner is doing.
enum class RunState {
    NotStarted = 0,          ///< start() not called yet
    Running = 1,             ///< a Treat step with the needle running
    Paused = 2,              ///< pause(): needle and outputs off until resume()
    WaitingForOperator = 3,  ///< a Pause step: waits for the pen's button or resume()
    Finished = 4,            ///< wait() returns the result at once
};
/// "not started", "running", "paused", "waiting for operator", "finished".
PENLINK_EXPORT const char* to_string(RunState state) noexcept;

/// The run about to start (RunObserver::run_started).
struct RunInfo {
    std::string recipe_name;          ///< Recipe::name
    std::string recipe_source;        ///< Recipe::source, the JSON text (to hash and store)
    std::size_t step_count = 0;       ///< Recipe::steps.size()
    double planned_duration_s = 0.0;  ///< Recipe::total_duration_s()
    DeviceClass device_class = DeviceClass::Professional;  ///< the app's device class
    std::string zone_chart;                                ///< the zone chart's name
    std::string pen_model;                                 ///< DeviceInfo::model
    std::string pen_serial;                                ///< DeviceInfo::serial_number
    std::string pen_firmware;                              ///< DeviceInfo::firmware_version
    std::uint32_t cartridge_id = 0;  ///< the cartridge fitted at start (0 = unknown)
    /// The session recording the pen was writing when the run started
    /// (Pen::active_recording()); nullopt if none.
    std::optional<RecordingFile> recording;
};

/// What one step delivered (RunObserver::step_finished, RunResult::steps): the same type the
/// treatment record stores (penlink/records.hpp), so a run's totals go into the log as they are.
using StepTotals = penlink::StepTotals;

/// How the run ended.
struct RunResult {
    RunOutcome outcome = RunOutcome::Completed;  ///< completed, aborted or failed
    /// The step that was running when it was aborted or failed; nullopt if completed.
    std::optional<std::size_t> step;
    std::string reason;             ///< why it was aborted or failed; "" if completed
    std::vector<StepTotals> steps;  ///< every step begun, in order
    double duration_s = 0.0;        ///< from start to the end, s
};

/// Progress of a run, at RunOptions::progress_interval while it runs.
struct RunProgress {
    RunState state = RunState::Running;  ///< running, paused, waiting for operator
    std::size_t step = 0;                ///< index of the current step
    std::size_t step_count = 0;          ///< steps in the recipe
    std::string step_name;               ///< the current step's name
    std::string zone;                    ///< the current zone key; "" in a Pause step
    std::int32_t pass = 0;               ///< current pass (1-based) when given as passes, else 0
    std::int32_t passes = 0;             ///< the step's passes, 0 if given as a duration
    double step_elapsed_s = 0.0;         ///< needle time in this step so far, s
    double step_duration_s = 0.0;        ///< the step's duration, s
    double run_elapsed_s = 0.0;          ///< since the run started (pauses included), s
    double time_left_s = 0.0;            ///< needle time left in this and later steps, s
    std::uint64_t step_strokes = 0;      ///< strokes in this step
    std::uint64_t total_strokes = 0;     ///< strokes since the run started
    double rf_energy_j = 0.0;            ///< RF energy since the run started, J
    double led_dose_j_cm2 = 0.0;         ///< LED dose since the run started, J/cm2
    std::map<std::string, double> module_totals;  ///< see StepTotals::module_totals, run-wide
};

/// What a treatment record plugs in to follow a run. Every method runs on the runner's thread
/// (see the file comment) and should return quickly; the defaults do nothing.
class PENLINK_EXPORT RunObserver {
public:
    virtual ~RunObserver();
    /// Before the first step.
    virtual void run_started(const RunInfo& info);
    /// As step index begins (before its depth is set).
    virtual void step_started(std::size_t index, const RecipeStep& step, double t_s);
    /// As a step ends, with what it delivered.
    virtual void step_finished(const StepTotals& totals);
    /// Something worth recording: kind is "pause", "resume", "skip", "abort", "fault",
    /// "estop", "link", "cartridge", "operator", "pass", "outputs-off" or "warning".
    virtual void event(double t_s, const std::string& kind, const std::string& text);
    /// After everything is off, with the result.
    virtual void run_finished(const RunResult& result);
};

/// How a run goes.
struct RunOptions {
    ZoneChart zones = ZoneChart::standard();  ///< the chart caps come from
    DeviceProfile device;                     ///< the device class
    /// Called with progress on the runner's thread; may be empty.
    std::function<void(const RunProgress&)> on_progress;
    /// Told about the run; may be null; must outlive the Runner.
    RunObserver* observer = nullptr;
    /// How often on_progress is called.
    std::chrono::milliseconds progress_interval{200};
    /// Status rate the runner subscribes at, Hz.
    std::int32_t status_rate_hz = 50;
    /// How close the measured depth must come to the set depth before the needle starts, mm.
    double depth_tolerance_mm = 0.02;
    /// How long the depth may take to get there before the run fails.
    std::chrono::milliseconds depth_settle_timeout{3000};
};

/// Runs one recipe on one pen, once. Thread-safe.
class PENLINK_EXPORT Runner {
public:
    /// Keeps a reference to pen, which must outlive the Runner. Nothing is sent yet.
    Runner(Pen& pen, Recipe recipe, RunOptions options = {});
    /// Aborts a run still going, waits for everything to be off and joins the thread.
    ~Runner();
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    /// Validates the recipe against the pen (every violation at once) and starts the run on
    /// the runner's thread. Throws InvalidArgumentError whose message lists every violation
    /// (validation() has them), or SafetyError if the pen is in a fault or e-stop. Only once.
    void start();
    /// The report of start()'s validation (empty before start()).
    const ValidationReport& validation() const;
    /// Stops the needle and switches outputs off, keeps the step's place; resume() goes on.
    /// Applied before the needle next starts: called between two steps (or before the first),
    /// the next treat step waits paused, its needle, depth and outputs untouched, until
    /// resume(). Pending when a Pause step begins, it is absorbed by that step (the run waits
    /// for the operator anyway). Ignored before start(), after the run, while paused and while
    /// a Pause step waits (docs/treatments.md, "Pause and resume").
    void pause();
    /// Resumes after pause(), or continues a Pause step (as the pen's button does). Called
    /// with a pause() pending that has not been applied yet, it cancels it. Called between two
    /// steps (after one ended, before the next began, e.g. from step_finished), it is kept for
    /// the next step and continues it at once if it is a Pause step ("continued"); a treat step
    /// has nothing to resume and drops it. While a treat step runs with nothing paused, and
    /// before start() or after the run, it is ignored and not remembered, so it never
    /// continues a later Pause step. A later pause() cancels a kept resume().
    void resume();
    /// Ends one step (outcome "skipped") and goes on with the next: the earliest step that has
    /// not ended yet when skip() is called. That is the step running, paused or waiting for the
    /// operator; or, when called between two steps (after one ended, before the next began,
    /// e.g. from step_finished), the next step, which then ends as soon as it begins, before
    /// its needle starts or any of its outputs or depth is set. Each call ends one step: two
    /// calls end two steps; nothing is merged or dropped. Ignored before start() and once the
    /// last step has ended. abort() and failures win over a pending skip (docs/treatments.md,
    /// "Which step a skip ends").
    void skip();
    /// Ends the run: everything off, outcome Aborted with reason.
    void abort(const std::string& reason = "aborted by the app");
    /// What the runner is doing now.
    RunState state() const;
    /// Blocks until the run ends; returns its result. Throws std::logic_error if called on the
    /// runner's own thread (from a callback) or before start().
    RunResult wait();
    /// Waits up to timeout; nullopt if the run is still going.
    std::optional<RunResult> wait_for(std::chrono::milliseconds timeout);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace treatment
}  // namespace penlink
