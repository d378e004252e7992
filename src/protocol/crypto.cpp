#include "protocol/crypto.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace penlink::protocol::crypto {
namespace {

[[noreturn]] void fail(const char* what) {
    const unsigned long code = ERR_get_error();
    char detail[256] = "no detail";
    if (code != 0) ERR_error_string_n(code, detail, sizeof detail);
    throw std::runtime_error(std::string("OpenSSL: ") + what + " failed (" + detail + ")");
}

struct MacCtx {
    explicit MacCtx(const char* algorithm) {
        EVP_MAC* mac = EVP_MAC_fetch(nullptr, algorithm, nullptr);
        if (mac == nullptr) fail("EVP_MAC_fetch");
        ctx = EVP_MAC_CTX_new(mac);
        EVP_MAC_free(mac);  // the context holds its own reference
        if (ctx == nullptr) fail("EVP_MAC_CTX_new");
    }
    ~MacCtx() { EVP_MAC_CTX_free(ctx); }
    MacCtx(const MacCtx&) = delete;
    MacCtx& operator=(const MacCtx&) = delete;
    EVP_MAC_CTX* ctx = nullptr;
};

struct CipherCtx {
    CipherCtx() : ctx(EVP_CIPHER_CTX_new()) {
        if (ctx == nullptr) fail("EVP_CIPHER_CTX_new");
    }
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
    CipherCtx(const CipherCtx&) = delete;
    CipherCtx& operator=(const CipherCtx&) = delete;
    EVP_CIPHER_CTX* ctx;
};

}  // namespace

void random_bytes(std::span<std::uint8_t> out) {
    if (out.empty()) return;
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) fail("RAND_bytes");
}

Hmac hmac_sha256(std::span<const std::uint8_t> key,
                 std::initializer_list<std::span<const std::uint8_t>> parts) {
    MacCtx mac("HMAC");
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    if (EVP_MAC_init(mac.ctx, key.data(), key.size(), params) != 1) fail("HMAC init");
    for (const auto& part : parts) {
        if (!part.empty() && EVP_MAC_update(mac.ctx, part.data(), part.size()) != 1)
            fail("HMAC update");
    }
    Hmac out{};
    std::size_t size = 0;
    if (EVP_MAC_final(mac.ctx, out.data(), &size, out.size()) != 1 || size != out.size())
        fail("HMAC final");
    return out;
}

void hkdf_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> salt,
                 std::span<const std::uint8_t> info, std::span<std::uint8_t> out) {
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    if (kdf == nullptr) fail("EVP_KDF_fetch(HKDF)");
    EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (ctx == nullptr) fail("EVP_KDF_CTX_new");
    char digest[] = "SHA256";
    // OSSL_PARAM takes non-const pointers; HKDF only reads them.
    auto* key_bytes = const_cast<std::uint8_t*>(key.data());
    auto* salt_bytes = const_cast<std::uint8_t*>(salt.data());
    auto* info_bytes = const_cast<std::uint8_t*>(info.data());
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key_bytes, key.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt_bytes, salt.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info_bytes, info.size()),
        OSSL_PARAM_END};
    const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
    EVP_KDF_CTX_free(ctx);
    if (ok != 1) fail("HKDF derive");
}

bool equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(std::span<std::uint8_t> secret) { OPENSSL_cleanse(secret.data(), secret.size()); }

std::array<std::uint8_t, kWrappedKeySize> wrap_key(std::span<const std::uint8_t, kWrapKeySize> kek,
                                                   const Key& key) {
    CipherCtx cipher;
    EVP_CIPHER_CTX_set_flags(cipher.ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (EVP_EncryptInit_ex(cipher.ctx, EVP_aes_256_wrap(), nullptr, kek.data(), nullptr) != 1)
        fail("key wrap init");
    std::array<std::uint8_t, kWrappedKeySize> out{};
    int size = 0;
    if (EVP_EncryptUpdate(cipher.ctx, out.data(), &size, key.data(),
                          static_cast<int>(key.size())) != 1 ||
        size != static_cast<int>(out.size()))
        fail("key wrap");
    int tail = 0;
    if (EVP_EncryptFinal_ex(cipher.ctx, out.data() + size, &tail) != 1) fail("key wrap final");
    return out;
}

std::optional<Key> unwrap_key(std::span<const std::uint8_t, kWrapKeySize> kek,
                              std::span<const std::uint8_t, kWrappedKeySize> wrapped) {
    CipherCtx cipher;
    EVP_CIPHER_CTX_set_flags(cipher.ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (EVP_DecryptInit_ex(cipher.ctx, EVP_aes_256_wrap(), nullptr, kek.data(), nullptr) != 1)
        fail("key unwrap init");
    // The unwrap writes up to the wrapped size before checking the integrity value.
    std::array<std::uint8_t, kWrappedKeySize> plain{};
    int size = 0;
    const bool ok = EVP_DecryptUpdate(cipher.ctx, plain.data(), &size, wrapped.data(),
                                      static_cast<int>(wrapped.size())) == 1 &&
                    size == static_cast<int>(kKeySize);
    ERR_clear_error();  // a failed integrity check is an answer, not an error to keep
    std::optional<Key> key;
    if (ok) {
        key.emplace();
        std::copy(plain.begin(), plain.begin() + kKeySize, key->begin());
    }
    wipe(plain);
    return key;
}

namespace {

// RFC 4493 2.3: doubling in GF(2^128), the subkey step (shift left, xor 0x87 on carry).
std::array<std::uint8_t, kCmacSize> doubled(const std::array<std::uint8_t, kCmacSize>& in) {
    std::array<std::uint8_t, kCmacSize> out{};
    for (std::size_t i = 0; i < kCmacSize; ++i) {
        const std::uint8_t next = i + 1 < kCmacSize ? in[i + 1] : 0;
        out[i] = static_cast<std::uint8_t>((in[i] << 1) | (next >> 7));
    }
    if (in[0] & 0x80) out[kCmacSize - 1] ^= 0x87;
    return out;
}

}  // namespace

Cmac::Cmac(std::span<const std::uint8_t, kCmacKeySize> key) {
    aes_ = EVP_CIPHER_CTX_new();
    if (aes_ == nullptr) fail("EVP_CIPHER_CTX_new");
    if (EVP_EncryptInit_ex(aes_, EVP_aes_128_ecb(), nullptr, key.data(), nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(aes_, 0) != 1) {
        EVP_CIPHER_CTX_free(aes_);
        fail("AES-128 init");
    }
    Block l{};  // L = AES(K, 0^128)
    encrypt(l);
    k1_ = doubled(l);
    k2_ = doubled(k1_);
    OPENSSL_cleanse(l.data(), l.size());
}

Cmac::~Cmac() {
    EVP_CIPHER_CTX_free(aes_);  // frees and cleanses the key schedule
    OPENSSL_cleanse(k1_.data(), k1_.size());
    OPENSSL_cleanse(k2_.data(), k2_.size());
}

void Cmac::encrypt(Block& block) {
    // EVP_Cipher: the cipher's own block function, without EVP_EncryptUpdate's buffering.
    if (EVP_Cipher(aes_, block.data(), block.data(), static_cast<unsigned>(block.size())) <= 0)
        fail("AES-128 block");
}

std::array<std::uint8_t, kCmacSize> Cmac::compute(std::span<const std::uint8_t> a,
                                                  std::span<const std::uint8_t> b) {
    // RFC 4493 2.4 over a || b without joining them: X runs through every block but the last,
    // which is xored with K1 (whole) or padded 10* and xored with K2 (partial or empty).
    Block x{};
    Block last{};
    std::size_t filled = 0;
    for (const std::span<const std::uint8_t> part : {a, b}) {
        for (const std::uint8_t byte : part) {
            if (filled == kCmacSize) {  // a full block with more to come: not the last one
                for (std::size_t i = 0; i < kCmacSize; ++i) x[i] ^= last[i];
                encrypt(x);
                filled = 0;
            }
            last[filled++] = byte;
        }
    }
    const Block& subkey = filled == kCmacSize ? k1_ : k2_;
    if (filled < kCmacSize) {
        last[filled] = 0x80;
        std::fill(last.begin() + static_cast<std::ptrdiff_t>(filled) + 1, last.end(), 0);
    }
    for (std::size_t i = 0; i < kCmacSize; ++i)
        x[i] ^= static_cast<std::uint8_t>(last[i] ^ subkey[i]);
    encrypt(x);
    return x;
}

}  // namespace penlink::protocol::crypto
