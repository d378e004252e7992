// What a host request passes on its way to the PenModel (docs/protocol.md section 5): the reply
// cache (a retry is answered from it, never applied twice; Busy is never cached), supersession
// (nothing is applied after a newer request of its group or a newer Stop/EmergencyStop), and
// the simulated busy depth actuator. A Hello is replayed from the cache only as the retry of the
// Hello that started the current session, with nothing else answered since.
//
// Fixed size, never allocates; not thread-safe (SimDevice's io thread).
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/frame.hpp"
#include "protocol/messages.hpp"
#include "sim/reply_cache.hpp"
#include "sim/request_order.hpp"

namespace penlink::sim {

class PenModel;
class PenAuth;

class RequestGate {
public:
    /// auth handles Authenticate and ChangeKey and adds its fields to HelloReply.
    RequestGate(PenModel& model, PenAuth& auth) : model_(model), auth_(auth) {}

    /// The encoded reply to (seq, request): remembered, or the model's answer, applied at most
    /// once. nullopt only if the reply does not fit a frame.
    std::optional<protocol::WireFrame> answer(std::uint16_t seq, const protocol::Message& request);

    /// A new host, a closed link or a reboot: sequence numbers seen so far mean nothing now.
    void forget();

    /// SetDepth and SetDepthLimit are answered Nack Busy until the model's uptime reaches this.
    void set_busy_until(std::uint64_t uptime_us) { busy_until_us_ = uptime_us; }

private:
    protocol::Message evaluate(std::uint16_t seq, const protocol::Message& request);

    PenModel& model_;
    PenAuth& auth_;
    ReplyCache replies_;
    RequestOrder order_;
    std::optional<std::uint16_t> replayable_hello_;
    std::uint64_t busy_until_us_ = 0;
};

}  // namespace penlink::sim
