// The faults the proxy applies to one direction of the link, and what it counted doing so.
// Plain data, owned by the Proxy and changed only on its io_context thread.
#pragma once

#include <chrono>
#include <cstdint>

namespace penlink::proxytool {

enum class Direction { HostToPen, PenToHost };

inline const char* to_string(Direction direction) {
    return direction == Direction::HostToPen ? "h2p" : "p2h";
}

struct FaultSettings {
    // Per-frame probabilities, 0..1, drawn independently for every frame.
    double drop = 0.0;
    double duplicate = 0.0;
    double corrupt = 0.0;   // flip one random bit of one byte (the delimiter is kept)
    double truncate = 0.0;  // cut the frame short, keep the delimiter
    /// Bytes per second the direction carries; 0 = unlimited. 11520 is a 115200-baud UART.
    std::uint32_t throttle_bytes_per_s = 0;
    /// Nothing is written before this time (the bytes wait in the queue).
    std::chrono::steady_clock::time_point stalled_until{};
};

/// Counters of one direction, cumulative over every host connection of the proxy's life.
struct DirectionStats {
    std::uint64_t frames = 0;      // frames received from the source (delimiter seen)
    std::uint64_t forwarded = 0;   // frames written to the destination (a duplicate counts twice)
    std::uint64_t dropped = 0;     // dropped on purpose
    std::uint64_t duplicated = 0;  // extra copies sent
    std::uint64_t corrupted = 0;
    std::uint64_t truncated = 0;
    /// Status frames discarded because a slow or stalled link could not take them, as the
    /// protocol tells a pen to do (docs/protocol.md section 11); other frames always wait.
    std::uint64_t shed = 0;
    std::uint64_t status_frames = 0;  // Status frames received from the source
    /// Status frames that cannot reach the other side intact: dropped, corrupted, truncated or
    /// shed. A host that counts gaps in status_seq should count exactly these.
    std::uint64_t status_lost = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
};

}  // namespace penlink::proxytool
