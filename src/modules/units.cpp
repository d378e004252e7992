#include "modules/units.hpp"

#include <array>
#include <string>

namespace penlink::modules {
namespace {

// Keep in the order of docs/modules.md's table; tests/modules/test_docs_agree.cpp checks that the
// two list the same units.
constexpr std::array<std::string_view, 39> kUnits{
    "",       "%",         "mm",   "um",     "nm",    "s",    "ms", "us",    "Hz",     "kHz",
    "MHz",    "strokes/s", "W",    "mW",     "J",     "mJ",   "uJ", "W/cm2", "mW/cm2", "J/cm2",
    "mJ/cm2", "uJ/cm2",    "degC", "K",      "ohm",   "kohm", "V",  "mV",    "A",      "mA",
    "Pa",     "kPa",       "mL",   "mL/min", "L/min", "rpm",  "g",  "N",     "count",
};

}  // namespace

bool is_known_unit(std::string_view unit) {
    for (std::string_view known : kUnits) {
        if (known == unit) return true;
    }
    return false;
}

std::span<const std::string_view> known_units() { return kUnits; }

const char* known_units_text() {
    // Built from the list so an error message never names a unit the check refuses.
    static const std::string text = [] {
        std::string out = "\"\" (none)";
        for (std::string_view unit : kUnits) {
            if (!unit.empty()) out.append(", ").append(unit);
        }
        return out;
    }();
    return text.c_str();
}

}  // namespace penlink::modules
