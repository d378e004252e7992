#include <cstring>

#include <catch2/catch.hpp>

#include "frame_test_util.hpp"
#include "sample_messages.hpp"

using namespace penlink::protocol;
using namespace penlink::protocol::test;

namespace {
std::optional<FrameError> decode_wire(const Bytes& wire, DecodedFrame& out) {
    REQUIRE(!wire.empty());
    REQUIRE(wire.back() == 0x00);
    return FrameDecoder::decode(std::span(wire).first(wire.size() - 1), out);
}

FrameError error_of(const Bytes& wire) {
    DecodedFrame frame;
    const auto error = decode_wire(wire, frame);
    REQUIRE(error.has_value());
    // feed() must report the same thing as decode()
    const Collected collected = feed_all(wire);
    CHECK(collected.frames.empty());
    REQUIRE(collected.errors.size() == 1);
    CHECK(collected.errors[0] == *error);
    return *error;
}

const Bytes kSetDepthPayload{0xE2, 0x04};
}  // namespace

TEST_CASE("encode_frame produces header, payload and CRC under COBS", "[frame]") {
    const Bytes wire = wire_of(0x1234, SetDepth{1250});
    CHECK(wire == to_wire(raw_frame(2, 0x03, 0x1234, 2, kSetDepthPayload)));
    CHECK(std::count(wire.begin(), wire.end(), 0) == 1);
}

TEST_CASE("every vector decodes back to its header and message", "[frame]") {
    for (const auto& vector : doc_vectors()) {
        INFO(vector.name);
        DecodedFrame frame;
        REQUIRE_FALSE(decode_wire(wire_of(vector.seq, vector.message), frame).has_value());
        CHECK(frame.header.version == frame_version_for(vector.message));
        CHECK(frame.header.type == type_of(vector.message));
        CHECK(frame.header.seq == vector.seq);
        CHECK(frame.message == vector.message);
    }
}

TEST_CASE("the largest frame fits kMaxWireFrameSize and decodes", "[frame]") {
    // Heartbeat ignores payload bytes, so it can carry the maximum payload.
    const Bytes wire =
        to_wire(raw_frame(2, 0x09, 7, kMaxPayloadSize, Bytes(kMaxPayloadSize, 0x5A)));
    CHECK(wire.size() == kMaxWireFrameSize);
    const Collected collected = feed_all(wire);
    REQUIRE(collected.frames.size() == 1);
    CHECK(collected.errors.empty());
    CHECK(std::holds_alternative<Heartbeat>(collected.frames[0].message));
}

TEST_CASE("decoder rejects each kind of bad frame", "[frame]") {
    SECTION("bad CRC") {
        Bytes raw = raw_frame(2, 0x03, 1, 2, kSetDepthPayload);
        raw[raw.size() - 1] ^= 0x01;
        CHECK(error_of(to_wire(raw)) == FrameError::Crc);
        raw = raw_frame(2, 0x03, 1, 2, kSetDepthPayload);
        raw[6] ^= 0x80;  // payload bit flip
        CHECK(error_of(to_wire(raw)) == FrameError::Crc);
    }
    SECTION("wrong version") {
        CHECK(error_of(to_wire(raw_frame(3, 0x03, 1, 2, kSetDepthPayload))) == FrameError::Version);
        CHECK(error_of(to_wire(raw_frame(0xFF, 0x03, 1, 2, kSetDepthPayload))) ==
              FrameError::Version);
        CHECK(error_of(to_wire(raw_frame(0, 0x03, 1, 2, kSetDepthPayload))) == FrameError::Version);
        // A message in the other version's frame: SetDepth is a v2 frame, Hello a v1 frame.
        CHECK(error_of(to_wire(raw_frame(1, 0x03, 1, 2, kSetDepthPayload))) == FrameError::Version);
        CHECK(error_of(to_wire(raw_frame(2, 0x01, 1, 2, {2, 2}))) == FrameError::Version);
    }
    SECTION("unknown type") {
        CHECK(error_of(to_wire(raw_frame(2, 0x17, 1, 0, {}))) == FrameError::UnknownType);
        CHECK(error_of(to_wire(raw_frame(2, 0x00, 1, 0, {}))) == FrameError::UnknownType);
        CHECK(error_of(to_wire(raw_frame(2, 0x8A, 1, 0, {}))) == FrameError::UnknownType);
    }
    SECTION("header length disagrees with the frame") {
        CHECK(error_of(to_wire(raw_frame(2, 0x03, 1, 3, kSetDepthPayload))) == FrameError::Length);
        CHECK(error_of(to_wire(raw_frame(2, 0x03, 1, 1, kSetDepthPayload))) == FrameError::Length);
    }
    SECTION("payload too short for its type") {
        CHECK(error_of(to_wire(raw_frame(2, 0x03, 1, 1, {0xE2}))) == FrameError::Payload);
        CHECK(error_of(to_wire(raw_frame(2, 0x84, 1, 0, {}))) == FrameError::Payload);
    }
    SECTION("bad enum in the payload") {
        // SetRf with polarity 7
        CHECK(error_of(to_wire(
                  raw_frame(2, 0x07, 1, 10, {1, 7, 0xDC, 0x05, 0x40, 0x1F, 0, 0, 0x64, 0}))) ==
              FrameError::Payload);
    }
    SECTION("fewer bytes than header and CRC") {
        CHECK(error_of(to_wire({0x01, 0x09, 0x00, 0x00, 0x00, 0x00, 0x12})) ==
              FrameError::TooShort);
        CHECK(error_of(to_wire({0x01})) == FrameError::TooShort);
    }
    SECTION("invalid COBS") {
        CHECK(error_of({0x09, 0x01, 0x09, 0x00}) == FrameError::Cobs);  // code runs past the end
    }
    SECTION("payload longer than the maximum") {
        const Bytes raw =
            raw_frame(2, 0x09, 1, kMaxPayloadSize + 1, Bytes(kMaxPayloadSize + 1, 0x5A));
        CHECK(error_of(to_wire(raw)) == FrameError::Oversized);
    }
}

TEST_CASE("trailing payload bytes are accepted and ignored", "[frame]") {
    const Collected collected =
        feed_all(to_wire(raw_frame(2, 0x03, 9, 5, {0xE2, 0x04, 0xAA, 0xBB, 0xCC})));
    REQUIRE(collected.frames.size() == 1);
    CHECK(collected.frames[0].header.seq == 9);
    CHECK(collected.frames[0].message == Message{SetDepth{1250}});
}

TEST_CASE("encode_frame refuses a message the wire cannot carry", "[frame]") {
    Info info = full_info();
    info.model = std::string(40, 'x');
    CHECK_FALSE(encode_frame(1, info).has_value());
}

TEST_CASE("frame error names", "[frame]") {
    CHECK(std::strcmp(to_string(FrameError::Crc), "CRC mismatch") == 0);
    for (auto error :
         {FrameError::Cobs, FrameError::TooShort, FrameError::Oversized, FrameError::Crc,
          FrameError::Length, FrameError::Version, FrameError::UnknownType, FrameError::Payload}) {
        CHECK(std::strlen(to_string(error)) > 0);
    }
}
