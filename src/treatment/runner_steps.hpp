// The run on the runner's own thread, split by concern: the steps (runner_steps.cpp), the
// safety moves between and after them (runner_safety.cpp), and what the pen's callbacks and the
// progress reports carry (runner_watch.cpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "runner_impl.hpp"

namespace penlink::treatment::detail {

/// Thrown inside the run when it must stop: abort, or a failure from a callback.
struct StopRun {
    RunOutcome outcome;
    std::string reason;
};

class StepRunner {
public:
    using Clock = std::chrono::steady_clock;
    explicit StepRunner(Runner::Impl& impl) : impl_(impl), pen_(impl.pen) {}
    void run();

private:
    void subscribe();
    void on_event(const Event& event);
    RunInfo run_info() const;
    void run_step(std::size_t index);
    void close_step(StepTotals totals);
    /// A Pause step: waits for the pen's button, resume() or skip(); "continued" or "skipped".
    std::string wait_for_operator(std::size_t index, const RecipeStep& step);
    std::string treat(std::size_t index, const RecipeStep& step);
    /// Needle and outputs off until resume(); false if the step was skipped meanwhile.
    bool pause_step(std::size_t index, const RecipeStep& step, double needle_s);
    /// Starts the step's needle (speed, depth measured there, modules, start), unless a pause()
    /// is pending: then it waits paused, needle off, first; false if skipped meanwhile.
    bool start_needle_unless_paused(std::size_t index, const RecipeStep& step, double needle_s);
    /// Under mutex: takes a pending pause() (not when a skip is pending), state Paused.
    bool take_pause_locked();
    /// Speed, depth (measured there) and module settings of the step; the needle stays off.
    void prepare_needle(const RecipeStep& step);
    void apply_modules(const RecipeStep& step);
    /// Needle stopped (and measured still), every energy output at its default (off).
    void all_off();
    /// Waits until the motor has spun down, so no stroke of one step lands in the next and the
    /// depth never moves under a running needle.
    void wait_needle_still();
    /// Stop, and every energy output at its default (off), without waiting.
    void outputs_off();
    bool profile_module(const char* profile) const;
    /// Sets the depth (the needle is stopped) and waits until the pen measures it there.
    void set_depth_and_settle(double depth_mm);
    /// Before leaving a step: if the next zone is shallower, lower the depth now.
    void lower_for_next(std::size_t index);
    void check_stop();
    void deliver_events();
    void progress(std::size_t index, const RecipeStep& step, double needle_s);
    void finish(RunOutcome outcome, const std::string& reason, std::optional<std::size_t> step);
    void safe(void (StepRunner::*action)());
    static double seconds_since(Clock::time_point since);
    void stop_needle() { pen_.stop(); }

    Runner::Impl& impl_;
    Pen& pen_;
    std::size_t current_ = 0;
    bool step_open_ = false;
    StepTotals open_totals_;
    Subscription status_, events_, link_;
};

}  // namespace penlink::treatment::detail
