// Bounded waits for tests: every wait ends, so a broken component fails a test instead of
// hanging it.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace penlink::test {

// Generous, because the tests share a small, busy machine.
inline constexpr std::chrono::seconds kWaitLimit{10};

/// Polls predicate (every few ms) until it holds or timeout passes; returns its last value.
/// Polling keeps the helper independent of what the predicate looks at.
inline bool wait_until(const std::function<bool()>& predicate,
                       std::chrono::milliseconds timeout = kWaitLimit) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!predicate()) {
        if (std::chrono::steady_clock::now() >= deadline) return predicate();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

}  // namespace penlink::test
