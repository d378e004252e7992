/// @file types.hpp
/// @brief Values exchanged with a pen: units, modes, device info, capabilities, status, events.
/// Every field carries its unit in its name. All types are plain values, safe to copy.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "penlink/export.h"

namespace penlink {

#ifndef SWIG
namespace detail {
/// Refuses a value Depth::mm or Speed::hz cannot hold: InvalidArgumentError if it is not a
/// finite number ("depth nan mm is not a finite number"), else OutOfRangeError naming the
/// lowest or highest value the type holds, in unit.
[[noreturn]] PENLINK_EXPORT void refuse_unit_value(const char* what, double value, const char* unit,
                                                   double lowest, double highest, int decimals);
}  // namespace detail
#endif

/// A needle depth. Stored in whole micrometres; Depth::mm(1.25) == Depth::um(1250).
/// Depth::mm throws InvalidArgumentError for NaN or infinity and OutOfRangeError for a depth
/// beyond +-2147483.647 mm (what the micrometre count holds); usable in constant expressions.
class Depth {
public:
    constexpr Depth() = default;
    static constexpr Depth um(std::int32_t micrometres) { return Depth(micrometres); }
    static constexpr Depth mm(double millimetres) {
        const double micrometres = millimetres * 1000.0;
        // Written so that NaN fails too; the bounds are those that round into an int32.
        if (!(micrometres > kLowestUm - 0.5 && micrometres < kHighestUm + 0.5)) {
            detail::refuse_unit_value("depth", millimetres, "mm", kLowestUm / 1000.0,
                                      kHighestUm / 1000.0, 3);
        }
        return Depth(static_cast<std::int32_t>(micrometres + (micrometres < 0 ? -0.5 : 0.5)));
    }
    constexpr std::int32_t in_um() const { return um_; }
    constexpr double in_mm() const { return um_ / 1000.0; }
    constexpr bool operator==(const Depth& other) const { return um_ == other.um_; }

private:
    static constexpr double kLowestUm = -2147483648.0;
    static constexpr double kHighestUm = 2147483647.0;
    constexpr explicit Depth(std::int32_t um) : um_(um) {}
    std::int32_t um_ = 0;
};

/// A needle speed in strokes per second. Stored in centi-hertz; Speed::hz(100) ==
/// Speed::chz(10000). Speed::hz throws InvalidArgumentError for NaN or infinity and
/// OutOfRangeError beyond +-21474836.47 Hz; usable in constant expressions.
class Speed {
public:
    constexpr Speed() = default;
    static constexpr Speed chz(std::int32_t centihertz) { return Speed(centihertz); }
    static constexpr Speed hz(double hertz) {
        const double centihertz = hertz * 100.0;
        if (!(centihertz > kLowestChz - 0.5 && centihertz < kHighestChz + 0.5)) {
            detail::refuse_unit_value("speed", hertz, "Hz", kLowestChz / 100.0, kHighestChz / 100.0,
                                      2);
        }
        return Speed(static_cast<std::int32_t>(centihertz + (centihertz < 0 ? -0.5 : 0.5)));
    }
    constexpr std::int32_t in_chz() const { return chz_; }
    constexpr double in_hz() const { return chz_ / 100.0; }
    constexpr bool operator==(const Speed& other) const { return chz_ == other.chz_; }

private:
    static constexpr double kLowestChz = -2147483648.0;
    static constexpr double kHighestChz = 2147483647.0;
    constexpr explicit Speed(std::int32_t chz) : chz_(chz) {}
    std::int32_t chz_ = 0;
};

enum class PenState { Idle = 0, Running = 1, Paused = 2, Fault = 3, EmergencyStopped = 4 };
enum class RfPolarity { Monopolar = 0, Bipolar = 1 };
enum class ConnectionState { Connecting = 0, Connected = 1, Lost = 2, Closed = 3 };
enum class LogLevel { Trace = 0, Debug = 1, Info = 2, Warning = 3, Error = 4, Off = 5 };

/// Bits of Status::fault_bits.
enum Fault : std::uint32_t {
    FaultOverTemperature = 1u << 0,
    FaultBatteryCritical = 1u << 1,
    FaultCartridgeExhausted = 1u << 2,
    FaultCartridgeMissing = 1u << 3,
    FaultMotorStall = 1u << 4,
    FaultRfImpedance = 1u << 5,
    FaultWatchdog = 1u << 6,
    FaultEmergencyStop = 1u << 7,
    FaultInjected = 1u << 8,
    FaultDepthActuator = 1u << 9,
};

/// Names of the faults set in bits, comma separated ("over-temperature, watchdog"); "" if none.
PENLINK_EXPORT std::string describe_faults(std::uint32_t fault_bits);
PENLINK_EXPORT const char* to_string(PenState state) noexcept;
PENLINK_EXPORT const char* to_string(ConnectionState state) noexcept;
PENLINK_EXPORT const char* to_string(RfPolarity polarity) noexcept;
PENLINK_EXPORT const char* to_string(LogLevel level) noexcept;

/// RF energy settings (add-on, or a module of the "rf" profile: see Pen::set_rf_mode).
/// frequency 1000-2000 kHz typical. Setting a mode refuses (with
/// InvalidArgumentError) a power that is not a finite number and a polarity outside the enum.
struct RfMode {
    bool enabled = false;
    RfPolarity polarity = RfPolarity::Bipolar;
    std::int32_t frequency_khz = 1000;
    double power_w = 0.0;
    std::int32_t pulse_ms = 100;
};

/// LED light settings (add-on, or a module of the "led" profile: see Pen::set_led_mode).
/// wavelength_nm picks a fitted channel or LED module (415, 633, 830 nm ...).
/// Setting a mode refuses (with InvalidArgumentError) any double that is not a finite number,
/// the pulse fields included when the light is continuous.
struct LedMode {
    bool enabled = false;
    std::int32_t wavelength_nm = 633;
    double irradiance_mw_cm2 = 0.0;
    bool pulsed = false;
    double pulse_rate_hz = 0.0;  ///< pulsed only
    double duty_percent = 50.0;  ///< pulsed only, (0, 100]
};

struct DeviceInfo {
    std::string model;
    std::string serial_number;
    std::string firmware_version;  ///< "major.minor.patch"
    std::int32_t protocol_version = 0;
};

struct LedChannel {
    std::int32_t wavelength_nm = 0;
    double max_irradiance_mw_cm2 = 0.0;
};

/// The built-in RF add-on. RF from a module of the "rf" profile is described by its
/// descriptor (Pen::module), not here: fitted stays false for it.
struct RfCapabilities {
    bool fitted = false;
    std::int32_t frequency_min_khz = 0;
    std::int32_t frequency_max_khz = 0;
    double power_max_w = 0.0;
    std::int32_t pulse_min_ms = 0;
    std::int32_t pulse_max_ms = 0;
    bool monopolar = false;
    bool bipolar = false;
};

struct LedCapabilities {
    bool fitted = false;
    std::vector<LedChannel> channels;
    double pulse_rate_min_hz = 0.0;
    double pulse_rate_max_hz = 0.0;
};

/// What the pen reported it can do; the SDK refuses anything outside these before sending.
struct Capabilities {
    double depth_min_mm = 0.0;
    double depth_max_mm = 0.0;
    double depth_step_mm = 0.0;
    double speed_min_hz = 0.0;
    double speed_max_hz = 0.0;
    std::int32_t watchdog_ms = 0;
    std::int32_t max_status_rate_hz = 0;
    RfCapabilities rf;
    LedCapabilities led;
};

/// One status frame from the pen. Trivially copyable.
/// One module telemetry reading as the pen sent it: value = raw * the channel's scale.
struct TelemetryReading {
    std::int32_t slot = 0;     ///< the module's slot
    std::int32_t channel = 0;  ///< the channel's id in the module's descriptor
    std::int32_t raw = 0;
};
inline constexpr std::int32_t kMaxTelemetryReadings = 16;

struct Status {
    std::uint32_t sequence = 0;        ///< pen's status counter; gaps are dropped frames
    std::uint32_t device_time_ms = 0;  ///< pen uptime
    PenState state = PenState::Idle;
    double depth_set_mm = 0.0;
    double depth_actual_mm = 0.0;
    double speed_set_hz = 0.0;
    double speed_actual_hz = 0.0;
    std::int32_t battery_percent = 0;
    double temperature_c = 0.0;
    std::uint32_t cartridge_id = 0;  ///< 0 = no cartridge
    std::uint32_t cartridge_strokes = 0;
    std::uint32_t cartridge_stroke_limit = 0;
    /// The built-in RF and LED add-ons (Capabilities::rf/led fitted). RF or LED from a module
    /// of the "rf" or "led" profile reports in telemetry instead (channels delivering,
    /// impedance, energy; emitting, dose: Module::telemetry), and these stay 0.
    bool rf_enabled = false;
    bool rf_delivering = false;
    std::int32_t rf_impedance_ohm = 0;
    double rf_energy_j = 0.0;
    bool led_enabled = false;
    bool led_emitting = false;
    std::int32_t led_wavelength_nm = 0;
    double led_dose_j_cm2 = 0.0;
    std::uint32_t fault_bits = 0;  ///< see Fault
    /// Module telemetry readings carried by this frame (telemetry_count of them, at most
    /// kMaxTelemetryReadings); Module::telemetry(status, key) gives one in its unit.
    std::int32_t telemetry_count = 0;
    std::array<TelemetryReading, kMaxTelemetryReadings> telemetry{};
};

enum class EventKind {
    FaultRaised = 1,
    FaultCleared = 2,
    CartridgeInserted = 3,
    CartridgeRemoved = 4,
    ButtonPressed = 5,
    WatchdogExpired = 6,
    EmergencyStopped = 7,
    EmergencyCleared = 8,
    ModuleAttached = 9,   ///< detail = the slot; Pen::modules() reads the list again
    ModuleDetached = 10,  ///< detail = the slot
    /// The pen rejected frames in this authenticated session as forged, replayed or injected;
    /// detail = how many so far (the pen reports at most one such event per 100 ms).
    SecurityRejected = 11,
    /// penlink rejected a frame from the pen's link as forged, replayed or injected; detail =
    /// how many so far in this session. Pen::security_stats() tells which kind.
    FrameRejected = 12,
};

/// What the authenticated-session checks saw (Pen::security_stats()). Counts are per session:
/// they start again at a reconnect.
struct SecurityStats {
    bool authenticated = false;         ///< the session is authenticated
    std::uint64_t forged = 0;           ///< frames whose tag did not verify
    std::uint64_t replayed = 0;         ///< frames with a counter already used or too old
    std::uint64_t unauthenticated = 0;  ///< unsealed frames in an authenticated session, or
                                        ///< sealed ones outside one
    std::uint32_t rejected_by_pen = 0;  ///< what the pen last reported (SecurityRejected)
};

/// Something that happened on the pen.
struct Event {
    EventKind kind = EventKind::ButtonPressed;
    std::uint32_t detail = 0;  ///< fault bit index, cartridge id, button index or watchdog ms
    std::uint32_t device_time_ms = 0;
};

/// The pen's current set points, as read back with Pen::read_settings().
struct PenSettings {
    PenState state = PenState::Idle;
    double depth_set_mm = 0.0;
    double depth_limit_mm = 0.0;  ///< the session depth limit the pen enforces
    double speed_set_hz = 0.0;
    bool running = false;  ///< needle commanded to run
    /// The built-in add-ons' settings in force (enabled false when off); a profile module's
    /// are read with Pen::get_params.
    RfMode rf;
    LedMode led;
    std::int32_t status_rate_hz = 0;
    std::uint32_t fault_bits = 0;  ///< see Fault
};

/// A serial port found on this machine.
struct SerialPortInfo {
    std::string path;         ///< e.g. "/dev/ttyACM0"
    std::string description;  ///< OS or USB product description
    bool is_usb = false;
    std::int32_t usb_vid = 0;  ///< 0 if not USB
    std::int32_t usb_pid = 0;
    std::string manufacturer;
    std::string product;
    std::string serial_number;
};

}  // namespace penlink
