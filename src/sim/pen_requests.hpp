// Building the pen's refusals: one place that fills Nack.limit_kind, so no handler forgets it.
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/messages.hpp"

namespace penlink::sim {

protocol::Message nack(protocol::MessageType request, protocol::NackReason reason,
                       protocol::Field field = protocol::Field::None, std::int64_t value = 0,
                       std::int64_t limit = 0,
                       protocol::LimitKind limit_kind = protocol::LimitKind::None);

/// Nack OutOfRange (limit_kind Minimum or Maximum) for value outside [min, max], or nothing.
std::optional<protocol::Message> check_range(protocol::MessageType request, protocol::Field field,
                                             std::int64_t value, std::int64_t min,
                                             std::int64_t max);

/// Nack FaultActive with the latched bits (limit_kind FaultBits).
protocol::Message fault_active(protocol::MessageType request, std::uint32_t fault_bits);

}  // namespace penlink::sim
