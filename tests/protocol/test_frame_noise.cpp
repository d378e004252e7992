// FrameDecoder on a dirty byte stream: noise, splits, truncation and overruns must cost at most
// the frames they touch.
#include <random>

#include <catch2/catch.hpp>

#include "frame_test_util.hpp"
#include "sample_messages.hpp"

using namespace penlink::protocol;
using namespace penlink::protocol::test;

namespace {

const Message kDepth = SetDepth{1250};
const Message kSpeed = SetSpeed{10000};
}  // namespace

TEST_CASE("a frame fed one byte at a time decodes once", "[frame][stream]") {
    for (const auto& vector : doc_vectors()) {
        INFO(vector.name);
        const Collected collected = feed_all(wire_of(vector.seq, vector.message), 1);
        CHECK(collected.errors.empty());
        REQUIRE(collected.frames.size() == 1);
        CHECK(collected.frames[0].message == vector.message);
        CHECK(collected.frames[0].header.seq == vector.seq);
    }
}

TEST_CASE("back-to-back frames in any chunking all decode in order", "[frame][stream]") {
    Bytes stream;
    for (const auto& vector : doc_vectors()) {
        append(stream, wire_of(vector.seq, vector.message));
    }
    for (std::size_t chunk : {0u, 1u, 2u, 3u, 7u, 64u, 251u}) {
        INFO("chunk " << chunk);
        const Collected collected = feed_all(stream, chunk);
        CHECK(collected.errors.empty());
        REQUIRE(collected.frames.size() == doc_vectors().size());
        for (std::size_t i = 0; i < collected.frames.size(); ++i) {
            CHECK(collected.frames[i].message == doc_vectors()[i].message);
        }
    }
}

TEST_CASE("empty frames between delimiters are skipped silently", "[frame][stream]") {
    Bytes stream{0x00, 0x00, 0x00};
    append(stream, wire_of(1, kDepth));
    append(stream, {0x00, 0x00});
    const Collected collected = feed_all(stream);
    CHECK(collected.errors.empty());
    CHECK(collected.frames.size() == 1);
}

TEST_CASE("noise before a frame costs nothing once a delimiter resyncs", "[frame][stream]") {
    Bytes stream{0x13, 0x37, 0xFF, 0x42,
                 0x00};  // garbage, then the delimiter a sender flushes with
    append(stream, wire_of(1, kDepth));
    const Collected collected = feed_all(stream);
    REQUIRE(collected.errors.size() == 1);
    REQUIRE(collected.frames.size() == 1);
    CHECK(collected.frames[0].message == kDepth);
}

TEST_CASE("noise inside a frame loses only that frame", "[frame][stream]") {
    Bytes hit = wire_of(2, kSpeed);
    hit[4] ^= 0x5A;  // corrupt, non-zero either way
    REQUIRE(hit[4] != 0);
    Bytes stream = wire_of(1, kDepth);
    append(stream, hit);
    append(stream, wire_of(3, kDepth));
    const Collected collected = feed_all(stream, 5);
    REQUIRE(collected.frames.size() == 2);
    CHECK(collected.frames[0].header.seq == 1);
    CHECK(collected.frames[1].header.seq == 3);
    CHECK(collected.errors.size() == 1);
}

TEST_CASE("a zero injected into a frame splits it and the next frame survives", "[frame][stream]") {
    Bytes hit = wire_of(2, kSpeed);
    hit[3] = 0x00;
    Bytes stream = wire_of(1, kDepth);
    append(stream, hit);
    append(stream, wire_of(3, kDepth));
    const Collected collected = feed_all(stream);
    REQUIRE(collected.frames.size() == 2);
    CHECK(collected.frames[1].header.seq == 3);
    CHECK(collected.errors.size() == 2);  // both halves of the split frame
}

TEST_CASE("a truncated frame is dropped at the next delimiter", "[frame][stream]") {
    const Bytes whole = wire_of(2, full_info());
    Bytes stream(whole.begin(), whole.begin() + 40);  // the rest never arrived...
    stream.push_back(0x00);                           // ...but the sender's next delimiter did
    append(stream, wire_of(3, kDepth));
    const Collected collected = feed_all(stream);
    REQUIRE(collected.frames.size() == 1);
    CHECK(collected.frames[0].header.seq == 3);
    CHECK(collected.errors.size() == 1);
}

TEST_CASE("a lost delimiter costs the two frames it joined, no more", "[frame][stream]") {
    Bytes first = wire_of(1, kDepth);
    first.pop_back();
    Bytes stream = first;
    append(stream, wire_of(2, kSpeed));
    append(stream, wire_of(3, kDepth));
    const Collected collected = feed_all(stream);
    REQUIRE(collected.frames.size() == 1);
    CHECK(collected.frames[0].header.seq == 3);
    CHECK(collected.errors.size() == 1);
}

TEST_CASE("more than kMaxWireFrameSize bytes without a delimiter is one Oversized error",
          "[frame][stream]") {
    Bytes stream(3 * kMaxWireFrameSize, 0x7E);
    stream.push_back(0x00);
    append(stream, wire_of(4, kDepth));
    for (std::size_t chunk : {0u, 1u, 100u}) {
        const Collected collected = feed_all(stream, chunk);
        REQUIRE(collected.errors.size() == 1);
        CHECK(collected.errors[0] == FrameError::Oversized);
        REQUIRE(collected.frames.size() == 1);
        CHECK(collected.frames[0].header.seq == 4);
    }
}

TEST_CASE("reset drops a partial frame", "[frame][stream]") {
    const Bytes wire = wire_of(5, kDepth);
    FrameDecoder decoder;
    Collected collected;
    feed(decoder, Bytes(wire.begin(), wire.begin() + 3), collected);
    decoder.reset();
    feed(decoder, wire, collected);
    CHECK(collected.errors.empty());
    REQUIRE(collected.frames.size() == 1);
    CHECK(collected.frames[0].header.seq == 5);
}

TEST_CASE("random garbage mixed with frames: every untouched frame comes out",
          "[frame][stream][fuzz]") {
    std::mt19937 random(20240611);
    const auto& samples = doc_vectors();
    Bytes stream;
    std::vector<std::uint16_t> clean_seqs;
    std::size_t damaged = 0;
    for (std::uint16_t seq = 0; seq < 3000; ++seq) {
        const auto roll = random() % 10;
        if (roll < 2) {
            // garbage of random length; may or may not end with a delimiter
            const std::size_t length = random() % 300;
            for (std::size_t i = 0; i < length; ++i) {
                stream.push_back(random() % 8 == 0 ? 0x00 : static_cast<std::uint8_t>(random()));
            }
            continue;
        }
        // A frame comes out intact only if the decoder is at a frame boundary when it starts.
        const bool at_boundary = stream.empty() || stream.back() == 0x00;
        Bytes wire = wire_of(seq, samples[random() % samples.size()].message);
        if (roll < 4) {
            const std::size_t at = random() % (wire.size() - 1);  // never the delimiter
            wire[at] = static_cast<std::uint8_t>(wire[at] ^ (1 + random() % 255));
            ++damaged;
        } else if (at_boundary) {
            clean_seqs.push_back(seq);
        }
        append(stream, wire);
    }
    REQUIRE(clean_seqs.size() > 1000);
    REQUIRE(damaged > 100);

    FrameDecoder decoder;
    Collected collected;
    for (std::size_t at = 0; at < stream.size();) {
        const std::size_t n = std::min<std::size_t>(1 + random() % 97, stream.size() - at);
        feed(decoder, Bytes(stream.begin() + at, stream.begin() + at + n), collected);
        at += n;
    }
    // Every clean frame, in order. A damaged frame may rarely still decode (a flip in bytes
    // the CRC tolerates is impossible, but a split can leave a valid-looking tail), so extra
    // frames are only bounded, not forbidden.
    std::size_t next = 0;
    for (const auto& frame : collected.frames) {
        if (next < clean_seqs.size() && frame.header.seq == clean_seqs[next]) {
            ++next;
        }
    }
    CHECK(next == clean_seqs.size());
    CHECK(collected.frames.size() < clean_seqs.size() + damaged / 10 + 5);
    CHECK(!collected.errors.empty());
}

TEST_CASE("one decoder's Status frames come out whole whatever came before them",
          "[frame][stream]") {
    // The decoder reuses its frame, and a Status decoded over a Status writes only what it
    // carries: readings an earlier frame had must not show through.
    Status with_readings;
    with_readings.status_seq = 7;
    with_readings.telemetry_count = 3;
    for (std::uint8_t i = 0; i < 3; ++i)
        with_readings.telemetry[i] = {static_cast<std::uint8_t>(i + 1), i, -1000 * (i + 1)};
    Status fewer = with_readings;
    fewer.status_seq = 8;
    fewer.telemetry_count = 1;
    fewer.telemetry[1] = {};
    fewer.telemetry[2] = {};
    Status none;
    none.status_seq = 9;
    Info info;
    info.model = "MP-1";
    const std::vector<Message> messages{with_readings, none, with_readings, fewer, info, none};

    Bytes stream;
    std::uint16_t seq = 1;
    for (const auto& message : messages) append(stream, wire_of(seq++, message));
    // A Status cut short in between: an error, and the frames after it still whole.
    const Bytes short_status =
        to_wire(raw_frame(kProtocolVersion, static_cast<std::uint8_t>(MessageType::Status), 99, 5,
                          Bytes{1, 2, 3, 4, 5}));
    append(stream, short_status);
    append(stream, wire_of(seq++, none));

    const Collected collected = feed_all(stream);
    REQUIRE(collected.errors == std::vector<FrameError>{FrameError::Payload});
    REQUIRE(collected.frames.size() == messages.size() + 1);
    for (std::size_t i = 0; i < messages.size(); ++i) {
        INFO("frame " << i);
        CHECK(collected.frames[i].message == messages[i]);
    }
    CHECK(collected.frames.back().message == Message{none});
}

TEST_CASE("decode over a Status whose readings go past its count clears them", "[frame][stream]") {
    Status none;
    none.status_seq = 9;
    DecodedFrame out;
    Status stale;
    stale.telemetry_count = 0;
    stale.telemetry[5] = {1, 2, 3};  // past the count: not something a decoder leaves
    out.message = stale;
    const Bytes wire = wire_of(3, none);
    REQUIRE_FALSE(
        FrameDecoder::decode(std::span<const std::uint8_t>(wire).first(wire.size() - 1), out)
            .has_value());
    CHECK(out.message == Message{none});
}
