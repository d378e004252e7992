/// @file penlink_bind_modules.hpp
/// @brief Add-on modules (penlink/module.hpp) in a shape SWIG wraps the same way for every
/// language: plain structs and small classes instead of std::optional, std::shared_ptr and
/// vectors of types without a default constructor.
///
/// - ModuleInfo is penlink::Module as a plain value (slot, ids, firmware, descriptor copy).
/// - ParamList carries the (key, value) pairs of Pen::set_params and Pen::get_params.
/// - param_bool / param_number / param_label make a ParamValue without relying on overload
///   resolution, which differs between the host languages (Python's True is also an int).
/// - status_telemetry reads one reading of Status::telemetry (a std::array SWIG does not wrap).
///
/// Plain values, safe to copy and to use from any thread. Header-only like penlink_bind.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "penlink/penlink.hpp"

namespace penlink::bind {

/// A module fitted to the pen (see penlink::Module), copied out of the SDK.
struct ModuleInfo {
    std::int32_t slot = 0;  ///< 1..8; "key@slot" names this module in Pen calls
    std::uint16_t vendor_id = 0;
    std::uint16_t model_id = 0;
    std::string firmware_version;  ///< "major.minor.patch"
    ModuleDescriptor descriptor;   ///< key and name are descriptor.key and descriptor.name
};

/// Parameter values by key, in order: what Pen::set_params sends (all applied or none) and
/// what Pen::get_params returns.
class ParamList {
public:
    void add(const std::string& key, const ParamValue& value) { settings_.push_back({key, value}); }
    std::int32_t size() const { return static_cast<std::int32_t>(settings_.size()); }
    /// Throws OutOfRangeError for an index outside [0, size()).
    const std::string& key(std::int32_t index) const { return at(index).key; }
    const ParamValue& value(std::int32_t index) const { return at(index).value; }

#ifndef SWIG
    explicit ParamList(std::vector<ParamSetting> settings = {}) : settings_(std::move(settings)) {}
    const std::vector<ParamSetting>& settings() const { return settings_; }
#else
    ParamList();
#endif

private:
    const ParamSetting& at(std::int32_t index) const {
        if (index < 0 || index >= size()) {
            throw OutOfRangeError("parameter index " + std::to_string(index) +
                                      " is outside the list of " + std::to_string(size()),
                                  index, size() - 1, "");
        }
        return settings_[static_cast<std::size_t>(index)];
    }

    std::vector<ParamSetting> settings_;
};

inline ParamValue param_bool(bool value) { return ParamValue(value); }
inline ParamValue param_number(double value) { return ParamValue(value); }
inline ParamValue param_label(const std::string& label) { return ParamValue(label); }
/// ParamValue::Kind as its number (0 bool, 1 number, 2 label): nested enums wrap differently
/// in each language.
inline std::int32_t param_kind(const ParamValue& value) {
    return static_cast<std::int32_t>(value.kind());
}

/// Reading index (0 .. status.telemetry_count - 1) of status; throws OutOfRangeError beyond.
inline TelemetryReading status_telemetry(const Status& status, std::int32_t index) {
    if (index < 0 || index >= status.telemetry_count || index >= kMaxTelemetryReadings) {
        throw OutOfRangeError("telemetry index " + std::to_string(index) +
                                  " is outside the status's " +
                                  std::to_string(status.telemetry_count) + " readings",
                              index, status.telemetry_count - 1, "");
    }
    return status.telemetry[static_cast<std::size_t>(index)];
}

#ifndef SWIG
namespace detail {

inline ModuleInfo to_info(const Module& module) {
    return ModuleInfo{module.slot(), module.vendor_id(), module.model_id(),
                      module.firmware_version(), module.descriptor()};
}

inline std::vector<ModuleInfo> to_infos(const std::vector<Module>& modules) {
    std::vector<ModuleInfo> infos;
    infos.reserve(modules.size());
    for (const Module& module : modules) infos.push_back(to_info(module));
    return infos;
}

}  // namespace detail
#endif

}  // namespace penlink::bind
