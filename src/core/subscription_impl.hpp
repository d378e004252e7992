// What a penlink::Subscription holds: the one-shot action that removes its callback, and for
// a status subscription how to ask for the rate it gets.
#pragma once

#include <functional>
#include <mutex>
#include <utility>

#include "penlink/pen.hpp"

namespace penlink {

struct Subscription::Impl {
    explicit Impl(std::function<void()> cancel_action) : cancel(std::move(cancel_action)) {}

    /// Runs the cancel action once, whichever thread asks first.
    void run_cancel() {
        std::function<void()> action;
        {
            std::lock_guard lock(mutex);
            action = std::move(cancel);
            cancel = nullptr;
        }
        if (action) action();
    }
    bool active() {
        std::lock_guard lock(mutex);
        return static_cast<bool>(cancel);
    }

    std::mutex mutex;
    std::function<void()> cancel;
    /// Status subscriptions: the rate granted now (set once, before the Impl is shared).
    std::function<StatusRate()> status_rate;
};

}  // namespace penlink
