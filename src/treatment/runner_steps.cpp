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
#include "runner_impl.hpp"

namespace penlink::treatment {

namespace {

using Clock = std::chrono::steady_clock;

/// Thrown inside the run when it must stop: abort, or a failure from a callback.
struct StopRun {
    RunOutcome outcome;
    std::string reason;
};

std::string fault_text(std::uint32_t bit) {
    const std::string names = bit < 32 ? describe_faults(1u << bit) : std::string();
    return names.empty() ? "bit " + std::to_string(bit) : names;
}

class StepRunner {
public:
    explicit StepRunner(Runner::Impl& impl) : impl_(impl), pen_(impl.pen) {}

    void run() {
        subscribe();
        // The record wants the cartridge fitted at start: from the first frame (a bounded
        // wait; without one the steps' own waits fail the run with a reason).
        const auto first_deadline = Clock::now() + impl_.options.depth_settle_timeout;
        while (!impl_.meter.latest() && Clock::now() < first_deadline) {
            std::unique_lock lock(impl_.mutex);
            impl_.changed.wait_for(lock, std::chrono::milliseconds(10));
        }
        RunInfo info = run_info();
        if (impl_.options.observer) impl_.options.observer->run_started(info);
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

private:
    // ---- pen callbacks: copy, flag, wake ----
    void subscribe() {
        status_ = pen_.subscribe_status(
            [this](const Status& status) {
                impl_.meter.on_status(status);
                if (status.state == PenState::Fault || status.state == PenState::EmergencyStopped ||
                    status.fault_bits != 0) {
                    std::lock_guard lock(impl_.mutex);
                    if (!impl_.failure) {
                        impl_.fail_locked(
                            status.state == PenState::EmergencyStopped ? "estop" : "fault",
                            std::string("the pen is ") + to_string(status.state) +
                                (status.fault_bits ? " (" + describe_faults(status.fault_bits) + ")"
                                                   : std::string()));
                    }
                }
                impl_.changed.notify_all();
            },
            impl_.options.status_rate_hz);
        events_ = pen_.subscribe_events([this](const Event& event) { on_event(event); });
        link_ = pen_.subscribe_connection_state(
            [this](ConnectionState state, const std::string& reason) {
                if (state != ConnectionState::Lost && state != ConnectionState::Closed) return;
                std::lock_guard lock(impl_.mutex);
                impl_.fail_locked("link", std::string("link ") + to_string(state) +
                                              (reason.empty() ? "" : ": " + reason));
            });
    }

    void on_event(const Event& event) {
        std::lock_guard lock(impl_.mutex);
        switch (event.kind) {
            case EventKind::FaultRaised:
                impl_.fail_locked("fault", "fault raised: " + fault_text(event.detail));
                break;
            case EventKind::EmergencyStopped:
                impl_.fail_locked("estop", "emergency stop");
                break;
            case EventKind::WatchdogExpired:
                impl_.fail_locked("fault", "the pen's watchdog expired");
                break;
            case EventKind::CartridgeRemoved:
                impl_.fail_locked("cartridge", "cartridge removed");
                break;
            case EventKind::ModuleDetached:
                impl_.fail_locked("fault",
                                  "module detached from slot " + std::to_string(event.detail));
                break;
            case EventKind::ButtonPressed:
                if (impl_.waiting_for_operator) {
                    impl_.operator_continued = true;
                    impl_.queue_event("operator", "button " + std::to_string(event.detail) +
                                                      " pressed: continue");
                }
                break;
            default:
                break;
        }
        impl_.changed.notify_all();
    }

    // ---- the steps ----
    RunInfo run_info() const {
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
        return info;
    }

    void run_step(std::size_t index) {
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
        if (impl_.options.observer)
            impl_.options.observer->step_started(index, step, totals.started_s);
        if (step.kind == StepKind::Pause) {
            wait_for_operator(index, step);
            totals.outcome = "continued";
        } else {
            totals.outcome = treat(index, step);
        }
        lower_for_next(index);
        close_step(totals);
    }

    void close_step(StepTotals totals) {
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

    void wait_for_operator(std::size_t index, const RecipeStep& step) {
        {
            std::lock_guard lock(impl_.mutex);
            impl_.state = RunState::WaitingForOperator;
            impl_.waiting_for_operator = true;
            impl_.operator_continued = false;
            impl_.skip_requested = false;
            impl_.queue_event("operator", "waiting: " + step.message);
        }
        for (;;) {
            deliver_events();
            progress(index, step, 0.0);
            std::unique_lock lock(impl_.mutex);
            impl_.changed.wait_for(lock, impl_.options.progress_interval);
            if (impl_.operator_continued || impl_.skip_requested) break;
            lock.unlock();
            check_stop();
        }
        std::lock_guard lock(impl_.mutex);
        impl_.waiting_for_operator = false;
        impl_.skip_requested = false;
        impl_.state = RunState::Running;
    }

    std::string treat(std::size_t index, const RecipeStep& step) {
        {
            std::lock_guard lock(impl_.mutex);
            impl_.skip_requested = false;
            impl_.state = RunState::Running;
        }
        begin_needle(step);
        double needle_s = 0.0;
        std::int32_t pass = step.passes > 0 ? 1 : 0;
        auto resumed_at = Clock::now();
        std::string outcome = "completed";
        for (;;) {
            const double now = needle_s + seconds_since(resumed_at);
            if (now >= step.duration_s) break;
            if (step.passes > 0) {
                const auto current = std::min<std::int32_t>(
                    step.passes, 1 + static_cast<std::int32_t>(now / step.pass_duration_s));
                if (current != pass) {
                    pass = current;
                    std::lock_guard lock(impl_.mutex);
                    impl_.queue_event("pass", step.name + ": pass " + std::to_string(pass) +
                                                  " of " + std::to_string(step.passes));
                }
            }
            deliver_events();
            progress(index, step, now);
            bool pause = false;
            {
                std::unique_lock lock(impl_.mutex);
                const auto left = std::chrono::duration<double>(step.duration_s - now);
                const auto wait =
                    std::min<Clock::duration>(std::chrono::duration_cast<Clock::duration>(left),
                                              impl_.options.progress_interval);
                impl_.changed.wait_for(lock, wait, [&] {
                    return impl_.pause_requested || impl_.skip_requested || impl_.abort_reason ||
                           impl_.failure;
                });
                if (impl_.skip_requested) {
                    impl_.skip_requested = false;
                    impl_.queue_event("skip", step.name + " skipped");
                    outcome = "skipped";
                }
                pause = impl_.pause_requested;
            }
            check_stop();
            if (outcome == "skipped") break;
            if (pause) {
                needle_s += seconds_since(resumed_at);
                if (!pause_step(index, step, needle_s)) {
                    outcome = "skipped";
                    break;
                }
                begin_needle(step);
                resumed_at = Clock::now();
            }
        }
        all_off();
        return outcome;
    }

    /// Needle and outputs off until resume(); false if the step was skipped meanwhile.
    bool pause_step(std::size_t index, const RecipeStep& step, double needle_s) {
        all_off();
        {
            std::lock_guard lock(impl_.mutex);
            impl_.state = RunState::Paused;
            impl_.queue_event("pause", step.name + " paused");
        }
        for (;;) {
            deliver_events();
            progress(index, step, needle_s);
            std::unique_lock lock(impl_.mutex);
            impl_.changed.wait_for(lock, impl_.options.progress_interval);
            if (impl_.skip_requested) {
                impl_.skip_requested = false;
                impl_.pause_requested = false;
                impl_.state = RunState::Running;
                impl_.queue_event("skip", step.name + " skipped while paused");
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

    void begin_needle(const RecipeStep& step) {
        pen_.set_speed(Speed::hz(step.speed_hz));
        set_depth_and_settle(step.depth_mm);
        apply_modules(step);
        check_stop();
        pen_.start();
    }

    void apply_modules(const RecipeStep& step) {
        for (const ModuleSettings& settings : step.modules) {
            std::string why;
            const auto target =
                detail::resolve_on_pen(settings.module, impl_.modules, pen_.capabilities(), why);
            if (!target) throw NotSupportedError(why);
            switch (target->kind) {
                case detail::ModuleTarget::Kind::Module:
                    pen_.set_params(target->name, settings.values);
                    break;
                case detail::ModuleTarget::Kind::BuiltinRf:
                    pen_.set_rf_mode(detail::rf_mode_of(settings));
                    break;
                case detail::ModuleTarget::Kind::BuiltinLed:
                    pen_.set_led_mode(detail::led_mode_of(settings));
                    break;
            }
        }
    }

    /// Needle stopped (and measured still), every energy output at its default (off).
    void all_off() {
        outputs_off();
        wait_needle_still();
    }

    /// Waits until the motor has spun down, so no stroke of one step lands in the next and the
    /// depth never moves under a running needle.
    void wait_needle_still() {
        const auto deadline = Clock::now() + impl_.options.depth_settle_timeout;
        for (;;) {
            const auto status = impl_.meter.latest();
            if (status && status->state != PenState::Running && status->speed_actual_hz < 0.5) {
                return;
            }
            check_stop();
            if (Clock::now() >= deadline) {
                throw StopRun{RunOutcome::Failed,
                              "the needle did not stop within " +
                                  std::to_string(impl_.options.depth_settle_timeout.count()) +
                                  " ms"};
            }
            std::unique_lock lock(impl_.mutex);
            impl_.changed.wait_for(lock, std::chrono::milliseconds(20));
        }
    }

    /// Stop, and every energy output at its default (off), without waiting.
    void outputs_off() {
        pen_.stop();
        const Capabilities& caps = pen_.capabilities();
        for (const Module& module : impl_.modules) {
            std::vector<ParamSetting> defaults;
            for (const ParamSpec& spec : module.descriptor().parameters) {
                if (spec.safety != SafetyClass::Energy || spec.access != ParamAccess::ReadWrite) {
                    continue;
                }
                if (spec.type == ParamType::Bool) {
                    defaults.push_back({spec.key, ParamValue(spec.default_value != 0.0)});
                } else if (spec.type == ParamType::Enum) {
                    const auto at = static_cast<std::size_t>(spec.default_value);
                    defaults.push_back(
                        {spec.key,
                         ParamValue(at < spec.labels.size() ? spec.labels[at] : std::string())});
                } else {
                    defaults.push_back({spec.key, ParamValue(spec.default_value)});
                }
            }
            if (defaults.empty()) continue;
            pen_.set_params(module.key() + "@" + std::to_string(module.slot()), defaults);
        }
        if (caps.rf.fitted) {
            RfMode off;
            off.polarity = caps.rf.bipolar ? RfPolarity::Bipolar : RfPolarity::Monopolar;
            off.frequency_khz = caps.rf.frequency_min_khz;
            off.pulse_ms = caps.rf.pulse_min_ms;
            if (!profile_module("rf")) pen_.set_rf_mode(off);
        }
        if (caps.led.fitted && !caps.led.channels.empty() && !profile_module("led")) {
            LedMode off;
            off.wavelength_nm = caps.led.channels.front().wavelength_nm;
            pen_.set_led_mode(off);
        }
    }

    bool profile_module(const char* profile) const {
        return std::any_of(impl_.modules.begin(), impl_.modules.end(), [&](const Module& module) {
            return module.descriptor().has_profile(profile);
        });
    }

    /// Sets the depth (the needle is stopped) and waits until the pen measures it there.
    void set_depth_and_settle(double depth_mm) {
        pen_.set_depth(Depth::mm(depth_mm));
        const auto deadline = Clock::now() + impl_.options.depth_settle_timeout;
        const double target = Depth::mm(depth_mm).in_mm();
        for (;;) {
            const auto status = impl_.meter.latest();
            if (status && std::fabs(status->depth_set_mm - target) < 1e-6 &&
                std::fabs(status->depth_actual_mm - target) <= impl_.options.depth_tolerance_mm) {
                return;
            }
            check_stop();
            if (Clock::now() >= deadline) {
                throw StopRun{RunOutcome::Failed,
                              "the depth did not reach " + std::to_string(target).substr(0, 5) +
                                  " mm within " +
                                  std::to_string(impl_.options.depth_settle_timeout.count()) +
                                  " ms (measured " +
                                  (status ? std::to_string(status->depth_actual_mm).substr(0, 5)
                                          : std::string("nothing")) +
                                  " mm)"};
            }
            std::unique_lock lock(impl_.mutex);
            impl_.changed.wait_for(lock, std::chrono::milliseconds(20));
        }
    }

    /// Before leaving a step: if the next zone is shallower, lower the depth now.
    void lower_for_next(std::size_t index) {
        for (std::size_t next = index + 1; next < impl_.recipe.steps.size(); ++next) {
            const RecipeStep& step = impl_.recipe.steps[next];
            if (step.kind != StepKind::Treat) continue;
            const auto status = impl_.meter.latest();
            if (!status || status->depth_set_mm > Depth::mm(step.depth_mm).in_mm() + 1e-9) {
                set_depth_and_settle(step.depth_mm);
            }
            return;
        }
    }

    void check_stop() {
        std::lock_guard lock(impl_.mutex);
        if (impl_.failure) throw StopRun{RunOutcome::Failed, *impl_.failure};
        if (impl_.abort_reason) throw StopRun{RunOutcome::Aborted, *impl_.abort_reason};
    }

    void deliver_events() {
        std::deque<Runner::Impl::PendingEvent> pending;
        {
            std::lock_guard lock(impl_.mutex);
            pending.swap(impl_.events);
        }
        if (!impl_.options.observer) return;
        for (const auto& event : pending) {
            impl_.options.observer->event(event.t_s, event.kind, event.text);
        }
    }

    void progress(std::size_t index, const RecipeStep& step, double needle_s) {
        if (!impl_.options.on_progress) return;
        RunProgress report;
        {
            std::lock_guard lock(impl_.mutex);
            report.state = impl_.state;
        }
        report.step = index;
        report.step_count = impl_.recipe.steps.size();
        report.step_name = step.name;
        report.zone = step.kind == StepKind::Treat ? step.zone : "";
        report.passes = step.passes;
        report.pass =
            step.passes > 0
                ? std::min<std::int32_t>(
                      step.passes, 1 + static_cast<std::int32_t>(needle_s / step.pass_duration_s))
                : 0;
        report.step_elapsed_s = std::min(needle_s, step.duration_s);
        report.step_duration_s = step.kind == StepKind::Treat ? step.duration_s : 0.0;
        report.run_elapsed_s = impl_.now_s();
        double left = std::max(0.0, report.step_duration_s - report.step_elapsed_s);
        for (std::size_t later = index + 1; later < impl_.recipe.steps.size(); ++later) {
            const RecipeStep& other = impl_.recipe.steps[later];
            if (other.kind == StepKind::Treat) left += other.duration_s;
        }
        report.time_left_s = left;
        const auto step_sums = impl_.meter.step();
        const auto run_sums = impl_.meter.run();
        report.step_strokes = static_cast<std::uint64_t>(std::llround(step_sums.strokes));
        report.total_strokes = static_cast<std::uint64_t>(std::llround(run_sums.strokes));
        report.rf_energy_j = run_sums.rf_energy_j;
        report.led_dose_j_cm2 = run_sums.led_dose_j_cm2;
        report.module_totals = impl_.meter.named(run_sums);
        impl_.options.on_progress(report);
    }

    void finish(RunOutcome outcome, const std::string& reason, std::optional<std::size_t> step) {
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

    void stop_needle() { pen_.stop(); }

    void safe(void (StepRunner::*action)()) {
        try {
            (this->*action)();
        } catch (const std::exception& error) {
            std::lock_guard lock(impl_.mutex);
            impl_.queue_event("warning", std::string("while switching off: ") + error.what());
        }
    }

    static double seconds_since(Clock::time_point since) {
        return std::chrono::duration<double>(Clock::now() - since).count();
    }

    Runner::Impl& impl_;
    Pen& pen_;
    std::size_t current_ = 0;
    bool step_open_ = false;
    StepTotals open_totals_;
    Subscription status_, events_, link_;
};

}  // namespace

void Runner::Impl::run() {
    {
        std::lock_guard lock(mutex);
        thread_id = std::this_thread::get_id();
    }
    StepRunner(*this).run();
}

}  // namespace penlink::treatment
