// Session: who listens (status, events, connection state) and the status rate that follows.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>

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

std::size_t Session::status_wire_bytes() const {
    std::size_t channels = 0;
    for (const Module& module : modules_.list()) channels += module.descriptor().telemetry.size();
    return 67 + 6 * std::min(channels, protocol::kMaxTelemetryValues);
}

std::pair<std::int32_t, std::string> Session::link_status_cap() const {
    const std::size_t link_rate = link_->link_bytes_per_second();
    if (link_rate == 0) return {0, {}};
    // The share is the link's to say (protocol.md 11 and 15.3): half of a byte stream such as
    // serial, more of a BLE link, whose notifications do not delay the host's writes.
    const unsigned share = std::clamp(link_->status_share_percent(), 1u, 100u);
    const std::size_t frame_bytes = status_wire_bytes();
    const auto cap =
        static_cast<std::int32_t>(std::max<std::size_t>(1, link_rate * share / 100 / frame_bytes));
    return {cap, link_->description() + " carries about " + std::to_string(link_rate) +
                     " bytes/s; status may take " + std::to_string(share) +
                     "% of it: " + std::to_string(cap) + " frames/s of " +
                     std::to_string(frame_bytes) + " bytes"};
}

StatusRate Session::granted_status_rate(std::int32_t requested_hz) {
    StatusRate rate;
    rate.requested_hz = requested_hz;
    rate.granted_hz = requested_hz;
    std::lock_guard lock(subscribers_mutex_);
    if (link_rate_cap_hz_ > 0 && requested_hz > link_rate_cap_hz_) {
        rate.granted_hz = link_rate_cap_hz_;
        rate.limited_by = StatusRateLimit::Link;
        rate.reason = link_rate_cap_reason_;
    }
    return rate;
}

void Session::update_status_rate() {
    std::int32_t wanted = 0;
    auto [cap, reason] = link_status_cap();
    {
        std::lock_guard lock(subscribers_mutex_);
        link_rate_cap_hz_ = cap;
        link_rate_cap_reason_ = std::move(reason);
        wanted = std::max(options_.idle_status_rate_hz,
                          status_rates_.empty() ? 0 : *status_rates_.rbegin());
        wanted = std::clamp(wanted, 0, capabilities_.max_status_rate_hz);
        // No more status than the link's share for it, so commands still get through; a
        // subscriber asking more gets what the pen sends and is told so (StatusRate).
        if (cap > 0 && wanted > cap) {
            if (!rate_cap_reported_)
                log(LogLevel::Info, "status rate capped at " + std::to_string(cap) +
                                        " Hz: " + link_rate_cap_reason_);
            rate_cap_reported_ = true;
            wanted = cap;
        }
        if (wanted == requested_rate_hz_ || state_.load() != ConnectionState::Connected) return;
        requested_rate_hz_ = wanted;
        *streaming_rate_hz_ = wanted;
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
    // The pen streams at the highest rate anyone asked for; a subscriber that asked less gets
    // frames at its own rate, picked by the pen's clock (CallbackDispatcher::StatusPace). The
    // rate is shared, not the session's: a callback that destroys its own pen leaves the frames
    // queued behind it to run after the session has gone.
    CallbackDispatcher::StatusPace pace;
    pace.rate_hz = rate_hz;
    pace.streaming_hz = streaming_rate_hz_;
    auto entry = dispatcher_.add_status(std::move(handler), std::move(pace));
    {
        std::lock_guard lock(subscribers_mutex_);
        status_rates_.insert(rate_hz);
    }
    update_status_rate();
    std::weak_ptr<Session> weak = weak_from_this();
    auto impl = std::make_shared<Subscription::Impl>([weak, entry, rate_hz] {
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
    });
    impl->status_rate = [weak, rate_hz] {
        const auto self = weak.lock();
        return self ? self->granted_status_rate(rate_hz) : StatusRate{};
    };
    return Subscription(std::move(impl));
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
