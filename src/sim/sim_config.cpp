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

namespace penlink::sim {
namespace {

constexpr std::uint8_t kPolarityMonopolar = 0x01;
constexpr std::uint8_t kPolarityBipolar = 0x02;

void fit_rf(protocol::Info& info) {
    info.addons |= protocol::kAddonRf;
    info.rf_frequency_min_khz = 1000;
    info.rf_frequency_max_khz = 2000;
    info.rf_power_max_mw = 20'000;
    info.rf_pulse_min_ms = 10;
    info.rf_pulse_max_ms = 500;
    info.rf_polarities = kPolarityMonopolar | kPolarityBipolar;
}

void remove_rf(protocol::Info& info) {
    info.addons &= static_cast<std::uint8_t>(~protocol::kAddonRf);
    info.rf_frequency_min_khz = info.rf_frequency_max_khz = 0;
    info.rf_power_max_mw = 0;
    info.rf_pulse_min_ms = info.rf_pulse_max_ms = 0;
    info.rf_polarities = 0;
}

void fit_led(protocol::Info& info) {
    info.addons |= protocol::kAddonLed;
    info.led_channel_count = 3;
    info.led_channels = {};
    info.led_channels[0] = {415, 1000};     // blue, 100.0 mW/cm2
    info.led_channels[1] = {633, 1500};     // red, 150.0 mW/cm2
    info.led_channels[2] = {830, 2000};     // near infrared, 200.0 mW/cm2
    info.led_pulse_rate_min_chz = 100;      // 1 Hz
    info.led_pulse_rate_max_chz = 100'000;  // 1000 Hz
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
                "speed_min_hz, speed_max_hz, rf, led, watchdog_ms, max_status_hz, fault_after_ms, "
                "drop_link_after_ms, silent_after_ms, cartridge_id, stroke_limit, battery_pct, "
                "tick_us, ambient_c, over_temperature_c, seed, heat_c_per_s, drain_pct_per_s, "
                "charging, reboot_after_ms, link_bytes_per_s, module, module_store, key_file, "
                "auth");
        }
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
