/// @file penlink_bind_observer.hpp
/// @brief The run observer (penlink::treatment::RunObserver) for the bindings: a RunListener
/// director whose five callbacks take the plain shapes of penlink_bind_treatment_values.hpp,
/// and the adapter that feeds it from the C++ runner, next to the treatment record when the
/// run is also written into the log (TreatmentOptions::record_db_path).
///
/// Threads: every RunListener callback runs on the runner's own thread, one at a time, in the
/// order the run happens (run_started, then step_started / event / step_finished per step,
/// then run_finished). The host must keep the listener referenced while its Runner lives. The
/// Runner may be destroyed from inside one of these callbacks (a GC run there): as with
/// ProgressListener, the listener is unhooked at once and the join happens on another thread.
/// What a callback throws is reported through the log (report_callback_error) and the run goes
/// on. Header-only like penlink_bind.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "penlink/treatment_runner.hpp"
#include "penlink_bind.hpp"
#include "penlink_bind_treatment_values.hpp"

namespace penlink::bind {

/// The run about to start (penlink::treatment::RunInfo) as a plain value.
struct RunInfo {
    std::string recipe_name;
    std::string recipe_source;  ///< the recipe's JSON text
    std::int32_t step_count = 0;
    double planned_duration_s = 0.0;  ///< the recipe's needle time, s
    std::string device_class;         ///< "professional" or "at-home"
    std::string zone_chart;           ///< the zone chart's name
    std::string pen_model;
    std::string pen_serial;
    std::string pen_firmware;
    std::uint32_t cartridge_id = 0;  ///< the cartridge fitted at start; 0 = unknown
};

/// Told how a run goes, step by step, on the runner's thread (see the file comment). Every
/// method does nothing unless the host overrides it.
class RunListener {
public:
    virtual ~RunListener() = default;
    /// Before the first step.
    virtual void run_started(const RunInfo& info) { (void)info; }
    /// As step index begins (before its depth is set); t_s since the run started.
    virtual void step_started(std::int32_t index, const RecipeStep& step, double t_s) {
        (void)index;
        (void)step;
        (void)t_s;
    }
    /// As a step ends, with what it delivered.
    virtual void step_finished(const StepTotals& totals) { (void)totals; }
    /// Something worth recording: kind is "pause", "resume", "skip", "abort", "fault", "estop",
    /// "link", "cartridge", "operator", "pass", "outputs-off" or "warning".
    virtual void event(double t_s, const std::string& kind, const std::string& text) {
        (void)t_s;
        (void)kind;
        (void)text;
    }
    /// After everything is off, with the result.
    virtual void run_finished(const RunResult& result) { (void)result; }
};

#ifndef SWIG
namespace detail {

inline RecipeStep to_step(const treatment::RecipeStep& s) {
    RecipeStep step;
    step.kind = static_cast<std::int32_t>(s.kind);
    step.name = s.name;
    step.zone = s.zone;
    step.depth_mm = s.depth_mm;
    step.speed_hz = s.speed_hz;
    step.duration_s = s.duration_s;
    step.passes = s.passes;
    step.pass_duration_s = s.pass_duration_s;
    for (const treatment::ModuleSettings& m : s.modules) step.modules.push_back(m.module);
    step.message = s.message;
    return step;
}

inline RunInfo to_info(const treatment::RunInfo& i) {
    return RunInfo{i.recipe_name,
                   i.recipe_source,
                   static_cast<std::int32_t>(i.step_count),
                   i.planned_duration_s,
                   treatment::to_string(i.device_class),
                   i.zone_chart,
                   i.pen_model,
                   i.pen_serial,
                   i.pen_firmware,
                   i.cartridge_id};
}

/// The one RunObserver a bound Runner hands the C++ runner (RunOptions::observer is a single
/// pointer): tells the treatment record first, so the log has a step before the app hears of
/// it, then the app's RunListener. listener is cleared (under the lock) before the Runner goes
/// away, so a listener the host has released is never called.
class RunObserverFanOut final : public treatment::RunObserver {
public:
    /// runner marks the callbacks as this Runner's own (progress_runner()).
    RunObserverFanOut(const void* runner, treatment::RunObserver* record, RunListener* listener)
        : runner_(runner), record_(record), listener_(listener) {}

    /// Unhooks the app's listener; returns once no callback of it is running on another
    /// thread.
    void clear_listener() {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        listener_ = nullptr;
    }

    void run_started(const treatment::RunInfo& info) override {
        if (record_) record_->run_started(info);
        tell("run_started", [&](RunListener& l) { l.run_started(to_info(info)); });
    }
    void step_started(std::size_t index, const treatment::RecipeStep& step, double t_s) override {
        if (record_) record_->step_started(index, step, t_s);
        tell("step_started", [&](RunListener& l) {
            l.step_started(static_cast<std::int32_t>(index), to_step(step), t_s);
        });
    }
    void step_finished(const treatment::StepTotals& totals) override {
        if (record_) record_->step_finished(totals);
        tell("step_finished", [&](RunListener& l) { l.step_finished(to_totals(totals)); });
    }
    void event(double t_s, const std::string& kind, const std::string& text) override {
        if (record_) record_->event(t_s, kind, text);
        tell("event", [&](RunListener& l) { l.event(t_s, kind, text); });
    }
    void run_finished(const treatment::RunResult& result) override {
        if (record_) record_->run_finished(result);
        tell("run_finished", [&](RunListener& l) { l.run_finished(to_result(result)); });
    }

private:
    template <class Call>
    void tell(const char* what, Call&& call) {
        // recursive: the Runner may be destroyed (clear_listener) inside the callback
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        if (listener_ == nullptr) return;
        const void* previous = progress_runner();
        progress_runner() = runner_;
        guarded(what, [&] { call(*listener_); });
        progress_runner() = previous;
    }

    const void* runner_;
    treatment::RunObserver* record_;
    std::recursive_mutex mutex_;
    RunListener* listener_;
};

}  // namespace detail
#endif

}  // namespace penlink::bind
