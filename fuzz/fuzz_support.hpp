// Helpers shared by the libFuzzer harnesses: reading structured choices from the fuzz input,
// and forging frames whose CRC and COBS are right so the fuzzer reaches the payload decoders
// (random bytes almost never carry a valid CRC, so without this the decoders behind the CRC
// check would only ever see the seed corpus).
//
// The input layouts described in each harness are also what fuzz/make_corpus.py writes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/cobs.hpp"
#include "protocol/crc.hpp"
#include "protocol/frame.hpp"

namespace penlink::fuzz {

using Bytes = std::vector<std::uint8_t>;

/// Stops the process so libFuzzer records the input: a broken invariant is a finding like a
/// crash. A trap rather than assert() so it fires in release builds too.
[[noreturn]] inline void fail() { __builtin_trap(); }
inline void check(bool condition) {
    if (!condition) fail();
}

/// Reads the fuzz input front to back. Past the end every read yields zeros, so a harness
/// never has to special-case a short input; empty() says when to stop.
class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}

    bool empty() const { return position_ >= data_.size(); }
    std::size_t remaining() const { return empty() ? 0 : data_.size() - position_; }

    std::uint8_t u8() { return empty() ? 0 : data_[position_++]; }
    std::uint16_t u16() {
        const std::uint16_t low = u8();
        return static_cast<std::uint16_t>(low | (u8() << 8));
    }
    std::uint32_t u32() {
        const std::uint32_t low = u16();
        return low | (std::uint32_t{u16()} << 16);
    }
    /// Up to count bytes (fewer at the end of the input).
    std::span<const std::uint8_t> take(std::size_t count) {
        const std::size_t n = count < remaining() ? count : remaining();
        const auto out = data_.subspan(position_, n);
        position_ += n;
        return out;
    }
    std::span<const std::uint8_t> rest() { return take(remaining()); }

private:
    std::span<const std::uint8_t> data_;
    std::size_t position_ = 0;
};

inline void append(Bytes& to, std::span<const std::uint8_t> from) {
    to.reserve(to.size() + from.size());
    for (std::uint8_t byte : from) to.push_back(byte);
}

/// body = version | type | seq | length | payload (anything, even inconsistent); appends its
/// CRC, COBS-encodes it and adds the delimiter. Bodies too long for one frame are cut, since
/// the point is to get past the CRC, not to test the size check (raw bytes do that).
inline void append_forged_frame(Bytes& out, std::span<const std::uint8_t> body) {
    std::array<std::uint8_t, protocol::kMaxFrameSize> raw{};
    const std::size_t body_size = body.size() < raw.size() - protocol::kCrcSize
                                      ? body.size()
                                      : raw.size() - protocol::kCrcSize;
    for (std::size_t i = 0; i < body_size; ++i) raw[i] = body[i];
    const std::uint16_t crc = protocol::crc16({raw.data(), body_size});
    raw[body_size] = static_cast<std::uint8_t>(crc);
    raw[body_size + 1] = static_cast<std::uint8_t>(crc >> 8);
    std::array<std::uint8_t, protocol::kMaxWireFrameSize> encoded{};
    const auto size = protocol::cobs_encode({raw.data(), body_size + protocol::kCrcSize}, encoded);
    check(size.has_value());  // the buffer is sized for the largest frame
    append(out, {encoded.data(), *size});
    out.push_back(0);
}

/// A frame with a consistent header (version 1, length = payload size) around any payload,
/// so the payload decoder of that type is what the bytes meet.
inline void append_frame_with_payload(Bytes& out, std::uint8_t type, std::uint16_t seq,
                                      std::span<const std::uint8_t> payload) {
    Bytes body{protocol::kProtocolVersion,
               type,
               static_cast<std::uint8_t>(seq),
               static_cast<std::uint8_t>(seq >> 8),
               static_cast<std::uint8_t>(payload.size()),
               static_cast<std::uint8_t>(payload.size() >> 8)};
    append(body, payload);
    append_forged_frame(out, body);
}

inline void append_message(Bytes& out, std::uint16_t seq, const protocol::Message& message) {
    const auto frame = protocol::encode_frame(seq, message);
    check(frame.has_value());
    append(out, frame->view());
}

/// Every frame type of protocol v2, for harnesses that pick one from a byte: the requests first
/// (fuzz_sim_device picks among the first kRequestTypeCount), then the pen's messages.
/// fuzz/make_corpus.py reads this list to number the types the way the harnesses do.
inline constexpr std::size_t kRequestTypeCount = 22;
inline constexpr std::array<protocol::MessageType, 32> kAllTypes = {
    protocol::MessageType::Hello,
    protocol::MessageType::GetInfo,
    protocol::MessageType::SetDepth,
    protocol::MessageType::SetSpeed,
    protocol::MessageType::Start,
    protocol::MessageType::Stop,
    protocol::MessageType::SetRf,
    protocol::MessageType::SetLed,
    protocol::MessageType::Heartbeat,
    protocol::MessageType::EmergencyStop,
    protocol::MessageType::ClearEmergencyStop,
    protocol::MessageType::SubscribeStatus,
    protocol::MessageType::ClearFaults,
    protocol::MessageType::EndSession,
    protocol::MessageType::SetDepthLimit,
    protocol::MessageType::GetSettings,
    protocol::MessageType::GetModules,
    protocol::MessageType::ReadDescriptor,
    protocol::MessageType::SetParams,
    protocol::MessageType::GetParams,
    protocol::MessageType::Authenticate,
    protocol::MessageType::ChangeKey,
    protocol::MessageType::Ack,
    protocol::MessageType::Nack,
    protocol::MessageType::HelloReply,
    protocol::MessageType::Info,
    protocol::MessageType::Status,
    protocol::MessageType::Event,
    protocol::MessageType::Settings,
    protocol::MessageType::Modules,
    protocol::MessageType::DescriptorChunk,
    protocol::MessageType::Params,
};
static_assert(static_cast<std::uint8_t>(kAllTypes[kRequestTypeCount - 1]) < 0x80 &&
              static_cast<std::uint8_t>(kAllTypes[kRequestTypeCount]) >= 0x80);

}  // namespace penlink::fuzz
