#include "core/conversions.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>

#include "core/limits.hpp"
#include "penlink/errors.hpp"

namespace penlink::core {

namespace {

// No microneedling pen goes deeper than 10 mm; a larger figure is a corrupt or hostile reply.
constexpr std::uint16_t kDeepestPlausibleUm = 10'000;
// The heartbeat runs at a quarter of the watchdog period: below 20 ms it could not keep up,
// above a minute a silent host would leave the needle running far too long.
constexpr std::uint16_t kShortestWatchdogMs = 20;
constexpr std::uint16_t kLongestWatchdogMs = 60'000;

[[noreturn]] void refuse(const std::string& what) {
    throw RejectedError(ErrorCode::Protocol, "pen reported " + what);
}

std::string mm(std::uint32_t um) { return format_fixed(um / 1000.0, 2) + " mm"; }
std::string hz(std::uint32_t chz) { return format_number(chz / 100.0) + " Hz"; }
std::string whole(std::uint32_t value, const char* unit) {
    return std::to_string(value) + " " + unit;
}

void require_ordered(const char* range, const std::string& min, const std::string& max,
                     bool ordered) {
    if (!ordered) {
        refuse(std::string("an ") + range + " range of " + min + " to " + max +
               ": its minimum is above its maximum");
    }
}

}  // namespace

void check_info(const protocol::Info& info) {
    if (info.depth_max_um > kDeepestPlausibleUm) {
        refuse("a maximum depth of " + mm(info.depth_max_um) +
               ", beyond the deepest any microneedling pen reaches, " + mm(kDeepestPlausibleUm));
    }
    if (info.depth_min_um > info.depth_max_um) {
        refuse("a minimum depth " + mm(info.depth_min_um) + " above its maximum depth " +
               mm(info.depth_max_um));
    }
    if (info.depth_step_um == 0 && info.depth_min_um != info.depth_max_um) {
        refuse("a depth step " + mm(0) + " for a depth range of " + mm(info.depth_min_um) + " to " +
               mm(info.depth_max_um) + "; the step must be above 0");
    }
    if (info.speed_min_chz > info.speed_max_chz) {
        refuse("a minimum speed " + hz(info.speed_min_chz) + " above its maximum speed " +
               hz(info.speed_max_chz));
    }
    if (info.speed_max_chz == 0) {
        refuse("a maximum speed " + hz(0) + "; it must be above 0 Hz");
    }
    if (info.watchdog_ms < kShortestWatchdogMs || info.watchdog_ms > kLongestWatchdogMs) {
        refuse("a watchdog " + whole(info.watchdog_ms, "ms") + " outside " +
               whole(kShortestWatchdogMs, "ms") + " to " + whole(kLongestWatchdogMs, "ms"));
    }
    if (info.max_status_rate_hz < 1) {
        refuse("a maximum status rate " + whole(info.max_status_rate_hz, "Hz") +
               "; it must be at least 1 Hz");
    }
    if (info.addons & protocol::kAddonRf) {
        require_ordered("RF frequency", whole(info.rf_frequency_min_khz, "kHz"),
                        whole(info.rf_frequency_max_khz, "kHz"),
                        info.rf_frequency_min_khz <= info.rf_frequency_max_khz);
        require_ordered("RF pulse", whole(info.rf_pulse_min_ms, "ms"),
                        whole(info.rf_pulse_max_ms, "ms"),
                        info.rf_pulse_min_ms <= info.rf_pulse_max_ms);
    }
    if (info.addons & protocol::kAddonLed) {
        if (info.led_channel_count > protocol::kMaxLedChannels) {
            refuse(std::to_string(info.led_channel_count) +
                   " LED channels; the protocol carries at most " +
                   std::to_string(protocol::kMaxLedChannels));
        }
        for (std::size_t i = 0; i < info.led_channel_count; ++i) {
            if (info.led_channels[i].wavelength_nm == 0) {
                refuse("LED channel " + std::to_string(i + 1) + " with a wavelength 0 nm; it " +
                       "must be above 0 nm");
            }
        }
        require_ordered("LED pulse rate", hz(info.led_pulse_rate_min_chz),
                        hz(info.led_pulse_rate_max_chz),
                        info.led_pulse_rate_min_chz <= info.led_pulse_rate_max_chz);
    }
}

DeviceInfo to_device_info(const protocol::Info& info, int protocol_version) {
    DeviceInfo out;
    out.model = info.model;
    out.serial_number = info.serial;
    out.firmware_version = std::to_string(info.fw_major) + "." + std::to_string(info.fw_minor) +
                           "." + std::to_string(info.fw_patch);
    out.protocol_version = protocol_version;
    return out;
}

Capabilities to_capabilities(const protocol::Info& info) {
    Capabilities caps;
    caps.depth_min_mm = info.depth_min_um / 1000.0;
    caps.depth_max_mm = info.depth_max_um / 1000.0;
    caps.depth_step_mm = info.depth_step_um / 1000.0;
    caps.speed_min_hz = info.speed_min_chz / 100.0;
    caps.speed_max_hz = info.speed_max_chz / 100.0;
    caps.watchdog_ms = info.watchdog_ms;
    caps.max_status_rate_hz = info.max_status_rate_hz;
    if (info.addons & protocol::kAddonRf) {
        caps.rf.fitted = true;
        caps.rf.frequency_min_khz = info.rf_frequency_min_khz;
        caps.rf.frequency_max_khz = info.rf_frequency_max_khz;
        caps.rf.power_max_w = info.rf_power_max_mw / 1000.0;
        caps.rf.pulse_min_ms = info.rf_pulse_min_ms;
        caps.rf.pulse_max_ms = info.rf_pulse_max_ms;
        caps.rf.monopolar = (info.rf_polarities & 0x01) != 0;
        caps.rf.bipolar = (info.rf_polarities & 0x02) != 0;
    }
    if (info.addons & protocol::kAddonLed) {
        caps.led.fitted = true;
        for (std::size_t i = 0; i < info.led_channel_count && i < info.led_channels.size(); ++i) {
            const auto& channel = info.led_channels[i];
            caps.led.channels.push_back(
                {channel.wavelength_nm, channel.max_irradiance_dmw_cm2 / 10.0});
        }
        caps.led.pulse_rate_min_hz = info.led_pulse_rate_min_chz / 100.0;
        caps.led.pulse_rate_max_hz = info.led_pulse_rate_max_chz / 100.0;
    }
    return caps;
}

void to_status(const protocol::Status& wire, Status& out) {
    out.sequence = wire.status_seq;
    out.device_time_ms = wire.timestamp_ms;
    out.state = static_cast<PenState>(wire.state);
    out.depth_set_mm = wire.depth_set_um / 1000.0;
    out.depth_actual_mm = wire.depth_actual_um / 1000.0;
    out.speed_set_hz = wire.speed_set_chz / 100.0;
    out.speed_actual_hz = wire.speed_actual_chz / 100.0;
    out.battery_percent = wire.battery_pct;
    out.temperature_c = wire.temperature_cdeg / 100.0;
    out.cartridge_id = wire.cartridge_id;
    out.cartridge_strokes = wire.cartridge_strokes;
    out.cartridge_stroke_limit = wire.cartridge_stroke_limit;
    out.rf_enabled = (wire.rf_flags & 0x01) != 0;
    out.rf_delivering = (wire.rf_flags & 0x02) != 0;
    out.rf_impedance_ohm = wire.rf_impedance_ohm;
    out.rf_energy_j = wire.rf_energy_mj / 1000.0;
    out.led_enabled = (wire.led_flags & 0x01) != 0;
    out.led_emitting = (wire.led_flags & 0x02) != 0;
    out.led_wavelength_nm = wire.led_wavelength_nm;
    out.led_dose_j_cm2 = wire.led_dose_uj_cm2 / 1e6;
    out.fault_bits = wire.fault_bits;
    const std::size_t readings = std::min<std::size_t>(wire.telemetry_count, out.telemetry.size());
    const std::size_t held = std::min<std::size_t>(
        static_cast<std::size_t>(std::max(0, out.telemetry_count)), out.telemetry.size());
    out.telemetry_count = static_cast<std::int32_t>(readings);
    for (std::size_t i = 0; i < readings; ++i) {
        out.telemetry[i] = {wire.telemetry[i].slot, wire.telemetry[i].channel,
                            wire.telemetry[i].raw};
    }
    // A frame without readings (most of a stream) writes none of the 192 bytes they take.
    for (std::size_t i = readings; i < held; ++i) out.telemetry[i] = {};
}

void copy_status(const protocol::Status& from, protocol::Status& to) {
    static_assert(std::is_trivially_copyable_v<protocol::Status> &&
                  std::is_standard_layout_v<protocol::Status>);
    constexpr std::size_t kHead = offsetof(protocol::Status, telemetry);
    static_assert(kHead + sizeof(protocol::Status::telemetry) == sizeof(protocol::Status),
                  "the readings are the last member of a wire Status");
    std::memcpy(static_cast<void*>(&to), &from, kHead);
    const std::size_t readings = std::min<std::size_t>(from.telemetry_count, to.telemetry.size());
    std::copy_n(from.telemetry.begin(), readings, to.telemetry.begin());
}

Event to_event(const protocol::Event& wire) {
    return Event{static_cast<EventKind>(wire.kind), wire.detail, wire.timestamp_ms};
}

PenSettings to_settings(const protocol::Settings& wire) {
    PenSettings out;
    out.state = static_cast<PenState>(wire.state);
    out.depth_set_mm = wire.depth_set_um / 1000.0;
    out.depth_limit_mm = wire.depth_limit_um / 1000.0;
    out.speed_set_hz = wire.speed_set_chz / 100.0;
    out.running = wire.running;
    out.rf.enabled = wire.rf.enabled;
    out.rf.polarity = static_cast<RfPolarity>(wire.rf.polarity);
    out.rf.frequency_khz = wire.rf.frequency_khz;
    out.rf.power_w = wire.rf.power_mw / 1000.0;
    out.rf.pulse_ms = wire.rf.pulse_ms;
    out.led.enabled = wire.led.enabled;
    out.led.wavelength_nm = wire.led.wavelength_nm;
    out.led.irradiance_mw_cm2 = wire.led.irradiance_dmw_cm2 / 10.0;
    out.led.pulsed = wire.led.mode == protocol::LedMode::Pulsed;
    out.led.pulse_rate_hz = wire.led.pulse_rate_chz / 100.0;
    out.led.duty_percent = wire.led.duty_permille / 10.0;
    out.status_rate_hz = wire.status_rate_hz;
    out.fault_bits = wire.fault_bits;
    return out;
}

}  // namespace penlink::core
