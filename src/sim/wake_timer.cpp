// WakeTimer: see wake_timer.hpp.
#include "sim/wake_timer.hpp"

#include <utility>

namespace penlink::sim {

WakeTimer::WakeTimer(boost::asio::io_context& io, std::function<void()> on_wake)
    : timer_(io), on_wake_(std::move(on_wake)) {}

WakeTimer::~WakeTimer() {
    *alive_ = false;
    timer_.cancel();
}

void WakeTimer::set_uptime(std::uint64_t uptime_us) {
    // On a whole millisecond of the steady clock, so that the tick grids (whole ticks of
    // uptime) of all pens line up and their wakes can coincide; the uptime gains < 1 ms.
    epoch_ = std::chrono::floor<std::chrono::milliseconds>(Clock::now() -
                                                           std::chrono::microseconds(uptime_us));
}

std::uint64_t WakeTimer::aligned_uptime_us(std::uint64_t uptime_us, std::uint64_t grain_us) const {
    if (grain_us == 0) return uptime_us;
    const auto epoch_us = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(epoch_.time_since_epoch()).count());
    const std::uint64_t into = (epoch_us + uptime_us) % grain_us;
    return into == 0 ? uptime_us : uptime_us + (grain_us - into);
}

std::uint64_t WakeTimer::wall_uptime_us() const {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - epoch_).count());
}

void WakeTimer::arm(std::uint64_t at_us) {
    if (at_us == UINT64_MAX || (armed_at_ != UINT64_MAX && armed_at_ <= at_us)) return;
    armed_at_ = at_us;
    const std::uint64_t id = ++arm_id_;
    timer_.expires_at(epoch_ + std::chrono::microseconds(at_us));  // cancels the older wait
    timer_.async_wait([this, token = alive_, id](const boost::system::error_code&) {
        if (!*token || id != arm_id_) return;
        armed_at_ = UINT64_MAX;
        ++wakeups_;
        on_wake_();
    });
}

void WakeTimer::disarm() {
    armed_at_ = UINT64_MAX;
    ++arm_id_;
    timer_.cancel();
}

}  // namespace penlink::sim
