#include "link_watch.hpp"

#include <cmath>

#include "stop_signals.hpp"

namespace penctl {
namespace {

// Enough to notice a stop within a blink; a pen streams far faster.
constexpr std::int32_t kWatchRateHz = 20;

}  // namespace

std::string describe_state(const penlink::Status& status) {
    std::string text = penlink::to_string(status.state);
    if (status.fault_bits != 0) text += " (" + penlink::describe_faults(status.fault_bits) + ")";
    return text;
}

LinkWatch::LinkWatch(penlink::Pen& pen) : pen_(pen) {
    subscription_ = pen.subscribe_connection_state(
        [this](penlink::ConnectionState state, const std::string& reason) {
            if (state != penlink::ConnectionState::Lost) return;
            {
                const std::lock_guard lock(mutex_);
                lost_ = true;
                reason_ = reason;
            }
            wake_main_thread();
        });
}

void LinkWatch::watch_outputs(const Expected& expected) {
    {
        const std::lock_guard lock(mutex_);
        expected_ = expected;
    }
    status_subscription_ = pen_.subscribe_status(
        [this](const penlink::Status& status) { on_status(status); }, kWatchRateHz);
}

void LinkWatch::on_status(const penlink::Status& status) {
    std::string reason;
    {
        const std::lock_guard lock(mutex_);
        if (!stopped_.empty()) return;
        // A status frame sent before a command took effect may still arrive first, so "stopped"
        // means: seen running, then not. Faults and an emergency stop count at once.
        seen_running_ = seen_running_ || status.state == penlink::PenState::Running;
        seen_rf_ = seen_rf_ || status.rf_enabled;
        seen_led_ = seen_led_ || status.led_enabled;
        if (last_device_time_ms_ && status.device_time_ms < *last_device_time_ms_) {
            reason = "the pen restarted (its uptime went back from " +
                     std::to_string(*last_device_time_ms_) + " ms to " +
                     std::to_string(status.device_time_ms) + " ms); it is " +
                     describe_state(status);
        } else if (status.state == penlink::PenState::Fault ||
                   status.state == penlink::PenState::EmergencyStopped) {
            reason = "the pen stopped: it is " + describe_state(status);
        } else if (expected_.needle_running && seen_running_ &&
                   status.state != penlink::PenState::Running) {
            reason = "the needle stopped: the pen is " + describe_state(status);
        } else if (expected_.rf_on && seen_rf_ && !status.rf_enabled) {
            reason = "the pen switched RF off; it is " + describe_state(status);
        } else if (expected_.led_on && seen_led_ && !status.led_enabled) {
            reason = "the pen switched the LED off; it is " + describe_state(status);
        }
        last_device_time_ms_ = status.device_time_ms;
        if (reason.empty()) return;
        stopped_ = reason;
    }
    wake_main_thread();
}

void LinkWatch::throw_if_lost() const {
    const std::lock_guard lock(mutex_);
    if (lost_) {
        throw penlink::ConnectionError(
            penlink::ErrorCode::ConnectionLost,
            "lost the connection to the pen" + (reason_.empty() ? "" : ": " + reason_));
    }
    if (!stopped_.empty()) throw penlink::SafetyError(penlink::ErrorCode::FaultActive, stopped_);
}

bool LinkWatch::pause(std::chrono::milliseconds duration) {
    const auto deadline = std::chrono::steady_clock::now() + duration;
    for (;;) {
        throw_if_lost();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return true;
        switch (wait_for_stop_signal(left)) {
            case WaitOutcome::Interrupted:
                return false;
            case WaitOutcome::TimedOut:
                throw_if_lost();
                return true;
            case WaitOutcome::Woken:
                break;  // re-check the link and wait out the rest
        }
    }
}

FreshStatus::FreshStatus(penlink::Pen& pen) : pen_(pen) {
    subscription_ = pen.subscribe_status(
        [this](const penlink::Status& status) {
            {
                const std::lock_guard lock(mutex_);
                latest_ = status;
            }
            wake_main_thread();
        },
        kWatchRateHz);
}

void FreshStatus::mark() {
    const auto newest = pen_.latest_status();
    const std::lock_guard lock(mutex_);
    marked_ = true;
    marked_sequence_.reset();
    if (newest) marked_sequence_ = newest->sequence;
}

bool FreshStatus::fresh() const {
    if (!marked_ || !latest_) return false;
    if (!marked_sequence_) return true;
    // Sequence numbers wrap; "later" is a positive distance in 32-bit arithmetic.
    return static_cast<std::int32_t>(latest_->sequence - *marked_sequence_) > 0;
}

penlink::Status FreshStatus::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        {
            const std::lock_guard lock(mutex_);
            if (fresh()) return *latest_;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            throw penlink::TimeoutError("the pen sent no status within " +
                                        std::to_string(timeout.count()) +
                                        " ms, so its state is unknown");
        }
        // Woken by a frame (or Ctrl-C, which only shortens this short wait): check again.
        wait_for_stop_signal(left);
    }
}

std::chrono::milliseconds seconds_to_ms(double seconds) {
    return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

}  // namespace penctl
