// The authenticated handshake (docs/protocol.md section 16.3): a three-pass mutual
// challenge-response (ISO/IEC 9798-4's three-pass authentication with a cryptographic check
// function, here HMAC-SHA-256) and the session keys derived from both nonces with HKDF-SHA-256.
//
//   host -> pen  Hello{..., host_nonce}
//   pen -> host  HelloReply{..., auth_mode, key_id, pen_nonce, pen_proof, serial}
//   host -> pen  Authenticate{host_proof}        (plain)
//   pen -> host  Ack                              (the first sealed frame), or Nack
//
// Pure functions of their inputs; both sides (the SDK and the simulated pen) call them.
#pragma once

#include <array>
#include <cstdint>

#include "protocol/crypto.hpp"
#include "protocol/messages.hpp"

namespace penlink::protocol {

/// Names a key without revealing it: the first 8 bytes of HMAC-SHA-256(key, "penlink key id").
KeyId key_id_of(const crypto::Key& key);

/// The pen's proof: HMAC-SHA-256(key, "penlink pen proof" || transcript).
Proof pen_proof(const crypto::Key& key, const Hello& hello, const HelloReply& reply);
/// The host's proof: HMAC-SHA-256(key, "penlink host proof" || transcript).
Proof host_proof(const crypto::Key& key, const Hello& hello, const HelloReply& reply);

/// The session's keys, 64 bytes of HKDF-SHA-256(key, salt = host_nonce || pen_nonce,
/// info = "penlink session keys" || boot_id || session_id), in this order.
struct SessionKeys {
    std::array<std::uint8_t, crypto::kCmacKeySize> host_to_pen{};
    std::array<std::uint8_t, crypto::kCmacKeySize> pen_to_host{};
    std::array<std::uint8_t, crypto::kWrapKeySize> key_wrap{};  // ChangeKey
    SessionKeys() = default;
    SessionKeys(const SessionKeys&) = default;
    SessionKeys& operator=(const SessionKeys&) = default;
    ~SessionKeys();
};
SessionKeys derive_session_keys(const crypto::Key& key, const Hello& hello,
                                const HelloReply& reply);

/// True if every byte is zero (no nonce, no key id, no proof).
template <std::size_t N>
bool all_zero(const std::array<std::uint8_t, N>& bytes) {
    for (auto b : bytes)
        if (b != 0) return false;
    return true;
}

}  // namespace penlink::protocol
