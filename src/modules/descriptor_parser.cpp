// parse_module_descriptor: JSON text -> ModuleDescriptor, refusing anything docs/modules.md does
// not allow with an error that names the field ("parameters[1] (\"setpoint_c\"): step 0 must be
// greater than 0"). The same parser serves the host (descriptors read from a pen or a partner
// directory) and penlink-sim (descriptor files), so both refuse the same files.
#include <boost/json.hpp>
#include <cmath>
#include <set>
#include <sstream>
#include <string>

#include "modules/param_values.hpp"
#include "modules/profiles.hpp"
#include "modules/units.hpp"
#include "penlink/errors.hpp"
#include "penlink/module_descriptor.hpp"
#include "protocol/messages.hpp"

namespace penlink {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxParameters = 64;
constexpr std::size_t kMaxChannels = 32;
constexpr std::size_t kMaxInterlocks = 16;
constexpr const char* kSchema = "penlink.module/1";

[[noreturn]] void refuse(const std::string& where, const std::string& why) {
    throw InvalidArgumentError("module descriptor: " + (where.empty() ? "" : where + ": ") + why);
}

bool is_valid_key(const std::string& key) {
    if (key.empty() || key.size() > 32 || key[0] < 'a' || key[0] > 'z') return false;
    for (char c : key) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

// Reads the members of one JSON object, remembering which it used so that any other member
// (a typo such as "defualt") is refused instead of silently ignored.
class Fields {
public:
    Fields(const json::value& value, std::string where) : where_(std::move(where)) {
        if (!value.is_object()) refuse(where_, "must be a JSON object");
        object_ = &value.get_object();
    }

    const std::string& where() const { return where_; }
    bool has(const char* name) const { return object_->contains(name); }

    std::string string(const char* name, bool required = true, std::string fallback = "") {
        const json::value* v = take(name, required);
        if (!v) return fallback;
        if (!v->is_string()) refuse(where_, std::string("\"") + name + "\" must be a string");
        return std::string(v->get_string());
    }
    std::string key(const char* name) {
        std::string text = string(name);
        if (!is_valid_key(text)) {
            refuse(where_, std::string("\"") + name + "\" \"" + text +
                               "\" must match [a-z][a-z0-9_]{0,31}");
        }
        return text;
    }
    double number(const char* name, bool required = true, double fallback = 0.0) {
        const json::value* v = take(name, required);
        if (!v) return fallback;
        if (!v->is_number()) refuse(where_, std::string("\"") + name + "\" must be a number");
        const double d = v->to_number<double>();
        if (!std::isfinite(d)) refuse(where_, std::string("\"") + name + "\" must be finite");
        return d;
    }
    std::int64_t integer(const char* name, std::int64_t lowest, std::int64_t highest) {
        const json::value* v = take(name, true);
        if (!v->is_int64() && !v->is_uint64()) {
            refuse(where_, std::string("\"") + name + "\" must be a whole number");
        }
        const std::int64_t i =
            v->is_int64()
                ? v->get_int64()
                : static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
        if (i < lowest || i > highest) {
            refuse(where_, std::string("\"") + name + "\" " + std::to_string(i) + " is outside " +
                               std::to_string(lowest) + ".." + std::to_string(highest));
        }
        return i;
    }
    const json::array* array(const char* name, bool required) {
        const json::value* v = take(name, required);
        if (!v) return nullptr;
        if (!v->is_array()) refuse(where_, std::string("\"") + name + "\" must be an array");
        return &v->get_array();
    }
    const json::value* raw(const char* name, bool required) { return take(name, required); }

    /// Call last: refuses members nobody asked for.
    void finish() const {
        for (const auto& member : *object_) {
            if (used_.count(std::string(member.key())) == 0) {
                refuse(where_, "unknown field \"" + std::string(member.key()) + "\"");
            }
        }
    }

private:
    const json::value* take(const char* name, bool required) {
        used_.insert(name);
        const json::value* v = object_->if_contains(name);
        if (!v && required) refuse(where_, std::string("missing field \"") + name + "\"");
        return v;
    }

    const json::object* object_ = nullptr;
    std::string where_;
    std::set<std::string> used_;
};

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string number_text(double value) {
    std::ostringstream text;
    text.precision(10);
    text << value;
    return text.str();
}

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

// The typed facades (set_rf_mode, set_led_mode) convert with the profile's scale and pick
// labels by name, and a pen's raw values must mean the same on every vendor's module: so the
// scale and the labels, in order, are the profile's too.
void check_profile_convention(const std::string& name, const modules::ProfileParam& wanted,
                              const ParamSpec& p) {
    const std::string where = "profile " + quoted(name) + " parameter " + quoted(p.key);
    if (std::fabs(p.scale - wanted.scale) > 1e-12 * wanted.scale) {
        refuse("profiles", where + " needs scale " + number_text(wanted.scale) + ", not " +
                               number_text(p.scale));
    }
    if (wanted.type != ParamType::Enum) return;
    std::string labels;
    bool same = p.labels.size() == wanted.labels.size();
    for (std::size_t i = 0; i < wanted.labels.size(); ++i) {
        labels += (i ? ", " : "") + std::string(wanted.labels[i]);
        same = same && p.labels[i] == wanted.labels[i];
    }
    if (!same) refuse("profiles", where + " needs the labels " + labels + ", in that order");
}

void check_profiles(const ModuleDescriptor& module) {
    for (const std::string& name : module.profiles) {
        const modules::Profile* profile = modules::find_profile(name);
        if (!profile) {
            refuse("profiles", "unknown profile " + quoted(name) +
                                   "; known: " + modules::known_profiles_text());
        }
        for (const auto& wanted : profile->parameters) {
            const ParamSpec* p = module.find_parameter(std::string(wanted.key));
            if (!p || p->id != wanted.id || p->type != wanted.type || p->unit != wanted.unit) {
                refuse("profiles", "profile " + quoted(name) + " needs parameter " +
                                       quoted(std::string(wanted.key)) + " with id " +
                                       std::to_string(wanted.id) + ", its type and unit " +
                                       quoted(std::string(wanted.unit)));
            }
            check_profile_convention(name, wanted, *p);
        }
        for (const auto& wanted : profile->telemetry) {
            const TelemetrySpec* t = module.find_telemetry(std::string(wanted.key));
            if (!t || t->id != wanted.id || t->unit != wanted.unit) {
                refuse("profiles", "profile " + quoted(name) + " needs telemetry " +
                                       quoted(std::string(wanted.key)) + " with id " +
                                       std::to_string(wanted.id) + " and unit " +
                                       quoted(std::string(wanted.unit)));
            }
        }
    }
    // Ids below the vendor ranges are the profiles': a vendor id there would collide later.
    for (const ParamSpec& p : module.parameters) {
        if (p.id >= protocol::kFirstVendorParamId) continue;
        bool owned = false;
        for (const std::string& name : module.profiles) {
            for (const auto& wanted : modules::find_profile(name)->parameters) {
                owned = owned || (wanted.key == p.key && wanted.id == p.id);
            }
        }
        if (!owned) {
            refuse("parameter " + quoted(p.key),
                   "id " + std::to_string(p.id) +
                       " is reserved for standard profiles; vendor ids start at 0x8000 (32768)");
        }
    }
    for (const TelemetrySpec& t : module.telemetry) {
        if (t.id >= protocol::kFirstVendorChannelId) continue;
        bool owned = false;
        for (const std::string& name : module.profiles) {
            for (const auto& wanted : modules::find_profile(name)->telemetry) {
                owned = owned || (wanted.key == t.key && wanted.id == t.id);
            }
        }
        if (!owned) {
            refuse("telemetry " + quoted(t.key),
                   "id " + std::to_string(t.id) +
                       " is reserved for standard profiles; vendor ids start at 0x80 (128)");
        }
    }
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
    check_profiles(module);
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
