// check_profiles: see profile_conformance.hpp.
#include "modules/profile_conformance.hpp"

#include <cmath>
#include <string>

#include "modules/descriptor_fields.hpp"
#include "modules/profiles.hpp"
#include "protocol/messages.hpp"

namespace penlink::modules {
namespace {

// The typed facades (set_rf_mode, set_led_mode) convert with the profile's scale and pick
// labels by name, and a pen's raw values must mean the same on every vendor's module: so the
// scale and the labels, in order, are the profile's too.
void check_profile_convention(const std::string& name, const ProfileParam& wanted,
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

}  // namespace

void check_profiles(const ModuleDescriptor& module) {
    for (const std::string& name : module.profiles) {
        const Profile* profile = find_profile(name);
        if (!profile) {
            refuse("profiles",
                   "unknown profile " + quoted(name) + "; known: " + known_profiles_text());
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
            for (const auto& wanted : find_profile(name)->parameters) {
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
            for (const auto& wanted : find_profile(name)->telemetry) {
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

}  // namespace penlink::modules
