// Records what a Runner tells its observer and progress callback, and the pen's status frames,
// for the runner tests to check afterwards.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "penlink/pen.hpp"
#include "penlink/treatment_runner.hpp"
#include "wait.hpp"

namespace penlink::treatment_test {

class RunLog : public treatment::RunObserver {
public:
    void run_started(const treatment::RunInfo& run) override {
        std::lock_guard lock(mutex);
        info = run;
        calls.push_back("run_started");
    }
    void step_started(std::size_t index, const treatment::RecipeStep& step, double) override {
        std::lock_guard lock(mutex);
        calls.push_back("step_started " + std::to_string(index) + " " + step.name);
    }
    void step_finished(const treatment::StepTotals& totals) override {
        std::lock_guard lock(mutex);
        calls.push_back("step_finished " + std::to_string(totals.index) + " " + totals.outcome);
        steps.push_back(totals);
    }
    void event(double, const std::string& kind, const std::string& text) override {
        std::lock_guard lock(mutex);
        events.push_back(kind + ": " + text);
    }
    void run_finished(const treatment::RunResult& result) override {
        std::lock_guard lock(mutex);
        calls.push_back(std::string("run_finished ") + treatment::to_string(result.outcome));
    }
    void progress(const treatment::RunProgress& progress) {
        std::lock_guard lock(mutex);
        progresses.push_back(progress);
    }
    bool saw_event(const std::string& prefix) const {
        std::lock_guard lock(mutex);
        for (const auto& event : events)
            if (event.rfind(prefix, 0) == 0) return true;
        return false;
    }
    std::size_t progress_count() const {
        std::lock_guard lock(mutex);
        return progresses.size();
    }
    /// The newest progress report (waits for one).
    treatment::RunProgress last_progress() const {
        std::lock_guard lock(mutex);
        return progresses.empty() ? treatment::RunProgress{} : progresses.back();
    }

    mutable std::mutex mutex;
    treatment::RunInfo info;
    std::vector<std::string> calls;
    std::vector<treatment::StepTotals> steps;
    std::vector<std::string> events;
    std::vector<treatment::RunProgress> progresses;
};

/// Every status frame the pen sends while it lives (state, depth set, depth actual, RF).
class FrameLog {
public:
    struct Frame {
        PenState state;
        double depth_set_mm, depth_actual_mm;
        bool rf_enabled, led_enabled;
    };
    explicit FrameLog(Pen& pen)
        : subscription_(pen.subscribe_status(
              [this](const Status& s) {
                  std::lock_guard lock(mutex_);
                  frames_.push_back(
                      {s.state, s.depth_set_mm, s.depth_actual_mm, s.rf_enabled, s.led_enabled});
              },
              100)) {}
    std::vector<Frame> frames() const {
        std::lock_guard lock(mutex_);
        return frames_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<Frame> frames_;
    Subscription subscription_;
};

/// A RunLog that also runs a hook after each step_started / step_finished (on the runner's
/// thread), so a test can call the runner's controls at exactly that point.
class HookedLog : public RunLog {
public:
    void step_started(std::size_t index, const treatment::RecipeStep& step, double t_s) override {
        RunLog::step_started(index, step, t_s);
        if (on_step_started) on_step_started(index);
    }
    void step_finished(const treatment::StepTotals& totals) override {
        RunLog::step_finished(totals);
        if (on_step_finished) on_step_finished(totals.index);
    }
    /// Runs action once step index has finished: the gap before the next step begins.
    void after_step(std::size_t index, std::function<void()> action) {
        on_step_finished = [index, action = std::move(action)](std::size_t finished) {
            if (finished == index) action();
        };
    }
    std::function<void(std::size_t)> on_step_started, on_step_finished;
};

/// Run options that tell log everything, with progress every 50 ms.
inline treatment::RunOptions options_for(RunLog& log) {
    treatment::RunOptions options;
    options.observer = &log;
    options.progress_interval = std::chrono::milliseconds(50);
    options.on_progress = [&log](const treatment::RunProgress& progress) {
        log.progress(progress);
    };
    return options;
}

/// The set depth of each stretch of frames with the needle running, in order.
inline std::vector<double> running_segments(const FrameLog& frames) {
    std::vector<double> segments;
    bool running = false;
    for (const auto& frame : frames.frames()) {
        if (frame.state == PenState::Running && !running) segments.push_back(frame.depth_set_mm);
        running = frame.state == PenState::Running;
    }
    return segments;
}

}  // namespace penlink::treatment_test
