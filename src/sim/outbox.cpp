// Outbox: see outbox.hpp.
#include "sim/outbox.hpp"

#include <algorithm>
#include <cstring>

namespace penlink::sim {

void Outbox::add_reply(const protocol::WireFrame& frame) {
    if (bytes_per_s_ != 0) credit_ -= static_cast<double>(frame.size);
    if (replies_.size + frame.size > replies_.bytes.size()) flush();
    std::memcpy(replies_.bytes.data() + replies_.size, frame.bytes.data(), frame.size);
    replies_.size += frame.size;
}

std::span<std::uint8_t> Outbox::status_space() {
    if (status_.bytes.size() - status_.size < protocol::kMaxStatusWireFrameSize) flush();
    return std::span<std::uint8_t>(status_.bytes).subspan(status_.size);
}

bool Outbox::add_status(std::size_t size) {
    if (bytes_per_s_ != 0) {
        if (credit_ < static_cast<double>(size)) return false;
        credit_ -= static_cast<double>(size);
    }
    status_.size += size;
    return true;
}

void Outbox::flush() {
    if (replies_.size > 0 && may_send_() && send_) send_({replies_.bytes.data(), replies_.size});
    replies_.size = 0;
    // Asked again: sending the replies may have changed it.
    if (status_.size > 0 && may_send_()) {
        const SendHandler& sink = status_sink_ ? status_sink_ : send_;
        if (sink) sink({status_.bytes.data(), status_.size});
    }
    status_.size = 0;
}

void Outbox::refill(std::uint64_t dt_us) {
    if (bytes_per_s_ == 0) return;
    // At most ~10 ms of traffic (and at least two frames) builds up while the link idles.
    const double burst = std::max(2.0 * protocol::kMaxWireFrameSize, bytes_per_s_ / 100.0);
    credit_ = std::min(burst, credit_ + bytes_per_s_ * (static_cast<double>(dt_us) / 1e6));
}

}  // namespace penlink::sim
