// The cryptographic primitives of authenticated sessions (docs/protocol.md section 16), every
// one of them OpenSSL 3's: HMAC-SHA-256 and HKDF-SHA-256 for the handshake, AES-128-CMAC for
// each frame, AES-256 key wrap for key rotation, the system's random generator and a
// constant-time comparison. Nothing here implements a primitive itself.
//
// Keys are wiped from memory (OPENSSL_cleanse) when the objects holding them go away.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>

// OpenSSL's context type, kept out of this header.
struct evp_cipher_ctx_st;

namespace penlink::protocol::crypto {

inline constexpr std::size_t kKeySize = 32;                   // a pen's secret key
inline constexpr std::size_t kHmacSize = 32;                  // HMAC-SHA-256 output
inline constexpr std::size_t kCmacKeySize = 16;               // AES-128-CMAC key
inline constexpr std::size_t kCmacSize = 16;                  // AES-128-CMAC tag
inline constexpr std::size_t kWrapKeySize = 32;               // AES-256 key-encryption key
inline constexpr std::size_t kWrappedKeySize = kKeySize + 8;  // RFC 3394 adds one 8-byte block

using Key = std::array<std::uint8_t, kKeySize>;
using Hmac = std::array<std::uint8_t, kHmacSize>;

/// Fills out from the operating system's random generator (RAND_bytes). Throws
/// std::runtime_error if it cannot (it never silently returns weak bytes).
void random_bytes(std::span<std::uint8_t> out);

/// HMAC-SHA-256 (RFC 2104) of the concatenation of parts.
Hmac hmac_sha256(std::span<const std::uint8_t> key,
                 std::initializer_list<std::span<const std::uint8_t>> parts);

/// HKDF-SHA-256 (RFC 5869), extract then expand, filling out (at most 255 * 32 bytes).
void hkdf_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> salt,
                 std::span<const std::uint8_t> info, std::span<std::uint8_t> out);

/// Constant-time equality of two equally long byte strings (CRYPTO_memcmp); false if the
/// lengths differ.
bool equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

/// Overwrites secret bytes so the compiler cannot drop the write (OPENSSL_cleanse).
void wipe(std::span<std::uint8_t> secret);

/// AES-256 key wrap (RFC 3394) of a 32-byte key under a 32-byte key-encryption key.
std::array<std::uint8_t, kWrappedKeySize> wrap_key(std::span<const std::uint8_t, kWrapKeySize> kek,
                                                   const Key& key);
/// Unwraps and checks the RFC 3394 integrity value; nullopt if it does not verify.
std::optional<Key> unwrap_key(std::span<const std::uint8_t, kWrapKeySize> kek,
                              std::span<const std::uint8_t, kWrappedKeySize> wrapped);

/// AES-128-CMAC (RFC 4493, NIST SP 800-38B) under one fixed key. Set up once per session
/// direction: the AES key schedule and the two subkeys. compute() is the RFC's algorithm over
/// OpenSSL's AES block function (EVP_Cipher on an ECB context): no heap, and none of the
/// per-call set-up of OpenSSL's EVP_MAC CMAC, which cost about 1 us per status frame.
/// Not thread-safe: one object per thread.
class Cmac {
public:
    explicit Cmac(std::span<const std::uint8_t, kCmacKeySize> key);
    ~Cmac();
    Cmac(const Cmac&) = delete;
    Cmac& operator=(const Cmac&) = delete;

    /// The tag over the concatenation of a and b.
    std::array<std::uint8_t, kCmacSize> compute(std::span<const std::uint8_t> a,
                                                std::span<const std::uint8_t> b = {});

private:
    using Block = std::array<std::uint8_t, kCmacSize>;
    void encrypt(Block& block);  // block = AES-128(key, block)

    evp_cipher_ctx_st* aes_ = nullptr;  // AES-128-ECB, no padding: the block function
    Block k1_{};                        // subkey for a message ending on a whole block
    Block k2_{};                        // subkey for a padded last block
};

}  // namespace penlink::protocol::crypto
