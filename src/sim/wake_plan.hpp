// When a simulated pen's one timer must next wake (see sim_device.cpp): every tick_us while the
// pen moves, and while it rests only when something falls due: a status frame at the subscribed
// rate, the model's own changes (watchdog deadline, protection thresholds), an injected fault
// or other scheduled injection, a security event held back by its interval. With none of these
// the timer does not wake at all, which is what lets idle pens cost no CPU.
//
// WakePlan holds the schedules it plans from and answers questions about them; it changes
// nothing. SimDevice advances the model and moves the schedules on. Used on the device's
// io thread only, like everything of SimDevice.
#pragma once

#include <cstdint>

#include "sim/pen_auth.hpp"
#include "sim/pen_model.hpp"
#include "sim/sim_config.hpp"

namespace penlink::sim {

/// An uptime that never comes: nothing is due, the timer is not armed.
inline constexpr std::uint64_t kNeverUs = UINT64_MAX;

/// The status stream's timetable: frame n at the current rate is due at base_us + n s / rate.
struct StatusTimetable {
    std::uint16_t rate_hz = 0;  ///< 0: no stream
    std::uint64_t base_us = 0;  ///< uptime of frame 0 at the current rate
    std::uint64_t index = 0;    ///< next frame number at the current rate

    /// Uptime the next frame is due at; only while rate_hz != 0.
    std::uint64_t next_due_us() const { return base_us + index * 1'000'000ull / rate_hz; }
    /// Numbering starts again with frame 0 due at at_us.
    void restart(std::uint64_t at_us) {
        base_us = at_us;
        index = 0;
    }
};

/// Which of SimConfig's one-shot injections (fault_after_ms and the like) have happened.
struct InjectionsDone {
    bool fault = false;
    bool silent = false;  ///< the pen has gone silent for good
    bool reboot = false;
    bool drop_link = false;
};

/// The pacing of Event SecurityRejected: at most one per interval (docs/protocol.md 16.6).
struct SecurityEventPacing {
    static constexpr std::uint64_t kIntervalUs = 100'000;

    std::uint32_t reported = 0;  ///< PenAuth::rejected() at the last event
    std::uint64_t last_us = 0;   ///< uptime of the last event
    bool sent = false;           ///< an event went out in this session

    /// Whether an event may go out at now_us, the interval since the last one having passed.
    bool may_send(std::uint64_t now_us) const { return !sent || now_us - last_us >= kIntervalUs; }
    /// A new host: nothing reported to it yet.
    void forget() {
        reported = 0;
        sent = false;
    }
};

class WakePlan {
public:
    /// model, auth and config are the device's own and outlive the plan.
    WakePlan(const PenModel& model, const PenAuth& auth, const SimConfig& config)
        : model_(model), auth_(auth), config_(config) {}

    StatusTimetable status;
    InjectionsDone injections;
    SecurityEventPacing security;

    /// Uptime of the next thing a resting pen must wake for (kNeverUs: nothing).
    std::uint64_t next_due_us() const;
    /// The first point of the tick grid (uptime + n * tick_us, n >= 1) at or after due: the
    /// model is stepped to where the per-tick loop would have seen the event.
    std::uint64_t grid_after(std::uint64_t due_us) const;
    /// True when the per-tick loop is what the pen needs anyway: it moves, or a status frame is
    /// due within the next tick (a fast stream), so no look-ahead is worth computing.
    bool ticking() const;
    /// When the timer must next wake: the next tick while ticking(), else at the next due.
    std::uint64_t next_wake_us() const;
    /// The next step toward target_us (at least one tick away): one tick while ticking(), else
    /// to the next due or the last grid point before the target, whichever is first; exactly
    /// what the per-tick steps in between would have computed.
    std::uint64_t step_toward(std::uint64_t target_us) const;

private:
    const PenModel& model_;
    const PenAuth& auth_;
    const SimConfig& config_;
};

}  // namespace penlink::sim
