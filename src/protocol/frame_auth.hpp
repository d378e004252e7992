// Authenticated frames (docs/protocol.md section 16.4): after the handshake every frame carries
// a counter and an AES-128-CMAC tag, and its version byte has kSealedFlag set.
//
//   sealed decoded frame: version|0x80 | type | seq | length | payload | counter u32 LE | mac[16] |
//   crc
//
// The tag covers every byte before it (header, payload, counter) under the direction's session
// key. A receiver accepts each counter once: above the highest accepted, or among the 64 below
// it not yet seen (the anti-replay window of RFC 4303 section 3.4.3), because an emergency stop
// written ahead of queued frames overtakes frames sealed before it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "protocol/crypto.hpp"

namespace penlink::protocol {

inline constexpr std::uint8_t kSealedFlag = 0x80;
inline constexpr std::size_t kCounterSize = 4;
inline constexpr std::size_t kMacSize = crypto::kCmacSize;
inline constexpr std::size_t kSealSize = kCounterSize + kMacSize;
inline constexpr std::size_t kReplayWindowSize = 64;

/// Which counters a receiver still accepts. Counter 0 is never valid.
class ReplayWindow {
public:
    /// True if counter was not accepted before and is not too old.
    bool fresh(std::uint32_t counter) const;
    /// Records counter as accepted (call only after its tag verified).
    void accept(std::uint32_t counter);
    std::uint32_t highest() const { return highest_; }

private:
    std::uint32_t highest_ = 0;
    std::uint64_t seen_ = 0;  // bit i: highest_ - i was accepted
};

/// One direction's sending half: numbers and tags frames. Not thread-safe.
class FrameSealer {
public:
    /// last_counter: the counter already used (0 for a new session; a test starts near the end
    /// of the counter space to see it run out).
    explicit FrameSealer(std::span<const std::uint8_t, crypto::kCmacKeySize> key,
                         std::uint32_t last_counter = 0)
        : mac_(key), counter_(last_counter) {}
    /// Writes counter and tag after covered (header + payload) into seal (kSealSize bytes).
    /// False once the counter is used up (2^32 - 1 frames): the session must end.
    bool seal(std::span<const std::uint8_t> covered, std::span<std::uint8_t, kSealSize> seal);
    std::uint32_t last_counter() const { return counter_; }

private:
    crypto::Cmac mac_;
    std::uint32_t counter_ = 0;
};

/// Why an authenticated receiver refused a frame.
enum class SealError : std::uint8_t {
    Mac,     // the tag does not verify (forged, altered, another session's key)
    Replay,  // the counter was accepted before, or is older than the window
};

/// One direction's receiving half: verifies tags and counters. Not thread-safe.
class FrameOpener {
public:
    explicit FrameOpener(std::span<const std::uint8_t, crypto::kCmacKeySize> key) : mac_(key) {}
    /// Checks the tag (constant time) and then the counter; accepts the counter if both pass.
    std::optional<SealError> open(std::span<const std::uint8_t> covered, std::uint32_t counter,
                                  std::span<const std::uint8_t, kMacSize> mac);
    const ReplayWindow& window() const { return window_; }

private:
    crypto::Cmac mac_;
    ReplayWindow window_;
};

}  // namespace penlink::protocol
