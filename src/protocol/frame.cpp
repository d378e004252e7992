#include "protocol/frame.hpp"

#include "protocol/byte_io.hpp"
#include "protocol/crc.hpp"

namespace penlink::protocol {

namespace {

using Raw = std::array<std::uint8_t, kMaxFrameSize>;

// Seals (when asked), appends the CRC and COBS-encodes raw[0, size): header + payload.
std::optional<WireFrame> finish(Raw& raw, std::size_t size, FrameSealer* sealer) {
    if (sealer != nullptr) {
        const std::size_t payload = size - kHeaderSize;
        if (payload > kMaxSealedPayloadSize) return std::nullopt;
        raw[0] = static_cast<std::uint8_t>(raw[0] | kSealedFlag);
        if (!sealer->seal(std::span<const std::uint8_t>(raw).first(size),
                          std::span<std::uint8_t, kSealSize>(raw.data() + size, kSealSize)))
            return std::nullopt;
        size += kSealSize;
    }
    const std::uint16_t crc = crc16(std::span<const std::uint8_t>(raw).first(size));
    raw[size] = static_cast<std::uint8_t>(crc);
    raw[size + 1] = static_cast<std::uint8_t>(crc >> 8);

    WireFrame wire;
    const auto encoded =
        cobs_encode(std::span<const std::uint8_t>(raw).first(size + kCrcSize),
                    std::span<std::uint8_t>(wire.bytes).first(kMaxWireFrameSize - 1));
    if (!encoded) {
        return std::nullopt;  // cannot happen: the buffer is sized for the worst case
    }
    wire.bytes[*encoded] = 0x00;
    wire.size = *encoded + 1;
    return wire;
}

}  // namespace

std::optional<WireFrame> encode_frame(std::uint16_t seq, const Message& message,
                                      FrameSealer* sealer) {
    Raw raw{};
    const auto payload_size =
        encode_payload(message, std::span<std::uint8_t>(raw).subspan(kHeaderSize, kMaxPayloadSize));
    if (!payload_size) {
        return std::nullopt;
    }
    detail::ByteWriter header(std::span<std::uint8_t>(raw).first(kHeaderSize));
    header.field(frame_version_for(message));
    header.field(type_of(message));
    header.field(seq);
    header.field(static_cast<std::uint16_t>(*payload_size));
    return finish(raw, kHeaderSize + *payload_size, sealer);
}

std::optional<WireFrame> seal_frame(const WireFrame& plain, FrameSealer& sealer) {
    if (plain.size < 2 || plain.bytes[plain.size - 1] != 0x00) return std::nullopt;
    Raw raw{};
    const auto size = cobs_decode(std::span<const std::uint8_t>(plain.bytes.data(), plain.size - 1),
                                  std::span<std::uint8_t>(raw));
    if (!size || *size < kHeaderSize + kCrcSize || (raw[0] & kSealedFlag) != 0) return std::nullopt;
    return finish(raw, *size - kCrcSize, &sealer);
}

std::optional<FrameError> FrameDecoder::decode(std::span<const std::uint8_t> encoded,
                                               DecodedFrame& out, FrameOpener* opener) {
    // One byte larger than any valid frame so "too long" is told apart from "bad COBS".
    std::array<std::uint8_t, kMaxFrameSize + 1> raw{};
    const auto size = cobs_decode(encoded, raw);
    if (!size) {
        return encoded.size() > cobs_max_encoded_size(kMaxFrameSize) ? FrameError::Oversized
                                                                     : FrameError::Cobs;
    }
    if (*size > kMaxFrameSize) {
        return FrameError::Oversized;
    }
    if (*size < kHeaderSize + kCrcSize) {
        return FrameError::TooShort;
    }
    const std::span<const std::uint8_t> frame(raw.data(), *size);
    const std::size_t crc_at = *size - kCrcSize;
    const auto received_crc = static_cast<std::uint16_t>(frame[crc_at] | (frame[crc_at + 1] << 8));
    if (crc16(frame.first(crc_at)) != received_crc) {
        return FrameError::Crc;
    }

    const bool sealed = (frame[0] & kSealedFlag) != 0;
    const auto version = static_cast<std::uint8_t>(frame[0] & ~kSealedFlag);
    const std::uint8_t type = frame[1];
    const auto seq = static_cast<std::uint16_t>(frame[2] | (frame[3] << 8));
    const auto length = static_cast<std::size_t>(frame[4] | (frame[5] << 8));
    if (version < kHandshakeFrameVersion || version > kProtocolVersion) {
        return FrameError::Version;
    }
    const std::size_t seal_size = sealed ? kSealSize : 0;
    if (crc_at < kHeaderSize + seal_size || length != crc_at - kHeaderSize - seal_size) {
        // A sealed frame whose seal is cut short or padded passed the CRC: it was built that
        // way, so it counts as a bad tag (a security event), not as noise.
        return sealed ? FrameError::Mac : FrameError::Length;
    }
    if (!detail::is_valid_enum<MessageType>(type)) {
        return FrameError::UnknownType;
    }
    auto message =
        decode_payload(static_cast<MessageType>(type), frame.subspan(kHeaderSize, length));
    if (!message) {
        return FrameError::Payload;
    }
    // Each message travels in exactly one frame version (the handshake in 1, the rest in 2).
    if (version != frame_version_for(*message)) {
        return FrameError::Version;
    }
    std::uint32_t counter = 0;
    if (sealed) {
        // Checked last: only a frame that is well-formed in every other way costs a tag check
        // and may move the replay window.
        if (opener == nullptr) return FrameError::Unexpected;
        const std::size_t seal_at = kHeaderSize + length;
        for (std::size_t i = 0; i < kCounterSize; ++i)
            counter |= static_cast<std::uint32_t>(frame[seal_at + i]) << (8 * i);
        if (const auto error = opener->open(frame.first(seal_at), counter,
                                            std::span<const std::uint8_t, kMacSize>(
                                                frame.data() + seal_at + kCounterSize, kMacSize))) {
            return *error == SealError::Mac ? FrameError::Mac : FrameError::Replay;
        }
    }
    out.header = FrameHeader{version, static_cast<MessageType>(type), seq};
    out.message = std::move(*message);
    out.sealed = sealed;
    out.counter = counter;
    return std::nullopt;
}

const char* to_string(FrameError error) {
    switch (error) {
        case FrameError::Cobs:
            return "invalid COBS encoding";
        case FrameError::TooShort:
            return "frame shorter than header and CRC";
        case FrameError::Oversized:
            return "frame longer than the maximum frame size";
        case FrameError::Crc:
            return "CRC mismatch";
        case FrameError::Length:
            return "header length disagrees with frame size";
        case FrameError::Version:
            return "unsupported protocol version";
        case FrameError::UnknownType:
            return "unknown message type";
        case FrameError::Payload:
            return "payload invalid for its message type";
        case FrameError::Unexpected:
            return "authenticated frame outside an authenticated session";
        case FrameError::Mac:
            return "authentication tag does not verify";
        case FrameError::Replay:
            return "frame counter already used (replayed or too old)";
    }
    return "unknown frame error";
}

}  // namespace penlink::protocol
