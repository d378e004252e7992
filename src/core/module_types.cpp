// The public module value types (penlink/module.hpp): ParamValue and Module.
#include <cmath>

#include "core/limits.hpp"
#include "modules/param_values.hpp"
#include "penlink/errors.hpp"
#include "penlink/module.hpp"

namespace penlink {
namespace {

const char* kind_name(ParamValue::Kind kind) {
    switch (kind) {
        case ParamValue::Kind::Bool:
            return "a bool";
        case ParamValue::Kind::Number:
            return "a number";
        case ParamValue::Kind::Label:
            return "a label";
    }
    return "a value";
}

[[noreturn]] void wrong_kind(const ParamValue& value, ParamValue::Kind wanted) {
    throw InvalidArgumentError(std::string("the value ") + value.to_string() + " is " +
                               kind_name(value.kind()) + ", not " + kind_name(wanted));
}

}  // namespace

bool ParamValue::as_bool() const {
    if (kind_ != Kind::Bool) wrong_kind(*this, Kind::Bool);
    return number_ != 0.0;
}

double ParamValue::as_number() const {
    if (kind_ != Kind::Number) wrong_kind(*this, Kind::Number);
    return number_;
}

const std::string& ParamValue::as_label() const {
    if (kind_ != Kind::Label) wrong_kind(*this, Kind::Label);
    return label_;
}

std::string ParamValue::to_string() const {
    switch (kind_) {
        case Kind::Bool:
            return number_ != 0.0 ? "true" : "false";
        case Kind::Label:
            return "\"" + label_ + "\"";
        case Kind::Number:
            break;
    }
    return core::format_number(number_);
}

Module::Module(std::int32_t slot, std::uint16_t vendor_id, std::uint16_t model_id,
               std::string firmware_version, std::shared_ptr<const ModuleDescriptor> descriptor)
    : slot_(slot),
      vendor_id_(vendor_id),
      model_id_(model_id),
      firmware_version_(std::move(firmware_version)),
      descriptor_(std::move(descriptor)) {}

namespace {

const TelemetrySpec& channel_of(const Module& module, const std::string& key) {
    const TelemetrySpec* spec = module.descriptor().find_telemetry(key);
    if (!spec) {
        std::string keys;
        for (const auto& t : module.descriptor().telemetry) {
            keys += (keys.empty() ? "" : ", ") + t.key;
        }
        throw InvalidArgumentError("module " + module.key() + " has no telemetry channel \"" + key +
                                   "\" (it has: " + (keys.empty() ? "none" : keys) + ")");
    }
    return *spec;
}

}  // namespace

std::optional<double> Module::telemetry(const Status& status, const std::string& key) const {
    const TelemetrySpec& spec = channel_of(*this, key);
    const auto count = std::min<std::size_t>(
        static_cast<std::size_t>(std::max(0, status.telemetry_count)), status.telemetry.size());
    for (std::size_t i = 0; i < count; ++i) {
        const TelemetryReading& reading = status.telemetry[i];
        if (reading.slot == slot_ && reading.channel == spec.id) {
            return modules::value_of(reading.raw, spec.scale);
        }
    }
    return std::nullopt;
}

bool Module::telemetry_alarm(const Status& status, const std::string& key) const {
    const TelemetrySpec& spec = channel_of(*this, key);
    const auto value = telemetry(status, key);
    if (!value) return false;
    return (spec.has_alarm_low && *value < spec.alarm_low) ||
           (spec.has_alarm_high && *value > spec.alarm_high);
}

}  // namespace penlink
