// libFuzzer harness: parse_module_descriptor, which reads descriptors a pen sends in chunks
// (untrusted bytes, up to 16384 of them) and files from partner directories.
//
// Input layout: the whole input is the descriptor text, as a pen would send it.
// The seeds (fuzz/corpus/fuzz_descriptor) are the example partner module and small variants,
// and fuzz/descriptor.dict holds the schema's words, so mutations stay close to valid JSON.
//
// Checked on every input, beyond "no crash, no sanitizer report, no leak, no hang":
//   - the parser either returns or throws InvalidArgumentError (any other exception escapes and
//     is a finding);
//   - what it accepts keeps every promise docs/modules.md makes: counts within the limits; keys
//     match [a-z][a-z0-9_]{0,31} and are unique, as are parameter and channel ids; min <= max,
//     step > 0, scale > 0; min, max, step and default are whole multiples of scale that fit an
//     i32; the default lies in range and on the grid; bool and enum ranges follow from their
//     type; an energy parameter defaults to 0; ids below the vendor ranges belong to a declared
//     profile; interlock guards name writable parameters;
//   - the same text parses the same way twice.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_support.hpp"
#include "modules/param_values.hpp"
#include "modules/profiles.hpp"
#include "modules/units.hpp"
#include "penlink/errors.hpp"
#include "penlink/module_descriptor.hpp"
#include "protocol/messages.hpp"

using namespace penlink;
using penlink::fuzz::check;

namespace {

bool is_valid_key(const std::string& key) {
    if (key.empty() || key.size() > 32 || key[0] < 'a' || key[0] > 'z') return false;
    for (char c : key) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

bool owned_by_profile(const ModuleDescriptor& module, const std::string& key, unsigned id,
                      bool parameter) {
    for (const std::string& name : module.profiles) {
        const modules::Profile* profile = modules::find_profile(name);
        check(profile != nullptr);  // an unknown profile is refused
        if (parameter) {
            for (const auto& p : profile->parameters) {
                if (p.key == key && p.id == id) return true;
            }
        } else {
            for (const auto& t : profile->telemetry) {
                if (t.key == key && t.id == id) return true;
            }
        }
    }
    return false;
}

void check_parameter(const ModuleDescriptor& module, const ParamSpec& p) {
    check(is_valid_key(p.key));
    check(p.id >= 1 && p.id <= 0xFFFE);
    check(p.id >= protocol::kFirstVendorParamId || owned_by_profile(module, p.key, p.id, true));
    check(modules::is_known_unit(p.unit));
    check(p.scale > 0);
    check(p.min <= p.max);
    check(p.step > 0);
    check(p.min <= p.default_value && p.default_value <= p.max);
    for (double exact : {p.min, p.max, p.step, p.default_value}) {
        check(modules::raw_of(exact, p.scale).has_value());
    }
    const modules::RawBounds raw = modules::raw_bounds(p);
    check(raw.min <= raw.max && raw.step >= 1);
    check(!modules::check_raw(p, raw.default_value).has_value());
    check(!modules::check_raw(p, raw.min).has_value());
    if (raw.step == 1) check(!modules::check_raw(p, raw.max).has_value());
    check(!modules::describe_raw(p, raw.default_value).empty());
    switch (p.type) {
        case ParamType::Bool:
            check(p.min == 0 && p.max == 1 && p.unit.empty() && p.scale == 1);
            break;
        case ParamType::Enum: {
            check(!p.labels.empty() && p.labels.size() <= 32 && p.unit.empty());
            check(p.min == 0 && p.max == static_cast<double>(p.labels.size() - 1));
            std::set<std::string> labels;
            for (const std::string& label : p.labels) {
                check(is_valid_key(label) && labels.insert(label).second);
            }
            break;
        }
        case ParamType::Integer:
            check(p.scale == 1);
            break;
        case ParamType::Fixed:
            break;
    }
    if (p.type != ParamType::Enum) check(p.labels.empty());
    if (p.safety == SafetyClass::Energy) check(p.default_value == 0);
}

void check_channel(const ModuleDescriptor& module, const TelemetrySpec& t) {
    check(is_valid_key(t.key));
    check(t.id >= 1);
    check(t.id >= protocol::kFirstVendorChannelId || owned_by_profile(module, t.key, t.id, false));
    check(modules::is_known_unit(t.unit));
    check(t.scale > 0 && t.min <= t.max);
    check(modules::raw_of(t.min, t.scale).has_value());
    check(modules::raw_of(t.max, t.scale).has_value());
    if (t.has_alarm_low && t.has_alarm_high) check(t.alarm_low <= t.alarm_high);
}

void check_interlock(const ModuleDescriptor& module, const InterlockSpec& i) {
    check(is_valid_key(i.key));
    if (i.condition.rfind("param:", 0) == 0) {
        const ParamSpec* p = module.find_parameter(i.condition.substr(6));
        check(p != nullptr && p->type == ParamType::Bool);
    } else {
        check(i.condition == "needle_running" || i.condition == "cartridge_fitted" ||
              i.condition == "no_fault");
    }
    check(!i.guards.empty());
    for (const std::string& guard : i.guards) {
        const ParamSpec* p = module.find_parameter(guard);
        check(p != nullptr && p->access == ParamAccess::ReadWrite);
    }
}

template <typename Spec>
void check_unique(const std::vector<Spec>& specs) {
    std::set<std::string> keys;
    std::set<unsigned> ids;
    for (const Spec& spec : specs) {
        check(keys.insert(spec.key).second);
        check(ids.insert(spec.id).second);
    }
}

void check_descriptor(const std::string& text, const ModuleDescriptor& module) {
    check(text.size() <= protocol::kMaxDescriptorSize);
    check(is_valid_key(module.key));
    check(module.vendor_id >= 1);
    check(module.parameters.size() <= 64);
    check(module.telemetry.size() <= 32);
    check(module.interlocks.size() <= 16);
    for (const std::string& profile : module.profiles) {
        check(module.has_profile(profile) && modules::find_profile(profile) != nullptr);
        // The facades rely on the profile's scales and labels (src/core/profile_facades.cpp).
        for (const auto& wanted : modules::find_profile(profile)->parameters) {
            const ParamSpec* p = module.find_parameter(std::string(wanted.key));
            check(p != nullptr && p->id == wanted.id && p->type == wanted.type);
            check(std::fabs(p->scale - wanted.scale) <= 1e-12 * wanted.scale);
            check(p->type != ParamType::Enum ||
                  std::equal(p->labels.begin(), p->labels.end(), wanted.labels.begin(),
                             wanted.labels.end()));
        }
    }
    check_unique(module.parameters);
    check_unique(module.telemetry);
    std::set<std::string> interlock_keys;
    for (const InterlockSpec& interlock : module.interlocks) {
        check(interlock_keys.insert(interlock.key).second);
        check_interlock(module, interlock);
    }
    for (const ParamSpec& p : module.parameters) {
        check_parameter(module, p);
        check(module.find_parameter(p.key) == &p && module.find_parameter(p.id) == &p);
    }
    for (const TelemetrySpec& t : module.telemetry) {
        check_channel(module, t);
        check(module.find_telemetry(t.key) == &t && module.find_telemetry(t.id) == &t);
    }
}

/// The parse as a comparable summary (ModuleDescriptor has no ==).
std::string summary(const ModuleDescriptor& m) {
    std::string out =
        m.key + '|' + m.name + '|' + std::to_string(m.vendor_id) + '|' + std::to_string(m.model_id);
    for (const ParamSpec& p : m.parameters) {
        out += '|' + p.key + ':' + std::to_string(p.id) + ':' + std::to_string(p.min) + ':' +
               std::to_string(p.max) + ':' + std::to_string(p.default_value);
    }
    for (const TelemetrySpec& t : m.telemetry) out += '|' + t.key + ':' + std::to_string(t.id);
    for (const InterlockSpec& i : m.interlocks) out += '|' + i.key + ':' + i.condition;
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    ModuleDescriptor module;
    try {
        module = parse_module_descriptor(text);
    } catch (const InvalidArgumentError& refused) {
        check(std::string(refused.what()).rfind("module descriptor: ", 0) == 0);
        return 0;
    }
    check_descriptor(text, module);
    check(summary(parse_module_descriptor(text)) == summary(module));
    return 0;
}
