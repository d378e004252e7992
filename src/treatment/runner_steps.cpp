// The run, on the runner's own thread. Order per Treat step: the needle is already stopped and
// outputs are off; set speed; set depth (never deeper than this zone's cap, which validation
// checked) and wait until the measured depth is there; apply module settings; start. At the
// end: stop, outputs off, and if the next zone is shallower, lower the depth before the step
// ends. Anything that must stop the run (callbacks set Impl::failure) ends it with everything
// off.
#include <algorithm>
#include <cmath>
#include <exception>

#include "penlink/errors.hpp"
#include "runner_steps.hpp"

namespace penlink::treatment::detail {

void StepRunner::run() {
    subscribe();
    // The record wants the cartridge fitted at start: from the first frame (a bounded
    // wait; without one the steps' own waits fail the run with a reason).
    const auto first_deadline = Clock::now() + impl_.options.depth_settle_timeout;
    while (!impl_.meter.latest() && Clock::now() < first_deadline) {
        std::unique_lock lock(impl_.mutex);
        impl_.changed.wait_for(lock, std::chrono::milliseconds(10));
    }
    RunInfo info = run_info();
    try {
        // The observer may refuse the run (a treatment record refusing a used cartridge): then
        // it fails here, before any output, in no step.
        if (impl_.options.observer) impl_.options.observer->run_started(info);
    } catch (const std::exception& refused) {
        finish(RunOutcome::Failed, std::string("refused before the first step: ") + refused.what(),
               std::nullopt);
        return;
    }
    try {
        all_off();
        for (current_ = 0; current_ < impl_.recipe.steps.size(); ++current_) {
            run_step(current_);
        }
        finish(RunOutcome::Completed, "", std::nullopt);
    } catch (const StopRun& stop) {
        finish(stop.outcome, stop.reason, current_);
    } catch (const std::exception& error) {
        // A refused or unanswered command: a failure from a callback explains it better.
        std::string reason;
        {
            std::lock_guard lock(impl_.mutex);
            reason = impl_.failure.value_or(std::string("command failed: ") + error.what());
        }
        finish(RunOutcome::Failed, reason, current_);
    }
}

RunInfo StepRunner::run_info() const {
    RunInfo info;
    info.recipe_name = impl_.recipe.name;
    info.recipe_source = impl_.recipe.source;
    info.step_count = impl_.recipe.steps.size();
    info.planned_duration_s = impl_.recipe.total_duration_s();
    info.device_class = impl_.options.device.device_class;
    info.zone_chart = impl_.options.zones.name();
    info.pen_model = pen_.info().model;
    info.pen_serial = pen_.info().serial_number;
    info.pen_firmware = pen_.info().firmware_version;
    if (const auto status = impl_.meter.latest()) info.cartridge_id = status->cartridge_id;
    info.recording = pen_.active_recording();
    return info;
}

void StepRunner::run_step(std::size_t index) {
    const RecipeStep& step = impl_.recipe.steps[index];
    check_stop();
    impl_.meter.begin_step();
    StepTotals totals;
    totals.index = index;
    totals.name = step.name;
    totals.zone = step.kind == StepKind::Treat ? step.zone : "";
    totals.started_s = impl_.now_s();
    step_open_ = true;
    open_totals_ = totals;
    if (impl_.options.observer) impl_.options.observer->step_started(index, step, totals.started_s);
    bool skipped_at_once = false;
    bool continued_at_once = false;
    {
        // A skip() that came between steps (or from step_started) belongs to this step: it
        // ends here, before any output or depth move of its own. A pause step starts waiting
        // under the same lock, so a resume() is either kept from the gap or continues the
        // wait: never lost.
        std::lock_guard lock(impl_.mutex);
        if (impl_.take_skip()) {
            skipped_at_once = true;
            impl_.queue_event("skip", step.name + " skipped before it began");
        } else if (step.kind == StepKind::Pause) {
            continued_at_once = impl_.continue_pending;
            impl_.pause_requested = false;  // the run waits for the operator anyway
            if (continued_at_once) {
                impl_.queue_event("resume", step.name + " continued as it began");
            } else {
                impl_.state = RunState::WaitingForOperator;
                impl_.waiting_for_operator = true;
                impl_.operator_continued = false;
            }
        }
        impl_.between_steps = false;
        impl_.continue_pending = false;
        if (skipped_at_once || continued_at_once) impl_.step_ended();
    }
    if (skipped_at_once) {
        totals.outcome = "skipped";
    } else if (continued_at_once) {
        totals.outcome = "continued";
    } else if (step.kind == StepKind::Pause) {
        totals.outcome = wait_for_operator(index, step);
    } else {
        totals.outcome = treat(index, step);
    }
    lower_for_next(index);
    close_step(totals);
}

void StepRunner::close_step(StepTotals totals) {
    const auto sums = impl_.meter.step();
    totals.ended_s = impl_.now_s();
    totals.strokes = static_cast<std::uint64_t>(std::llround(sums.strokes));
    totals.depth_set_min_mm = sums.depth_set_min_mm;
    totals.depth_set_max_mm = sums.depth_set_max_mm;
    totals.depth_actual_min_mm = sums.depth_actual_min_mm;
    totals.depth_actual_max_mm = sums.depth_actual_max_mm;
    totals.rf_energy_j = sums.rf_energy_j;
    totals.led_dose_j_cm2 = sums.led_dose_j_cm2;
    totals.module_totals = impl_.meter.named(sums);
    step_open_ = false;
    {
        std::lock_guard lock(impl_.mutex);
        impl_.result.steps.push_back(totals);
    }
    deliver_events();
    if (impl_.options.observer) impl_.options.observer->step_finished(totals);
}

std::string StepRunner::wait_for_operator(std::size_t index, const RecipeStep& step) {
    {
        // run_step set WaitingForOperator as the step began.
        std::lock_guard lock(impl_.mutex);
        impl_.queue_event("operator", "waiting: " + step.message);
    }
    std::string outcome;
    while (outcome.empty()) {
        deliver_events();
        progress(index, step, 0.0);
        {
            std::unique_lock lock(impl_.mutex);
            impl_.changed.wait_for(lock, impl_.options.progress_interval, [&] {
                return impl_.operator_continued || impl_.skips_pending > 0 || impl_.abort_reason ||
                       impl_.failure;
            });
            // The end is decided here, under the mutex, so a skip() either ends this pause or
            // (once it has ended) the next step: never both, never neither.
            if (impl_.take_skip()) {
                impl_.queue_event("skip", step.name + " skipped");
                outcome = "skipped";
            } else if (impl_.operator_continued) {
                outcome = "continued";
            }
            if (!outcome.empty()) {
                impl_.waiting_for_operator = false;
                impl_.state = RunState::Running;
                impl_.step_ended();
            }
        }
        check_stop();
    }
    return outcome;
}

std::string StepRunner::treat(std::size_t index, const RecipeStep& step) {
    {
        std::lock_guard lock(impl_.mutex);
        impl_.state = RunState::Running;
    }
    double needle_s = 0.0;
    std::int32_t pass = step.passes > 0 ? 1 : 0;
    std::string outcome = "completed";
    bool needle_on = start_needle_unless_paused(index, step, needle_s);
    auto resumed_at = Clock::now();
    while (needle_on) {
        double now = 0.0;
        {
            // The step's end is decided under the mutex: a skip() that got here first ends
            // this step; one that comes after it ended is the next step's (Runner::skip).
            std::lock_guard lock(impl_.mutex);
            now = needle_s + seconds_since(resumed_at);
            if (impl_.take_skip()) {
                impl_.pause_requested = false;  // the step it was meant for has ended
                impl_.queue_event("skip", step.name + " skipped");
                impl_.step_ended();
                outcome = "skipped";
                break;
            }
            if (now >= step.duration_s) {
                impl_.step_ended();
                break;
            }
            if (step.passes > 0) {
                const auto current = std::min<std::int32_t>(
                    step.passes, 1 + static_cast<std::int32_t>(now / step.pass_duration_s));
                if (current != pass) {
                    pass = current;
                    impl_.queue_event("pass", step.name + ": pass " + std::to_string(pass) +
                                                  " of " + std::to_string(step.passes));
                }
            }
        }
        deliver_events();
        progress(index, step, now);
        bool pause = false;
        {
            std::unique_lock lock(impl_.mutex);
            const auto left = std::chrono::duration<double>(step.duration_s - now);
            const auto wait = std::min<Clock::duration>(
                std::chrono::duration_cast<Clock::duration>(left), impl_.options.progress_interval);
            impl_.changed.wait_for(lock, wait, [&] {
                return impl_.pause_requested || impl_.skips_pending > 0 || impl_.abort_reason ||
                       impl_.failure;
            });
            // A pending skip wins over a pause: the loop's head ends the step.
            pause = take_pause_locked();
        }
        check_stop();
        if (pause) {
            needle_s += seconds_since(resumed_at);
            needle_on = pause_step(index, step, needle_s) &&
                        start_needle_unless_paused(index, step, needle_s);
            resumed_at = Clock::now();
        }
    }
    if (!needle_on) outcome = "skipped";
    all_off();
    return outcome;
}

bool StepRunner::take_pause_locked() {
    if (!impl_.pause_requested || impl_.skips_pending > 0) return false;
    // Paused from here on, in the same critical section: a resume() from now on finds the
    // state Paused and is picked up by pause_step, never mistaken for one with nothing paused.
    impl_.state = RunState::Paused;
    return true;
}

bool StepRunner::start_needle_unless_paused(std::size_t index, const RecipeStep& step,
                                            double needle_s) {
    for (;;) {
        bool pause = false;
        {
            std::lock_guard lock(impl_.mutex);
            pause = take_pause_locked();
        }
        if (pause) {
            if (!pause_step(index, step, needle_s)) return false;
            continue;
        }
        prepare_needle(step);
        {
            // A pause() that came while the depth settled: still before the needle starts.
            std::lock_guard lock(impl_.mutex);
            if (impl_.pause_requested && impl_.skips_pending == 0) continue;
        }
        pen_.start();
        return true;
    }
}

bool StepRunner::pause_step(std::size_t index, const RecipeStep& step, double needle_s) {
    all_off();
    {
        // take_pause_locked() set the state Paused.
        std::lock_guard lock(impl_.mutex);
        impl_.queue_event("pause", step.name + " paused");
    }
    for (;;) {
        deliver_events();
        progress(index, step, needle_s);
        std::unique_lock lock(impl_.mutex);
        impl_.changed.wait_for(lock, impl_.options.progress_interval, [&] {
            return impl_.skips_pending > 0 || impl_.resume_requested || impl_.abort_reason ||
                   impl_.failure;
        });
        if (impl_.take_skip()) {
            impl_.pause_requested = false;
            impl_.resume_requested = false;
            impl_.state = RunState::Running;
            impl_.queue_event("skip", step.name + " skipped while paused");
            impl_.step_ended();
            return false;
        }
        if (impl_.resume_requested) {
            impl_.resume_requested = false;
            impl_.pause_requested = false;
            impl_.state = RunState::Running;
            impl_.queue_event("resume", step.name + " resumed");
            return true;
        }
        lock.unlock();
        check_stop();
    }
}

void StepRunner::finish(RunOutcome outcome, const std::string& reason,
                        std::optional<std::size_t> step) {
    if (outcome != RunOutcome::Completed) {
        // Everything off, whatever state the pen and link are in; each call on its own.
        safe(&StepRunner::stop_needle);
        safe(&StepRunner::outputs_off);
        {
            std::lock_guard lock(impl_.mutex);
            impl_.queue_event(outcome == RunOutcome::Aborted ? "abort" : "outputs-off",
                              "everything off: " + reason);
        }
        if (step_open_) {
            StepTotals totals = open_totals_;
            totals.outcome = to_string(outcome);
            close_step(totals);
        }
    }
    deliver_events();
    status_.unsubscribe();
    events_.unsubscribe();
    link_.unsubscribe();
    RunResult result;
    {
        std::lock_guard lock(impl_.mutex);
        impl_.result.outcome = outcome;
        impl_.result.reason = reason;
        impl_.result.step = outcome == RunOutcome::Completed ? std::nullopt : step;
        impl_.result.duration_s = impl_.now_s();
        result = impl_.result;
    }
    if (impl_.options.observer) impl_.options.observer->run_finished(result);
    std::lock_guard lock(impl_.mutex);
    impl_.state = RunState::Finished;
    impl_.finished = true;
    impl_.changed.notify_all();
}

void StepRunner::safe(void (StepRunner::*action)()) {
    try {
        (this->*action)();
    } catch (const std::exception& error) {
        std::lock_guard lock(impl_.mutex);
        impl_.queue_event("warning", std::string("while switching off: ") + error.what());
    }
}

}  // namespace penlink::treatment::detail

namespace penlink::treatment {

void Runner::Impl::run() {
    {
        std::lock_guard lock(mutex);
        thread_id = std::this_thread::get_id();
    }
    detail::StepRunner(*this).run();
}

}  // namespace penlink::treatment
