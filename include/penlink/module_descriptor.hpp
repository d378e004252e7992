/// @file module_descriptor.hpp
/// @brief What an add-on module says about itself: its parameters, telemetry channels and
/// interlocks (docs/modules.md). A pen hands the descriptor over at connect; the SDK checks every
/// value against it before sending, so a partner's new module needs no new code in penlink.
///
/// Plain values, safe to copy and to read from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "penlink/export.h"

namespace penlink {

/// How a parameter's value is typed. On the wire every value is a 32-bit integer `raw`; the
/// value in the parameter's unit is raw * scale.
enum class ParamType {
    Bool = 0,     ///< raw 0 or 1
    Integer = 1,  ///< whole numbers in unit (scale 1)
    Fixed = 2,    ///< fixed point: value = raw * scale, e.g. scale 0.1 for tenths of a degree
    Enum = 3,     ///< raw is an index into labels
};

/// Who may do what with a parameter.
enum class ParamAccess {
    Read = 0,       ///< read only (set refuses it)
    ReadWrite = 1,  ///< read and set
};

/// How the SDK and the pen treat a parameter for safety.
enum class SafetyClass {
    None = 0,
    /// Delivers energy into tissue (like RF power or LED irradiance): refused unless at its
    /// default (off) value while the e-stop or a fault is latched, and returned to its default by
    /// the pen on e-stop, fault, end of session, closed link and watchdog expiry.
    Energy = 1,
};

/// One settable or readable value of a module.
struct ParamSpec {
    std::string key;       ///< stable name, e.g. "setpoint_c": [a-z][a-z0-9_]{0,31}
    std::uint16_t id = 0;  ///< wire id: below 0x8000 standard profiles, from 0x8000 vendor
    ParamType type =
        ParamType::Integer;  ///< how the value is typed (bool, integer, fixed point, enum)
    std::string unit;    ///< SI unit from docs/modules.md (e.g. "degC", "W", "mW/cm2"); "" = none
    double scale = 1.0;  ///< value = raw * scale (1 for Bool, Integer and Enum)
    double min = 0.0;    ///< lowest value, in unit
    double max = 0.0;    ///< highest value, in unit
    double step = 1.0;   ///< values lie on min + k * step
    double default_value = 0.0;       ///< in unit (an Enum's default is its label index)
    std::vector<std::string> labels;  ///< Enum: the label of each raw value 0..n-1
    ParamAccess access = ParamAccess::ReadWrite;  ///< read only, or settable
    SafetyClass safety =
        SafetyClass::None;    ///< Energy: returned to its default on e-stop, fault and closed link
    std::string description;  ///< one line for people, may be empty
};

/// One telemetry channel a module reports in every Status.
struct TelemetrySpec {
    std::string key;              ///< stable name, e.g. "plate_temperature_c"
    std::uint8_t id = 0;          ///< wire id: below 0x80 standard profiles, from 0x80 vendor
    std::string unit;             ///< SI unit of the value, "" = none
    double scale = 1.0;           ///< value = raw * scale
    double min = 0.0;             ///< the range the channel measures, in unit
    double max = 0.0;             ///< upper end of that range, in unit
    bool has_alarm_low = false;   ///< alarm_low applies
    double alarm_low = 0.0;       ///< below this the reading is an alarm (has_alarm_low)
    bool has_alarm_high = false;  ///< alarm_high applies
    double alarm_high = 0.0;      ///< above this the reading is an alarm (has_alarm_high)
    std::string description;      ///< one line for people, may be empty
};

/// A rule the pen enforces, stated so an app can explain a refusal (Nack InterlockActive).
struct InterlockSpec {
    std::string key;  ///< the rule's name, e.g. "rf_needs_needle"
    /// What must hold: "needle_running", "cartridge_fitted", "no_fault", or "param:KEY" (a Bool
    /// parameter of the same module is true).
    std::string condition;
    /// Parameters it guards: each may leave its default value only while the condition holds,
    /// and the pen returns it to its default when the condition stops holding.
    std::vector<std::string> guards;
    std::string description;  ///< e.g. "RF only while the needle runs"
};

/// A module's whole descriptor (docs/modules.md).
struct PENLINK_EXPORT ModuleDescriptor {
    std::string key;              ///< the module kind, e.g. "cooling"; apps find a module by it
    std::string name;             ///< for people, e.g. "CoolTip C1"
    std::uint16_t vendor_id = 0;  ///< the module maker's id
    std::string vendor_name;      ///< the module maker's name
    std::uint16_t model_id = 0;   ///< the maker's model id
    /// Standard profiles it implements ("rf", "led"): it then has every key the profile names.
    std::vector<std::string> profiles;
    std::vector<ParamSpec> parameters;      ///< what can be set or read
    std::vector<TelemetrySpec> telemetry;   ///< what it reports in every Status
    std::vector<InterlockSpec> interlocks;  ///< rules the pen enforces

    /// nullptr if there is none.
    const ParamSpec* find_parameter(const std::string& key) const;
    /// The parameter with wire id id, or nullptr.
    const ParamSpec* find_parameter(std::uint16_t id) const;
    /// The telemetry channel named key, or nullptr.
    const TelemetrySpec* find_telemetry(const std::string& key) const;
    /// The telemetry channel with wire id id, or nullptr.
    const TelemetrySpec* find_telemetry(std::uint8_t id) const;
    /// Whether it implements the standard profile ("rf", "led").
    bool has_profile(const std::string& profile) const;
};

/// Parses and checks a descriptor (JSON text, docs/modules.md). Throws InvalidArgumentError
/// naming the bad field and why, e.g. `parameters[2] ("setpoint_c"): min 30 > max 20`.
PENLINK_EXPORT ModuleDescriptor parse_module_descriptor(const std::string& json);

}  // namespace penlink
