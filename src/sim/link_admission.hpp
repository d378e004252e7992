// Which frames from the pen's host, and from a second link, the pen applies when it holds a key
// (docs/protocol.md sections 16.5 and 16.6): the session's own sealed frames; until a host has
// proved itself only the handshake and what makes the pen safer; a Hello on the link of a live
// authenticated session only as a takeover its sender must prove; from a second link only what
// makes the pen safer. Everything refused is answered (Nack) or counted here.
//
// Not thread-safe: the device's io thread, like PenModel, PenAuth and RequestGate it works on.
#pragma once

#include <cstdint>
#include <functional>

#include "protocol/frame.hpp"

namespace penlink::sim {

class PenAuth;
class PenModel;
class RequestGate;

class LinkAdmission {
public:
    /// How an answer goes out: plain (never sealed, outside the reply cache), or as the session's
    /// own (sealed in an authenticated session).
    using Reply = std::function<void(std::uint16_t seq, const protocol::Message& message)>;

    LinkAdmission(PenModel& model, PenAuth& auth, RequestGate& gate, Reply send_plain,
                  Reply send_message);

    /// True: the frame goes on to the RequestGate. False: it was answered or counted here.
    bool admit(const protocol::DecodedFrame& frame);

    /// The host of the session is alive: in a session and heard from within two watchdog
    /// periods. While it is, a second link may only make the pen safer.
    bool controller_alive() const;

    /// The answer to a frame from a second link while this link's host holds the session:
    /// applied if it makes the pen safer (and arrived plain), else Nack InUse.
    protocol::Message answer_other_link(const protocol::DecodedFrame& frame);

private:
    void take_over_hello(const protocol::DecodedFrame& frame);
    void take_over(const protocol::DecodedFrame& frame);

    PenModel& model_;
    PenAuth& auth_;
    RequestGate& gate_;
    Reply send_plain_;
    Reply send_message_;
};

}  // namespace penlink::sim
