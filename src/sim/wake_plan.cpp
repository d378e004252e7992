// WakePlan: see wake_plan.hpp.
#include "sim/wake_plan.hpp"

#include <algorithm>

namespace penlink::sim {

std::uint64_t WakePlan::next_due_us() const {
    std::uint64_t due = model_.next_self_change_us();
    if (status.rate_hz != 0) due = std::min(due, status.next_due_us());
    const auto injection = [&due](std::uint32_t after_ms, bool done) {
        if (after_ms != 0 && !done) due = std::min(due, std::uint64_t{after_ms} * 1000);
    };
    injection(config_.fault_after_ms, injections.fault);
    injection(config_.silent_after_ms, injections.silent);
    injection(config_.reboot_after_ms, injections.reboot);
    injection(config_.drop_link_after_ms, injections.drop_link);
    if (auth_.authenticated() && auth_.rejected() != security.reported) {
        due = std::min(due, security.sent ? security.last_us + SecurityEventPacing::kIntervalUs
                                          : model_.uptime_us());
    }
    return due;
}

std::uint64_t WakePlan::grid_after(std::uint64_t due_us) const {
    const std::uint64_t now = model_.uptime_us();
    const std::uint64_t tick = config_.tick_us;
    if (due_us == kNeverUs) return kNeverUs;
    if (due_us <= now) return now + tick;
    return now + (due_us - now + tick - 1) / tick * tick;
}

bool WakePlan::ticking() const {
    const std::uint64_t next_tick = model_.uptime_us() + config_.tick_us;
    return !model_.at_rest() || (status.rate_hz != 0 && status.next_due_us() <= next_tick);
}

std::uint64_t WakePlan::next_wake_us() const {
    return ticking() ? model_.uptime_us() + config_.tick_us : grid_after(next_due_us());
}

std::uint64_t WakePlan::step_toward(std::uint64_t target_us) const {
    const std::uint64_t tick = config_.tick_us;
    if (ticking()) return tick;
    const std::uint64_t now = model_.uptime_us();
    const std::uint64_t last = now + (target_us - now) / tick * tick;
    return std::min(last, grid_after(next_due_us())) - now;
}

}  // namespace penlink::sim
