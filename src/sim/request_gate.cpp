#include "sim/request_gate.hpp"

#include <variant>

#include "sim/pen_auth.hpp"
#include "sim/pen_model.hpp"

namespace penlink::sim {
namespace {

bool is_busy(const protocol::Message& reply) {
    const auto* nack = std::get_if<protocol::Nack>(&reply);
    return nack != nullptr && nack->reason == protocol::NackReason::Busy;
}

}  // namespace

std::optional<protocol::WireFrame> RequestGate::answer(std::uint16_t seq,
                                                       const protocol::Message& request) {
    const protocol::MessageType type = protocol::type_of(request);
    if (const protocol::WireFrame* remembered = replies_.find(seq, type)) {
        if (type != protocol::MessageType::Hello || replayable_hello_ == seq) return *remembered;
    }
    replayable_hello_.reset();
    const protocol::Message reply = evaluate(seq, request);
    auto encoded = protocol::encode_frame(seq, reply);
    // Busy is evaluated afresh when the host retries the same frame.
    if (encoded && !is_busy(reply)) replies_.store(seq, type, *encoded);
    return encoded;
}

protocol::Message RequestGate::evaluate(std::uint16_t seq, const protocol::Message& request) {
    const protocol::MessageType type = protocol::type_of(request);
    // Outside a session the model answers NoSession (or applies a safing request): a host must
    // learn that its session is gone, not that its request was superseded.
    if (model_.in_session()) {
        // The model knows what is safing beyond the protocol's own list (a SetParams that only
        // turns module energy outputs off); such a request is never superseded.
        if (const auto newer = order_.superseded_by(seq, request);
            newer && !model_.makes_safer(request)) {
            return protocol::Nack{type, protocol::NackReason::Superseded, protocol::Field::None,
                                  *newer};
        }
        if (model_.uptime_us() < busy_until_us_ &&
            protocol::group_of(type) == protocol::RequestGroup::Depth) {
            return protocol::Nack{type, protocol::NackReason::Busy};
        }
    }
    if (const auto* authenticate = std::get_if<protocol::Authenticate>(&request))
        return auth_.on_authenticate(seq, *authenticate);
    if (const auto* change = std::get_if<protocol::ChangeKey>(&request))
        return auth_.on_change_key(*change);
    protocol::Message reply = model_.handle(request);
    if (auto* hello_reply = std::get_if<protocol::HelloReply>(&reply)) {
        auth_.on_hello(std::get<protocol::Hello>(request), *hello_reply);
        // A new session: old sequence numbers mean nothing now.
        replies_.clear();
        order_.clear();
        replayable_hello_ = seq;
    } else if (std::holds_alternative<protocol::Ack>(reply)) {
        order_.applied(seq, type);
    }
    return reply;
}

void RequestGate::forget() {
    replies_.clear();
    order_.clear();
    replayable_hello_.reset();
    busy_until_us_ = 0;
}

}  // namespace penlink::sim
