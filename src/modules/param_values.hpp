// Parameter values between the unit a person uses and the raw integer on the wire, and the range
// and grid check both the host and the simulated pen apply (so both refuse the same values with
// the same limit).
#pragma once

#include <cstdint>
#include <optional>

#include "penlink/module_descriptor.hpp"
#include "protocol/messages.hpp"

namespace penlink::modules {

/// raw such that raw * scale == value, if value lies on that grid (to 1e-6 of a step) and raw
/// fits in an int32; nullopt for NaN, infinity, off-grid or too large.
std::optional<std::int32_t> raw_of(double value, double scale);
/// raw * scale.
double value_of(std::int32_t raw, double scale);

/// A parameter's bounds in raw units. Only for checked descriptors (parse_module_descriptor),
/// whose min, max, step and default are exact.
struct RawBounds {
    std::int32_t min = 0, max = 0, step = 1, default_value = 0;
};
RawBounds raw_bounds(const ParamSpec& spec);

/// Why a raw value is refused, in the terms of a Nack: the limit it broke (raw) and its kind
/// (Minimum, Maximum, or Step, where limit is the step and the grid starts at min).
struct Refusal {
    protocol::LimitKind kind = protocol::LimitKind::None;
    std::int32_t limit = 0;
};
/// nullopt if raw is within the parameter's range and on its grid.
std::optional<Refusal> check_raw(const ParamSpec& spec, std::int32_t raw);

/// The value of raw as a person reads it: "12.5 degC", "true", "pulsed" (an enum's label).
std::string describe_raw(const ParamSpec& spec, std::int32_t raw);

}  // namespace penlink::modules
