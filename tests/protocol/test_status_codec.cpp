// The status stream's fast paths against the generic ones they stand in for: encode_status_frame
// must write exactly the bytes encode_frame writes (plain and sealed), the branch-free COBS for
// short inputs must agree with a plain textbook COBS on every input, valid or not, the sliced
// CRC with the bitwise definition, and FrameDecoder must report the same whether a frame is
// decoded in place from the input or from its buffer.
#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

#include "frame_test_util.hpp"
#include "protocol/crc.hpp"

using namespace penlink::protocol;
using namespace penlink::protocol::test;

namespace {

constexpr std::array<std::uint8_t, crypto::kCmacKeySize> kKey{
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};

// Random values in every field; zero half the time, since zeros are what COBS works on.
Status random_status(std::mt19937& random, std::uint8_t telemetry) {
    const auto value = [&random](auto bits) {
        const std::uint32_t raw = random() % 2 == 0 ? 0u : static_cast<std::uint32_t>(random());
        return static_cast<decltype(bits)>(raw);
    };
    Status s;
    s.status_seq = value(std::uint32_t{});
    s.timestamp_ms = value(std::uint32_t{});
    s.state = static_cast<PenState>(random() % 5);
    s.depth_set_um = value(std::uint16_t{});
    s.depth_actual_um = value(std::uint16_t{});
    s.speed_set_chz = value(std::uint16_t{});
    s.speed_actual_chz = value(std::uint16_t{});
    s.battery_pct = value(std::uint8_t{});
    s.temperature_cdeg = value(std::int16_t{});
    s.cartridge_id = value(std::uint32_t{});
    s.cartridge_strokes = value(std::uint32_t{});
    s.cartridge_stroke_limit = value(std::uint32_t{});
    s.rf_flags = value(std::uint8_t{});
    s.rf_impedance_ohm = value(std::uint16_t{});
    s.rf_energy_mj = value(std::uint32_t{});
    s.led_flags = value(std::uint8_t{});
    s.led_wavelength_nm = value(std::uint16_t{});
    s.led_dose_uj_cm2 = value(std::uint32_t{});
    s.fault_bits = value(std::uint32_t{});
    s.session_id = value(std::uint32_t{});
    s.depth_limit_um = value(std::uint16_t{});
    s.telemetry_count = telemetry;
    for (std::uint8_t i = 0; i < telemetry; ++i) {
        s.telemetry[i] = {value(std::uint8_t{}), value(std::uint8_t{}), value(std::int32_t{})};
    }
    return s;
}

Bytes fast_wire(std::uint16_t seq, const Status& status, FrameSealer* sealer = nullptr) {
    std::array<std::uint8_t, kMaxStatusWireFrameSize> out;
    const auto size = encode_status_frame(seq, status, out, sealer);
    REQUIRE(size.has_value());
    return {out.begin(), out.begin() + static_cast<std::ptrdiff_t>(*size)};
}

Bytes generic_wire(std::uint16_t seq, const Status& status, FrameSealer* sealer = nullptr) {
    const auto frame = encode_frame(seq, status, sealer);
    REQUIRE(frame.has_value());
    return {frame->view().begin(), frame->view().end()};
}

// Textbook COBS, one block at a time, to hold the library's two encoders and decoders to.
Bytes reference_encode(const Bytes& in) {
    Bytes out{0};
    std::size_t code_at = 0;
    std::uint8_t code = 1;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == 0) {
            out[code_at] = code;
            code_at = out.size();
            out.push_back(0);
            code = 1;
            continue;
        }
        out.push_back(in[i]);
        if (++code == 0xFF && i + 1 < in.size()) {
            out[code_at] = code;
            code_at = out.size();
            out.push_back(0);
            code = 1;
        }
    }
    out[code_at] = code;
    return out;
}

std::optional<Bytes> reference_decode(const Bytes& in) {
    Bytes out;
    std::size_t at = 0;
    while (at < in.size()) {
        const std::uint8_t code = in[at++];
        if (code == 0 || code - 1u > in.size() - at) return std::nullopt;
        for (std::size_t k = 1; k < code; ++k) {
            if (in[at] == 0) return std::nullopt;
            out.push_back(in[at++]);
        }
        if (code != 0xFF && at < in.size()) out.push_back(0);
    }
    return out;
}

std::uint16_t reference_crc(const Bytes& data, std::uint16_t crc) {
    for (std::uint8_t byte : data) {
        crc = static_cast<std::uint16_t>(crc ^ (byte << 8));
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                                 : static_cast<std::uint16_t>(crc << 1);
        }
    }
    return crc;
}

Bytes random_bytes(std::mt19937& random, std::size_t size) {
    Bytes bytes(size);
    const auto zero_odds = 1 + random() % 16;
    for (auto& byte : bytes) {
        byte = random() % zero_odds == 0 ? 0 : static_cast<std::uint8_t>(random());
    }
    return bytes;
}

}  // namespace

TEST_CASE("encode_status_frame writes exactly encode_frame's bytes", "[frame][status_codec]") {
    std::mt19937 random(2026);
    std::size_t compared = 0;
    for (std::uint8_t telemetry = 0; telemetry <= kMaxTelemetryValues; ++telemetry) {
        for (int i = 0; i < 200; ++i) {
            const Status status = random_status(random, telemetry);
            const auto seq = static_cast<std::uint16_t>(random());
            const Bytes fast = fast_wire(seq, status);
            REQUIRE(fast == generic_wire(seq, status));
            ++compared;
        }
    }
    CHECK(compared == 17 * 200);
    // The defaults: all zero but the version and type.
    CHECK(fast_wire(0, Status{}) == generic_wire(0, Status{}));
}

TEST_CASE("encode_status_frame seals exactly as encode_frame does", "[frame][status_codec]") {
    std::mt19937 random(7);
    FrameSealer generic_sealer(kKey);
    FrameSealer fast_sealer(kKey);
    FrameOpener opener(kKey);
    for (int i = 0; i < 500; ++i) {
        const Status status =
            random_status(random, static_cast<std::uint8_t>(random() % (kMaxTelemetryValues + 1)));
        const auto seq = static_cast<std::uint16_t>(i);
        const Bytes fast = fast_wire(seq, status, &fast_sealer);
        REQUIRE(fast == generic_wire(seq, status, &generic_sealer));
        CHECK(fast_sealer.last_counter() == static_cast<std::uint32_t>(i + 1));
        // and the host opens it
        DecodedFrame decoded;
        REQUIRE_FALSE(FrameDecoder::decode(std::span(fast).first(fast.size() - 1), decoded, &opener)
                          .has_value());
        CHECK(decoded.sealed);
        CHECK(decoded.counter == static_cast<std::uint32_t>(i + 1));
        CHECK(decoded.header.seq == seq);
        REQUIRE(std::holds_alternative<Status>(decoded.message));
        CHECK(std::get<Status>(decoded.message) == status);
    }
}

TEST_CASE("encode_status_frame refuses what does not fit, using no counter",
          "[frame][status_codec]") {
    std::mt19937 random(99);
    const Status full = random_status(random, kMaxTelemetryValues);
    std::array<std::uint8_t, kMaxStatusWireFrameSize> out{};

    SECTION("more telemetry values than a Status holds") {
        Status over = full;
        over.telemetry_count = kMaxTelemetryValues + 1;
        CHECK_FALSE(encode_status_frame(1, over, out).has_value());
        CHECK_FALSE(encode_frame(1, over).has_value());  // the generic encoder agrees
    }
    SECTION("an out smaller than the frame's worst case") {
        // header 6 + payload 57 + 16 * 6 + seal 20 + CRC 2 = 181 bytes; COBS adds 1, the
        // delimiter 1.
        const std::size_t needed = cobs_max_encoded_size(6 + 57 + 16 * 6 + kSealSize + 2) + 1;
        FrameSealer sealer(kKey);
        CHECK_FALSE(encode_status_frame(1, full, std::span(out).first(needed - 1), &sealer));
        CHECK(sealer.last_counter() == 0);
        const auto size = encode_status_frame(1, full, std::span(out).first(needed), &sealer);
        REQUIRE(size.has_value());
        CHECK(sealer.last_counter() == 1);
        CHECK(out[*size - 1] == 0x00);
    }
    SECTION("a sealer whose counter is used up") {
        FrameSealer sealer(kKey, 0xFFFFFFFF);
        CHECK_FALSE(encode_status_frame(1, full, out, &sealer).has_value());
    }
}

TEST_CASE("encode_status_frame into a buffer's tail leaves what is before it",
          "[frame][status_codec]") {
    // The simulator writes each Status at the end of its output lane.
    std::mt19937 random(5);
    std::vector<std::uint8_t> lane(4 * kMaxStatusWireFrameSize, 0xAA);
    std::size_t used = 0;
    Bytes expected;
    for (std::uint16_t seq = 0; seq < 4; ++seq) {
        const Status status = random_status(random, static_cast<std::uint8_t>(seq * 4));
        const auto size = encode_status_frame(seq, status, std::span(lane).subspan(used));
        REQUIRE(size.has_value());
        used += *size;
        append(expected, generic_wire(seq, status));
    }
    CHECK(Bytes(lane.begin(), lane.begin() + static_cast<std::ptrdiff_t>(used)) == expected);
    const Collected collected = feed_all(expected);
    CHECK(collected.frames.size() == 4);
    CHECK(collected.errors.empty());
}

TEST_CASE("COBS agrees with a textbook COBS on every input", "[cobs][status_codec]") {
    std::mt19937 random(31);
    for (int i = 0; i < 3000; ++i) {
        const Bytes data = random_bytes(random, random() % 300);  // both sides of 253 bytes
        const Bytes expected = reference_encode(data);
        Bytes out(cobs_max_encoded_size(data.size()));
        const auto size = cobs_encode(data, out);
        REQUIRE(size.has_value());
        out.resize(*size);
        REQUIRE(out == expected);

        Bytes decoded(data.size() + 1);
        const auto decoded_size = cobs_decode(expected, decoded);
        REQUIRE(decoded_size.has_value());
        decoded.resize(*decoded_size);
        REQUIRE(decoded == data);
    }
    // Arbitrary bytes, mostly invalid COBS: both decoders accept and refuse alike.
    std::size_t refused = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes junk = random_bytes(random, 1 + random() % 40);
        if (random() % 2 == 0) {
            for (auto& byte : junk) byte = static_cast<std::uint8_t>(1 + byte % 8);  // small codes
        }
        Bytes decoded(junk.size());
        const auto size = cobs_decode(junk, decoded);
        const auto expected = reference_decode(junk);
        REQUIRE(size.has_value() == expected.has_value());
        if (!size) {
            ++refused;
            continue;
        }
        decoded.resize(*size);
        REQUIRE(decoded == *expected);
    }
    CHECK(refused > 1000);
    CHECK(refused < 19000);
    // A 0xFF code in a short input always runs past its end.
    Bytes long_block(200, 0x11);
    long_block[0] = 0xFF;
    Bytes out(300);
    CHECK_FALSE(cobs_decode(long_block, out).has_value());
}

TEST_CASE("sliced CRC-16 agrees with the bitwise definition", "[crc][status_codec]") {
    std::mt19937 random(17);
    for (int i = 0; i < 2000; ++i) {
        const Bytes data = random_bytes(random, random() % 200);
        const auto start = static_cast<std::uint16_t>(random());
        REQUIRE(crc16(data, start) == reference_crc(data, start));
    }
}

TEST_CASE("FrameDecoder reports the same for a stream fed whole or in pieces",
          "[frame][status_codec]") {
    std::mt19937 random(3);
    Bytes stream;
    for (std::uint16_t seq = 0; seq < 60; ++seq) {
        const Status status =
            random_status(random, static_cast<std::uint8_t>(random() % (kMaxTelemetryValues + 1)));
        append(stream, fast_wire(seq, status));
        switch (random() % 6) {
            case 0:
                stream.push_back(0x00);  // an empty frame: skipped
                break;
            case 1:  // noise with a delimiter
                append(stream, random_bytes(random, 1 + random() % 30));
                stream.push_back(0x00);
                break;
            case 2: {  // an oversized run, ended by a delimiter
                Bytes run(kMaxWireFrameSize + 1 + random() % 100, 0x42);
                append(stream, run);
                stream.push_back(0x00);
                break;
            }
            case 3: {  // exactly the largest size the buffer holds, not a valid frame
                Bytes run(kMaxWireFrameSize, 0x01);
                append(stream, run);
                stream.push_back(0x00);
                break;
            }
            default:
                break;
        }
    }
    const Collected whole = feed_all(stream);
    CHECK(whole.frames.size() >= 50);  // noise may swallow the frame after it, rarely
    CHECK_FALSE(whole.errors.empty());
    for (std::size_t chunk : {1u, 2u, 7u, 64u, 300u}) {
        INFO("chunk " << chunk);
        const Collected pieces = feed_all(stream, chunk);
        REQUIRE(pieces.frames.size() == whole.frames.size());
        REQUIRE(pieces.errors == whole.errors);
        for (std::size_t i = 0; i < whole.frames.size(); ++i) {
            CHECK(pieces.frames[i].header.seq == whole.frames[i].header.seq);
            CHECK(pieces.frames[i].message == whole.frames[i].message);
        }
    }
}
