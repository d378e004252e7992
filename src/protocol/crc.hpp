// CRC-16/CCITT-FALSE (a.k.a. CRC-16/IBM-3740): poly 0x1021, init 0xFFFF, no reflection,
// xorout 0x0000, check value 0x29B1 over ASCII "123456789". Pure, table-driven.
#pragma once

#include <cstdint>
#include <span>

namespace penlink::protocol {

inline constexpr std::uint16_t kCrcInit = 0xFFFF;

/// CRC of data, continuing from crc (pass kCrcInit to start).
std::uint16_t crc16(std::span<const std::uint8_t> data, std::uint16_t crc = kCrcInit);

}  // namespace penlink::protocol

namespace penlink::protocol {

inline constexpr std::uint32_t kCrc32Init = 0xFFFFFFFF;

/// CRC-32 (IEEE 802.3, as in zlib): reflected poly 0xEDB88320, init and xorout 0xFFFFFFFF, check
/// value 0xCBF43926 over ASCII "123456789". Names a module descriptor (docs/protocol.md 13.2).
std::uint32_t crc32(std::span<const std::uint8_t> data);

}  // namespace penlink::protocol
