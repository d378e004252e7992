// Session, the sending side: the in-flight window and its queue, numbering, the urgent
// emergency stop, retries, and failing what is outstanding. Everything here runs on the I/O
// thread.
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "core/session_auth.hpp"

namespace penlink::core {

void Session::start_request(const protocol::Message& message, ReplyHandler done, int retries) {
    const auto type = protocol::type_of(message);
    if (!link_open_) {
        const bool lost = state_.load() == ConnectionState::Lost;
        done(Result::failure(
                 lost ? ErrorCode::ConnectionLost : ErrorCode::NotConnected,
                 std::string("cannot send ") + protocol::to_string(type) + ": the pen at " + url_ +
                     (lost ? " is disconnected (connection lost)" : " is not connected")),
             nullptr);
        return;
    }
    if (closing_) {
        done(Result::failure(ErrorCode::NotConnected, std::string("cannot send ") +
                                                          protocol::to_string(type) +
                                                          ": the pen at " + url_ + " is closed"),
             nullptr);
        return;
    }
    if (retries < 0) retries = options_.command_retries;
    // An emergency stop never waits: it goes out now, ahead of everything queued, and is resent
    // until the pen answers or the link is declared lost (protocol.md 5.4).
    if (type == protocol::MessageType::EmergencyStop) {
        send_request(message, std::move(done), std::numeric_limits<int>::max());
        return;
    }
    if (!waiting_.empty() || !window_open()) {
        // Every request goes out within kMaxInFlight sequence numbers of the oldest one still
        // outstanding, so a resend always finds its reply in the pen's cache (twice that size);
        // the rest wait here, in order, and are numbered when they go out.
        waiting_.push_back(Waiting{message, std::move(done), retries});
        return;
    }
    send_request(message, std::move(done), retries);
}

void Session::send_request(const protocol::Message& message, ReplyHandler done, int retries) {
    const auto type = protocol::type_of(message);
    if (!link_open_) {
        done(Result::failure(ErrorCode::ConnectionLost,
                             std::string("cannot send ") + protocol::to_string(type) +
                                 ": the pen at " + url_ + " is disconnected"),
             nullptr);
        return;
    }
    std::uint16_t seq = next_seq_++;
    while (pending_.count(seq) != 0) seq = next_seq_++;
    auto frame = protocol::encode_frame(seq, message);
    if (!frame) {
        done(Result::failure(ErrorCode::Internal,
                             std::string(protocol::to_string(type)) + " does not fit in a frame"),
             nullptr);
        return;
    }
    auto pending = std::make_unique<Pending>();
    pending->type = type;
    pending->frame = *frame;
    pending->attempts = 1;
    pending->retries = retries;
    pending->urgent = type == protocol::MessageType::EmergencyStop;
    pending->plain = type == protocol::MessageType::Authenticate;
    if (pending->plain) authenticate_seq_ = seq;
    if (const auto* depth = std::get_if<protocol::SetDepth>(&message))
        pending->value = depth->depth_um;
    if (const auto* limit = std::get_if<protocol::SetDepthLimit>(&message))
        pending->value = limit->depth_limit_um;
    if (const auto* rate = std::get_if<protocol::SubscribeStatus>(&message))
        pending->value = rate->rate_hz;
    if (const auto* speed = std::get_if<protocol::SetSpeed>(&message))
        pending->value = speed->speed_chz;
    pending->done = std::move(done);
    sent_order_.push_back(seq);
    send_frame(*pending);
    pending_.emplace(seq, std::move(pending));
    arm_retry(seq);
}

void Session::send_frame(const Pending& pending) {
    // In an authenticated session every attempt is sealed afresh: a resend carries a new
    // counter (the pen rejects a counter it has seen), the same seq (it applies it once).
    std::optional<protocol::WireFrame> sealed;
    if (auth_ && !pending.plain) {
        sealed = protocol::seal_frame(pending.frame, auth_->sealer);
        if (!sealed) {
            on_session_lost("the session's frame counter is used up (2^32 frames): reconnect");
            return;
        }
    }
    const auto bytes = sealed ? sealed->view() : pending.frame.view();
    if (pending.urgent)
        link_->send_urgent(bytes);
    else
        link_->send(bytes);
    note_sent(pending.type);
}

bool Session::window_open() {
    // Forget the answered ones at the front; what remains starts with the oldest outstanding.
    while (!sent_order_.empty() && pending_.count(sent_order_.front()) == 0)
        sent_order_.pop_front();
    if (sent_order_.empty()) return true;
    const auto distance = static_cast<std::uint16_t>(next_seq_ - sent_order_.front());
    return distance < protocol::kMaxInFlight;
}

void Session::send_waiting() {
    while (link_open_ && !closing_ && !waiting_.empty() && window_open()) {
        Waiting next = std::move(waiting_.front());
        waiting_.pop_front();
        send_request(next.message, std::move(next.done), next.retries);
    }
}

void Session::arm_retry(std::uint16_t seq) {
    auto& pending = *pending_.at(seq);
    pending.deadline = Clock::now() + command_timeout_;
    // Every request has the same timeout, so a later one never needs the timer earlier.
    if (!retry_timer_armed_ || pending.deadline < retry_timer_.expiry())
        schedule_retry_timer(pending.deadline);
}

void Session::schedule_retry_timer(Clock::time_point at) {
    retry_timer_armed_ = true;
    retry_timer_.expires_at(at);
    retry_timer_.async_wait([this](boost::system::error_code error) {
        if (error) return;  // re-armed (a newer wait is pending) or closing
        retry_timer_armed_ = false;
        on_retry_timer();
    });
}

void Session::on_retry_timer() {
    const auto now = Clock::now();
    // A reply may wait on a quiet link whose callback run is late: read it before resending.
    read_late_quiet_link(now);
    std::vector<std::uint16_t> due;
    for (const auto& [seq, entry] : pending_)
        if (entry->deadline <= now) due.push_back(seq);
    for (const auto seq : due) retry_or_fail(seq);
    std::optional<Clock::time_point> next;
    for (const auto& [seq, entry] : pending_)
        if (!next || entry->deadline < *next) next = entry->deadline;
    if (next && (!retry_timer_armed_ || *next < retry_timer_.expiry())) schedule_retry_timer(*next);
}

void Session::retry_or_fail(std::uint16_t seq) {
    const auto it = pending_.find(seq);
    if (it == pending_.end()) return;  // answered, or failed by an earlier one's handler
    auto& entry = *it->second;
    if (entry.attempts <= entry.retries) {
        ++entry.attempts;
        if (log_enabled(LogLevel::Debug))
            log(LogLevel::Debug, std::string("resending ") + protocol::to_string(entry.type) +
                                     " seq " + std::to_string(seq) + " (attempt " +
                                     std::to_string(entry.attempts) + ")");
        send_frame(entry);
        arm_retry(seq);
        return;
    }
    auto done = std::move(entry.done);
    const std::string text =
        std::string("the pen did not acknowledge ") + protocol::to_string(entry.type) + " within " +
        std::to_string(count_ms(command_timeout_)) + " ms (" + std::to_string(entry.attempts) +
        " attempts); the outcome is unknown: it was applied at most once, and "
        "read_settings() tells what the pen now holds";
    pending_.erase(it);
    done(Result::failure(ErrorCode::Timeout, text), nullptr);
    send_waiting();
}

void Session::fail_waiting(ErrorCode code, const std::string& reason) {
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& entry : waiting) {
        entry.done(Result::failure(
                       code, std::string(protocol::to_string(protocol::type_of(entry.message))) +
                                 " failed (never sent): " + reason),
                   nullptr);
    }
}

void Session::fail_all_pending(ErrorCode code, const std::string& reason) {
    auto pending = std::move(pending_);
    pending_.clear();
    sent_order_.clear();
    retry_timer_.cancel();
    retry_timer_armed_ = false;
    for (auto& [seq, entry] : pending) {
        entry->done(Result::failure(
                        code, std::string(protocol::to_string(entry->type)) + " failed: " + reason),
                    nullptr);
    }
    fail_waiting(code, reason);
}

}  // namespace penlink::core
