// Waiting while a pen runs: ends early on Ctrl-C, and at once with the reason if the link to
// the pen is lost (instead of printing stale status until the wait runs out).
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "penlink/pen.hpp"

namespace penctl {

class LinkWatch {
public:
    /// Subscribes to the pen's connection state; keep the watch alive while waiting.
    explicit LinkWatch(penlink::Pen& pen);

    /// Main thread: waits `duration`. Returns false if Ctrl-C/SIGTERM cut it short.
    /// Throws penlink::ConnectionError naming the reason if the link was lost.
    bool pause(std::chrono::milliseconds duration);
    void throw_if_lost() const;

private:
    mutable std::mutex mutex_;
    bool lost_ = false;
    std::string reason_;
    penlink::Subscription subscription_;
};

/// Seconds (from the command line) to a duration; fractions allowed.
std::chrono::milliseconds seconds_to_ms(double seconds);

}  // namespace penctl
