#include "core/profile_facades.hpp"

#include "core/limits.hpp"
#include "modules/param_values.hpp"
#include "modules/profiles.hpp"
#include "penlink/errors.hpp"

namespace penlink::core {
namespace {

// The profile's label for an enum value: the labels are normative and in wire order
// (src/modules/profiles.cpp), so the typed enum's index picks it.
std::string profile_label(std::string_view profile, std::string_view key, int index) {
    for (const modules::ProfileParam& p : modules::find_profile(profile)->parameters) {
        if (p.key == key) return std::string(p.labels[static_cast<std::size_t>(index)]);
    }
    return {};
}

bool accepts(const ParamSpec& spec, double value) {
    const auto raw = modules::raw_of(value, spec.scale);
    return raw && !modules::check_raw(spec, *raw);
}

}  // namespace

std::optional<Module> rf_profile_module(const std::vector<Module>& modules) {
    for (const Module& module : modules) {
        if (module.descriptor().has_profile("rf")) return module;
    }
    return std::nullopt;
}

std::optional<Module> led_profile_module(const std::vector<Module>& modules, const LedMode& mode) {
    std::string fitted;
    for (const Module& module : modules) {
        if (!module.descriptor().has_profile("led")) continue;
        const ParamSpec& wavelength = *module.descriptor().find_parameter("wavelength");
        if (accepts(wavelength, mode.wavelength_nm)) return module;
        fitted += (fitted.empty() ? "" : ", ") + format_number(wavelength.min);
        if (wavelength.max != wavelength.min) fitted += "-" + format_number(wavelength.max);
        fitted += " nm (" + module_selector(module) + ")";
    }
    if (fitted.empty()) return std::nullopt;
    throw NotSupportedError("LED wavelength " + std::to_string(mode.wavelength_nm) +
                            " nm is not fitted on this pen (fitted: " + fitted + ")");
}

std::vector<Module> other_led_modules(const std::vector<Module>& modules, const Module& chosen) {
    std::vector<Module> others;
    for (const Module& module : modules) {
        if (module.descriptor().has_profile("led") && module.slot() != chosen.slot()) {
            others.push_back(module);
        }
    }
    return others;
}

std::vector<ParamSetting> led_off_settings() { return {{"enabled", false}}; }

std::vector<ParamSetting> rf_profile_settings(const RfMode& mode) {
    check_mode_values(mode);
    return {
        {"enabled", mode.enabled},
        {"polarity", profile_label("rf", "polarity", static_cast<int>(mode.polarity))},
        {"frequency", static_cast<int>(mode.frequency_khz)},
        {"power", mode.power_w},
        {"pulse", static_cast<int>(mode.pulse_ms)},
    };
}

std::vector<ParamSetting> led_profile_settings(const LedMode& mode) {
    check_mode_values(mode);
    std::vector<ParamSetting> settings{
        {"enabled", mode.enabled},
        {"wavelength", static_cast<int>(mode.wavelength_nm)},
        {"irradiance", mode.irradiance_mw_cm2},
        {"mode", profile_label("led", "mode", mode.pulsed ? 1 : 0)},
    };
    if (mode.pulsed) {
        settings.push_back({"pulse_rate", mode.pulse_rate_hz});
        settings.push_back({"duty", mode.duty_percent});
    }
    return settings;
}

std::string module_selector(const Module& module) {
    return module.key() + "@" + std::to_string(module.slot());
}

}  // namespace penlink::core
