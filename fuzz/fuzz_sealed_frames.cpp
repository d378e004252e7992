// libFuzzer harness: authenticated (sealed) frames, docs/protocol.md section 16.5, the code that
// decides whether a frame comes from the holder of the session key.
//
// Input layout:
//   byte 0      mode: bit 0 clear = a raw byte stream fed to a decoder holding the session key;
//               bit 0 set = forge: the rest is tamper positions (u16 each) then a frame body
//   mode forge  byte 1: how many tamper positions follow (0..7); then the body (version..payload)
//               is sealed correctly with the key, so the mutations reach the tag and counter
//               checks; each tamper position flips one bit of a copy (CRC recomputed)
//
// Checked on every input, beyond "no crash, no sanitizer report":
//   - a frame is only ever delivered sealed if its tag verified under the key, and its counter
//     is then used: the same bytes again are a Replay;
//   - a correctly sealed frame whose body decodes is delivered with sealed = true and the
//     message it was sealed with; changing any bit of what the tag covers, or of the tag, is
//     never delivered;
//   - the seal survives seal_frame(): a plain frame sealed again decodes to the same message.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "fuzz_support.hpp"
#include "protocol/frame.hpp"
#include "protocol/frame_auth.hpp"

using namespace penlink;
using penlink::fuzz::Bytes;
using penlink::fuzz::check;

namespace {

constexpr std::array<std::uint8_t, 16> kKey = {0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87,
                                               0x98, 0xA9, 0xBA, 0xCB, 0xDC, 0xED, 0xFE, 0x0F};

struct Outcome {
    std::optional<protocol::DecodedFrame> frame;
    std::optional<protocol::FrameError> error;
};

Outcome decode_one(const Bytes& wire, protocol::FrameOpener& opener) {
    Outcome outcome;
    protocol::FrameDecoder decoder;
    decoder.set_opener(&opener);
    decoder.feed(
        wire, [&](const protocol::DecodedFrame& frame) { outcome.frame = frame; },
        [&](protocol::FrameError error) { outcome.error = error; });
    return outcome;
}

// Seals body (version..payload, length fixed up) into a wire frame, or nothing if too long.
std::optional<Bytes> seal_body(std::span<const std::uint8_t> body, protocol::FrameSealer& sealer) {
    if (body.size() < protocol::kHeaderSize ||
        body.size() > protocol::kHeaderSize + protocol::kMaxSealedPayloadSize)
        return std::nullopt;
    Bytes raw(body.begin(), body.end());
    const std::size_t payload = raw.size() - protocol::kHeaderSize;
    raw[0] = static_cast<std::uint8_t>(raw[0] | protocol::kSealedFlag);
    raw[4] = static_cast<std::uint8_t>(payload);
    raw[5] = static_cast<std::uint8_t>(payload >> 8);
    std::array<std::uint8_t, protocol::kSealSize> seal{};
    check(sealer.seal(raw, seal));
    raw.insert(raw.end(), seal.begin(), seal.end());
    Bytes wire;
    fuzz::append_forged_frame(wire, raw);
    return wire;
}

Bytes flip(const Bytes& wire, std::size_t bit) {
    // Decode, flip a bit of header..tag (not the CRC), re-CRC and re-encode.
    Bytes raw(wire.size());
    const auto size = protocol::cobs_decode(std::span(wire).first(wire.size() - 1), raw);
    check(size.has_value());
    raw.resize(*size - protocol::kCrcSize);
    const std::size_t at = (bit / 8) % raw.size();
    raw[at] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    Bytes out;
    fuzz::append_forged_frame(out, raw);
    return out;
}

void forge(fuzz::ByteReader& input) {
    protocol::FrameSealer sealer(kKey);
    protocol::FrameOpener opener(kKey);
    std::vector<std::uint16_t> tampers;
    const std::size_t count = input.u8() % 8;
    for (std::size_t i = 0; i < count; ++i) tampers.push_back(input.u16());
    const auto body = input.rest();
    const auto wire = seal_body(body, sealer);
    if (!wire) return;

    // Untampered: accepted if (and only if) the body is a valid frame, then its counter is used.
    const Outcome first = decode_one(*wire, opener);
    if (first.frame) {
        check(first.frame->sealed && first.frame->counter == sealer.last_counter());
        const auto plain = protocol::encode_frame(first.frame->header.seq, first.frame->message);
        check(plain.has_value());
        // Sealing the plain frame again gives the same message under the next counter.
        const auto resealed = protocol::seal_frame(*plain, sealer);
        if (resealed) {
            const Outcome again =
                decode_one(Bytes(resealed->view().begin(), resealed->view().end()), opener);
            check(again.frame && again.frame->message == first.frame->message &&
                  again.frame->sealed);
        }
        const Outcome replay = decode_one(*wire, opener);
        check(!replay.frame && replay.error == protocol::FrameError::Replay);
    }
    // Tampered copies under a fresh opener (a counter never seen): never delivered.
    for (const auto bit : tampers) {
        protocol::FrameOpener fresh(kKey);
        const Outcome tampered = decode_one(flip(*wire, bit), fresh);
        check(!tampered.frame);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::ByteReader input({data, size});
    const std::uint8_t mode = input.u8();
    if ((mode & 1) != 0) {
        forge(input);
        return 0;
    }
    // Raw bytes: whatever is delivered sealed must verify; nothing crashes.
    protocol::FrameOpener opener(kKey);
    protocol::FrameDecoder decoder;
    decoder.set_opener(&opener);
    const auto stream = input.rest();
    decoder.feed(
        stream,
        [&](const protocol::DecodedFrame& frame) {
            if (frame.sealed) check(frame.counter != 0);
        },
        [](protocol::FrameError) {});
    return 0;
}
