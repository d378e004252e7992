// Framing for protocol v2 (unchanged from v1 but for the version byte): header + payload + CRC,
// COBS-encoded, terminated by 0x00.
//
//   decoded frame: version u8 | type u8 | seq u16 LE | length u16 LE | payload[length] | crc u16 LE
//   on the wire:   COBS(decoded frame) 0x00
//
// The CRC (see crc.hpp) covers version..payload. A receiver drops any frame whose COBS, CRC,
// length or version is wrong and resynchronises at the next 0x00, so line noise costs at
// most the frame it hit. Pure code; FrameDecoder owns fixed buffers and never allocates.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "protocol/cobs.hpp"
#include "protocol/messages.hpp"

namespace penlink::protocol {

inline constexpr std::size_t kHeaderSize = 6;
inline constexpr std::size_t kCrcSize = 2;
inline constexpr std::size_t kMaxPayloadSize = 240;
inline constexpr std::size_t kMaxFrameSize = kHeaderSize + kMaxPayloadSize + kCrcSize;  // decoded
/// Largest encoded frame including the 0x00 delimiter.
inline constexpr std::size_t kMaxWireFrameSize = cobs_max_encoded_size(kMaxFrameSize) + 1;

struct FrameHeader {
    std::uint8_t version = kProtocolVersion;
    MessageType type = MessageType::Heartbeat;
    std::uint16_t seq = 0;
};

/// A wire-ready frame: encoded bytes in a fixed buffer (no heap).
struct WireFrame {
    std::array<std::uint8_t, kMaxWireFrameSize> bytes{};
    std::size_t size = 0;
    std::span<const std::uint8_t> view() const { return {bytes.data(), size}; }
};

/// Encodes header (type taken from the message) + message into a wire frame with delimiter.
/// Returns nullopt only if the payload exceeds kMaxPayloadSize.
std::optional<WireFrame> encode_frame(std::uint16_t seq, const Message& message);

/// Why the decoder dropped bytes.
enum class FrameError : std::uint8_t {
    Cobs,         // invalid COBS sequence
    TooShort,     // fewer bytes than header + crc
    Oversized,    // more than kMaxWireFrameSize bytes before a delimiter
    Crc,          // CRC mismatch
    Length,       // header length disagrees with the frame size
    Version,      // version byte not 1..kProtocolVersion
    UnknownType,  // type byte not defined in v2
    Payload,      // payload invalid for its type
};
const char* to_string(FrameError error);

struct DecodedFrame {
    FrameHeader header;
    Message message;
};

/// Incremental decoder for a byte stream. Feed it whatever arrived; it calls
/// on_frame(const DecodedFrame&) for each good frame and on_error(FrameError) for each dropped
/// one, in stream order. Empty frames (two delimiters in a row) are skipped silently.
class FrameDecoder {
public:
    template <typename OnFrame, typename OnError>
    void feed(std::span<const std::uint8_t> bytes, OnFrame&& on_frame, OnError&& on_error) {
        for (std::uint8_t byte : bytes) {
            if (byte != 0) {
                if (size_ < buffer_.size()) {
                    buffer_[size_++] = byte;
                } else {
                    overflowed_ = true;
                }
                continue;
            }
            if (overflowed_) {
                on_error(FrameError::Oversized);
            } else if (size_ > 0) {
                DecodedFrame frame;
                if (auto error = decode({buffer_.data(), size_}, frame)) {
                    on_error(*error);
                } else {
                    on_frame(static_cast<const DecodedFrame&>(frame));
                }
            }
            size_ = 0;
            overflowed_ = false;
        }
    }

    /// Decodes one COBS-encoded frame without its delimiter. Returns an error or nullopt.
    static std::optional<FrameError> decode(std::span<const std::uint8_t> encoded,
                                            DecodedFrame& out);

    /// Drops any partial frame (e.g. after reconnect).
    void reset() {
        size_ = 0;
        overflowed_ = false;
    }

private:
    std::array<std::uint8_t, kMaxWireFrameSize> buffer_{};
    std::size_t size_ = 0;
    bool overflowed_ = false;
};

}  // namespace penlink::protocol
