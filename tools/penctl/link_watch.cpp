#include "link_watch.hpp"

#include <cmath>

#include "stop_signals.hpp"

namespace penctl {

LinkWatch::LinkWatch(penlink::Pen& pen) {
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

void LinkWatch::throw_if_lost() const {
    const std::lock_guard lock(mutex_);
    if (lost_) {
        throw penlink::ConnectionError(
            penlink::ErrorCode::ConnectionLost,
            "lost the connection to the pen" + (reason_.empty() ? "" : ": " + reason_));
    }
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

std::chrono::milliseconds seconds_to_ms(double seconds) {
    return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

}  // namespace penctl
