// Session, the receiving side: bytes -> frames -> replies, status, events; link supervision
// and link loss (the timers are in session_supervision.cpp). Everything here runs on the I/O
// thread.
#include <utility>

#include "core/conversions.hpp"
#include "core/limits.hpp"
#include "core/log.hpp"
#include "core/nack.hpp"
#include "core/session_auth.hpp"

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
    if (std::holds_alternative<protocol::Settings>(reply))
        return request == protocol::MessageType::GetSettings;
    if (std::holds_alternative<protocol::Modules>(reply))
        return request == protocol::MessageType::GetModules;
    if (std::holds_alternative<protocol::DescriptorChunk>(reply))
        return request == protocol::MessageType::ReadDescriptor;
    if (std::holds_alternative<protocol::Params>(reply))
        return request == protocol::MessageType::GetParams;
    return false;
}

}  // namespace

// ---- incoming ---------------------------------------------------------------------------

void Session::on_bytes(std::span<const std::uint8_t> bytes) {
    // The status frames of this read go to the callback threads in one hand-over, at the end.
    struct FlushAtEnd {
        Session& session;
        ~FlushAtEnd() {
            session.publish_latest();
            // One atomic add per read, not per frame; after publish_latest, so a reader that
            // sees the count also finds those frames in latest_status().
            if (session.received_in_read_ > 0)
                session.received_.fetch_add(std::exchange(session.received_in_read_, 0),
                                            std::memory_order_relaxed);
            session.dispatcher_.flush();
        }
    } flush_at_end{*this};
    // Every frame of this read arrived together: one clock reading serves them all.
    bytes_time_ = Clock::now();
    decoder_.feed(
        bytes, [this](const protocol::DecodedFrame& frame) { on_frame(frame); },
        [this](protocol::FrameError error) {
            ++frame_errors_;
            if (protocol::is_security_error(error)) {
                on_rejected_frame(error);
                return;
            }
            if (log_enabled(LogLevel::Debug))
                log(LogLevel::Debug,
                    std::string("dropped a frame from the pen: ") + protocol::to_string(error));
        });
}

bool Session::receive_here() {
    transport::LinkGuard::TryHold hold(*guard_);
    if (!hold.owns()) return false;
    if (guard_->alive()) link_->receive_now();
    return true;
}

void Session::on_frame(const protocol::DecodedFrame& frame) {
    // Not from our authenticated pen: it proves no liveness. (Unauthenticated, every frame that
    // decoded is admitted: a sealed one fails decoding without a key.)
    if (auth_ && !admit_frame(frame)) return;
    last_receive_ = bytes_time_;
    const auto& message = frame.message;
    if (const auto* status = std::get_if<protocol::Status>(&message)) {
        // Before our HelloReply, unsolicited frames belong to an earlier session or the pen's
        // start-up (protocol.md 4.1).
        // Duplicates are told by status_seq (on_status): a pen may send events ahead of status
        // frames it sampled earlier, so the shared frame counter does not order them.
        if (in_session_) on_status(*status);
        return;
    }
    // Whoever a reply or event wakes sees every status frame that came before it.
    publish_latest();
    if (const auto* event = std::get_if<protocol::Event>(&message)) {
        if (in_session_ && !duplicate_unsolicited(frame.header.seq)) on_event(*event);
    } else if (!protocol::is_request(frame.header.type)) {
        on_reply(frame.header.seq, message);
    } else {
        log(LogLevel::Warning, std::string("the pen sent a host request (") +
                                   protocol::to_string(frame.header.type) + "); ignored");
    }
}

bool Session::duplicate_unsolicited(std::uint16_t frame_seq) {
    // Events keep their order among themselves, so the frame counter of the last one tells.
    if (last_unsolicited_seq_ && !protocol::seq_newer(frame_seq, *last_unsolicited_seq_))
        return true;
    last_unsolicited_seq_ = frame_seq;
    return false;
}

void Session::on_reply(std::uint16_t seq, const protocol::Message& reply) {
    const auto it = pending_.find(seq);
    if (it == pending_.end() || !reply_matches(it->second->type, reply)) {
        // A second answer to a resent request, or a leftover from an earlier session.
        if (log_enabled(LogLevel::Debug))
            log(LogLevel::Debug,
                "ignored a reply with no matching request (seq " + std::to_string(seq) + ")");
        return;
    }
    Pending& entry = *it->second;
    const auto* nack = std::get_if<protocol::Nack>(&reply);
    if (nack && nack->reason == protocol::NackReason::Busy && entry.attempts <= entry.retries) {
        // The pen does not remember a Busy answer: the armed retry resends the same frame after
        // command_timeout, within the same budget (protocol.md 11.1).
        log(LogLevel::Debug,
            std::string("the pen is busy; ") + protocol::to_string(entry.type) + " will be resent");
        return;
    }
    auto done = std::move(entry.done);
    if (const auto* hello = std::get_if<protocol::HelloReply>(&reply)) {
        in_session_ = true;
        session_id_ = hello->session_id;
        boot_id_ = hello->boot_id;
        last_unsolicited_seq_.reset();
        last_status_seq_.reset();
    }
    if (!nack) on_acknowledged(entry);
    pending_.erase(it);
    if (nack) {
        done(result_from_nack(*nack), &reply);
        if (nack->reason == protocol::NackReason::NoSession) {
            on_session_lost(
                "the pen answered that it has no session with this host: it restarted, "
                "or its session ended");
            return;
        }
    } else {
        done(Result{}, &reply);
    }
    send_waiting();
}

void Session::on_acknowledged(const Pending& pending) {
    using protocol::MessageType;
    if (pending.type == MessageType::SetDepth) {
        acked_depth_um_ = pending.value;
        depth_acked_since_status_ = true;
    }
    if (pending.type == MessageType::SetDepthLimit) acked_depth_um_.reset();  // may have clamped
    if (pending.type == MessageType::SetSpeed) {
        acked_speed_chz_ = pending.value;
        speed_acked_since_status_ = true;
    }
    if (pending.type == MessageType::SubscribeStatus && pending.value != acked_status_rate_hz_) {
        // A new rate: its first frame is due from now. (A resubscription after silence keeps
        // the clock running, so a pen that never streams is given up on.)
        acked_status_rate_hz_ = pending.value;
        last_status_time_ = Clock::now();
        if (supervising_) schedule_link_check();  // status silence is watched from now on
    }
}

void Session::note_status_outputs(const protocol::Status& wire) {
    if (may_be_armed_) return;
    const bool running =
        wire.state == protocol::PenState::Running || wire.state == protocol::PenState::Paused;
    if (running || (wire.rf_flags & 0x01) != 0 || (wire.led_flags & 0x01) != 0) note_may_be_armed();
}

void Session::on_status(const protocol::Status& wire) {
    if (wire.session_id != session_id_) {
        on_session_lost("the pen's status belongs to another session (" +
                        std::to_string(wire.session_id) + ", ours " + std::to_string(session_id_) +
                        "): it restarted or another host took it over");
        return;
    }
    if (last_status_seq_) {
        if (!protocol::seq_newer(wire.status_seq, *last_status_seq_)) return;  // a duplicate
        const std::uint32_t gap = wire.status_seq - *last_status_seq_ - 1;
        if (gap > 0) dropped_.fetch_add(gap, std::memory_order_relaxed);
    }
    last_status_seq_ = wire.status_seq;
    last_status_time_ = bytes_time_;
    resubscribed_for_silence_ = false;
    ++received_in_read_;
    check_depth_against_limit(wire);
    check_set_points(wire);
    note_status_outputs(wire);
    copy_status(wire, last_status_);
    latest_pending_ = true;
    if (!dispatcher_.push_status(wire)) dropped_.fetch_add(1, std::memory_order_relaxed);
}

void Session::publish_latest() {
    if (!latest_pending_) return;
    latest_pending_ = false;
    std::lock_guard lock(latest_mutex_);
    if (!latest_) latest_.emplace();
    to_status(last_status_, *latest_);
}

void Session::check_depth_against_limit(const protocol::Status& wire) {
    const std::int32_t limit = depth_limit_um_.load(std::memory_order_relaxed);
    const bool deeper = wire.depth_set_um > limit;
    // A pen that holds a looser limit than ours (it restarted, or lost our SetDepthLimit) is
    // given ours again; one that is set deeper than our limit is also stopped.
    const bool looser = wire.depth_limit_um > limit;
    if (!deeper && !looser) {
        depth_violation_reported_ = false;
        return;
    }
    if (!depth_violation_reported_) on_depth_beyond_limit(wire, limit);
}

void Session::on_depth_beyond_limit(const protocol::Status& wire, std::int32_t limit) {
    depth_violation_reported_ = true;
    if (wire.depth_set_um > limit) {
        log(LogLevel::Error,
            "the pen's depth set point " + format_fixed(wire.depth_set_um / 1000.0, 2) +
                " mm exceeds the session depth limit of " + format_fixed(limit / 1000.0, 2) +
                " mm: stopping the needle and sending the limit again");
        start_request(protocol::Stop{}, [](const Result&, const protocol::Message*) {});
    }
    start_request(protocol::SetDepthLimit{static_cast<std::uint16_t>(limit)},
                  [](const Result&, const protocol::Message*) {});
}

bool Session::outstanding(protocol::RequestGroup group) const {
    for (const auto& [seq, entry] : pending_)
        if (protocol::group_of(entry->type) == group) return true;
    for (const auto& entry : waiting_)
        if (protocol::group_of(protocol::type_of(entry.message)) == group) return true;
    return false;
}

void Session::check_set_points(const protocol::Status& wire) {
    // A set point the pen reports differently from what it last acknowledged, with nothing of
    // that kind on its way, means the pen changed it on its own: say so. A frame sampled just
    // before a command was applied can trail its reply, so only a difference that lasts counts,
    // and a frame that comes after a reply received since the previous frame is not judged on
    // that set point: while commands follow each other, every frame may trail one (frames
    // arrive in the order the pen sampled them, so the frame after it was sampled later).
    const bool depth_unsure = std::exchange(depth_acked_since_status_, false);
    const bool speed_unsure = std::exchange(speed_acked_since_status_, false);
    const bool depth_may_differ =
        !depth_unsure && acked_depth_um_ && wire.depth_set_um != *acked_depth_um_;
    const bool speed_may_differ =
        !speed_unsure && acked_speed_chz_ && wire.speed_set_chz != *acked_speed_chz_;
    if (!depth_may_differ && !speed_may_differ) {
        set_point_mismatch_since_.reset();
        return;
    }
    on_set_points_differ(wire, depth_may_differ, speed_may_differ);
}

void Session::on_set_points_differ(const protocol::Status& wire, bool depth_may_differ,
                                   bool speed_may_differ) {
    // Not while a command of that kind is on its way: the pen may not have applied it yet.
    const bool depth_differs = depth_may_differ && !outstanding(protocol::RequestGroup::Depth);
    const bool speed_differs = speed_may_differ && !outstanding(protocol::RequestGroup::Speed);
    if (!depth_differs && !speed_differs) {
        set_point_mismatch_since_.reset();
        return;
    }
    const auto now = Clock::now();
    if (!set_point_mismatch_since_) set_point_mismatch_since_ = now;
    if (now - *set_point_mismatch_since_ < kSetPointGrace) return;
    std::string what;
    if (depth_differs)
        what = "depth " + format_fixed(wire.depth_set_um / 1000.0, 2) + " mm (acknowledged " +
               format_fixed(*acked_depth_um_ / 1000.0, 2) + " mm)";
    if (speed_differs)
        what += std::string(what.empty() ? "" : " and ") + "speed " +
                format_number(wire.speed_set_chz / 100.0) + " Hz (acknowledged " +
                format_number(*acked_speed_chz_ / 100.0) + " Hz)";
    log(LogLevel::Error, "the pen at " + url_ + " changed its set points without a command: " +
                             what + "; latest_status() and read_settings() show what holds now");
    // Adopt what the pen holds, so this is said once per change.
    acked_depth_um_ = wire.depth_set_um;
    acked_speed_chz_ = wire.speed_set_chz;
    set_point_mismatch_since_.reset();
}

void Session::on_event(const protocol::Event& wire) {
    const Event event = to_event(wire);
    note_event_outputs(wire);
    if (wire.kind == protocol::EventKind::SecurityRejected) {
        rejected_by_pen_ = wire.detail;
        log(LogLevel::Warning, "the pen at " + url_ + " rejected " + std::to_string(wire.detail) +
                                   " forged, replayed or injected frames in this session");
    }
    if (wire.kind == protocol::EventKind::ModuleAttached ||
        wire.kind == protocol::EventKind::ModuleDetached) {
        modules_.mark_stale();  // read again on the next use, on the user's thread
    }
    log(LogLevel::Info, "pen event " + std::to_string(static_cast<int>(event.kind)) + " detail " +
                            std::to_string(event.detail));
    notify(&Session::event_handlers_, "event", event);
}

void Session::on_link_error(const std::string& reason) {
    if (!link_open_) return;
    log(LogLevel::Warning, "connection to " + url_ + " lost: " + reason);
    shut_link();
    // Lost first: a caller woken by its command failing with ConnectionLost sees the pen Lost.
    set_state(ConnectionState::Lost, reason);
    fail_all_pending(ErrorCode::ConnectionLost, "connection to " + url_ + " lost: " + reason);
}

void Session::on_session_lost(const std::string& reason) {
    // Everything the pen acknowledged in this session may be gone; say so rather than carry on
    // as if it were still the pen's state. reconnect() starts a new session.
    {
        std::lock_guard lock(latest_mutex_);
        latest_.reset();
        latest_pending_ = false;
    }
    on_link_error(reason);
}

void Session::shut_link() {
    link_open_ = false;
    supervising_ = false;
    in_session_ = false;
    heartbeat_timer_.cancel();
    link_timer_.cancel();
    link_->close();
    decoder_.reset();
}

}  // namespace penlink::core
