#include "protocol/frame.hpp"

#include "protocol/byte_io.hpp"
#include "protocol/crc.hpp"

namespace penlink::protocol {

std::optional<WireFrame> encode_frame(std::uint16_t seq, const Message& message) {
    std::array<std::uint8_t, kMaxFrameSize> raw{};
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

    const std::size_t crc_at = kHeaderSize + *payload_size;
    const std::uint16_t crc = crc16(std::span<const std::uint8_t>(raw).first(crc_at));
    raw[crc_at] = static_cast<std::uint8_t>(crc);
    raw[crc_at + 1] = static_cast<std::uint8_t>(crc >> 8);

    WireFrame wire;
    const auto encoded =
        cobs_encode(std::span<const std::uint8_t>(raw).first(crc_at + kCrcSize),
                    std::span<std::uint8_t>(wire.bytes).first(kMaxWireFrameSize - 1));
    if (!encoded) {
        return std::nullopt;  // cannot happen: the buffer is sized for the worst case
    }
    wire.bytes[*encoded] = 0x00;
    wire.size = *encoded + 1;
    return wire;
}

std::optional<FrameError> FrameDecoder::decode(std::span<const std::uint8_t> encoded,
                                               DecodedFrame& out) {
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

    const std::uint8_t version = frame[0];
    const std::uint8_t type = frame[1];
    const auto seq = static_cast<std::uint16_t>(frame[2] | (frame[3] << 8));
    const auto length = static_cast<std::size_t>(frame[4] | (frame[5] << 8));
    if (length != crc_at - kHeaderSize) {
        return FrameError::Length;
    }
    if (version < kHandshakeFrameVersion || version > kProtocolVersion) {
        return FrameError::Version;
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
    out.header = FrameHeader{version, static_cast<MessageType>(type), seq};
    out.message = std::move(*message);
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
    }
    return "unknown frame error";
}

}  // namespace penlink::protocol
