#include "protocol/frame.hpp"

#include "protocol/byte_io.hpp"
#include "protocol/crc.hpp"

namespace penlink::protocol {

namespace {

using Raw = std::array<std::uint8_t, kMaxFrameSize>;

void put_header(Raw& raw, std::uint8_t version, MessageType type, std::uint16_t seq,
                std::size_t payload_size) {
    detail::ByteWriter header(std::span<std::uint8_t>(raw).first(kHeaderSize));
    header.field(version);
    header.field(type);
    header.field(seq);
    header.field(static_cast<std::uint16_t>(payload_size));
}

// Seals (when asked), appends the CRC and COBS-encodes raw[0, size) (header + payload) into out
// with the delimiter. Returns the bytes written; nullopt if the sealed payload is too long, out
// is smaller than the worst case, or the sealer's counter is used up.
std::optional<std::size_t> finish(Raw& raw, std::size_t size, FrameSealer* sealer,
                                  std::span<std::uint8_t> out) {
    const std::size_t seal_size = sealer != nullptr ? kSealSize : 0;
    if (sealer != nullptr && size - kHeaderSize > kMaxSealedPayloadSize) return std::nullopt;
    // Checked before sealing, so a frame that is not written uses no counter.
    if (out.size() < cobs_max_encoded_size(size + seal_size + kCrcSize) + 1) return std::nullopt;
    if (sealer != nullptr) {
        raw[0] = static_cast<std::uint8_t>(raw[0] | kSealedFlag);
        if (!sealer->seal(std::span<const std::uint8_t>(raw).first(size),
                          std::span<std::uint8_t, kSealSize>(raw.data() + size, kSealSize)))
            return std::nullopt;
        size += kSealSize;
    }
    const std::uint16_t crc = crc16(std::span<const std::uint8_t>(raw).first(size));
    raw[size] = static_cast<std::uint8_t>(crc);
    raw[size + 1] = static_cast<std::uint8_t>(crc >> 8);

    const auto encoded = cobs_encode(std::span<const std::uint8_t>(raw).first(size + kCrcSize),
                                     out.first(out.size() - 1));
    if (!encoded) {
        return std::nullopt;  // cannot happen: out holds the worst case
    }
    out[*encoded] = 0x00;
    return *encoded + 1;
}

std::optional<WireFrame> finish(Raw& raw, std::size_t size, FrameSealer* sealer) {
    WireFrame wire;
    const auto written = finish(raw, size, sealer, wire.bytes);
    if (!written) return std::nullopt;
    wire.size = *written;
    return wire;
}

}  // namespace

std::optional<WireFrame> encode_frame(std::uint16_t seq, const Message& message,
                                      FrameSealer* sealer) {
    Raw raw;  // not zero-filled: only the bytes written below are read
    const auto payload_size =
        encode_payload(message, std::span<std::uint8_t>(raw).subspan(kHeaderSize, kMaxPayloadSize));
    if (!payload_size) {
        return std::nullopt;
    }
    put_header(raw, frame_version_for(message), type_of(message), seq, *payload_size);
    return finish(raw, kHeaderSize + *payload_size, sealer);
}

std::optional<std::size_t> encode_status_frame(std::uint16_t seq, const Status& status,
                                               std::span<std::uint8_t> out, FrameSealer* sealer) {
    Raw raw;  // not zero-filled: only the bytes written below are read
    const auto payload_size = encode_status_payload(
        status, std::span<std::uint8_t>(raw).subspan(kHeaderSize, kMaxPayloadSize));
    if (!payload_size) {
        return std::nullopt;
    }
    // A Status travels in kProtocolVersion frames (frame_version_for).
    put_header(raw, kProtocolVersion, MessageType::Status, seq, *payload_size);
    return finish(raw, kHeaderSize + *payload_size, sealer, out);
}

std::optional<WireFrame> seal_frame(const WireFrame& plain, FrameSealer& sealer) {
    if (plain.size < 2 || plain.bytes[plain.size - 1] != 0x00) return std::nullopt;
    Raw raw;  // not zero-filled: cobs_decode writes what is read
    const auto size = cobs_decode(std::span<const std::uint8_t>(plain.bytes.data(), plain.size - 1),
                                  std::span<std::uint8_t>(raw));
    if (!size || *size < kHeaderSize + kCrcSize || (raw[0] & kSealedFlag) != 0) return std::nullopt;
    return finish(raw, *size - kCrcSize, &sealer);
}

std::optional<FrameError> FrameDecoder::decode(std::span<const std::uint8_t> encoded,
                                               DecodedFrame& out, FrameOpener* opener) {
    // One byte larger than any valid frame so "too long" is told apart from "bad COBS".
    // Not zero-filled: cobs_decode writes every byte that is read.
    std::array<std::uint8_t, kMaxFrameSize + 1> raw;
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
    // Straight into out: no temporary Message to move (out is the caller's, and holds nothing
    // of meaning after an error).
    if (!decode_payload(static_cast<MessageType>(type), frame.subspan(kHeaderSize, length),
                        out.message)) {
        return FrameError::Payload;
    }
    // Each message travels in exactly one frame version (the handshake in 1, the rest in 2).
    if (version != frame_version_for(out.message)) {
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
