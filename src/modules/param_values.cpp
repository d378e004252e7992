#include "modules/param_values.hpp"

#include <cmath>
#include <limits>
#include <sstream>

namespace penlink::modules {

std::optional<std::int32_t> raw_of(double value, double scale) {
    if (!std::isfinite(value) || !(scale > 0.0)) return std::nullopt;
    const double steps = value / scale;
    const double nearest = std::round(steps);
    if (!(std::fabs(steps - nearest) <= 1e-6 * std::max(1.0, std::fabs(nearest)))) {
        return std::nullopt;
    }
    if (nearest < static_cast<double>(std::numeric_limits<std::int32_t>::min()) ||
        nearest > static_cast<double>(std::numeric_limits<std::int32_t>::max())) {
        return std::nullopt;
    }
    return static_cast<std::int32_t>(nearest);
}

double value_of(std::int32_t raw, double scale) { return static_cast<double>(raw) * scale; }

RawBounds raw_bounds(const ParamSpec& spec) {
    RawBounds bounds;
    bounds.min = raw_of(spec.min, spec.scale).value_or(0);
    bounds.max = raw_of(spec.max, spec.scale).value_or(0);
    bounds.step = std::max<std::int32_t>(1, raw_of(spec.step, spec.scale).value_or(1));
    bounds.default_value = raw_of(spec.default_value, spec.scale).value_or(bounds.min);
    return bounds;
}

std::optional<Refusal> check_raw(const ParamSpec& spec, std::int32_t raw) {
    const RawBounds bounds = raw_bounds(spec);
    if (raw < bounds.min) return Refusal{protocol::LimitKind::Minimum, bounds.min};
    if (raw > bounds.max) return Refusal{protocol::LimitKind::Maximum, bounds.max};
    const std::int64_t offset = static_cast<std::int64_t>(raw) - bounds.min;
    if (offset % bounds.step != 0) return Refusal{protocol::LimitKind::Step, bounds.step};
    return std::nullopt;
}

std::string describe_raw(const ParamSpec& spec, std::int32_t raw) {
    switch (spec.type) {
        case ParamType::Bool:
            return raw == 0 ? "false" : raw == 1 ? "true" : std::to_string(raw);
        case ParamType::Enum:
            if (raw >= 0 && static_cast<std::size_t>(raw) < spec.labels.size()) {
                return spec.labels[static_cast<std::size_t>(raw)];
            }
            return "#" + std::to_string(raw);
        case ParamType::Integer:
        case ParamType::Fixed:
            break;
    }
    std::ostringstream text;
    text << value_of(raw, spec.scale);
    if (!spec.unit.empty()) text << ' ' << spec.unit;
    return text.str();
}

}  // namespace penlink::modules
