#include "sim/link_admission.hpp"

#include "sim/pen_auth.hpp"
#include "sim/pen_model.hpp"
#include "sim/request_gate.hpp"

namespace penlink::sim {

using protocol::MessageType;

LinkAdmission::LinkAdmission(PenModel& model, PenAuth& auth, RequestGate& gate, Reply send_plain,
                             Reply send_message)
    : model_(model),
      auth_(auth),
      gate_(gate),
      send_plain_(std::move(send_plain)),
      send_message_(std::move(send_message)) {}

bool LinkAdmission::admit(const protocol::DecodedFrame& frame) {
    const auto type = frame.header.type;
    const bool safer = model_.makes_safer(frame.message);
    if (auth_.authenticated()) {
        if (frame.sealed) return true;
        if (type == MessageType::Hello) {
            if (!controller_alive()) return true;  // its host fell silent: a new session
            take_over_hello(frame);
            return false;
        }
        if (type == MessageType::Authenticate) {
            if (auth_.pending_takeover()) {
                take_over(frame);
                return false;
            }
            // The host's retry, its Ack lost: answered again from the reply cache.
            if (auth_.authenticate_seq() == frame.header.seq) return true;
        }
        if (safer) {
            // Anyone may make the pen safer, but not through this session's reply cache or
            // watchdog: applied and answered plain, remembered nowhere.
            send_plain_(frame.header.seq, model_.handle(frame.message));
            return false;
        }
        auth_.count_rejected();  // injected into the live session: no answer
        return false;
    }
    const bool handshake = type == MessageType::Hello || type == MessageType::Authenticate;
    if ((auth_.required() && !safer && !handshake) || type == MessageType::ChangeKey) {
        send_plain_(frame.header.seq,
                    protocol::Nack{type, protocol::NackReason::AuthenticationRequired});
        return false;
    }
    return true;
}

bool LinkAdmission::controller_alive() const {
    return model_.in_session() &&
           model_.since_host_us() < 2ull * model_.config().info.watchdog_ms * 1000;
}

protocol::Message LinkAdmission::answer_other_link(const protocol::DecodedFrame& frame) {
    if (!frame.sealed && model_.makes_safer(frame.message)) return model_.handle(frame.message);
    return protocol::Nack{frame.header.type, protocol::NackReason::InUse};
}

// A Hello on the link of a live authenticated session (section 16.6): nothing changes unless
// its host proves itself, which then replaces the session. A replayed Hello, or one from a host
// without the key, leaves the session and every output as they are.
void LinkAdmission::take_over_hello(const protocol::DecodedFrame& frame) {
    const auto& hello = std::get<protocol::Hello>(frame.message);
    protocol::Message reply = model_.prospective_hello(hello);
    if (auto* hello_reply = std::get_if<protocol::HelloReply>(&reply)) {
        if (!auth_.on_takeover_hello(hello, *hello_reply))
            reply = protocol::Nack{MessageType::Hello, protocol::NackReason::InUse};
    }
    send_plain_(frame.header.seq, reply);
}

void LinkAdmission::take_over(const protocol::DecodedFrame& frame) {
    const auto session_id = *auth_.pending_takeover();
    const auto answer =
        auth_.on_authenticate(frame.header.seq, std::get<protocol::Authenticate>(frame.message));
    if (!std::holds_alternative<protocol::Ack>(answer)) {
        send_plain_(frame.header.seq, answer);  // counted by on_authenticate
        return;
    }
    // The new host proved itself: its session replaces the old one, all outputs off.
    model_.start_session(session_id);
    gate_.forget();
    model_.feed_watchdog();
    send_message_(frame.header.seq, answer);  // sealed with the new session's keys
}

}  // namespace penlink::sim
