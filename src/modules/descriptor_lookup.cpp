// ModuleDescriptor's lookups: linear, since a descriptor holds at most 64 parameters and 32
// channels and lookups happen per user call, not per status frame.
#include <algorithm>

#include "penlink/module_descriptor.hpp"

namespace penlink {

const ParamSpec* ModuleDescriptor::find_parameter(const std::string& wanted) const {
    const auto it = std::find_if(parameters.begin(), parameters.end(),
                                 [&](const ParamSpec& p) { return p.key == wanted; });
    return it == parameters.end() ? nullptr : &*it;
}

const ParamSpec* ModuleDescriptor::find_parameter(std::uint16_t wanted) const {
    const auto it = std::find_if(parameters.begin(), parameters.end(),
                                 [&](const ParamSpec& p) { return p.id == wanted; });
    return it == parameters.end() ? nullptr : &*it;
}

const TelemetrySpec* ModuleDescriptor::find_telemetry(const std::string& wanted) const {
    const auto it = std::find_if(telemetry.begin(), telemetry.end(),
                                 [&](const TelemetrySpec& t) { return t.key == wanted; });
    return it == telemetry.end() ? nullptr : &*it;
}

const TelemetrySpec* ModuleDescriptor::find_telemetry(std::uint8_t wanted) const {
    const auto it = std::find_if(telemetry.begin(), telemetry.end(),
                                 [&](const TelemetrySpec& t) { return t.id == wanted; });
    return it == telemetry.end() ? nullptr : &*it;
}

bool ModuleDescriptor::has_profile(const std::string& profile) const {
    return std::find(profiles.begin(), profiles.end(), profile) != profiles.end();
}

}  // namespace penlink
