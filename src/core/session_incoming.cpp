// Session, the receiving side: bytes -> frames -> replies, status, events; link supervision
// (heartbeat, silence) and link loss. Everything here runs on the I/O thread.
#include "core/conversions.hpp"
#include "core/log.hpp"
#include "core/nack.hpp"
#include "core/session.hpp"

namespace penlink::core {
namespace {

using std::chrono::milliseconds;

bool reply_matches(protocol::MessageType request, const protocol::Message& reply) {
    if (const auto* ack = std::get_if<protocol::Ack>(&reply)) return ack->request == request;
    if (const auto* nack = std::get_if<protocol::Nack>(&reply)) return nack->request == request;
    if (std::holds_alternative<protocol::HelloReply>(reply))
        return request == protocol::MessageType::Hello;
    if (std::holds_alternative<protocol::Info>(reply))
        return request == protocol::MessageType::GetInfo;
    return false;
}

}  // namespace

// ---- incoming ---------------------------------------------------------------------------

void Session::on_bytes(std::span<const std::uint8_t> bytes) {
    decoder_.feed(
        bytes, [this](const protocol::DecodedFrame& frame) { on_frame(frame); },
        [this](protocol::FrameError error) {
            ++frame_errors_;
            if (log_enabled(LogLevel::Debug))
                log(LogLevel::Debug,
                    std::string("dropped a frame from the pen: ") + protocol::to_string(error));
        });
}

void Session::on_frame(const protocol::DecodedFrame& frame) {
    last_receive_ = Clock::now();
    const auto& message = frame.message;
    if (const auto* status = std::get_if<protocol::Status>(&message)) {
        on_status(*status);
    } else if (const auto* event = std::get_if<protocol::Event>(&message)) {
        on_event(*event);
    } else if (!protocol::is_request(frame.header.type)) {
        on_reply(frame.header.seq, message);
    } else {
        log(LogLevel::Warning, std::string("the pen sent a host request (") +
                                   protocol::to_string(frame.header.type) + "); ignored");
    }
}

void Session::on_reply(std::uint16_t seq, const protocol::Message& reply) {
    const auto it = pending_.find(seq);
    if (it == pending_.end() || !reply_matches(it->second->type, reply)) {
        // A second answer to a resent request, or a leftover from an earlier session.
        log(LogLevel::Debug,
            "ignored a reply with no matching request (seq " + std::to_string(seq) + ")");
        return;
    }
    it->second->timer.cancel();
    auto done = std::move(it->second->done);
    pending_.erase(it);
    if (const auto* nack = std::get_if<protocol::Nack>(&reply)) {
        done(result_from_nack(*nack), &reply);
    } else {
        done(Result{}, &reply);
    }
}

void Session::on_status(const protocol::Status& wire) {
    if (last_status_seq_) {
        const std::uint32_t gap = wire.status_seq - *last_status_seq_ - 1;
        // A huge gap means the counter restarted (pen rebooted), not a billion lost frames.
        if (gap > 0 && gap < (1u << 24)) dropped_.fetch_add(gap, std::memory_order_relaxed);
    }
    last_status_seq_ = wire.status_seq;
    received_.fetch_add(1, std::memory_order_relaxed);
    to_status(wire, converted_);
    {
        std::lock_guard lock(latest_mutex_);
        latest_ = converted_;
    }
    if (!dispatcher_.push_status(converted_)) dropped_.fetch_add(1, std::memory_order_relaxed);
}

void Session::on_event(const protocol::Event& wire) {
    const Event event = to_event(wire);
    log(LogLevel::Info, "pen event " + std::to_string(static_cast<int>(event.kind)) + " detail " +
                            std::to_string(event.detail));
    notify(&Session::event_handlers_, "event", event);
}

void Session::on_link_error(const std::string& reason) {
    if (!link_open_) return;
    log(LogLevel::Warning, "connection to " + url_ + " lost: " + reason);
    shut_link();
    fail_all_pending(ErrorCode::ConnectionLost, "connection to " + url_ + " lost: " + reason);
    set_state(ConnectionState::Lost, reason);
}

void Session::shut_link() {
    link_open_ = false;
    heartbeat_timer_.cancel();
    link_timer_.cancel();
    link_->close();
    decoder_.reset();
}

// ---- timers -----------------------------------------------------------------------------

void Session::schedule_heartbeat() {
    auto interval = options_.heartbeat_interval;
    if (interval <= milliseconds(0))
        interval = milliseconds(std::max(20, capabilities_.watchdog_ms / 4));
    heartbeat_timer_.expires_after(interval);
    heartbeat_timer_.async_wait([this](boost::system::error_code error) {
        if (error || !link_open_) return;
        start_request(protocol::Heartbeat{},
                      [this](const Result& result, const protocol::Message*) {
                          // Say it once per outage, not every period; link loss is reported on its
                          // own.
                          const bool link_gone = result.code == ErrorCode::ConnectionLost ||
                                                 result.code == ErrorCode::NotConnected;
                          if (!result.ok() && !link_gone && !heartbeat_failing_)
                              log(LogLevel::Warning, "heartbeat failed: " + result.message);
                          heartbeat_failing_ = !result.ok();
                      });
        schedule_heartbeat();
    });
}

void Session::schedule_link_check() {
    auto timeout = options_.link_timeout;
    if (timeout <= milliseconds(0))
        timeout = milliseconds(std::max(1000, 2 * capabilities_.watchdog_ms));
    link_timer_.expires_after(timeout / 4);
    link_timer_.async_wait([this, timeout](boost::system::error_code error) {
        if (error || !link_open_) return;
        const auto silent = std::chrono::duration_cast<milliseconds>(Clock::now() - last_receive_);
        if (silent > timeout) {
            on_link_error("no answer from the pen for " + std::to_string(count_ms(silent)) +
                          " ms (limit " + std::to_string(count_ms(timeout)) + " ms)");
            return;
        }
        schedule_link_check();
    });
}

}  // namespace penlink::core
