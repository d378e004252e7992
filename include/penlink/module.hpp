/// @file module.hpp
/// @brief Add-on modules fitted to a pen (RF, LED, a partner's cooling tip...), driven by key
/// through what each module's descriptor declares (docs/modules.md). A module no penlink source
/// knows works the same way as a built-in one.
///
/// Module and ParamValue are plain values, safe to copy and to use from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "penlink/export.h"
#include "penlink/module_descriptor.hpp"
#include "penlink/types.hpp"

namespace penlink {

/// A parameter's value as a person gives it: a bool, a number in the parameter's unit, or an
/// enum's label. Which one a parameter takes is its ParamSpec::type (Bool; Integer or Fixed;
/// Enum). Setting checks the kind, the range and the step before anything is sent.
class PENLINK_EXPORT ParamValue {
public:
    /// What a ParamValue holds.
    enum class Kind { Bool = 0, Number = 1, Label = 2 };

    ParamValue() = default;  ///< the number 0
    /// A boolean (ParamType::Bool).
    ParamValue(bool value) : kind_(Kind::Bool), number_(value ? 1.0 : 0.0) {}
    /// A number (Integer or Fixed parameters).
    ParamValue(int value) : number_(value) {}
    /// A number (Integer or Fixed parameters).
    ParamValue(double value) : number_(value) {}
    /// An Enum parameter's label; nullptr is "".
    ParamValue(const char* label) : kind_(Kind::Label), label_(label ? label : "") {}
    /// An Enum parameter's label.
    ParamValue(std::string label) : kind_(Kind::Label), label_(std::move(label)) {}

    /// Bool, Number or Label.
    Kind kind() const { return kind_; }
    /// Throws InvalidArgumentError if the value is of another kind.
    bool as_bool() const;
    /// The number (a Bool is 0 or 1); InvalidArgumentError for a Label.
    double as_number() const;
    /// The label; InvalidArgumentError unless kind() is Label.
    const std::string& as_label() const;
    /// "true", "12.5", "boost".
    std::string to_string() const;
    /// Same kind and value.
    bool operator==(const ParamValue& other) const {
        return kind_ == other.kind_ && number_ == other.number_ && label_ == other.label_;
    }
    /// Not operator==.
    bool operator!=(const ParamValue& other) const { return !(*this == other); }

private:
    Kind kind_ = Kind::Number;
    double number_ = 0.0;
    std::string label_;
};

/// A module fitted to the pen, as the pen reported it at connect or after an attach event.
class PENLINK_EXPORT Module {
public:
    /// Built by the SDK (Pen::modules()); applications receive modules, never make them.
    Module(std::int32_t slot, std::uint16_t vendor_id, std::uint16_t model_id,
           std::string firmware_version, std::shared_ptr<const ModuleDescriptor> descriptor);

    /// The pen's slot number (1..8). Slots tell apart two modules of the same key.
    std::int32_t slot() const { return slot_; }
    /// The descriptor's key, e.g. "cooling"; Pen::set_params() takes it (or "key@slot").
    const std::string& key() const { return descriptor_->key; }
    /// For people, e.g. "CoolTip C1" (the descriptor's name).
    const std::string& name() const { return descriptor_->name; }
    /// The module maker's id, as the pen reported it.
    std::uint16_t vendor_id() const { return vendor_id_; }
    /// The maker's model id, as the pen reported it.
    std::uint16_t model_id() const { return model_id_; }
    /// The module's firmware, "major.minor.patch".
    const std::string& firmware_version() const { return firmware_version_; }
    /// What the module declares: parameters, telemetry, interlocks.
    const ModuleDescriptor& descriptor() const { return *descriptor_; }

    /// The value of telemetry channel key in status, in the channel's unit; nullopt if the
    /// status carries no reading of it (streaming had not started, or the pen fills 16 values
    /// at most). Throws InvalidArgumentError if the module has no such channel.
    std::optional<double> telemetry(const Status& status, const std::string& key) const;
    /// True if a reading of channel key is beyond its alarm_low or alarm_high.
    bool telemetry_alarm(const Status& status, const std::string& key) const;

private:
    std::int32_t slot_;
    std::uint16_t vendor_id_;
    std::uint16_t model_id_;
    std::string firmware_version_;
    std::shared_ptr<const ModuleDescriptor> descriptor_;
};

/// One parameter to set: its key and its value.
struct ParamSetting {
    std::string key;   ///< the parameter's key in the module's descriptor
    ParamValue value;  ///< its value
};

}  // namespace penlink
