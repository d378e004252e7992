// The pen's side of authenticated sessions (docs/protocol.md section 16): its key and mode, the
// handshake (its proof in HelloReply, checking the host's Authenticate), the session's sealer
// and opener once authenticated, key rotation (ChangeKey) and the count of rejected frames.
//
// SimDevice decides what an unauthenticated frame may do (request_allowed); RequestGate calls
// on_hello/on_authenticate/on_change_key while it evaluates requests. Not thread-safe (the
// device's io thread).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "protocol/frame.hpp"
#include "protocol/handshake.hpp"
#include "protocol/messages.hpp"

namespace penlink::sim {

class PenAuth {
public:
    /// key: the pen's key (none: it cannot authenticate and runs Open). mode: Required only
    /// with a key.
    PenAuth(std::optional<protocol::crypto::Key> key, protocol::AuthMode mode);
    ~PenAuth();

    /// An accepted Hello started a new session: the old session's keys are gone, and reply gets
    /// the auth fields (a proof only if the host sent a nonce and the pen has a key).
    void on_hello(const protocol::Hello& hello, protocol::HelloReply& reply);
    /// A Hello while this session is authenticated and its host alive: reply (from
    /// PenModel::prospective_hello) gets the auth fields, and the session goes on unless that
    /// host proves itself (on_authenticate), which then replaces it. False if the Hello cannot
    /// authenticate (no nonce, no key): the caller answers Nack InUse.
    bool on_takeover_hello(const protocol::Hello& hello, protocol::HelloReply& reply);
    /// The session id a pending takeover would start; nullopt if none is pending.
    std::optional<std::uint32_t> pending_takeover() const;
    /// Checks the host's proof. Ack: the session is authenticated from now on (the Ack is the
    /// pen's first sealed frame). Nack AuthenticationFailed, NotSupported (no key) or BadState
    /// (no Hello with a nonce in this session) otherwise.
    protocol::Message on_authenticate(std::uint16_t seq, const protocol::Authenticate& request);
    /// Installs the unwrapped key (used from the next Hello on) and calls on_key_changed; Nack
    /// AuthenticationFailed if it does not unwrap. Only ever reached sealed.
    protocol::Message on_change_key(const protocol::ChangeKey& request);
    /// The session ended (link closed, EndSession, reboot): keys gone.
    void end_session();

    bool authenticated() const { return session_ != nullptr; }
    /// True if unauthenticated hosts may only make the pen safer.
    bool required() const { return mode_ == protocol::AuthMode::Required; }
    protocol::AuthMode mode() const { return mode_; }
    /// The Authenticate that authenticated this session (its plain retry is answered again).
    std::optional<std::uint16_t> authenticate_seq() const;

    /// The session's sealer and opener; nullptr while not authenticated.
    protocol::FrameSealer* sealer();
    protocol::FrameOpener* opener();

    /// Frames rejected in this session: forged, replayed, or unauthenticated on an
    /// authenticated link. Reset by a new session.
    void count_rejected() { ++rejected_; }
    std::uint32_t rejected() const { return rejected_; }

    void on_key_changed(std::function<void(const protocol::crypto::Key&)> handler) {
        key_changed_ = std::move(handler);
    }

private:
    struct Session;
    std::optional<protocol::crypto::Key> key_;
    protocol::AuthMode mode_;
    // The current session's handshake (Hello with a nonce seen) and, once authenticated, its
    // keys. pending_ while the host has not proved itself yet.
    struct Pending {
        protocol::Hello hello;
        protocol::HelloReply reply;
    };
    std::optional<Pending> pending_;
    bool pending_is_takeover_ = false;
    std::unique_ptr<Session> session_;
    std::uint32_t rejected_ = 0;
    std::function<void(const protocol::crypto::Key&)> key_changed_;
};

}  // namespace penlink::sim
