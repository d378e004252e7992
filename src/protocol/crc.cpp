#include "protocol/crc.hpp"

#include <array>
#include <cstddef>

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

// Slicing by 8: kSlices[k][x] is the CRC (from 0) of byte x followed by k zero bytes. Eight
// bytes then cost eight independent lookups instead of a chain of eight dependent ones, which
// is what bounds the bytewise loop (a Status frame is ~60 bytes, CRC'd on every send and
// receive).
constexpr std::size_t kSliceCount = 8;
constexpr std::array<std::array<std::uint16_t, 256>, kSliceCount> make_slices() {
    std::array<std::array<std::uint16_t, 256>, kSliceCount> slices{};
    slices[0] = make_table();
    for (std::size_t k = 1; k < kSliceCount; ++k) {
        for (std::size_t x = 0; x < 256; ++x) {
            const std::uint16_t previous = slices[k - 1][x];
            slices[k][x] = static_cast<std::uint16_t>((previous << 8) ^ slices[0][previous >> 8]);
        }
    }
    return slices;
}

constexpr auto kSlices = make_slices();

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
    // The register's two bytes fold into the block's first two; the other six go in as they are.
    while (data.size() >= kSliceCount) {
        const std::uint8_t* b = data.data();
        crc = static_cast<std::uint16_t>(kSlices[7][(crc >> 8) ^ b[0]] ^
                                         kSlices[6][(crc & 0xFF) ^ b[1]] ^ kSlices[5][b[2]] ^
                                         kSlices[4][b[3]] ^ kSlices[3][b[4]] ^ kSlices[2][b[5]] ^
                                         kSlices[1][b[6]] ^ kSlices[0][b[7]]);
        data = data.subspan(kSliceCount);
    }
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
