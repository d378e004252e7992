#include "protocol/crc.hpp"

#include <array>

namespace penlink::protocol {
namespace {

constexpr std::uint16_t kPolynomial = 0x1021;

// One entry per possible top byte, computed at compile time so the hot path is a lookup per
// byte instead of eight shift/xor steps.
constexpr std::array<std::uint16_t, 256> make_table() {
    std::array<std::uint16_t, 256> table{};
    for (std::uint32_t top = 0; top < 256; ++top) {
        std::uint16_t crc = static_cast<std::uint16_t>(top << 8);
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ kPolynomial)
                                 : static_cast<std::uint16_t>(crc << 1);
        }
        table[top] = crc;
    }
    return table;
}

constexpr std::array<std::uint16_t, 256> kTable = make_table();

constexpr std::array<std::uint32_t, 256> make_table32() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t low = 0; low < 256; ++low) {
        std::uint32_t crc = low;
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        table[low] = crc;
    }
    return table;
}

constexpr std::array<std::uint32_t, 256> kTable32 = make_table32();

}  // namespace

std::uint16_t crc16(std::span<const std::uint8_t> data, std::uint16_t crc) {
    for (std::uint8_t byte : data) {
        const auto index = static_cast<std::uint8_t>((crc >> 8) ^ byte);
        crc = static_cast<std::uint16_t>((crc << 8) ^ kTable[index]);
    }
    return crc;
}

std::uint32_t crc32(std::span<const std::uint8_t> data) {
    std::uint32_t crc = kCrc32Init;
    for (std::uint8_t byte : data) {
        crc = (crc >> 8) ^ kTable32[(crc ^ byte) & 0xFFu];
    }
    return crc ^ 0xFFFFFFFFu;
}

}  // namespace penlink::protocol
