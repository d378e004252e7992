// Session::Auth: the keys of an authenticated session, and its two directions' sealer (host to
// pen) and opener (pen to host). Private to src/core; used on the session's I/O thread only.
#pragma once

#include "core/session.hpp"
#include "protocol/frame_auth.hpp"
#include "protocol/handshake.hpp"

namespace penlink::core {

struct Session::Auth {
    explicit Auth(const protocol::SessionKeys& session_keys)
        : keys(session_keys), sealer(keys.host_to_pen), opener(keys.pen_to_host) {}
    protocol::SessionKeys keys;
    protocol::FrameSealer sealer;
    protocol::FrameOpener opener;
};

}  // namespace penlink::core
