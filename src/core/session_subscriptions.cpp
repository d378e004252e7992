// Session: who listens (status, events, connection state) and the status rate that follows.
#include <algorithm>
#include <optional>

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

void Session::update_status_rate() {
    std::int32_t wanted = 0;
    {
        std::lock_guard lock(subscribers_mutex_);
        wanted = std::max(options_.idle_status_rate_hz,
                          status_rates_.empty() ? 0 : *status_rates_.rbegin());
        wanted = std::clamp(wanted, 0, capabilities_.max_status_rate_hz);
        // No more status than half the link carries, so commands still get through
        // (protocol.md 11); a subscriber asking more gets what the pen sends.
        if (const auto link_rate = link_->link_bytes_per_second(); link_rate > 0) {
            const auto cap = static_cast<std::int32_t>(
                std::max<std::size_t>(1, link_rate / 2 / status_wire_bytes()));
            if (wanted > cap) {
                if (!rate_cap_reported_)
                    log(LogLevel::Info, "status rate capped at " + std::to_string(cap) +
                                            " Hz: " + link_->description() + " carries no more");
                rate_cap_reported_ = true;
                wanted = cap;
            }
        }
        if (wanted == requested_rate_hz_ || state_.load() != ConnectionState::Connected) return;
        requested_rate_hz_ = wanted;
        streaming_rate_hz_ = wanted;
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
    // frames at its own rate, picked by the pen's clock (`next_due` is touched only on the
    // callback thread; the session outlives its dispatcher's handlers).
    auto paced = [handler = std::move(handler), rate_hz, period_ms = 1000.0 / rate_hz,
                  streaming = &streaming_rate_hz_,
                  next_due = std::optional<double>{}](const Status& status) mutable {
        if (rate_hz < streaming->load(std::memory_order_relaxed)) {
            const double now = status.device_time_ms;
            if (next_due && now + 1.0 < *next_due && *next_due - now < 2 * period_ms) return;
            next_due =
                (next_due && now < *next_due + period_ms) ? *next_due + period_ms : now + period_ms;
        }
        handler(status);
    };
    auto entry = dispatcher_.add_status(std::move(paced));
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
