#include "core/link_timing.hpp"

#include <algorithm>

namespace penlink::core {

using std::chrono::milliseconds;

namespace {

/// base scaled by interval / kReferenceInterval, never below base.
milliseconds scaled(milliseconds base, milliseconds interval) {
    if (interval <= kReferenceInterval) return base;
    return milliseconds(base.count() * interval.count() / kReferenceInterval.count());
}

}  // namespace

LinkTiming link_timing(const ConnectOptions& options, milliseconds link_interval, int watchdog_ms) {
    const milliseconds interval = std::max(link_interval, milliseconds(0));
    const milliseconds watchdog(std::max(watchdog_ms, 0));
    LinkTiming timing;

    timing.command_timeout = options.command_timeout > milliseconds(0)
                                 ? options.command_timeout
                                 : scaled(kBaseCommandTimeout, interval);

    timing.link_timeout = options.link_timeout > milliseconds(0)
                              ? options.link_timeout
                              : scaled(std::max(kShortestLinkTimeout, 2 * watchdog), interval);

    timing.status_silence = scaled(kBaseStatusSilence, interval);

    if (options.heartbeat_interval > milliseconds(0)) {
        timing.heartbeat_interval = options.heartbeat_interval;
    } else {
        // A heartbeat sent now reaches the pen at the next connection event, or one later if a
        // write is in flight: it must leave by watchdog - 2 intervals.
        milliseconds period = std::max(kShortestHeartbeat, watchdog / 4);
        if (interval > milliseconds(0) && watchdog > milliseconds(0)) {
            period = std::min(period, watchdog - 2 * interval);
            if (period < interval) {
                timing.warning = "the link's " + std::to_string(interval.count()) +
                                 " ms interval leaves the pen's " +
                                 std::to_string(watchdog.count()) +
                                 " ms watchdog no margin; heartbeats every interval";
                period = interval;
            }
        }
        timing.heartbeat_interval = std::max(period, kShortestHeartbeat);
    }

    if (options.heartbeat_interval > milliseconds(0)) {
        timing.idle_heartbeat_interval = timing.heartbeat_interval;
    } else {
        // Disarmed, a heartbeat only proves the link alive: three per link timeout. Still
        // before the watchdog would fire, so a pen armed without the host knowing (a button)
        // is fed, with less margin, until the host hears of it.
        milliseconds idle = timing.link_timeout / 3;
        if (watchdog > milliseconds(0)) {
            const milliseconds budget = watchdog - 2 * interval;
            idle = std::min(idle, budget * 3 / 4);
        }
        timing.idle_heartbeat_interval = std::max(idle, timing.heartbeat_interval);
    }
    return timing;
}

}  // namespace penlink::core
