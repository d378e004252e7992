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
    /// A depth of `micrometres` um.
    static constexpr Depth um(std::int32_t micrometres) { return Depth(micrometres); }
    /// A depth of `millimetres` mm, rounded to the micrometre.
    static constexpr Depth mm(double millimetres) {
        const double micrometres = millimetres * 1000.0;
        // Written so that NaN fails too; the bounds are those that round into an int32.
        if (!(micrometres > kLowestUm - 0.5 && micrometres < kHighestUm + 0.5)) {
            detail::refuse_unit_value("depth", millimetres, "mm", kLowestUm / 1000.0,
                                      kHighestUm / 1000.0, 3);
        }
        return Depth(static_cast<std::int32_t>(micrometres + (micrometres < 0 ? -0.5 : 0.5)));
    }
    /// The depth in whole micrometres.
    constexpr std::int32_t in_um() const { return um_; }
    /// The depth in millimetres.
    constexpr double in_mm() const { return um_ / 1000.0; }
    /// Equal when the micrometre counts are.
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
    /// A speed of `centihertz` hundredths of a stroke per second.
    static constexpr Speed chz(std::int32_t centihertz) { return Speed(centihertz); }
    /// A speed of `hertz` strokes per second, rounded to 0.01 Hz.
    static constexpr Speed hz(double hertz) {
        const double centihertz = hertz * 100.0;
        if (!(centihertz > kLowestChz - 0.5 && centihertz < kHighestChz + 0.5)) {
            detail::refuse_unit_value("speed", hertz, "Hz", kLowestChz / 100.0, kHighestChz / 100.0,
                                      2);
        }
        return Speed(static_cast<std::int32_t>(centihertz + (centihertz < 0 ? -0.5 : 0.5)));
    }
    /// The speed in centihertz.
    constexpr std::int32_t in_chz() const { return chz_; }
    /// The speed in strokes per second.
    constexpr double in_hz() const { return chz_ / 100.0; }
    /// Equal when the centihertz counts are.
    constexpr bool operator==(const Speed& other) const { return chz_ == other.chz_; }

private:
    static constexpr double kLowestChz = -2147483648.0;
    static constexpr double kHighestChz = 2147483647.0;
    constexpr explicit Speed(std::int32_t chz) : chz_(chz) {}
    std::int32_t chz_ = 0;
};

/// What the pen is doing (Status::state).
enum class PenState { Idle = 0, Running = 1, Paused = 2, Fault = 3, EmergencyStopped = 4 };
/// How RF energy flows: to a return pad (monopolar) or between needles (bipolar).
enum class RfPolarity { Monopolar = 0, Bipolar = 1 };
/// State of the link to the pen (Pen::connection_state).
enum class ConnectionState { Connecting = 0, Connected = 1, Lost = 2, Closed = 3 };
/// Severity of an SDK log line; Off silences the log (set_log_handler).
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
/// The state's name in lower case ("running").
PENLINK_EXPORT const char* to_string(PenState state) noexcept;
/// The state's name in lower case ("connected").
PENLINK_EXPORT const char* to_string(ConnectionState state) noexcept;
/// "monopolar" or "bipolar".
PENLINK_EXPORT const char* to_string(RfPolarity polarity) noexcept;
/// The level's name in lower case ("warning").
PENLINK_EXPORT const char* to_string(LogLevel level) noexcept;

/// RF energy settings (add-on, or a module of the "rf" profile: see Pen::set_rf_mode).
/// frequency 1000-2000 kHz typical. Setting a mode refuses (with
/// InvalidArgumentError) a power that is not a finite number and a polarity outside the enum.
struct RfMode {
    bool enabled = false;                       ///< true switches RF on with these settings
    RfPolarity polarity = RfPolarity::Bipolar;  ///< monopolar or bipolar, as the pen supports
    std::int32_t frequency_khz = 1000;          ///< RF frequency in kHz
    double power_w = 0.0;                       ///< RF power in watts
    std::int32_t pulse_ms = 100;                ///< RF pulse length in milliseconds
};

/// LED light settings (add-on, or a module of the "led" profile: see Pen::set_led_mode).
/// wavelength_nm picks a fitted channel or LED module (415, 633, 830 nm ...).
/// Setting a mode refuses (with InvalidArgumentError) any double that is not a finite number,
/// the pulse fields included when the light is continuous.
struct LedMode {
    bool enabled = false;              ///< true switches the LED on with these settings
    std::int32_t wavelength_nm = 633;  ///< picks the channel (or LED module) of this wavelength
    double irradiance_mw_cm2 = 0.0;    ///< light output in mW/cm2
    bool pulsed = false;               ///< true pulses at pulse_rate_hz, false is continuous light
    double pulse_rate_hz = 0.0;        ///< pulsed only
    double duty_percent = 50.0;        ///< pulsed only, (0, 100]
};

/// Who the pen is, read once at connect (Pen::info).
struct DeviceInfo {
    std::string model;                  ///< model name, e.g. "PL-SIM-1"
    std::string serial_number;          ///< the pen's serial number
    std::string firmware_version;       ///< "major.minor.patch"
    std::int32_t protocol_version = 0;  ///< the wire protocol version the session speaks
};

/// One LED channel the pen has.
struct LedChannel {
    std::int32_t wavelength_nm = 0;      ///< the channel's wavelength in nm
    double max_irradiance_mw_cm2 = 0.0;  ///< the most it emits, in mW/cm2
};

/// The built-in RF add-on. RF from a module of the "rf" profile is described by its
/// descriptor (Pen::module), not here: fitted stays false for it.
struct RfCapabilities {
    bool fitted = false;                 ///< false: no built-in RF add-on (the ranges are then 0)
    std::int32_t frequency_min_khz = 0;  ///< lowest RF frequency, kHz
    std::int32_t frequency_max_khz = 0;  ///< highest RF frequency, kHz
    double power_max_w = 0.0;            ///< highest RF power, W
    std::int32_t pulse_min_ms = 0;       ///< shortest RF pulse, ms
    std::int32_t pulse_max_ms = 0;       ///< longest RF pulse, ms
    bool monopolar = false;              ///< monopolar RF supported
    bool bipolar = false;                ///< bipolar RF supported
};

/// What the built-in LED add-on can do.
struct LedCapabilities {
    bool fitted = false;               ///< false: no built-in LED add-on
    std::vector<LedChannel> channels;  ///< the LED channels, one per wavelength
    double pulse_rate_min_hz = 0.0;    ///< slowest pulse rate, Hz
    double pulse_rate_max_hz = 0.0;    ///< fastest pulse rate, Hz
};

/// What the pen reported it can do; the SDK refuses anything outside these before sending.
struct Capabilities {
    double depth_min_mm = 0.0;     ///< shallowest needle depth, mm
    double depth_max_mm = 0.0;     ///< deepest needle depth, mm
    double depth_step_mm = 0.0;    ///< the depth grid: depths are multiples of this, mm
    double speed_min_hz = 0.0;     ///< slowest needle speed, strokes per second
    double speed_max_hz = 0.0;     ///< fastest needle speed, strokes per second
    std::int32_t watchdog_ms = 0;  ///< the pen stops the needle after this long without a message
    std::int32_t max_status_rate_hz = 0;  ///< highest status rate the pen streams
    RfCapabilities rf;                    ///< the built-in RF add-on
    LedCapabilities led;                  ///< the built-in LED add-on
};

/// One status frame from the pen. Trivially copyable.
/// One module telemetry reading as the pen sent it: value = raw * the channel's scale.
struct TelemetryReading {
    std::int32_t slot = 0;     ///< the module's slot
    std::int32_t channel = 0;  ///< the channel's id in the module's descriptor
    std::int32_t raw = 0;      ///< the reading as sent; times the channel's scale gives its unit
};
/// The most module telemetry readings one Status carries.
inline constexpr std::int32_t kMaxTelemetryReadings = 16;

/// One status frame from the pen. Trivially copyable; units are in the field names.
struct Status {
    std::uint32_t sequence = 0;                ///< pen's status counter; gaps are dropped frames
    std::uint32_t device_time_ms = 0;          ///< pen uptime
    PenState state = PenState::Idle;           ///< what the pen is doing
    double depth_set_mm = 0.0;                 ///< needle depth commanded, mm
    double depth_actual_mm = 0.0;              ///< needle depth measured, mm
    double speed_set_hz = 0.0;                 ///< needle speed commanded, Hz
    double speed_actual_hz = 0.0;              ///< needle speed measured, Hz
    std::int32_t battery_percent = 0;          ///< battery charge, 0-100
    double temperature_c = 0.0;                ///< handpiece temperature, degrees Celsius
    std::uint32_t cartridge_id = 0;            ///< 0 = no cartridge
    std::uint32_t cartridge_strokes = 0;       ///< strokes the fitted cartridge has made
    std::uint32_t cartridge_stroke_limit = 0;  ///< strokes the cartridge is good for
    /// The built-in RF and LED add-ons (Capabilities::rf/led fitted). RF or LED from a module
    /// of the "rf" or "led" profile reports in telemetry instead (channels delivering,
    /// impedance, energy; emitting, dose: Module::telemetry), and these stay 0.
    bool rf_enabled = false;
    bool rf_delivering = false;          ///< RF energy flowing now
    std::int32_t rf_impedance_ohm = 0;   ///< tissue impedance, ohms
    double rf_energy_j = 0.0;            ///< RF energy delivered this session, J
    bool led_enabled = false;            ///< the LED is switched on
    bool led_emitting = false;           ///< the LED is emitting now
    std::int32_t led_wavelength_nm = 0;  ///< wavelength of the LED channel in use, nm
    double led_dose_j_cm2 = 0.0;         ///< light dose delivered this session, J/cm2
    std::uint32_t fault_bits = 0;        ///< see Fault
    /// Module telemetry readings carried by this frame (telemetry_count of them, at most
    /// kMaxTelemetryReadings); Module::telemetry(status, key) gives one in its unit.
    std::int32_t telemetry_count = 0;
    std::array<TelemetryReading, kMaxTelemetryReadings>
        telemetry{};  ///< the readings; the first telemetry_count are valid
};

/// What an Event reports; Event::detail says more.
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
    EventKind kind = EventKind::ButtonPressed;  ///< what happened
    std::uint32_t detail = 0;  ///< fault bit index, cartridge id, button index or watchdog ms
    std::uint32_t device_time_ms = 0;  ///< the pen's uptime when it happened, ms
};

/// The pen's current set points, as read back with Pen::read_settings().
struct PenSettings {
    PenState state = PenState::Idle;  ///< what the pen is doing
    double depth_set_mm = 0.0;        ///< needle depth set point, mm
    double depth_limit_mm = 0.0;      ///< the session depth limit the pen enforces
    double speed_set_hz = 0.0;        ///< needle speed set point, Hz
    bool running = false;             ///< needle commanded to run
    /// The built-in add-ons' settings in force (enabled false when off); a profile module's
    /// are read with Pen::get_params.
    RfMode rf;
    LedMode led;                      ///< the built-in LED's mode in force
    std::int32_t status_rate_hz = 0;  ///< the status rate the pen streams at
    std::uint32_t fault_bits = 0;     ///< see Fault
};

/// What holds a status subscription below the rate it asked for.
enum class StatusRateLimit {
    None = 0,  ///< it gets what it asked for
    Link = 1,  ///< the link carries no more status (docs/protocol.md sections 11 and 15.3)
};
/// "none" or "link".
PENLINK_EXPORT const char* to_string(StatusRateLimit limit) noexcept;

/// The status rate a subscription asked for and the rate it gets (Subscription::status_rate()).
/// The granted rate follows the link: it can change when modules (telemetry values make Status
/// frames longer) or the link change, e.g. after a reconnect over BLE with another MTU.
struct StatusRate {
    std::int32_t requested_hz = 0;  ///< what subscribe_status() asked for, Hz
    std::int32_t granted_hz = 0;    ///< what this subscriber receives at most, Hz
    StatusRateLimit limited_by = StatusRateLimit::None;  ///< why granted_hz < requested_hz
    /// In words, e.g. "ble C0:FF:EE:00:00:01 carries about 16266 bytes/s; status may take 92%
    /// of it: 223 frames/s of 67 bytes"; empty when not limited.
    std::string reason;
};

/// A serial port found on this machine.
struct SerialPortInfo {
    std::string path;           ///< e.g. "/dev/ttyACM0"
    std::string description;    ///< OS or USB product description
    bool is_usb = false;        ///< a USB serial device (CDC ACM or a USB-serial adapter)
    std::int32_t usb_vid = 0;   ///< 0 if not USB
    std::int32_t usb_pid = 0;   ///< USB product id, 0 if not USB
    std::string manufacturer;   ///< USB manufacturer string, "" if unknown
    std::string product;        ///< USB product string, "" if unknown
    std::string serial_number;  ///< USB serial number, "" if unknown
};

}  // namespace penlink
