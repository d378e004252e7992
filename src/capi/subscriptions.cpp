// Status, event and connection-state subscriptions. The trampolines capture the C callback and
// payload by value (never the pl_subscription), so a callback may free its own subscription.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/convert.hpp"
#include "capi/handles.hpp"
#include "capi/struct_versions.hpp"

using namespace penlink;
using capi::guarded;
using capi::live_pen;
using capi::require;

namespace {

int adopt(pl_subscription** out, pl_pen& pen, Subscription subscription) {
    auto handle = std::make_unique<pl_subscription>();
    handle->subscription = std::make_shared<Subscription>(std::move(subscription));
    capi::register_subscription(pen, handle.get());
    *out = handle.release();
    return 0;
}

}  // namespace

extern "C" {

int pl_pen_subscribe_status(pl_subscription** out, pl_pen* pen, int32_t rate_hz, pl_status_cb cb,
                            void* payload) {
    return guarded([&] {
        require(out, "pl_pen_subscribe_status", "out");
        *out = nullptr;
        auto& live = live_pen(pen, "pl_pen_subscribe_status");
        if (cb == nullptr) throw InvalidArgumentError("pl_pen_subscribe_status: cb is NULL");
        auto subscription = live.pen->subscribe_status(
            [pen, cb, payload](const Status& status) {
                capi::CallbackScope scope(pen);
                pl_status frame;                    // on the stack: no allocation per frame
                frame.version = PL_STATUS_VERSION;  // the library's own: it lends the frame
                capi::to_c(status, frame);
                const int returned = cb(&frame, payload);
                if (returned != 0) capi::report_callback_failure("status", returned);
            },
            rate_hz);
        return adopt(out, live, std::move(subscription));
    });
}

int pl_pen_subscribe_events(pl_subscription** out, pl_pen* pen, pl_event_cb cb, void* payload) {
    return guarded([&] {
        require(out, "pl_pen_subscribe_events", "out");
        *out = nullptr;
        auto& live = live_pen(pen, "pl_pen_subscribe_events");
        if (cb == nullptr) throw InvalidArgumentError("pl_pen_subscribe_events: cb is NULL");
        auto subscription = live.pen->subscribe_events([pen, cb, payload](const Event& event) {
            capi::CallbackScope scope(pen);
            pl_event copy;
            capi::to_c(event, copy);
            const int returned = cb(&copy, payload);
            if (returned != 0) capi::report_callback_failure("event", returned);
        });
        return adopt(out, live, std::move(subscription));
    });
}

int pl_pen_subscribe_connection_state(pl_subscription** out, pl_pen* pen, pl_connection_state_cb cb,
                                      void* payload) {
    return guarded([&] {
        require(out, "pl_pen_subscribe_connection_state", "out");
        *out = nullptr;
        auto& live = live_pen(pen, "pl_pen_subscribe_connection_state");
        if (cb == nullptr)
            throw InvalidArgumentError("pl_pen_subscribe_connection_state: cb is NULL");
        auto subscription = live.pen->subscribe_connection_state(
            [pen, cb, payload](ConnectionState state, const std::string& reason) {
                capi::CallbackScope scope(pen);
                const int returned =
                    cb(static_cast<pl_connection_state>(state), reason.c_str(), payload);
                if (returned != 0) capi::report_callback_failure("connection state", returned);
            });
        return adopt(out, live, std::move(subscription));
    });
}

void pl_subscription_free(pl_subscription* subscription) {
    if (subscription == nullptr) return;
    if (!capi::unregister_subscription(subscription)) {
        capi::log(
            LogLevel::Error,
            "pl_subscription_free: pointer is not a live pl_subscription (freed twice?); ignored");
        return;
    }
    std::unique_ptr<pl_subscription> owned(subscription);
    try {
        owned->subscription->unsubscribe();
    } catch (const std::exception& error) {
        capi::log(LogLevel::Error, (std::string("pl_subscription_free: ") + error.what()).c_str());
    } catch (...) {
        capi::log(LogLevel::Error,
                  "pl_subscription_free: unexpected exception while unsubscribing");
    }
}

static_assert(PL_STATUS_RATE_LIMIT_NONE == static_cast<int>(StatusRateLimit::None) &&
                  PL_STATUS_RATE_LIMIT_LINK == static_cast<int>(StatusRateLimit::Link),
              "pl_status_rate_limit mirrors penlink::StatusRateLimit");

int pl_status_rate_init(pl_status_rate* rate, unsigned version) {
    return capi::init_struct(rate, version, pl_status_rate PL_STATUS_RATE_INIT,
                             "pl_status_rate_init", "rate");
}

int pl_subscription_status_rate(pl_status_rate* out, const pl_subscription* subscription) {
    return guarded([&] {
        require(out, "pl_subscription_status_rate", "out");
        capi::require_known_version<pl_status_rate>(out->version, "pl_subscription_status_rate");
        require(subscription, "pl_subscription_status_rate", "subscription");
        if (!capi::is_live(subscription, capi::HandleKind::Subscription)) {
            throw InvalidArgumentError(
                "pl_subscription_status_rate: subscription is not a live pl_subscription "
                "(already freed?)");
        }
        const StatusRate rate = subscription->subscription->status_rate();
        out->requested_hz = rate.requested_hz;
        out->granted_hz = rate.granted_hz;
        out->limited_by = static_cast<int32_t>(rate.limited_by);
        const std::size_t length = std::min(rate.reason.size(), sizeof out->reason - 1);
        std::memcpy(out->reason, rate.reason.data(), length);
        out->reason[length] = '\0';
        return 0;
    });
}

}  // extern "C"
