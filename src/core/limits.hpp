// Host-side safety checks: every value is checked against the pen's reported capabilities (and
// the user's own depth limit) before anything is sent, and converted to wire units.
// Failures throw OutOfRangeError / NotSupportedError naming the value, the limit and the unit.
#pragma once

#include <cstdint>
#include <string>

#include "penlink/types.hpp"
#include "protocol/messages.hpp"

namespace penlink::core {

protocol::SetDepth check_depth(Depth depth, const Capabilities& caps, Depth user_limit);
/// Checks a user depth limit itself: within the pen's range.
void check_depth_limit(Depth limit, const Capabilities& caps);
protocol::SetSpeed check_speed(Speed speed, const Capabilities& caps);
/// The checks of a mode that need no pen: every double finite, every enum one of its values.
/// Throws InvalidArgumentError naming the field and value. check_rf / check_led run them first;
/// the C ABI runs them too, so its _async calls refuse such a mode before queueing it.
void check_mode_values(const RfMode& mode);
void check_mode_values(const LedMode& mode);
protocol::SetRf check_rf(const RfMode& mode, const Capabilities& caps);
protocol::SetLed check_led(const LedMode& mode, const Capabilities& caps);
std::uint16_t check_status_rate(std::int32_t rate_hz, const Capabilities& caps);

/// "3.20" for mm-style values: fixed decimals, as people read them on a pen's display.
std::string format_fixed(double value, int decimals);
/// Shortest form: "150", "1.5", "0.05".
std::string format_number(double value);

}  // namespace penlink::core
