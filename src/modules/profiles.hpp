// Standard profiles (docs/modules.md, "Profiles"): the keys, wire ids, types, units, scales and
// enum labels a module that declares "rf" or "led" must have, so one typed API (set_rf_mode,
// set_led_mode) drives any vendor's module of that kind. Ids below 0x8000 (parameters) and 0x80
// (telemetry) belong here.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "penlink/module_descriptor.hpp"

namespace penlink::modules {

struct ProfileParam {
    std::string_view key;
    std::uint16_t id;
    ParamType type;
    std::string_view unit;
    /// value = raw * scale; 1 for every type but Fixed. The typed facades convert with it.
    double scale = 1.0;
    /// Enum only: the labels, in wire order (raw 0, 1, ...).
    std::span<const std::string_view> labels = {};
};
struct ProfileChannel {
    std::string_view key;
    std::uint8_t id;
    std::string_view unit;
};
struct Profile {
    std::string_view name;
    std::span<const ProfileParam> parameters;
    std::span<const ProfileChannel> telemetry;
};

/// Every standard profile, in the order of docs/modules.md.
std::span<const Profile> known_profiles();
/// nullptr for a name no profile has.
const Profile* find_profile(std::string_view name);
/// "rf, led", for error messages.
const char* known_profiles_text();

}  // namespace penlink::modules
