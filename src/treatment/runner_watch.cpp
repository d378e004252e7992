// What the run watches and reports: the pen's callbacks (they only copy, flag and wake the
// runner's thread, as the pen's callback-thread rules ask), the observer's events and progress.
#include <algorithm>
#include <cmath>

#include "penlink/errors.hpp"
#include "runner_steps.hpp"

namespace penlink::treatment::detail {

namespace {

std::string fault_text(std::uint32_t bit) {
    const std::string names = bit < 32 ? describe_faults(1u << bit) : std::string();
    return names.empty() ? "bit " + std::to_string(bit) : names;
}

}  // namespace

void StepRunner::subscribe() {
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
    link_ =
        pen_.subscribe_connection_state([this](ConnectionState state, const std::string& reason) {
            if (state != ConnectionState::Lost && state != ConnectionState::Closed) return;
            std::lock_guard lock(impl_.mutex);
            impl_.fail_locked("link", std::string("link ") + to_string(state) +
                                          (reason.empty() ? "" : ": " + reason));
        });
}

void StepRunner::on_event(const Event& event) {
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
            impl_.fail_locked("fault", "module detached from slot " + std::to_string(event.detail));
            break;
        case EventKind::ButtonPressed:
            if (impl_.waiting_for_operator) {
                impl_.operator_continued = true;
                impl_.queue_event("operator",
                                  "button " + std::to_string(event.detail) + " pressed: continue");
            }
            break;
        default:
            break;
    }
    impl_.changed.notify_all();
}

void StepRunner::deliver_events() {
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

void StepRunner::progress(std::size_t index, const RecipeStep& step, double needle_s) {
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
            ? std::min<std::int32_t>(step.passes,
                                     1 + static_cast<std::int32_t>(needle_s / step.pass_duration_s))
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

double StepRunner::seconds_since(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
}

}  // namespace penlink::treatment::detail
