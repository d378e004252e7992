#include "modules/profiles.hpp"

#include <array>
#include <string>

namespace penlink::modules {
namespace {

constexpr std::array<std::string_view, 2> kRfPolarities{"monopolar", "bipolar"};
constexpr std::array<ProfileParam, 5> kRfParams{{
    {"enabled", 1, ParamType::Bool, ""},
    {"polarity", 2, ParamType::Enum, "", 1.0, kRfPolarities},
    {"frequency", 3, ParamType::Integer, "kHz"},
    {"power", 4, ParamType::Fixed, "W", 0.001},  // mW on the wire
    {"pulse", 5, ParamType::Integer, "ms"},
}};
constexpr std::array<ProfileChannel, 3> kRfChannels{{
    {"delivering", 1, ""},
    {"impedance", 2, "ohm"},
    {"energy", 3, "J"},
}};

constexpr std::array<std::string_view, 2> kLedModes{"continuous", "pulsed"};
constexpr std::array<ProfileParam, 6> kLedParams{{
    {"enabled", 1, ParamType::Bool, ""},
    {"wavelength", 2, ParamType::Integer, "nm"},
    {"irradiance", 3, ParamType::Fixed, "mW/cm2", 0.1},
    {"mode", 4, ParamType::Enum, "", 1.0, kLedModes},
    {"pulse_rate", 5, ParamType::Fixed, "Hz", 0.01},
    {"duty", 6, ParamType::Fixed, "%", 0.1},
}};
constexpr std::array<ProfileChannel, 2> kLedChannels{{
    {"emitting", 1, ""},
    {"dose", 2, "J/cm2"},
}};

constexpr std::array<Profile, 2> kProfiles{{
    {"rf", kRfParams, kRfChannels},
    {"led", kLedParams, kLedChannels},
}};

}  // namespace

std::span<const Profile> known_profiles() { return kProfiles; }

const Profile* find_profile(std::string_view name) {
    for (const Profile& profile : kProfiles) {
        if (profile.name == name) return &profile;
    }
    return nullptr;
}

const char* known_profiles_text() {
    static const std::string text = [] {
        std::string out;
        for (const Profile& profile : kProfiles) {
            if (!out.empty()) out += ", ";
            out += profile.name;
        }
        return out;
    }();
    return text.c_str();
}

}  // namespace penlink::modules
