// What a simulated pen sends, batched into two fixed lanes and handed on once per handler, so a
// status frame costs no heap allocation: replies and events in one lane, Status frames in the
// other, which goes out after it, so Status never goes out ahead of a reply. A congested link
// may be given a sink of its own for the Status lane that drops what it cannot carry.
//
// On a paced link (SimConfig::link_bytes_per_s) the outbox also keeps the link's credit: the
// bytes it could carry now. Replies and events always go out (the credit may go negative);
// a Status frame only while the credit covers all of it.
//
// Used on the device's io thread only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "protocol/frame.hpp"

namespace penlink::sim {

class Outbox {
public:
    using SendHandler = std::function<void(std::span<const std::uint8_t>)>;

    /// may_send says whether the pen may send at all now (not silent, stopped or off): when it
    /// says no, flush() discards. link_bytes_per_s 0: an unpaced link.
    Outbox(SendHandler send, std::function<bool()> may_send, std::uint32_t link_bytes_per_s)
        : send_(std::move(send)), may_send_(std::move(may_send)), bytes_per_s_(link_bytes_per_s) {}

    /// Status frames go to sink instead of the send handler (SimDevice::set_status_sink).
    void set_status_sink(SendHandler sink) { status_sink_ = std::move(sink); }

    /// A reply or event, batched in its lane.
    void add_reply(const protocol::WireFrame& frame);
    /// Where the next Status frame is written in place: room for the largest one at the end
    /// of the Status lane (flushed first if it had less).
    std::span<std::uint8_t> status_space();
    /// The Status frame of size bytes written into status_space() goes out; false when the
    /// paced link had no room for it (dropped).
    bool add_status(std::size_t size);

    /// Hands both lanes on (or discards them, as may_send says).
    void flush();
    /// Forgets both lanes unsent (a stop or power loss).
    void discard() {
        replies_.size = 0;
        status_.size = 0;
    }
    /// dt_us has passed on a paced link: credit for what it could carry since, up to a burst.
    void refill(std::uint64_t dt_us);
    /// A rebooted pen's link starts with no credit.
    void reset_credit() { credit_ = 0.0; }

private:
    struct Lane {
        std::array<std::uint8_t, 8192> bytes{};
        std::size_t size = 0;
    };

    SendHandler send_;
    SendHandler status_sink_;
    std::function<bool()> may_send_;
    std::uint32_t bytes_per_s_;
    double credit_ = 0.0;
    Lane replies_;
    Lane status_;
};

}  // namespace penlink::sim
