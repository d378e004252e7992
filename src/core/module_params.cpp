#include "core/module_params.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/limits.hpp"
#include "core/nack.hpp"
#include "modules/param_values.hpp"
#include "protocol/messages.hpp"

namespace penlink::core {
namespace {

std::string name_of(const Module& module, const std::string& key) {
    return module.key() + "." + key;
}

std::string with_unit(double value, const std::string& unit) {
    return unit.empty() ? format_number(value) : format_number(value) + " " + unit;
}

std::string keys_of(const ModuleDescriptor& d) {
    std::string keys;
    for (const ParamSpec& p : d.parameters) keys += (keys.empty() ? "" : ", ") + p.key;
    return keys.empty() ? "none" : keys;
}

std::string labels_of(const ParamSpec& spec) {
    std::string labels;
    for (const std::string& l : spec.labels) labels += (labels.empty() ? "" : ", ") + l;
    return labels;
}

const ParamSpec& spec_for(const Module& module, const std::string& key) {
    const ParamSpec* spec = module.descriptor().find_parameter(key);
    if (!spec) {
        throw InvalidArgumentError("module " + module.key() + " has no parameter \"" + key +
                                   "\" (it has: " + keys_of(module.descriptor()) + ")");
    }
    return *spec;
}

// The raw wire value of value for spec, or the typed error a person can act on.
std::int32_t raw_for(const Module& module, const ParamSpec& spec, const ParamValue& value) {
    const std::string name = name_of(module, spec.key);
    using Kind = ParamValue::Kind;
    switch (spec.type) {
        case ParamType::Bool:
            if (value.kind() != Kind::Bool) {
                throw InvalidArgumentError(name + " takes true or false, not " + value.to_string());
            }
            return value.as_bool() ? 1 : 0;
        case ParamType::Enum: {
            if (value.kind() != Kind::Label) {
                throw InvalidArgumentError(name + " takes one of " + labels_of(spec) + ", not " +
                                           value.to_string());
            }
            const auto it = std::find(spec.labels.begin(), spec.labels.end(), value.as_label());
            if (it == spec.labels.end()) {
                throw InvalidArgumentError(name + " takes one of " + labels_of(spec) + ", not \"" +
                                           value.as_label() + "\"");
            }
            return static_cast<std::int32_t>(it - spec.labels.begin());
        }
        case ParamType::Integer:
        case ParamType::Fixed:
            break;
    }
    if (value.kind() != Kind::Number) {
        throw InvalidArgumentError(name + " takes a number in " +
                                   (spec.unit.empty() ? std::string("no unit") : spec.unit) +
                                   ", not " + value.to_string());
    }
    const double number = value.as_number();
    if (!std::isfinite(number)) {
        throw InvalidArgumentError(name + " " + format_number(number) + " is not a finite number");
    }
    if (number < spec.min) {
        throw OutOfRangeError(name + " " + with_unit(number, spec.unit) +
                                  " is below the module's minimum of " +
                                  with_unit(spec.min, spec.unit),
                              number, spec.min, spec.unit);
    }
    if (number > spec.max) {
        throw OutOfRangeError(name + " " + with_unit(number, spec.unit) +
                                  " exceeds the module's maximum of " +
                                  with_unit(spec.max, spec.unit),
                              number, spec.max, spec.unit);
    }
    const auto raw = modules::raw_of(number, spec.scale);
    if (!raw || modules::check_raw(spec, *raw)) {
        throw OutOfRangeError(name + " " + with_unit(number, spec.unit) + " is not on the " +
                                  with_unit(spec.step, spec.unit) + " grid from " +
                                  with_unit(spec.min, spec.unit),
                              number, spec.step, spec.unit);
    }
    return *raw;
}

}  // namespace

protocol::SetParams build_set_params(const Module& module,
                                     const std::vector<ParamSetting>& values) {
    if (values.empty()) {
        throw InvalidArgumentError("set_params on module " + module.key() + ": no parameter given");
    }
    if (values.size() > protocol::kMaxParamsPerMessage) {
        throw InvalidArgumentError("set_params on module " + module.key() + ": " +
                                   std::to_string(values.size()) +
                                   " parameters, more than the 16 one atomic set holds");
    }
    protocol::SetParams request;
    request.slot = static_cast<std::uint8_t>(module.slot());
    std::set<std::string> seen;
    for (const ParamSetting& setting : values) {
        const ParamSpec& spec = spec_for(module, setting.key);
        if (!seen.insert(setting.key).second) {
            throw InvalidArgumentError(name_of(module, setting.key) +
                                       " is given twice in one set_params");
        }
        if (spec.access != ParamAccess::ReadWrite) {
            throw NotSupportedError(name_of(module, setting.key) + " is read-only");
        }
        request.params[request.count++] = {spec.id, raw_for(module, spec, setting.value)};
    }
    return request;
}

protocol::GetParams build_get_params(const Module& module, const std::vector<std::string>& keys) {
    if (keys.size() > protocol::kMaxParamsPerMessage) {
        throw InvalidArgumentError("get_params on module " + module.key() +
                                   ": more than 16 keys in one request");
    }
    protocol::GetParams request;
    request.slot = static_cast<std::uint8_t>(module.slot());
    for (const std::string& key : keys) {
        request.ids[request.count++] = spec_for(module, key).id;
    }
    return request;
}

ParamValue value_of_raw(const ParamSpec& spec, std::int32_t raw) {
    switch (spec.type) {
        case ParamType::Bool:
            return ParamValue(raw != 0);
        case ParamType::Enum:
            if (raw >= 0 && static_cast<std::size_t>(raw) < spec.labels.size()) {
                return ParamValue(spec.labels[static_cast<std::size_t>(raw)]);
            }
            return ParamValue(static_cast<double>(raw));
        case ParamType::Integer:
        case ParamType::Fixed:
            break;
    }
    return ParamValue(modules::value_of(raw, spec.scale));
}

std::vector<ParamSetting> values_of(const Module& module, const protocol::Params& reply) {
    if (reply.slot != module.slot()) {
        throw RejectedError(ErrorCode::Protocol, "the pen answered GetParams for slot " +
                                                     std::to_string(reply.slot) + ", not " +
                                                     std::to_string(module.slot()));
    }
    std::vector<ParamSetting> values;
    for (std::size_t i = 0; i < reply.count; ++i) {
        const ParamSpec* spec = module.descriptor().find_parameter(reply.params[i].id);
        if (!spec) {
            throw RejectedError(ErrorCode::Protocol,
                                "the pen sent parameter id " + std::to_string(reply.params[i].id) +
                                    ", which module " + module.key() + "'s descriptor lacks");
        }
        values.push_back({spec->key, value_of_raw(*spec, reply.params[i].raw)});
    }
    return values;
}

Result explain_param_nack(const Module& module, const protocol::Nack& nack) {
    using protocol::LimitKind;
    using protocol::NackReason;
    Result result;
    const ParamSpec* spec = nack.field == protocol::Field::Parameter
                                ? module.descriptor().find_parameter(nack.param_id)
                                : nullptr;
    const std::string name = spec ? name_of(module, spec->key) : "module " + module.key();
    const std::string prefix =
        "pen refused " + std::string(protocol::to_string(nack.request)) + ": ";
    switch (nack.reason) {
        case NackReason::OutOfRange: {
            result.code = ErrorCode::OutOfRange;
            if (!spec) break;
            result.value = modules::value_of(nack.value, spec->scale);
            result.limit = modules::value_of(nack.limit, spec->scale);
            result.unit = spec->unit;
            const std::string value = name + " " + modules::describe_raw(*spec, nack.value);
            const std::string limit = with_unit(result.limit, spec->unit);
            result.message =
                prefix + value +
                (nack.limit_kind == LimitKind::Minimum   ? " is below the module's minimum of "
                 : nack.limit_kind == LimitKind::Maximum ? " exceeds the module's maximum of "
                 : nack.limit_kind == LimitKind::Step    ? " is off the module's grid of "
                                                         : " breaks the module's limit of ") +
                limit + "; nothing of the request was applied";
            return result;
        }
        case NackReason::InterlockActive: {
            result.code = ErrorCode::Rejected;
            const auto index = static_cast<std::size_t>(std::max(0, nack.limit));
            const auto& interlocks = module.descriptor().interlocks;
            const std::string why =
                index < interlocks.size()
                    ? "interlock " + interlocks[index].key + " (" +
                          (interlocks[index].description.empty() ? interlocks[index].condition
                                                                 : interlocks[index].description) +
                          ")"
                    : "an interlock";
            result.message = prefix + name + " " +
                             (spec ? modules::describe_raw(*spec, nack.value) : "") +
                             " is refused by " + why + "; nothing of the request was applied";
            return result;
        }
        default:
            break;
    }
    // Reasons that are not about the value (e-stop, fault, unknown id): the generic text, with
    // the parameter named.
    Result generic;
    generic.code = result.code != ErrorCode::Ok ? result.code : ErrorCode::Rejected;
    switch (nack.reason) {
        case NackReason::EmergencyStopped:
            generic.code = ErrorCode::EmergencyStopped;
            generic.message = prefix + name + ": the emergency stop is latched; clear it first";
            break;
        case NackReason::FaultActive:
            generic.code = ErrorCode::FaultActive;
            generic.message = prefix + name + ": a fault is latched on the pen; clear it first";
            break;
        case NackReason::NotSupported:
            generic.code = ErrorCode::NotSupported;
            generic.message = prefix + name + " is not supported by the pen (id " +
                              std::to_string(nack.param_id) + ", slot " +
                              std::to_string(nack.slot) + ")";
            break;
        default:
            return result_from_nack(nack);  // Superseded, NoSession, Busy...: as for any request
    }
    return generic;
}

}  // namespace penlink::core
