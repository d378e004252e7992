#include "sim/pen_auth.hpp"

namespace penlink::sim {

using protocol::MessageType;
using protocol::Nack;
using protocol::NackReason;

struct PenAuth::Session {
    explicit Session(const protocol::SessionKeys& session_keys, std::uint16_t authenticate_seq)
        : keys(session_keys),
          sealer(keys.pen_to_host),
          opener(keys.host_to_pen),
          seq(authenticate_seq) {}
    protocol::SessionKeys keys;
    protocol::FrameSealer sealer;
    protocol::FrameOpener opener;
    std::uint16_t seq;  // of the Authenticate that opened it
};

PenAuth::PenAuth(std::optional<protocol::crypto::Key> key, protocol::AuthMode mode)
    : key_(key), mode_(key ? mode : protocol::AuthMode::Open) {}

PenAuth::~PenAuth() {
    if (key_) protocol::crypto::wipe(*key_);
}

void PenAuth::on_hello(const protocol::Hello& hello, protocol::HelloReply& reply) {
    end_session();
    reply.auth_mode = mode_;
    if (!key_) return;  // no key: key_id, nonce and proof stay zero
    reply.key_id = protocol::key_id_of(*key_);
    if (protocol::all_zero(hello.host_nonce)) return;  // the host does not authenticate
    protocol::crypto::random_bytes(reply.pen_nonce);
    reply.pen_proof = protocol::pen_proof(*key_, hello, reply);
    pending_ = Pending{hello, reply};
    pending_is_takeover_ = false;
}

bool PenAuth::on_takeover_hello(const protocol::Hello& hello, protocol::HelloReply& reply) {
    if (!key_ || protocol::all_zero(hello.host_nonce)) return false;
    reply.auth_mode = mode_;
    reply.key_id = protocol::key_id_of(*key_);
    protocol::crypto::random_bytes(reply.pen_nonce);
    reply.pen_proof = protocol::pen_proof(*key_, hello, reply);
    pending_ = Pending{hello, reply};
    pending_is_takeover_ = true;
    return true;
}

std::optional<std::uint32_t> PenAuth::pending_takeover() const {
    if (!pending_ || !pending_is_takeover_) return std::nullopt;
    return pending_->reply.session_id;
}

protocol::Message PenAuth::on_authenticate(std::uint16_t seq,
                                           const protocol::Authenticate& request) {
    if (!key_) return Nack{MessageType::Authenticate, NackReason::NotSupported};
    if (!pending_) return Nack{MessageType::Authenticate, NackReason::BadState};
    const auto expected = protocol::host_proof(*key_, pending_->hello, pending_->reply);
    if (!protocol::crypto::equal(expected, request.host_proof)) {
        // One attempt per Hello: a host with the wrong key starts again with a new nonce.
        pending_.reset();
        pending_is_takeover_ = false;
        ++rejected_;
        return Nack{MessageType::Authenticate, NackReason::AuthenticationFailed};
    }
    session_ = std::make_unique<Session>(
        protocol::derive_session_keys(*key_, pending_->hello, pending_->reply), seq);
    pending_.reset();
    pending_is_takeover_ = false;
    rejected_ = 0;  // a new session counts afresh
    return protocol::Ack{MessageType::Authenticate};
}

protocol::Message PenAuth::on_change_key(const protocol::ChangeKey& request) {
    if (!session_) return Nack{MessageType::ChangeKey, NackReason::AuthenticationRequired};
    auto key = protocol::crypto::unwrap_key(session_->keys.key_wrap, request.wrapped_key);
    if (!key) return Nack{MessageType::ChangeKey, NackReason::AuthenticationFailed};
    if (key_) protocol::crypto::wipe(*key_);
    key_ = *key;
    protocol::crypto::wipe(*key);
    if (key_changed_) key_changed_(*key_);
    return protocol::Ack{MessageType::ChangeKey};
}

void PenAuth::end_session() {
    session_.reset();
    pending_.reset();
    rejected_ = 0;
}

std::optional<std::uint16_t> PenAuth::authenticate_seq() const {
    if (!session_) return std::nullopt;
    return session_->seq;
}

protocol::FrameSealer* PenAuth::sealer() { return session_ ? &session_->sealer : nullptr; }
protocol::FrameOpener* PenAuth::opener() { return session_ ? &session_->opener : nullptr; }

}  // namespace penlink::sim
