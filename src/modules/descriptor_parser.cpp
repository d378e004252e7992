// parse_module_descriptor: JSON text -> ModuleDescriptor, refusing anything docs/modules.md does
// not allow with an error that names the field ("parameters[1] (\"setpoint_c\"): step 0 must be
// greater than 0"). The same parser serves the host (descriptors read from a pen or a partner
// directory) and penlink-sim (descriptor files), so both refuse the same files.
#include <boost/json.hpp>
#include <set>
#include <string>

#include "modules/descriptor_fields.hpp"
#include "modules/param_values.hpp"
#include "modules/profile_conformance.hpp"
#include "modules/units.hpp"
#include "penlink/errors.hpp"
#include "penlink/module_descriptor.hpp"
#include "protocol/messages.hpp"

namespace penlink {
namespace {

namespace json = boost::json;
using modules::Fields;
using modules::is_valid_key;
using modules::number_text;
using modules::quoted;
using modules::refuse;

constexpr std::size_t kMaxParameters = 64;
constexpr std::size_t kMaxChannels = 32;
constexpr std::size_t kMaxInterlocks = 16;
constexpr const char* kSchema = "penlink.module/1";

void require_exact(Fields& f, const char* what, double value, double scale) {
    if (!modules::raw_of(value, scale)) {
        refuse(f.where(), std::string(what) + " " + number_text(value) +
                              " is not a whole multiple of scale " + number_text(scale) +
                              " (or does not fit 32 bits)");
    }
}

std::string unit_of(Fields& f) {
    std::string unit = f.string("unit", false);
    if (!modules::is_known_unit(unit)) {
        refuse(f.where(),
               "unknown unit " + quoted(unit) + "; use one of " + modules::known_units_text());
    }
    return unit;
}

ParamType param_type(Fields& f) {
    const std::string type = f.string("type");
    if (type == "bool") return ParamType::Bool;
    if (type == "integer") return ParamType::Integer;
    if (type == "fixed") return ParamType::Fixed;
    if (type == "enum") return ParamType::Enum;
    refuse(f.where(), "type " + quoted(type) + " is not one of bool, integer, fixed, enum");
}

void parse_enum_labels(Fields& f, ParamSpec& p) {
    const json::array* labels = f.array("labels", true);
    if (labels->empty() || labels->size() > 32)
        refuse(f.where(), "\"labels\" needs 1 to 32 labels");
    std::set<std::string> seen;
    for (const auto& label : *labels) {
        if (!label.is_string() || !is_valid_key(std::string(label.get_string()))) {
            refuse(f.where(), "every label must be a string matching [a-z][a-z0-9_]{0,31}");
        }
        p.labels.emplace_back(label.get_string());
        if (!seen.insert(p.labels.back()).second) {
            refuse(f.where(), "label " + quoted(p.labels.back()) + " appears twice");
        }
    }
    p.min = 0;
    p.max = static_cast<double>(p.labels.size() - 1);
    const std::string fallback = f.string("default");
    const auto it = std::find(p.labels.begin(), p.labels.end(), fallback);
    if (it == p.labels.end()) refuse(f.where(), "default " + quoted(fallback) + " is not a label");
    p.default_value = static_cast<double>(it - p.labels.begin());
}

void parse_numeric_range(Fields& f, ParamSpec& p) {
    p.unit = unit_of(f);
    if (p.type == ParamType::Fixed) {
        p.scale = f.number("scale");
        if (!(p.scale > 0)) refuse(f.where(), "scale " + number_text(p.scale) + " must be > 0");
    } else if (f.has("scale")) {
        refuse(f.where(), "\"scale\" is only for type fixed");
    }
    p.min = f.number("min");
    p.max = f.number("max");
    if (p.min > p.max) {
        refuse(f.where(), "min " + number_text(p.min) + " > max " + number_text(p.max));
    }
    p.step = f.number("step", false, p.scale);
    if (!(p.step > 0)) refuse(f.where(), "step " + number_text(p.step) + " must be > 0");
    p.default_value = f.number("default");
    require_exact(f, "min", p.min, p.scale);
    require_exact(f, "max", p.max, p.scale);
    require_exact(f, "step", p.step, p.scale);
    require_exact(f, "default", p.default_value, p.scale);
    if (auto refusal = modules::check_raw(p, *modules::raw_of(p.default_value, p.scale))) {
        refuse(f.where(), "default " + number_text(p.default_value) +
                              " is outside min..max or "
                              "off the step grid");
    }
}

ParamSpec parse_parameter(const json::value& value, std::size_t index) {
    Fields f(value, "parameters[" + std::to_string(index) + "]");
    ParamSpec p;
    p.key = f.key("key");
    Fields named(value, f.where() + " (" + quoted(p.key) + ")");
    named.key("key");
    p.id = static_cast<std::uint16_t>(named.integer("id", 1, 0xFFFE));
    p.type = param_type(named);
    p.description = named.string("description", false);
    const std::string access = named.string("access", false, "read_write");
    if (access == "read") {
        p.access = ParamAccess::Read;
    } else if (access != "read_write") {
        refuse(named.where(), "access " + quoted(access) + " is not read or read_write");
    }
    const std::string safety = named.string("safety", false, "none");
    if (safety == "energy") {
        p.safety = SafetyClass::Energy;
    } else if (safety != "none") {
        refuse(named.where(), "safety " + quoted(safety) + " is not none or energy");
    }
    switch (p.type) {
        case ParamType::Bool: {
            const json::value* fallback = named.raw("default", true);
            if (!fallback->is_bool()) refuse(named.where(), "default must be true or false");
            p.min = 0;
            p.max = 1;
            p.default_value = fallback->get_bool() ? 1 : 0;
            if (!unit_of(named).empty()) refuse(named.where(), "a bool has no unit");
            break;
        }
        case ParamType::Enum:
            parse_enum_labels(named, p);
            if (!unit_of(named).empty()) refuse(named.where(), "an enum has no unit");
            break;
        case ParamType::Integer:
        case ParamType::Fixed:
            parse_numeric_range(named, p);
            break;
    }
    if (p.safety == SafetyClass::Energy && p.default_value != 0) {
        refuse(named.where(), "an energy parameter's default must be 0 (off), not " +
                                  number_text(p.default_value));
    }
    named.finish();
    return p;
}

TelemetrySpec parse_channel(const json::value& value, std::size_t index) {
    Fields f(value, "telemetry[" + std::to_string(index) + "]");
    TelemetrySpec t;
    t.key = f.key("key");
    Fields named(value, f.where() + " (" + quoted(t.key) + ")");
    named.key("key");
    t.id = static_cast<std::uint8_t>(named.integer("id", 1, 0xFF));
    t.unit = unit_of(named);
    t.scale = named.number("scale", false, 1.0);
    if (!(t.scale > 0)) refuse(named.where(), "scale " + number_text(t.scale) + " must be > 0");
    t.min = named.number("min");
    t.max = named.number("max");
    if (t.min > t.max) {
        refuse(named.where(), "min " + number_text(t.min) + " > max " + number_text(t.max));
    }
    require_exact(named, "min", t.min, t.scale);
    require_exact(named, "max", t.max, t.scale);
    t.has_alarm_low = named.has("alarm_low");
    t.alarm_low = named.number("alarm_low", false);
    t.has_alarm_high = named.has("alarm_high");
    t.alarm_high = named.number("alarm_high", false);
    if (t.has_alarm_low && t.has_alarm_high && t.alarm_low > t.alarm_high) {
        refuse(named.where(), "alarm_low " + number_text(t.alarm_low) + " > alarm_high " +
                                  number_text(t.alarm_high));
    }
    t.description = named.string("description", false);
    named.finish();
    return t;
}

InterlockSpec parse_interlock(const json::value& value, std::size_t index,
                              const ModuleDescriptor& module) {
    Fields f(value, "interlocks[" + std::to_string(index) + "]");
    InterlockSpec i;
    i.key = f.key("key");
    i.condition = f.string("condition");
    if (i.condition.rfind("param:", 0) == 0) {
        const ParamSpec* p = module.find_parameter(i.condition.substr(6));
        if (!p || p->type != ParamType::Bool) {
            refuse(f.where(), "condition " + quoted(i.condition) + " names no bool parameter");
        }
    } else if (i.condition != "needle_running" && i.condition != "cartridge_fitted" &&
               i.condition != "no_fault") {
        refuse(f.where(), "condition " + quoted(i.condition) +
                              " is not needle_running, cartridge_fitted, no_fault or param:KEY");
    }
    const json::array* guards = f.array("guards", true);
    if (guards->empty()) refuse(f.where(), "\"guards\" names no parameter");
    for (const auto& guard : *guards) {
        const std::string key = guard.is_string() ? std::string(guard.get_string()) : "";
        const ParamSpec* p = module.find_parameter(key);
        if (!p || p->access != ParamAccess::ReadWrite) {
            refuse(f.where(), "guard " + quoted(key) + " is not a writable parameter");
        }
        i.guards.push_back(key);
    }
    i.description = f.string("description", false);
    f.finish();
    return i;
}

template <typename Spec, typename Id>
void refuse_duplicates(const std::vector<Spec>& specs, const char* what, Id Spec::*id) {
    std::set<std::string> keys;
    std::set<Id> ids;
    for (const Spec& spec : specs) {
        if (!keys.insert(spec.key).second) {
            refuse(what, "key " + quoted(spec.key) + " appears twice");
        }
        if (!ids.insert(spec.*id).second) {
            refuse(what,
                   "id " + std::to_string(spec.*id) + " appears twice (" + quoted(spec.key) + ")");
        }
    }
}

ModuleDescriptor parse_document(const json::value& document) {
    Fields top(document, "");
    const std::string schema = top.string("schema");
    if (schema != kSchema) {
        refuse("schema", quoted(schema) + " is not " + quoted(kSchema));
    }
    ModuleDescriptor module;
    module.key = top.key("key");
    module.name = top.string("name");
    {
        Fields vendor(*top.raw("vendor", true), "vendor");
        module.vendor_id = static_cast<std::uint16_t>(vendor.integer("id", 1, 0xFFFF));
        module.vendor_name = vendor.string("name");
        vendor.finish();
        Fields model(*top.raw("model", true), "model");
        module.model_id = static_cast<std::uint16_t>(model.integer("id", 0, 0xFFFF));
        model.finish();
    }
    top.string("description", false);
    if (const json::array* profiles = top.array("profiles", false)) {
        for (const auto& name : *profiles) {
            if (!name.is_string()) refuse("profiles", "every profile must be a string");
            module.profiles.emplace_back(name.get_string());
        }
    }
    const json::array* parameters = top.array("parameters", true);
    if (parameters->size() > kMaxParameters) {
        refuse("parameters", std::to_string(parameters->size()) + " parameters, more than the " +
                                 std::to_string(kMaxParameters) + " allowed");
    }
    for (std::size_t i = 0; i < parameters->size(); ++i) {
        module.parameters.push_back(parse_parameter((*parameters)[i], i));
    }
    refuse_duplicates(module.parameters, "parameters", &ParamSpec::id);
    const json::array* telemetry = top.array("telemetry", false);
    if (telemetry && telemetry->size() > kMaxChannels) {
        refuse("telemetry", std::to_string(telemetry->size()) + " channels, more than the " +
                                std::to_string(kMaxChannels) + " allowed");
    }
    for (std::size_t i = 0; telemetry && i < telemetry->size(); ++i) {
        module.telemetry.push_back(parse_channel((*telemetry)[i], i));
    }
    refuse_duplicates(module.telemetry, "telemetry", &TelemetrySpec::id);
    const json::array* interlocks = top.array("interlocks", false);
    if (interlocks && interlocks->size() > kMaxInterlocks) {
        refuse("interlocks", "more than " + std::to_string(kMaxInterlocks) + " interlocks");
    }
    std::set<std::string> interlock_keys;
    for (std::size_t i = 0; interlocks && i < interlocks->size(); ++i) {
        module.interlocks.push_back(parse_interlock((*interlocks)[i], i, module));
        // An app explains a refusal by the interlock's key: two with one key could not be told
        // apart.
        if (!interlock_keys.insert(module.interlocks.back().key).second) {
            refuse("interlocks", "key " + quoted(module.interlocks.back().key) + " appears twice");
        }
    }
    // The simulator's behaviour model: checked by penlink-sim, ignored by hosts.
    if (const json::value* simulation = top.raw("simulation", false);
        simulation && !simulation->is_object()) {
        refuse("simulation", "must be a JSON object");
    }
    top.finish();
    modules::check_profiles(module);
    return module;
}

}  // namespace

ModuleDescriptor parse_module_descriptor(const std::string& text) {
    if (text.size() > protocol::kMaxDescriptorSize) {
        refuse("", "descriptor is " + std::to_string(text.size()) + " bytes, more than the " +
                       std::to_string(protocol::kMaxDescriptorSize) + " allowed");
    }
    boost::system::error_code error;
    json::parse_options options;
    options.max_depth = 16;
    const json::value document = json::parse(text, error, {}, options);
    if (error) refuse("", "not valid JSON: " + error.message());
    return parse_document(document);
}

}  // namespace penlink
