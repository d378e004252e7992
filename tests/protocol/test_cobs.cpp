#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "protocol/cobs.hpp"

using namespace penlink::protocol;

namespace {
using Bytes = std::vector<std::uint8_t>;

Bytes encode(const Bytes& in) {
    Bytes out(cobs_max_encoded_size(in.size()));
    const auto size = cobs_encode(in, out);
    REQUIRE(size.has_value());
    out.resize(*size);
    return out;
}

std::optional<Bytes> decode(const Bytes& in) {
    Bytes out(in.size() + 1);
    const auto size = cobs_decode(in, out);
    if (!size) {
        return std::nullopt;
    }
    out.resize(*size);
    return out;
}

Bytes run(std::size_t n, std::uint8_t first = 1) {
    Bytes bytes(n);
    for (std::size_t i = 0; i < n; ++i) {
        bytes[i] = static_cast<std::uint8_t>(1 + (first - 1 + i) % 255);  // never zero
    }
    return bytes;
}

void check_round_trip(const Bytes& in) {
    const Bytes encoded = encode(in);
    CHECK(encoded.size() <= cobs_max_encoded_size(in.size()));
    CHECK(std::find(encoded.begin(), encoded.end(), 0) == encoded.end());
    const auto decoded = decode(encoded);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == in);
}
}  // namespace

TEST_CASE("COBS known encodings", "[cobs]") {
    CHECK(encode({}) == Bytes{0x01});
    CHECK(encode({0x00}) == Bytes{0x01, 0x01});
    CHECK(encode({0x00, 0x00}) == Bytes{0x01, 0x01, 0x01});
    CHECK(encode({0x11, 0x22, 0x00, 0x33}) == Bytes{0x03, 0x11, 0x22, 0x02, 0x33});
    CHECK(encode({0x11, 0x00, 0x00, 0x00}) == Bytes{0x02, 0x11, 0x01, 0x01, 0x01});
}

TEST_CASE("COBS round trips edge-case inputs", "[cobs]") {
    SECTION("empty") { check_round_trip({}); }
    SECTION("all zero") {
        for (std::size_t n : {1u, 2u, 253u, 254u, 255u, 600u}) {
            check_round_trip(Bytes(n, 0x00));
        }
    }
    SECTION("runs around the 254-byte block limit") {
        for (std::size_t n : {253u, 254u, 255u, 256u, 508u, 509u}) {
            check_round_trip(run(n));
            Bytes with_zero = run(n);
            with_zero.push_back(0);
            check_round_trip(with_zero);
            Bytes leading_zero{0};
            for (std::uint8_t byte : with_zero) leading_zero.push_back(byte);
            check_round_trip(leading_zero);
        }
    }
}

TEST_CASE("COBS 254 and 255-byte runs encode without waste", "[cobs]") {
    // A run of exactly 254 non-zero bytes is one full block: code 0xFF and no trailing code.
    const Bytes full = encode(run(254));
    REQUIRE(full.size() == 255);
    CHECK(full[0] == 0xFF);
    // 255 bytes: a full block, then a block holding the last byte.
    const Bytes over = encode(run(255));
    REQUIRE(over.size() == 257);
    CHECK(over[0] == 0xFF);
    CHECK(over[255] == 0x02);
    // Decoders must also accept the "trailing 0x01" form other encoders emit.
    Bytes with_trailing_code = full;
    with_trailing_code.push_back(0x01);
    CHECK(decode(with_trailing_code) == run(254));
}

TEST_CASE("COBS round trips random data", "[cobs]") {
    std::mt19937 random(1234);
    for (int i = 0; i < 500; ++i) {
        Bytes data(random() % 700);
        const auto zero_odds = 1 + random() % 64;
        for (auto& byte : data) {
            byte = (random() % zero_odds == 0) ? 0 : static_cast<std::uint8_t>(random());
        }
        check_round_trip(data);
    }
}

TEST_CASE("COBS rejects invalid input", "[cobs]") {
    CHECK_FALSE(decode({0x00}).has_value());              // a zero code
    CHECK_FALSE(decode({0x03, 0x11, 0x00}).has_value());  // a zero inside a block
    CHECK_FALSE(decode({0x05, 0x11, 0x22}).has_value());  // code runs past the end
    CHECK_FALSE(decode({0x02, 0x11, 0x00, 0x01}).has_value());
}

TEST_CASE("COBS reports a too-small output buffer instead of overrunning it", "[cobs]") {
    const Bytes in = run(10);
    std::array<std::uint8_t, 10> small_out{};
    CHECK_FALSE(cobs_encode(in, small_out).has_value());
    std::array<std::uint8_t, 0> none{};
    CHECK_FALSE(cobs_encode({}, none).has_value());

    const Bytes encoded = encode({1, 2, 0, 3, 4});
    std::array<std::uint8_t, 4> short_out{};
    CHECK_FALSE(cobs_decode(encoded, short_out).has_value());
    std::array<std::uint8_t, 5> exact_out{};
    CHECK(cobs_decode(encoded, exact_out) == 5u);
}
