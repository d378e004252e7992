// The Runner's state: control flags the app's threads and the pen's callbacks set, and the
// run itself on the runner's own thread (runner_steps.cpp).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "module_checks.hpp"
#include "penlink/pen.hpp"
#include "penlink/treatment_runner.hpp"
#include "step_meter.hpp"

namespace penlink::treatment {

struct Runner::Impl {
    using Clock = std::chrono::steady_clock;

    Impl(Pen& p, Recipe r, RunOptions o) : pen(p), recipe(std::move(r)), options(std::move(o)) {}

    // ---- set once before the thread starts ----
    Pen& pen;
    Recipe recipe;
    RunOptions options;
    ValidationReport report;
    std::vector<Module> modules;  // fitted at start
    Clock::time_point started_at;

    // ---- shared, under mutex ----
    mutable std::mutex mutex;
    std::condition_variable changed;
    bool started = false;
    bool finished = false;
    RunState state = RunState::NotStarted;
    // pause() not applied yet: the runner applies it before the needle next starts (also the
    // next step's, so a pause between two steps keeps that step's needle off until resume()).
    bool pause_requested = false;
    bool resume_requested = false;  // resume() while Paused, not yet picked up
    // From the moment a step's end is decided (or start()) until the next step begins: a
    // resume() then is kept for the next step, and continues it if it is a pause step.
    bool between_steps = false;
    bool continue_pending = false;
    // skip() calls not yet applied: each ends one step, the earliest that has not ended yet
    // (see Runner::skip). A count, not a flag, so two calls are never merged into one.
    std::size_t skips_pending = 0;
    std::optional<std::string> abort_reason;
    std::optional<std::string> failure;  // fault, e-stop, link...: first one wins
    bool waiting_for_operator = false;
    bool operator_continued = false;
    struct PendingEvent {
        double t_s;
        std::string kind, text;
    };
    std::deque<PendingEvent> events;  // from the pen's callbacks, told on the runner's thread
    RunResult result;

    detail::StepMeter meter;
    std::thread thread;
    std::thread::id thread_id;

    double now_s() const {
        return std::chrono::duration<double>(Clock::now() - started_at).count();
    }
    /// Under mutex: records an event for the observer and wakes the runner.
    void queue_event(const std::string& kind, const std::string& text) {
        events.push_back({now_s(), kind, text});
        changed.notify_all();
    }
    /// Under mutex: takes one pending skip() for the step deciding its end now.
    bool take_skip() {
        if (skips_pending == 0) return false;
        --skips_pending;
        return true;
    }
    /// Under mutex: the step under way has ended; controls now belong to the next one.
    void step_ended() {
        between_steps = true;
        continue_pending = false;
    }
    /// Under mutex: the run must stop (first reason wins).
    void fail_locked(const std::string& kind, const std::string& reason) {
        if (!failure) failure = reason;
        queue_event(kind, reason);
    }

    // runner_steps.cpp
    void run();
};

}  // namespace penlink::treatment
