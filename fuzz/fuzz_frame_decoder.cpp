// libFuzzer harness: the frame decoder and the payload decoders, the first code that touches
// bytes from the wire on either side of the link.
//
// Input layout:
//   byte 0        bit 7: forge mode; bits 0-2: how many chunk-size bytes follow (0 = one chunk)
//   chunk sizes   each 1..64 bytes, used in turn to cut the stream into feed() calls
//   rest          the byte stream (forge mode: one frame body, version..payload, that gets a
//                 valid CRC, COBS and delimiter, so the mutations reach the payload decoders)
//
// Checked on every input, beyond "no crash, no sanitizer report":
//   - cutting the stream into chunks never changes what the decoder reports;
//   - every decoded frame re-encodes (encode_frame) and decodes back to an equal frame, and a
//     Status re-encodes to the same bytes through encode_status_frame;
//   - every payload decode_payload accepts (as any type) re-encodes to the bytes it was read from
//     (plus the zero defaults of an optional tail it lacked) and decodes back equal.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "fuzz_support.hpp"
#include "protocol/frame.hpp"
#include "protocol/messages.hpp"

using namespace penlink;
using penlink::fuzz::check;

namespace {

/// What a decoder reported, in order: a frame or an error.
struct Report {
    std::optional<protocol::DecodedFrame> frame;
    protocol::FrameError error{};
};

bool same_frame(const protocol::DecodedFrame& a, const protocol::DecodedFrame& b) {
    return a.header.version == b.header.version && a.header.type == b.header.type &&
           a.header.seq == b.header.seq && a.message == b.message;
}

void check_round_trip(const protocol::DecodedFrame& frame) {
    check(protocol::type_of(frame.message) == frame.header.type);
    const auto wire = protocol::encode_frame(frame.header.seq, frame.message);
    check(wire.has_value());  // whatever decoded fits in a frame again
    const auto bytes = wire->view();
    check(bytes.size() >= 2 && bytes.back() == 0);
    protocol::DecodedFrame again;
    check(!protocol::FrameDecoder::decode(bytes.first(bytes.size() - 1), again).has_value());
    check(same_frame(frame, again));
    // The status stream's encoder writes exactly the generic encoder's bytes.
    if (const auto* status = std::get_if<protocol::Status>(&frame.message)) {
        std::array<std::uint8_t, protocol::kMaxStatusWireFrameSize> out;
        const auto size = protocol::encode_status_frame(frame.header.seq, *status, out);
        check(size.has_value() && *size == bytes.size() &&
              std::equal(bytes.begin(), bytes.end(), out.begin()));
    }
}

std::vector<Report> feed_in_chunks(std::span<const std::uint8_t> stream,
                                   std::span<const std::uint8_t> chunk_sizes) {
    std::vector<Report> reports;
    protocol::FrameDecoder decoder;
    auto on_frame = [&](const protocol::DecodedFrame& frame) {
        check_round_trip(frame);
        reports.push_back({frame, {}});
    };
    auto on_error = [&](protocol::FrameError error) { reports.push_back({std::nullopt, error}); };
    if (chunk_sizes.empty()) {
        decoder.feed(stream, on_frame, on_error);
        return reports;
    }
    std::size_t next_size = 0;
    while (!stream.empty()) {
        std::size_t size = chunk_sizes[next_size++ % chunk_sizes.size()] % 64 + 1;
        if (size > stream.size()) size = stream.size();
        decoder.feed(stream.first(size), on_frame, on_error);
        stream = stream.subspan(size);
    }
    return reports;
}

void check_payload_decoders(std::span<const std::uint8_t> payload) {
    std::array<std::uint8_t, protocol::kMaxPayloadSize> encoded{};
    for (const protocol::MessageType type : fuzz::kAllTypes) {
        const auto message = protocol::decode_payload(type, payload);
        if (!message) continue;
        check(protocol::type_of(*message) == type);
        const auto size = protocol::encode_payload(*message, encoded);
        check(size.has_value());
        // The encoder writes back the bytes the decoder read. A payload that ended where an
        // optional tail begins (a 12-byte Nack, a 56-byte Status: docs/protocol.md 6.1) comes
        // back with the tail's defaults, which are all zero bytes.
        for (std::size_t i = 0; i < *size; ++i) {
            check(encoded[i] == (i < payload.size() ? payload[i] : 0));
        }
        const auto again = protocol::decode_payload(type, {encoded.data(), *size});
        check(again.has_value() && *again == *message);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::ByteReader input({data, size});
    const std::uint8_t mode = input.u8();
    const auto chunk_sizes = input.take(mode & 0x07);
    const auto rest = input.rest();

    fuzz::Bytes forged;
    std::span<const std::uint8_t> stream = rest;
    if (mode & 0x80) {
        fuzz::append_forged_frame(forged, rest);
        stream = forged;
    }

    const auto chunked = feed_in_chunks(stream, chunk_sizes);
    const auto whole = feed_in_chunks(stream, {});
    check(chunked.size() == whole.size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
        check(chunked[i].frame.has_value() == whole[i].frame.has_value());
        if (whole[i].frame) {
            check(same_frame(*chunked[i].frame, *whole[i].frame));
        } else {
            check(chunked[i].error == whole[i].error);
        }
    }

    check_payload_decoders(rest);
    if (rest.size() > protocol::kHeaderSize)
        check_payload_decoders(rest.subspan(protocol::kHeaderSize));
    return 0;
}
