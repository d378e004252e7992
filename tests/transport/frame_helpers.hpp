// Speaking to a simulator through a transport in protocol frames: send one message, decode what
// came back, wait for a frame of a given type. Shared by the sim:// transport tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "io_helpers.hpp"
#include "protocol/frame.hpp"
#include "transport/transport.hpp"

namespace penlink::transport::test {

/// Every whole frame in bytes, in order; noise between frames is skipped.
inline std::vector<protocol::DecodedFrame> decode_all(const std::vector<std::uint8_t>& bytes) {
    std::vector<protocol::DecodedFrame> frames;
    protocol::FrameDecoder decoder;
    decoder.feed(
        bytes, [&](const protocol::DecodedFrame& frame) { frames.push_back(frame); },
        [](protocol::FrameError) {});
    return frames;
}

/// How many frames of the given type bytes hold.
inline std::size_t count_frames(const std::vector<std::uint8_t>& bytes,
                                protocol::MessageType type) {
    std::size_t count = 0;
    for (const auto& frame : decode_all(bytes)) count += frame.header.type == type ? 1 : 0;
    return count;
}

/// A Collector::wait_until predicate: true once bytes hold at_least frames of the given type.
inline auto has_frame(protocol::MessageType type, std::size_t at_least = 1) {
    return [type, at_least](const std::vector<std::uint8_t>& bytes) {
        return count_frames(bytes, type) >= at_least;
    };
}

/// Encodes message under seq and sends it on the io thread, as core would.
inline void send_frame(IoThread& io, Transport& transport, std::uint16_t seq,
                       const protocol::Message& message) {
    auto wire = protocol::encode_frame(seq, message);
    REQUIRE(wire);
    io.run([&] { transport.send(wire->view()); });
}

}  // namespace penlink::transport::test
