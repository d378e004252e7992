#include <array>
#include <cstdint>
#include <string_view>

#include <catch2/catch.hpp>

#include "protocol/crc.hpp"

using penlink::protocol::crc16;
using penlink::protocol::kCrcInit;

namespace {
std::span<const std::uint8_t> bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Bit-by-bit reference straight from the CRC parameters, to check the table against.
std::uint16_t reference_crc(std::span<const std::uint8_t> data) {
    std::uint16_t crc = 0xFFFF;
    for (std::uint8_t byte : data) {
        crc = static_cast<std::uint16_t>(crc ^ (byte << 8));
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                                 : static_cast<std::uint16_t>(crc << 1);
        }
    }
    return crc;
}
}  // namespace

TEST_CASE("CRC-16/CCITT-FALSE check value", "[crc]") {
    CHECK(crc16(bytes_of("123456789")) == 0x29B1);
}

TEST_CASE("CRC of nothing is the initial value", "[crc]") {
    CHECK(crc16({}) == 0xFFFF);
    CHECK(kCrcInit == 0xFFFF);
}

TEST_CASE("CRC known vectors", "[crc]") {
    CHECK(crc16(bytes_of("A")) == 0xB915);
    const std::array<std::uint8_t, 1> zero{0x00};
    CHECK(crc16(zero) == 0xE1F0);
    const std::array<std::uint8_t, 4> ones{0xFF, 0xFF, 0xFF, 0xFF};
    CHECK(crc16(ones) == 0x1D0F);
}

TEST_CASE("CRC continues across chunks", "[crc]") {
    const auto all = bytes_of("123456789");
    for (std::size_t split = 0; split <= all.size(); ++split) {
        CHECK(crc16(all.subspan(split), crc16(all.first(split))) == 0x29B1);
    }
}

TEST_CASE("CRC table agrees with the bitwise definition for every byte value", "[crc]") {
    std::array<std::uint8_t, 256> data{};
    for (std::size_t i = 0; i < data.size(); ++i) {
        data[i] = static_cast<std::uint8_t>(i * 7 + 3);
        CHECK(crc16(std::span(data).first(i + 1)) == reference_crc(std::span(data).first(i + 1)));
    }
}

TEST_CASE("CRC-32 (IEEE, as zlib) check values name a module descriptor", "[crc]") {
    using penlink::protocol::crc32;
    CHECK(crc32(bytes_of("123456789")) == 0xCBF43926u);
    CHECK(crc32({}) == 0x00000000u);
    CHECK(crc32(bytes_of("The quick brown fox jumps over the lazy dog")) == 0x414FA339u);
}
