// Waiting while a pen runs: ends early on Ctrl-C, and at once with the reason if the link to
// the pen is lost or (once watch_outputs() is called) the pen stops what penctl left running,
// instead of printing stale status or reporting success until the wait runs out.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "penlink/pen.hpp"

namespace penctl {

/// The longest penctl waits for anything (--hold-s, --duration-s): one day.
inline constexpr double kLongestWaitS = 86'400;

/// What penctl left running and expects to stay so while it waits.
struct Expected {
    bool needle_running = false;
    bool rf_on = false;
    bool led_on = false;
};

class LinkWatch {
public:
    /// Subscribes to the pen's connection state; keep the watch alive while waiting.
    explicit LinkWatch(penlink::Pen& pen);

    /// Also watches status: a fault, an emergency stop, a pen restart, or the needle, RF or LED
    /// stopping although expected to run ends the wait with the reason.
    void watch_outputs(const Expected& expected);

    /// Main thread: waits `duration`. Returns false if Ctrl-C/SIGTERM cut it short.
    /// Throws penlink::ConnectionError naming the reason if the link was lost, and
    /// penlink::SafetyError naming the state and faults if the pen stopped.
    bool pause(std::chrono::milliseconds duration);
    void throw_if_lost() const;

private:
    void on_status(const penlink::Status& status);
    void stop_with(std::string reason);

    penlink::Pen& pen_;
    Expected expected_;
    mutable std::mutex mutex_;
    bool lost_ = false;
    std::string reason_;
    std::string stopped_;  // why the pen stopped what was expected to run; "" while it runs
    bool seen_running_ = false, seen_rf_ = false, seen_led_ = false;
    std::optional<std::uint32_t> last_device_time_ms_;
    penlink::Subscription subscription_;
    penlink::Subscription status_subscription_;
};

/// Waits (main thread) for the first status frame the pen sends after this call, so what it
/// shows reflects every command acknowledged before. Used to report the pen's real state.
class FreshStatus {
public:
    explicit FreshStatus(penlink::Pen& pen);
    /// Call once a command was acknowledged: the next wait() returns a frame the pen sent
    /// after every frame the session had received by now (callbacks may still be delivering
    /// older ones, so a count of deliveries would not do).
    void mark();
    /// The first such frame; throws penlink::TimeoutError after `timeout`.
    penlink::Status wait(std::chrono::milliseconds timeout);

private:
    bool fresh() const;  // with mutex_ held

    penlink::Pen& pen_;
    mutable std::mutex mutex_;
    bool marked_ = false;
    std::optional<std::uint32_t> marked_sequence_;
    std::optional<penlink::Status> latest_;
    penlink::Subscription subscription_;
};

/// "fault (injected fault)", "idle": a pen state with the names of its faults, if any.
std::string describe_state(const penlink::Status& status);

/// Seconds (from the command line, at most kLongestWaitS) to a duration; fractions allowed.
std::chrono::milliseconds seconds_to_ms(double seconds);

}  // namespace penctl
