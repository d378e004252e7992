#include "capi/convert.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <sstream>
#include <string>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/handles.hpp"
#include "capi/struct_versions.hpp"
#include "core/limits.hpp"

namespace penlink::capi {

static_assert(PL_MAX_TELEMETRY_READINGS == kMaxTelemetryReadings,
              "pl_status.telemetry holds what a Status carries");
static_assert(PL_THREADING_SHARED == static_cast<int>(Threading::Shared) &&
                  PL_THREADING_DEDICATED == static_cast<int>(Threading::Dedicated),
              "pl_threading numbers are penlink::Threading's");

namespace {

void check_non_negative(std::int32_t value, const char* field, const char* unit) {
    if (value < 0) {
        throw InvalidArgumentError(std::string("pl_connect_options.") + field + " " +
                                   std::to_string(value) + unit + " must not be negative");
    }
}

void copy_string(const std::string& text, char (&out)[PL_INFO_STRING_SIZE]) noexcept {
    const std::size_t length = std::min(text.size(), sizeof out - 1);
    std::memcpy(out, text.data(), length);
    out[length] = '\0';
}

using Task = std::function<void()>;

// The pl_task_run penlink hands a C executor: runs the task it owns, once, and frees it. The
// task is the dispatcher's drain, which already catches what a callback throws; the catch here
// only keeps anything else from unwinding into the app's C code.
void run_task(void* task) {
    const std::unique_ptr<Task> owned(static_cast<Task*>(task));
    try {
        (*owned)();
    } catch (const std::exception& error) {
        capi::log(LogLevel::Error,
                  (std::string("callback executor task failed: ") + error.what()).c_str());
    } catch (...) {
        capi::log(LogLevel::Error, "callback executor task failed");
    }
}

// A C executor as ConnectOptions::callback_executor: each task travels to the app as an owned
// pointer that run_task reclaims, so a task the app runs exactly once is freed exactly once.
std::function<void(Task)> app_executor(pl_callback_executor executor, void* payload) {
    return [executor, payload](Task task) {
        // A C function cannot throw, so the task is the app's from here; run_task frees it.
        executor(&run_task, std::make_unique<Task>(std::move(task)).release(), payload);
    };
}

}  // namespace

ConnectOptions to_cpp(const pl_connect_options& options) {
    require_known_version<pl_connect_options>(options.version, "pl_pen_connect");
    check_non_negative(options.connect_timeout_ms, "connect_timeout_ms", " ms");
    check_non_negative(options.command_timeout_ms, "command_timeout_ms", " ms");
    check_non_negative(options.command_retries, "command_retries", "");
    check_non_negative(options.heartbeat_interval_ms, "heartbeat_interval_ms", " ms");
    check_non_negative(options.link_timeout_ms, "link_timeout_ms", " ms");
    check_non_negative(options.idle_status_rate_hz, "idle_status_rate_hz", " Hz");
    if (options.callback_queue_capacity < 1) {
        throw InvalidArgumentError("pl_connect_options.callback_queue_capacity " +
                                   std::to_string(options.callback_queue_capacity) +
                                   " must be at least 1");
    }
    if (options.log_level != PL_LOG_UNCHANGED &&
        (options.log_level < PL_LOG_TRACE || options.log_level > PL_LOG_OFF)) {
        throw InvalidArgumentError(
            "pl_connect_options.log_level " + std::to_string(options.log_level) +
            " is outside PL_LOG_TRACE (0) to PL_LOG_OFF (5) and not PL_LOG_UNCHANGED (-1)");
    }
    ConnectOptions out;
    out.connect_timeout = std::chrono::milliseconds(options.connect_timeout_ms);
    out.command_timeout = std::chrono::milliseconds(options.command_timeout_ms);
    out.command_retries = options.command_retries;
    out.heartbeat_interval = std::chrono::milliseconds(options.heartbeat_interval_ms);
    out.link_timeout = std::chrono::milliseconds(options.link_timeout_ms);
    out.idle_status_rate_hz = options.idle_status_rate_hz;
    out.callback_queue_capacity = options.callback_queue_capacity;
    if (options.version >= 2 && options.module_paths != nullptr) {
        std::istringstream paths(options.module_paths);
        std::string directory;
        while (std::getline(paths, directory, ':')) {
            if (!directory.empty()) out.module_paths.push_back(directory);
        }
    }
    if (options.version >= 3) {
        if (options.keys != nullptr) {
            if (!is_live(options.keys, HandleKind::Keys)) {
                throw InvalidArgumentError(
                    "pl_pen_connect: options.keys is not a live pl_keys (freed, or never made "
                    "with pl_keys_new)");
            }
            out.keys = options.keys->keys;
        }
        out.require_authentication = options.require_authentication != 0;
    }
    if (options.version >= 4 && options.record_path != nullptr) {
        out.record_path = options.record_path;
    }
    if (options.version >= 5) {
        if (options.threading != PL_THREADING_SHARED &&
            options.threading != PL_THREADING_DEDICATED) {
            throw InvalidArgumentError("pl_connect_options.threading " +
                                       std::to_string(options.threading) +
                                       " is neither PL_THREADING_SHARED (0) nor "
                                       "PL_THREADING_DEDICATED (1)");
        }
        out.threading = static_cast<Threading>(options.threading);
        if (options.callback_executor != nullptr) {
            out.callback_executor =
                app_executor(options.callback_executor, options.callback_executor_payload);
        }
    }
    return out;
}

RfMode to_cpp(const pl_rf_mode& mode, const char* function) {
    require_known_version<pl_rf_mode>(mode.version, function);
    const int polarity = raw_enum(mode.polarity);
    if (polarity != PL_RF_MONOPOLAR && polarity != PL_RF_BIPOLAR) {
        throw InvalidArgumentError(std::string(function) + ": RF polarity " +
                                   std::to_string(polarity) +
                                   " is neither PL_RF_MONOPOLAR (0) nor PL_RF_BIPOLAR (1)");
    }
    RfMode out;
    out.enabled = mode.enabled != 0;
    out.polarity = static_cast<RfPolarity>(polarity);
    out.frequency_khz = mode.frequency_khz;
    out.power_w = mode.power_w;
    out.pulse_ms = mode.pulse_ms;
    core::check_mode_values(out);
    return out;
}

LedMode to_cpp(const pl_led_mode& mode, const char* function) {
    require_known_version<pl_led_mode>(mode.version, function);
    LedMode out;
    out.enabled = mode.enabled != 0;
    out.wavelength_nm = mode.wavelength_nm;
    out.irradiance_mw_cm2 = mode.irradiance_mw_cm2;
    out.pulsed = mode.pulsed != 0;
    out.pulse_rate_hz = mode.pulse_rate_hz;
    out.duty_percent = mode.duty_percent;
    core::check_mode_values(out);
    return out;
}

// Every to_c below writes field by field, never `out = pl_x{}`: a caller built against an older
// header allocated only the fields of its version (out.version, checked before). Version 1 of
// each struct is every field written here; a field added in version 2 is written only when
// out.version >= 2.

void to_c(const Status& status, pl_status& out) noexcept {
    out.sequence = status.sequence;
    out.device_time_ms = status.device_time_ms;
    out.state = static_cast<pl_pen_state>(status.state);
    out.depth_set_mm = status.depth_set_mm;
    out.depth_actual_mm = status.depth_actual_mm;
    out.speed_set_hz = status.speed_set_hz;
    out.speed_actual_hz = status.speed_actual_hz;
    out.battery_percent = status.battery_percent;
    out.temperature_c = status.temperature_c;
    out.cartridge_id = status.cartridge_id;
    out.cartridge_strokes = status.cartridge_strokes;
    out.cartridge_stroke_limit = status.cartridge_stroke_limit;
    out.rf_enabled = status.rf_enabled ? 1 : 0;
    out.rf_delivering = status.rf_delivering ? 1 : 0;
    out.rf_impedance_ohm = status.rf_impedance_ohm;
    out.rf_energy_j = status.rf_energy_j;
    out.led_enabled = status.led_enabled ? 1 : 0;
    out.led_emitting = status.led_emitting ? 1 : 0;
    out.led_wavelength_nm = status.led_wavelength_nm;
    out.led_dose_j_cm2 = status.led_dose_j_cm2;
    out.fault_bits = status.fault_bits;
    if (out.version < 2) return;
    const auto count =
        std::clamp<std::int32_t>(status.telemetry_count, 0, PL_MAX_TELEMETRY_READINGS);
    out.telemetry_count = count;
    for (std::size_t i = 0; i < PL_MAX_TELEMETRY_READINGS; ++i) {
        const bool used = i < static_cast<std::size_t>(count);
        out.telemetry[i].slot = used ? status.telemetry[i].slot : 0;
        out.telemetry[i].channel = used ? status.telemetry[i].channel : 0;
        out.telemetry[i].raw = used ? status.telemetry[i].raw : 0;
    }
}

void to_c(const Event& event, pl_event& out) noexcept {
    out.version = PL_EVENT_VERSION;  // only the library makes a pl_event
    out.kind = static_cast<pl_event_kind>(event.kind);
    out.detail = event.detail;
    out.device_time_ms = event.device_time_ms;
}

void to_c(const DeviceInfo& info, pl_device_info& out) noexcept {
    copy_string(info.model, out.model);
    copy_string(info.serial_number, out.serial_number);
    copy_string(info.firmware_version, out.firmware_version);
    out.protocol_version = info.protocol_version;
}

void to_c(const Capabilities& capabilities, pl_capabilities& out) noexcept {
    out.depth_min_mm = capabilities.depth_min_mm;
    out.depth_max_mm = capabilities.depth_max_mm;
    out.depth_step_mm = capabilities.depth_step_mm;
    out.speed_min_hz = capabilities.speed_min_hz;
    out.speed_max_hz = capabilities.speed_max_hz;
    out.watchdog_ms = capabilities.watchdog_ms;
    out.max_status_rate_hz = capabilities.max_status_rate_hz;
    const auto& rf = capabilities.rf;
    out.rf_fitted = rf.fitted ? 1 : 0;
    out.rf_frequency_min_khz = rf.frequency_min_khz;
    out.rf_frequency_max_khz = rf.frequency_max_khz;
    out.rf_power_max_w = rf.power_max_w;
    out.rf_pulse_min_ms = rf.pulse_min_ms;
    out.rf_pulse_max_ms = rf.pulse_max_ms;
    out.rf_monopolar = rf.monopolar ? 1 : 0;
    out.rf_bipolar = rf.bipolar ? 1 : 0;
    const auto& led = capabilities.led;
    out.led_fitted = led.fitted ? 1 : 0;
    // The protocol carries at most 4 channels, so PL_MAX_LED_CHANNELS never truncates today.
    out.led_channel_count = std::min<std::size_t>(led.channels.size(), PL_MAX_LED_CHANNELS);
    for (std::size_t i = 0; i < PL_MAX_LED_CHANNELS; ++i) {
        const bool used = i < out.led_channel_count;
        out.led_channels[i].wavelength_nm = used ? led.channels[i].wavelength_nm : 0;
        out.led_channels[i].max_irradiance_mw_cm2 =
            used ? led.channels[i].max_irradiance_mw_cm2 : 0.0;
    }
    out.led_pulse_rate_min_hz = led.pulse_rate_min_hz;
    out.led_pulse_rate_max_hz = led.pulse_rate_max_hz;
}

void to_c(const PenSettings& settings, pl_settings& out) noexcept {
    out.state = static_cast<pl_pen_state>(settings.state);
    out.depth_set_mm = settings.depth_set_mm;
    out.depth_limit_mm = settings.depth_limit_mm;
    out.speed_set_hz = settings.speed_set_hz;
    out.running = settings.running ? 1 : 0;
    out.rf_enabled = settings.rf.enabled ? 1 : 0;
    out.rf_polarity = static_cast<pl_rf_polarity>(settings.rf.polarity);
    out.rf_frequency_khz = settings.rf.frequency_khz;
    out.rf_power_w = settings.rf.power_w;
    out.rf_pulse_ms = settings.rf.pulse_ms;
    out.led_enabled = settings.led.enabled ? 1 : 0;
    out.led_wavelength_nm = settings.led.wavelength_nm;
    out.led_irradiance_mw_cm2 = settings.led.irradiance_mw_cm2;
    out.led_pulsed = settings.led.pulsed ? 1 : 0;
    out.led_pulse_rate_hz = settings.led.pulse_rate_hz;
    out.led_duty_percent = settings.led.duty_percent;
    out.status_rate_hz = settings.status_rate_hz;
    out.fault_bits = settings.fault_bits;
}

}  // namespace penlink::capi
