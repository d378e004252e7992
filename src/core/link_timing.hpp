// The session's timeouts and heartbeat for the link it runs on (protocol.md 11.1).
//
// penlink's defaults were set for links that answer within a few ms, and for BLE at the 15 ms
// connection interval a pen should request (protocol.md 15.3). A link whose bytes wait for the
// next connection event takes proportionally longer for every round trip, so the defaults scale
// with its interval: a 100 ms link waits 100/15 times as long before resending or declaring the
// pen lost. What the application set in ConnectOptions is used as it is.
#pragma once

#include <chrono>
#include <string>

#include "penlink/pen.hpp"

namespace penlink::core {

/// The command timeout of a link with no interval (or one of at most kReferenceInterval).
inline constexpr std::chrono::milliseconds kBaseCommandTimeout{300};
/// The connection interval the base timeouts suit (protocol.md 15.3).
inline constexpr std::chrono::milliseconds kReferenceInterval{15};
/// The shortest default heartbeat period.
inline constexpr std::chrono::milliseconds kShortestHeartbeat{20};
/// The shortest default link timeout, before scaling.
inline constexpr std::chrono::milliseconds kShortestLinkTimeout{1000};
/// Status silence before subscribing again, before scaling.
inline constexpr std::chrono::milliseconds kBaseStatusSilence{1000};

struct LinkTiming {
    std::chrono::milliseconds command_timeout;
    std::chrono::milliseconds heartbeat_interval;
    /// The heartbeat while the pen's watchdog is known to be disarmed (every output off, so
    /// nothing to feed; protocol.md 10): often enough that the link timeout still sees three
    /// answers, and still before the watchdog would fire, should the host's guess be wrong.
    /// The same as heartbeat_interval when the application set that.
    std::chrono::milliseconds idle_heartbeat_interval;
    std::chrono::milliseconds link_timeout;
    /// Status silence, while subscribed, after which the session subscribes again (and twice
    /// that, not before link_timeout, gives up); at least 5 status periods. Not an option.
    std::chrono::milliseconds status_silence;
    /// Set when the link is too slow for the pen's watchdog: the heartbeat cannot keep it fed
    /// with margin. Empty otherwise.
    std::string warning;
};

/// The timing for a link whose bytes wait up to link_interval (0: none) and a pen whose
/// watchdog fires after watchdog_ms of host silence. Options above zero are kept as they are.
/// - command_timeout: 300 ms, times interval / 15 ms on a slower link;
/// - heartbeat: watchdog / 4 (at least 20 ms), but no shorter than one interval (sooner
///   heartbeats only queue) and short enough that one still reaches the pen, two intervals
///   later, before the watchdog fires;
/// - idle heartbeat: link_timeout / 3, but no later than 3/4 of the time a heartbeat has
///   before the watchdog fires (watchdog - 2 intervals), and no sooner than the heartbeat;
/// - link_timeout: twice the watchdog, at least 1000 ms, times interval / 15 ms;
/// - status_silence: 1000 ms, times interval / 15 ms (on a slow link the pen may hold Status
///   back for seconds while replies to a burst of commands go first, protocol.md 11).
LinkTiming link_timing(const ConnectOptions& options, std::chrono::milliseconds link_interval,
                       int watchdog_ms);

}  // namespace penlink::core
