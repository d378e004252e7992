// Session: who listens (status, events, connection state) and the status rate that follows.
#include <algorithm>

#include "core/limits.hpp"
#include "core/log.hpp"
#include "core/session.hpp"
#include "core/subscription_impl.hpp"

namespace penlink::core {

std::optional<Status> Session::latest_status() const {
    std::lock_guard lock(latest_mutex_);
    return latest_;
}

void Session::set_state(ConnectionState state, const std::string& reason) {
    const auto previous = state_.exchange(state);
    if (previous == state) return;
    log(LogLevel::Info,
        "pen " + url_ + " is " + to_string(state) + (reason.empty() ? "" : ": " + reason));
    notify(&Session::state_handlers_, "connection state", state, reason);
}

void Session::update_status_rate() {
    std::int32_t wanted = 0;
    {
        std::lock_guard lock(subscribers_mutex_);
        wanted = std::max(options_.idle_status_rate_hz,
                          status_rates_.empty() ? 0 : *status_rates_.rbegin());
        wanted = std::clamp(wanted, 0, capabilities_.max_status_rate_hz);
        if (wanted == requested_rate_hz_ || state_.load() != ConnectionState::Connected) return;
        requested_rate_hz_ = wanted;
    }
    request(protocol::SubscribeStatus{static_cast<std::uint16_t>(wanted)},
            [wanted](const Result& result) {
                if (!result.ok() && result.code != ErrorCode::NotConnected &&
                    result.code != ErrorCode::ConnectionLost)
                    log(LogLevel::Warning, "could not set the status rate to " +
                                               std::to_string(wanted) + " Hz: " + result.message);
            });
}

Subscription Session::subscribe_status(StatusHandler handler, std::int32_t rate_hz) {
    if (!handler) throw InvalidArgumentError("subscribe_status needs a handler");
    check_status_rate(rate_hz, capabilities_);
    auto entry = dispatcher_.add_status(std::move(handler));
    {
        std::lock_guard lock(subscribers_mutex_);
        status_rates_.insert(rate_hz);
    }
    update_status_rate();
    std::weak_ptr<Session> weak = weak_from_this();
    return Subscription(std::make_shared<Subscription::Impl>([weak, entry, rate_hz] {
        deactivate(*entry);
        const auto self = weak.lock();
        if (!self) return;
        self->dispatcher_.remove_status(entry);
        {
            std::lock_guard lock(self->subscribers_mutex_);
            const auto it = self->status_rates_.find(rate_hz);
            if (it != self->status_rates_.end()) self->status_rates_.erase(it);
        }
        self->update_status_rate();
    }));
}

template <typename Handler>
Subscription Session::add_handler(HandlerList<Handler> Session::*list, Handler handler) {
    auto entry = std::make_shared<HandlerEntry<Handler>>(std::move(handler));
    {
        std::lock_guard lock(subscribers_mutex_);
        (this->*list).push_back(entry);
    }
    std::weak_ptr<Session> weak = weak_from_this();
    return Subscription(std::make_shared<Subscription::Impl>([weak, entry, list] {
        deactivate(*entry);
        const auto self = weak.lock();
        if (!self) return;
        std::lock_guard lock(self->subscribers_mutex_);
        std::erase((*self).*list, entry);
    }));
}

Subscription Session::subscribe_events(EventHandler handler) {
    if (!handler) throw InvalidArgumentError("subscribe_events needs a handler");
    return add_handler(&Session::event_handlers_, std::move(handler));
}

Subscription Session::subscribe_connection_state(ConnectionStateHandler handler) {
    if (!handler) throw InvalidArgumentError("subscribe_connection_state needs a handler");
    return add_handler(&Session::state_handlers_, std::move(handler));
}

}  // namespace penlink::core
