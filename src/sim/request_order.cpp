#include "sim/request_order.hpp"

namespace penlink::sim {
namespace {

// The newer of a remembered seq and a new one (a safing request may be older than the memory).
void remember_newest(std::optional<std::uint16_t>& slot, std::uint16_t seq) {
    if (!slot || protocol::seq_newer(seq, *slot)) slot = seq;
}

}  // namespace

std::optional<std::uint16_t> RequestOrder::superseded_by(std::uint16_t seq,
                                                         const protocol::Message& request) const {
    const protocol::RequestGroup group = protocol::group_of(protocol::type_of(request));
    if (group == protocol::RequestGroup::None || protocol::is_safing_request(request)) {
        return std::nullopt;
    }
    const auto& newest = newest_[static_cast<std::size_t>(group)];
    if (newest && !protocol::seq_newer(seq, *newest)) return *newest;
    if (barrier_ && !protocol::seq_newer(seq, *barrier_)) return *barrier_;
    return std::nullopt;
}

void RequestOrder::applied(std::uint16_t seq, protocol::MessageType type) {
    const protocol::RequestGroup group = protocol::group_of(type);
    if (group == protocol::RequestGroup::None) return;
    remember_newest(newest_[static_cast<std::size_t>(group)], seq);
    if (type == protocol::MessageType::Stop || type == protocol::MessageType::EmergencyStop) {
        remember_newest(barrier_, seq);
    }
}

void RequestOrder::clear() {
    newest_.fill(std::nullopt);
    barrier_.reset();
}

}  // namespace penlink::sim
