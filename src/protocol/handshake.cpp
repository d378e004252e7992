#include "protocol/handshake.hpp"

#include <string_view>
#include <vector>

namespace penlink::protocol {
namespace {

std::span<const std::uint8_t> text(std::string_view label) {
    return {reinterpret_cast<const std::uint8_t*>(label.data()), label.size()};
}

// The transcript both proofs cover (docs/protocol.md section 16.3): host_nonce, pen_nonce,
// boot_id, session_id, auth_mode, key_id, serial (u8 length + bytes).
std::vector<std::uint8_t> transcript(const Hello& hello, const HelloReply& reply) {
    std::vector<std::uint8_t> bytes;
    bytes.reserve(kNonceSize * 2 + 9 + kKeyIdSize + 1 + reply.serial.size());
    bytes.insert(bytes.end(), hello.host_nonce.begin(), hello.host_nonce.end());
    bytes.insert(bytes.end(), reply.pen_nonce.begin(), reply.pen_nonce.end());
    for (const std::uint32_t value : {reply.boot_id, reply.session_id})
        for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    bytes.push_back(static_cast<std::uint8_t>(reply.auth_mode));
    bytes.insert(bytes.end(), reply.key_id.begin(), reply.key_id.end());
    bytes.push_back(static_cast<std::uint8_t>(reply.serial.size()));
    bytes.insert(bytes.end(), reply.serial.begin(), reply.serial.end());
    return bytes;
}

Proof proof(const crypto::Key& key, std::string_view label, const Hello& hello,
            const HelloReply& reply) {
    return crypto::hmac_sha256(key, {text(label), transcript(hello, reply)});
}

}  // namespace

KeyId key_id_of(const crypto::Key& key) {
    const auto mac = crypto::hmac_sha256(key, {text("penlink key id")});
    KeyId id{};
    std::copy(mac.begin(), mac.begin() + kKeyIdSize, id.begin());
    return id;
}

Proof pen_proof(const crypto::Key& key, const Hello& hello, const HelloReply& reply) {
    return proof(key, "penlink pen proof", hello, reply);
}

Proof host_proof(const crypto::Key& key, const Hello& hello, const HelloReply& reply) {
    return proof(key, "penlink host proof", hello, reply);
}

SessionKeys::~SessionKeys() {
    crypto::wipe(host_to_pen);
    crypto::wipe(pen_to_host);
    crypto::wipe(key_wrap);
}

SessionKeys derive_session_keys(const crypto::Key& key, const Hello& hello,
                                const HelloReply& reply) {
    std::array<std::uint8_t, kNonceSize * 2> salt{};
    std::copy(hello.host_nonce.begin(), hello.host_nonce.end(), salt.begin());
    std::copy(reply.pen_nonce.begin(), reply.pen_nonce.end(), salt.begin() + kNonceSize);
    std::vector<std::uint8_t> info(text("penlink session keys").begin(),
                                   text("penlink session keys").end());
    for (const std::uint32_t value : {reply.boot_id, reply.session_id})
        for (int i = 0; i < 4; ++i) info.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    std::array<std::uint8_t, 64> okm{};
    crypto::hkdf_sha256(key, salt, info, okm);
    SessionKeys keys;
    std::copy(okm.begin(), okm.begin() + 16, keys.host_to_pen.begin());
    std::copy(okm.begin() + 16, okm.begin() + 32, keys.pen_to_host.begin());
    std::copy(okm.begin() + 32, okm.end(), keys.key_wrap.begin());
    crypto::wipe(okm);
    return keys;
}

}  // namespace penlink::protocol
