// Plumbing of the whole-stack tests: bounded waits and a recorder of connection states. Uses
// only the public API, as an application would.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "penlink/penlink.hpp"
#include "wait.hpp"

namespace penlink::test {

/// Waits until the pen's newest status satisfies predicate.
inline bool wait_for_status(const Pen& pen, const std::function<bool(const Status&)>& predicate,
                            std::chrono::milliseconds timeout = kWaitLimit) {
    return wait_until(
        [&] {
            const auto status = pen.latest_status();
            return status && predicate(*status);
        },
        timeout);
}

/// Options for a loaded test machine: patient acknowledgements, quick failure detection.
inline ConnectOptions stack_options() {
    ConnectOptions options;
    options.connect_timeout = std::chrono::milliseconds(5000);
    options.command_timeout = std::chrono::milliseconds(400);
    options.command_retries = 3;
    return options;
}

/// Records connection-state changes from the pen's callback thread.
class StateLog {
public:
    ConnectionStateHandler handler() {
        return [this](ConnectionState state, const std::string& reason) {
            std::lock_guard lock(mutex_);
            entries_.push_back({state, reason});
        };
    }
    bool saw(ConnectionState state) const {
        std::lock_guard lock(mutex_);
        for (const auto& entry : entries_)
            if (entry.first == state) return true;
        return false;
    }
    std::string reason_for(ConnectionState state) const {
        std::lock_guard lock(mutex_);
        for (const auto& entry : entries_)
            if (entry.first == state) return entry.second;
        return {};
    }
    std::string last_reason_for(ConnectionState state) const {
        std::lock_guard lock(mutex_);
        for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
            if (it->first == state) return it->second;
        return {};
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::pair<ConnectionState, std::string>> entries_;
};

/// Runs fn expecting an exception of type E and returns its message; "<no exception>" if fn
/// returned normally. Any other exception propagates and fails the test.
template <typename E, typename Fn>
std::string message_of(Fn&& fn) {
    try {
        fn();
    } catch (const E& error) {
        return error.what();
    }
    return "<no exception>";
}

}  // namespace penlink::test
