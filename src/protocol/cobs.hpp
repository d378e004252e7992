// Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so 0x00 can delimit
// frames on a byte stream. Pure functions over caller-owned buffers (no allocation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace penlink::protocol {

/// Worst-case encoded size of n input bytes (without the 0x00 delimiter).
constexpr std::size_t cobs_max_encoded_size(std::size_t n) { return n + n / 254 + 1; }

/// Encodes in into out (no delimiter). Returns bytes written, or nullopt if out is too small.
std::optional<std::size_t> cobs_encode(std::span<const std::uint8_t> in,
                                       std::span<std::uint8_t> out);

/// Decodes in (no delimiter) into out. Returns bytes written, or nullopt if in is not valid
/// COBS (a zero byte, or a code that runs past the end) or out is too small.
std::optional<std::size_t> cobs_decode(std::span<const std::uint8_t> in,
                                       std::span<std::uint8_t> out);

}  // namespace penlink::protocol
