// Helpers for the frame tests: build raw frames by hand (to forge bad ones) and collect what
// a FrameDecoder reports.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/cobs.hpp"
#include "protocol/crc.hpp"
#include "protocol/frame.hpp"

namespace penlink::protocol::test {

using Bytes = std::vector<std::uint8_t>;

/// Appends from to to. A push_back loop rather than vector::insert: GCC 12 at -O2 reports a
/// false -Warray-bounds on inserting a range into a small vector.
inline void append(Bytes& to, const Bytes& from) {
    to.reserve(to.size() + from.size());
    for (std::uint8_t byte : from) to.push_back(byte);
}

/// version | type | seq | length | payload, then the CRC over all of it (or the given crc).
inline Bytes raw_frame(std::uint8_t version, std::uint8_t type, std::uint16_t seq,
                       std::uint16_t length, const Bytes& payload) {
    Bytes raw{version,
              type,
              static_cast<std::uint8_t>(seq),
              static_cast<std::uint8_t>(seq >> 8),
              static_cast<std::uint8_t>(length),
              static_cast<std::uint8_t>(length >> 8)};
    append(raw, payload);
    const std::uint16_t crc = crc16(raw);
    raw.push_back(static_cast<std::uint8_t>(crc));
    raw.push_back(static_cast<std::uint8_t>(crc >> 8));
    return raw;
}

/// COBS-encodes raw bytes and appends the 0x00 delimiter.
inline Bytes to_wire(const Bytes& raw) {
    Bytes wire(cobs_max_encoded_size(raw.size()) + 1);
    const auto size = cobs_encode(raw, wire);
    wire.resize(size.value());
    wire.push_back(0x00);
    return wire;
}

inline Bytes wire_of(std::uint16_t seq, const Message& message) {
    const auto frame = encode_frame(seq, message);
    return {frame.value().view().begin(), frame.value().view().end()};
}

struct Collected {
    std::vector<DecodedFrame> frames;
    std::vector<FrameError> errors;
};

/// Feeds bytes in chunks of chunk_size (0 = all at once) into decoder, collecting results.
inline void feed(FrameDecoder& decoder, const Bytes& bytes, Collected& into,
                 std::size_t chunk_size = 0) {
    const std::size_t step = chunk_size == 0 ? bytes.size() : chunk_size;
    for (std::size_t at = 0; at < bytes.size(); at += step) {
        const std::size_t n = std::min(step, bytes.size() - at);
        decoder.feed(
            std::span<const std::uint8_t>(bytes.data() + at, n),
            [&into](const DecodedFrame& frame) { into.frames.push_back(frame); },
            [&into](FrameError error) { into.errors.push_back(error); });
    }
}

inline Collected feed_all(const Bytes& bytes, std::size_t chunk_size = 0) {
    FrameDecoder decoder;
    Collected collected;
    feed(decoder, bytes, collected, chunk_size);
    return collected;
}

}  // namespace penlink::protocol::test
