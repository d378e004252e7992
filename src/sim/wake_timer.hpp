// The one timer of a simulated pen (see sim_device.cpp), kept against the pen's uptime rather
// than the wall clock: WakePlan says when to wake, this waits for it. At most one wait is
// pending; asking for a later wake while an earlier one is pending keeps the earlier one (it
// re-plans when it wakes), so a heartbeat pushing the watchdog back costs no re-arm.
//
// Used on the io_context's thread only. A completion of a wait that was re-armed, cancelled,
// or whose timer is gone is ignored, whatever its error code.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace penlink::sim {

class WakeTimer {
public:
    using Clock = std::chrono::steady_clock;

    /// on_wake runs on io's thread each time a pending wait ends.
    WakeTimer(boost::asio::io_context& io, std::function<void()> on_wake);
    ~WakeTimer();
    WakeTimer(const WakeTimer&) = delete;
    WakeTimer& operator=(const WakeTimer&) = delete;

    /// The pen's uptime is uptime_us now: a started pen continues where it was, a rebooted one
    /// starts at 0.
    void set_uptime(std::uint64_t uptime_us);
    /// The pen's uptime by the wall clock.
    std::uint64_t wall_uptime_us() const;
    /// The first uptime at or after uptime_us that falls on a multiple of grain_us of the
    /// steady clock. Pens that start their periodic work there wake together: many simulated
    /// pens on one thread then cost one wake-up where they would cost one each.
    std::uint64_t aligned_uptime_us(std::uint64_t uptime_us, std::uint64_t grain_us) const;

    /// Wakes at uptime at_us, unless an earlier wait is already pending; UINT64_MAX: no wake.
    void arm(std::uint64_t at_us);
    /// Forgets the pending wait.
    void disarm();

    /// Uptime the pending wait ends at; UINT64_MAX when none is pending.
    std::uint64_t armed_at() const { return armed_at_; }
    /// How many waits have ended and run on_wake.
    std::uint64_t wakeups() const { return wakeups_; }

private:
    boost::asio::steady_timer timer_;
    std::function<void()> on_wake_;
    Clock::time_point epoch_{};  // wall time of uptime 0, on a whole millisecond
    // The pending wait: the uptime it ends at and its number, so a completion of a wait that
    // was re-armed or cancelled since is ignored.
    std::uint64_t armed_at_ = UINT64_MAX;
    std::uint64_t arm_id_ = 0;
    std::uint64_t wakeups_ = 0;
    // Completions may already be queued when the timer goes away; they check this.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace penlink::sim
