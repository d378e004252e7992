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
#include <cstring>
#include <optional>
#include <span>

#include "protocol/cobs.hpp"
#include "protocol/frame_auth.hpp"
#include "protocol/messages.hpp"

namespace penlink::protocol {

inline constexpr std::size_t kHeaderSize = 6;
inline constexpr std::size_t kCrcSize = 2;
inline constexpr std::size_t kMaxPayloadSize = 240;
inline constexpr std::size_t kMaxFrameSize = kHeaderSize + kMaxPayloadSize + kCrcSize;  // decoded
/// In a sealed frame (frame_auth.hpp) the counter and tag take 20 of the payload's 240 bytes.
inline constexpr std::size_t kMaxSealedPayloadSize = kMaxPayloadSize - kSealSize;
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

/// Encodes header (type taken from the message) + message into a wire frame with delimiter,
/// sealed (counter and tag, kSealedFlag in the version byte) when a sealer is given. Returns
/// nullopt only if the payload does not fit (kMaxPayloadSize, kMaxSealedPayloadSize when
/// sealed) or the sealer's counter is used up.
std::optional<WireFrame> encode_frame(std::uint16_t seq, const Message& message,
                                      FrameSealer* sealer = nullptr);

/// Largest wire frame a Status makes (every telemetry slot filled, sealed), delimiter included:
/// an out of this size always takes encode_status_frame's frame.
inline constexpr std::size_t kMaxStatusWireFrameSize = kMaxWireFrameSize;

/// encode_frame for a Status, written straight into out (the status stream's path: no Message,
/// no zero-filled buffers, no WireFrame returned by value, no heap): the same bytes as
/// encode_frame(seq, status, sealer). Returns the bytes written, delimiter included; nullopt if
/// telemetry_count exceeds kMaxTelemetryValues, out cannot hold the frame's worst-case COBS
/// size (cobs_max_encoded_size of header, payload, seal and CRC, plus the delimiter), or the
/// sealer's counter is used up. A counter is used only when the frame is written.
std::optional<std::size_t> encode_status_frame(std::uint16_t seq, const Status& status,
                                               std::span<std::uint8_t> out,
                                               FrameSealer* sealer = nullptr);

/// The same frame sealed with the sealer's next counter: plain is an unsealed wire frame from
/// encode_frame (a request kept for resending, a remembered reply). nullopt if plain is not a
/// valid unsealed frame, its payload is too long to seal, or the counter is used up.
std::optional<WireFrame> seal_frame(const WireFrame& plain, FrameSealer& sealer);

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
    // authenticated sessions (docs/protocol.md section 16.5)
    Unexpected,  // a sealed frame where no session key is set
    Mac,         // the tag does not verify
    Replay,      // the counter was accepted before or is too old
};
/// True for the errors that mean someone tampered with, replayed or injected a frame (not
/// line noise): receivers count them as security events.
constexpr bool is_security_error(FrameError error) {
    return error == FrameError::Unexpected || error == FrameError::Mac ||
           error == FrameError::Replay;
}
const char* to_string(FrameError error);

struct DecodedFrame {
    FrameHeader header;  // header.version without kSealedFlag
    Message message;
    bool sealed = false;        // arrived sealed, and its tag and counter verified
    std::uint32_t counter = 0;  // the seal's counter (sealed frames)
};

/// Incremental decoder for a byte stream. Feed it whatever arrived; it calls
/// on_frame(const DecodedFrame&) for each good frame and on_error(FrameError) for each dropped
/// one, in stream order. Empty frames (two delimiters in a row) are skipped silently. The frame
/// on_frame gets is the decoder's own, reused for the next one: it is valid until on_frame
/// returns. feed() is not re-entrant: on_frame must not feed the same decoder.
class FrameDecoder {
public:
    template <typename OnFrame, typename OnError>
    void feed(std::span<const std::uint8_t> bytes, OnFrame&& on_frame, OnError&& on_error) {
        while (!bytes.empty()) {
            const auto* zero =
                static_cast<const std::uint8_t*>(std::memchr(bytes.data(), 0, bytes.size()));
            if (zero == nullptr) {
                keep(bytes);  // the rest of a frame comes in a later call
                return;
            }
            const auto run = static_cast<std::size_t>(zero - bytes.data());
            if (size_ == 0 && !overflowed_) {
                // The whole frame is in bytes: decoded where it lies, never copied.
                if (run > buffer_.size()) {
                    on_error(FrameError::Oversized);
                } else if (run > 0) {
                    decode_one(bytes.first(run), on_frame, on_error);
                }
            } else {
                keep(bytes.first(run));
                if (overflowed_) {
                    on_error(FrameError::Oversized);
                } else {
                    decode_one({buffer_.data(), size_}, on_frame, on_error);
                }
            }
            size_ = 0;
            overflowed_ = false;
            bytes = bytes.subspan(run + 1);
        }
    }

    /// Decodes one COBS-encoded frame without its delimiter. Returns an error or nullopt (out
    /// then holds the frame; after an error it holds nothing of meaning). A sealed frame is
    /// verified with opener (its counter then counts as used); without an opener it is
    /// FrameError::Unexpected.
    static std::optional<FrameError> decode(std::span<const std::uint8_t> encoded,
                                            DecodedFrame& out, FrameOpener* opener = nullptr);

    /// Sealed frames are verified with opener from now on (nullptr: no session key, every
    /// sealed frame is refused). The opener must outlive its use here.
    void set_opener(FrameOpener* opener) { opener_ = opener; }

    /// Drops any partial frame (e.g. after reconnect).
    void reset() {
        size_ = 0;
        overflowed_ = false;
    }

private:
    // Buffers part of a frame; past kMaxWireFrameSize bytes the frame is oversized.
    void keep(std::span<const std::uint8_t> bytes) {
        const std::size_t room = buffer_.size() - size_;
        if (bytes.size() > room) overflowed_ = true;
        const std::size_t take = bytes.size() < room ? bytes.size() : room;
        if (take > 0) std::memcpy(buffer_.data() + size_, bytes.data(), take);
        size_ += take;
    }

    // Into frame_, reused frame after frame (decode() writes all of it, and a Status over a
    // Status only what it carries): a DecodedFrame made per frame was zero-filled, 224 bytes
    // with `rep stos`, which cost a status stream more than the frame's COBS decoding.
    template <typename OnFrame, typename OnError>
    void decode_one(std::span<const std::uint8_t> encoded, OnFrame& on_frame, OnError& on_error) {
        if (auto error = decode(encoded, frame_, opener_)) {
            on_error(*error);
        } else {
            on_frame(static_cast<const DecodedFrame&>(frame_));
        }
    }

    std::array<std::uint8_t, kMaxWireFrameSize> buffer_{};
    std::size_t size_ = 0;
    bool overflowed_ = false;
    FrameOpener* opener_ = nullptr;
    DecodedFrame frame_;
};

}  // namespace penlink::protocol
