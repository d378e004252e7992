// Default simulated pen and the key=value options that reshape it (sim:// query, penlink-sim).
#include "sim/sim_config.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string_view>

#include "common/key_file.hpp"
#include "penlink/errors.hpp"
#include "sim/module_host.hpp"
#include "sim/standard_modules.hpp"

namespace penlink::sim {
namespace {

// The built-in add-ons take their ranges from the standard modules (sim/standard_modules.hpp),
// so the typed RF/LED and the same add-ons as descriptor modules (addons=modules) cannot drift.
const ParamSpec& standard_param(const ModuleDefinition& module, const std::string& key) {
    return *module.descriptor.find_parameter(key);
}
template <typename T>
T wire(double value, double per_unit) {
    return static_cast<T>(std::lround(value * per_unit));
}

void fit_rf(protocol::Info& info) {
    const ModuleDefinition& rf = *standard_modules().rf;
    info.addons |= protocol::kAddonRf;
    info.rf_frequency_min_khz = wire<std::uint16_t>(standard_param(rf, "frequency").min, 1.0);
    info.rf_frequency_max_khz = wire<std::uint16_t>(standard_param(rf, "frequency").max, 1.0);
    info.rf_power_max_mw = wire<std::uint32_t>(standard_param(rf, "power").max, 1000.0);
    info.rf_pulse_min_ms = wire<std::uint16_t>(standard_param(rf, "pulse").min, 1.0);
    info.rf_pulse_max_ms = wire<std::uint16_t>(standard_param(rf, "pulse").max, 1.0);
    // The profile's polarity labels are monopolar, bipolar (docs/modules.md): bit i = label i.
    info.rf_polarities = 0;
    for (std::size_t i = 0; i < standard_param(rf, "polarity").labels.size(); ++i) {
        info.rf_polarities |= static_cast<std::uint8_t>(1u << i);
    }
}

void remove_rf(protocol::Info& info) {
    info.addons &= static_cast<std::uint8_t>(~protocol::kAddonRf);
    info.rf_frequency_min_khz = info.rf_frequency_max_khz = 0;
    info.rf_power_max_mw = 0;
    info.rf_pulse_min_ms = info.rf_pulse_max_ms = 0;
    info.rf_polarities = 0;
}

void fit_led(protocol::Info& info) {
    const auto& heads = standard_modules().leds;
    info.addons |= protocol::kAddonLed;
    info.led_channel_count = static_cast<std::uint8_t>(heads.size());
    info.led_channels = {};
    for (std::size_t i = 0; i < heads.size() && i < info.led_channels.size(); ++i) {
        info.led_channels[i] = {
            wire<std::uint16_t>(standard_param(*heads[i], "wavelength").min, 1.0),
            wire<std::uint16_t>(standard_param(*heads[i], "irradiance").max, 10.0)};  // 0.1 mW/cm2
    }
    // One pulse-rate range for the add-on: the heads share it (the first one's, in Hz).
    info.led_pulse_rate_min_chz =
        wire<std::uint32_t>(standard_param(*heads[0], "pulse_rate").min, 100.0);
    info.led_pulse_rate_max_chz =
        wire<std::uint32_t>(standard_param(*heads[0], "pulse_rate").max, 100.0);
}

void remove_led(protocol::Info& info) {
    info.addons &= static_cast<std::uint8_t>(~protocol::kAddonLed);
    info.led_channel_count = 0;
    info.led_channels = {};
    info.led_pulse_rate_min_chz = info.led_pulse_rate_max_chz = 0;
}

[[noreturn]] void reject(const std::string& key, const std::string& value, const std::string& why) {
    throw InvalidArgumentError("sim option " + key + "=" + value + " " + why);
}

std::string format_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

double parse_number(const std::string& key, const std::string& value, double min, double max,
                    const char* unit) {
    double parsed = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, parsed);
    const std::string range = "; expected " + format_number(min) + " to " + format_number(max) +
                              (*unit ? std::string(" ") + unit : std::string());
    if (value.empty() || ec != std::errc() || ptr != end || !std::isfinite(parsed)) {
        reject(key, value, "is not a number" + range);
    }
    if (parsed < min || parsed > max) reject(key, value, "is out of range" + range);
    return parsed;
}

std::uint64_t parse_integer(const std::string& key, const std::string& value, std::uint64_t min,
                            std::uint64_t max, const char* unit) {
    std::uint64_t parsed = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, parsed);
    const std::string range = "; expected a whole number from " + std::to_string(min) + " to " +
                              std::to_string(max) +
                              (*unit ? std::string(" ") + unit : std::string());
    if (value.empty() || ptr != end || ec == std::errc::invalid_argument) {
        reject(key, value, "is not a whole number" + range);
    }
    if (ec == std::errc::result_out_of_range || parsed < min || parsed > max) {
        reject(key, value, "is out of range" + range);
    }
    return parsed;
}

bool parse_flag(const std::string& key, const std::string& value) {
    if (value == "1" || value == "true" || value == "yes" || value == "on") return true;
    if (value == "0" || value == "false" || value == "no" || value == "off") return false;
    reject(key, value, "is not a switch; expected 0 or 1");
}

std::string parse_text(const std::string& key, const std::string& value) {
    if (value.empty() || value.size() > protocol::kMaxStringLength) {
        reject(key, value,
               "must be 1 to " + std::to_string(protocol::kMaxStringLength) + " bytes long");
    }
    return value;
}

// Micrometre and centi-hertz wire units from the millimetre / hertz the options use.
std::uint16_t to_um(double mm) { return static_cast<std::uint16_t>(std::lround(mm * 1000.0)); }
std::uint16_t to_chz(double hz) { return static_cast<std::uint16_t>(std::lround(hz * 100.0)); }

}  // namespace

SimConfig default_sim_config() {
    SimConfig config;
    protocol::Info& info = config.info;
    info.model = "PL-SIM-1";
    info.serial = "SIM000001";
    info.fw_major = 1;
    info.fw_minor = 0;
    info.fw_patch = 0;
    info.depth_min_um = 0;
    info.depth_max_um = 3000;
    info.depth_step_um = 50;
    info.speed_min_chz = 5000;
    info.speed_max_chz = 15000;
    info.watchdog_ms = 500;
    info.max_status_rate_hz = 20000;
    fit_rf(info);
    fit_led(info);
    return config;
}

void apply_sim_options(SimConfig& target, const std::map<std::string, std::string>& options) {
    // Work on a copy so a bad option leaves the caller's config untouched.
    SimConfig config = target;
    protocol::Info& info = config.info;
    constexpr auto u32_max = std::numeric_limits<std::uint32_t>::max();
    std::string key_file, auth;  // resolved last: the key file's line depends on the serial
    bool addons_as_modules = false;
    for (const auto& [key, value] : options) {
        if (key == "model") {
            info.model = parse_text(key, value);
        } else if (key == "serial") {
            info.serial = parse_text(key, value);
        } else if (key == "depth_min_mm") {
            info.depth_min_um = to_um(parse_number(key, value, 0.0, 10.0, "mm"));
        } else if (key == "depth_max_mm") {
            info.depth_max_um = to_um(parse_number(key, value, 0.05, 10.0, "mm"));
        } else if (key == "depth_step_mm") {
            info.depth_step_um = to_um(parse_number(key, value, 0.001, 1.0, "mm"));
        } else if (key == "speed_min_hz") {
            info.speed_min_chz = to_chz(parse_number(key, value, 1.0, 600.0, "Hz"));
        } else if (key == "speed_max_hz") {
            info.speed_max_chz = to_chz(parse_number(key, value, 1.0, 600.0, "Hz"));
        } else if (key == "addons") {
            // "modules": RF and LED as the standard descriptor modules, in slots before any
            // module= file (the map orders "addons" first), instead of the typed add-ons.
            if (value == "modules") {
                remove_rf(info);
                remove_led(info);
                std::vector<std::shared_ptr<const ModuleDefinition>> standard{
                    standard_modules().rf};
                standard.insert(standard.end(), standard_modules().leds.begin(),
                                standard_modules().leds.end());
                config.modules.insert(config.modules.begin(), standard.begin(), standard.end());
                addons_as_modules = true;
            } else if (value != "typed") {
                reject(key, value, "must be typed (the built-in RF/LED add-ons) or modules");
            }
        } else if (key == "rf") {
            parse_flag(key, value) ? fit_rf(info) : remove_rf(info);
        } else if (key == "led") {
            parse_flag(key, value) ? fit_led(info) : remove_led(info);
        } else if (key == "watchdog_ms") {
            info.watchdog_ms =
                static_cast<std::uint16_t>(parse_integer(key, value, 10, 65535, "ms"));
        } else if (key == "max_status_hz") {
            info.max_status_rate_hz =
                static_cast<std::uint16_t>(parse_integer(key, value, 1, 65535, "Hz"));
        } else if (key == "fault_after_ms") {
            config.fault_after_ms =
                static_cast<std::uint32_t>(parse_integer(key, value, 0, u32_max, "ms"));
        } else if (key == "drop_link_after_ms") {
            config.drop_link_after_ms =
                static_cast<std::uint32_t>(parse_integer(key, value, 0, u32_max, "ms"));
        } else if (key == "silent_after_ms") {
            config.silent_after_ms =
                static_cast<std::uint32_t>(parse_integer(key, value, 0, u32_max, "ms"));
        } else if (key == "cartridge_id") {
            config.cartridge_id =
                static_cast<std::uint32_t>(parse_integer(key, value, 0, u32_max, ""));
        } else if (key == "stroke_limit") {
            config.cartridge_stroke_limit =
                static_cast<std::uint32_t>(parse_integer(key, value, 1, u32_max, "strokes"));
        } else if (key == "battery_pct") {
            config.battery_pct = parse_number(key, value, 0.0, 100.0, "%");
        } else if (key == "tick_us") {
            config.tick_us =
                static_cast<std::uint32_t>(parse_integer(key, value, 50, 100'000, "us"));
        } else if (key == "ambient_c") {
            config.ambient_temperature_c = parse_number(key, value, -20.0, 60.0, "C");
        } else if (key == "over_temperature_c") {
            config.over_temperature_c = parse_number(key, value, 0.0, 150.0, "C");
        } else if (key == "seed") {
            config.seed =
                parse_integer(key, value, 0, std::numeric_limits<std::uint64_t>::max(), "");
        } else if (key == "heat_c_per_s") {
            config.heating_c_per_s = parse_number(key, value, -100.0, 100.0, "C/s");
        } else if (key == "drain_pct_per_s") {
            config.drain_pct_per_s = parse_number(key, value, -100.0, 100.0, "%/s");
        } else if (key == "charging") {
            config.charging = parse_flag(key, value);
        } else if (key == "reboot_after_ms") {
            config.reboot_after_ms =
                static_cast<std::uint32_t>(parse_integer(key, value, 0, u32_max, "ms"));
        } else if (key == "link_bytes_per_s") {
            config.link_bytes_per_s =
                static_cast<std::uint32_t>(parse_integer(key, value, 0, u32_max, "bytes/s"));
        } else if (key == "module") {
            // Comma-separated, because a URL names each query key once.
            for (std::size_t start = 0; start <= value.size();) {
                const std::size_t comma = std::min(value.find(',', start), value.size());
                const std::string path = value.substr(start, comma - start);
                if (path.empty()) reject(key, value, "names an empty file");
                config.modules.push_back(load_module_file(path));
                start = comma + 1;
            }
            if (config.modules.size() > protocol::kMaxModules) {
                reject(key, value,
                       "fits more than " + std::to_string(protocol::kMaxModules) + " modules");
            }
        } else if (key == "module_store") {
            config.module_store = parse_flag(key, value);
        } else if (key == "key_file") {
            if (value.empty()) reject(key, value, "names no file");
            key_file = value;
        } else if (key == "auth") {
            if (value != "require" && value != "open")
                reject(key, value, "must be require or open");
            auth = value;
        } else {
            throw InvalidArgumentError(
                "unknown sim option '" + key +
                "'; expected one of model, serial, depth_min_mm, depth_max_mm, depth_step_mm, "
                "speed_min_hz, speed_max_hz, addons, rf, led, watchdog_ms, max_status_hz, "
                "fault_after_ms, "
                "drop_link_after_ms, silent_after_ms, cartridge_id, stroke_limit, battery_pct, "
                "tick_us, ambient_c, over_temperature_c, seed, heat_c_per_s, drain_pct_per_s, "
                "charging, reboot_after_ms, link_bytes_per_s, module, module_store, key_file, "
                "auth");
        }
    }
    if (addons_as_modules && info.addons != 0) {
        reject("addons", "modules",
               "fits RF and LED as modules; it cannot be combined with rf=1 or led=1");
    }
    if (config.modules.size() > protocol::kMaxModules) {
        reject("module", std::to_string(config.modules.size()) + " modules",
               "fits more than " + std::to_string(protocol::kMaxModules));
    }
    if (!key_file.empty()) {
        const auto keys = keys::load_file(key_file);
        auto found = keys.find(info.serial);
        if (found == keys.end()) found = keys.find("");
        if (found == keys.end()) {
            throw InvalidArgumentError("sim option key_file=" + key_file + " holds no key for " +
                                       info.serial + " (a line \"" + info.serial +
                                       " KEY\" or a line with only the key)");
        }
        config.key = found->second;
        config.key_file = key_file;
        config.auth_mode = protocol::AuthMode::Required;
    }
    if (auth == "require" && !config.key) {
        throw InvalidArgumentError("sim option auth=require needs the pen's key (key_file)");
    }
    if (!auth.empty())
        config.auth_mode =
            auth == "require" ? protocol::AuthMode::Required : protocol::AuthMode::Open;
    // Cross-field checks run last because std::map visits keys alphabetically, not as given.
    if (info.depth_min_um >= info.depth_max_um) {
        throw InvalidArgumentError(
            "sim depth range is empty: depth_min_mm " + format_number(info.depth_min_um / 1000.0) +
            " mm must be below depth_max_mm " + format_number(info.depth_max_um / 1000.0) + " mm");
    }
    if (info.speed_min_chz > info.speed_max_chz) {
        throw InvalidArgumentError(
            "sim speed range is empty: speed_min_hz " + format_number(info.speed_min_chz / 100.0) +
            " Hz exceeds speed_max_hz " + format_number(info.speed_max_chz / 100.0) + " Hz");
    }
    target = std::move(config);
}

}  // namespace penlink::sim
