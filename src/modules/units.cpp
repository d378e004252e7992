#include "modules/units.hpp"

#include <array>

namespace penlink::modules {
namespace {

// Keep in the order of docs/modules.md's table; tests/modules checks the two agree.
constexpr std::array<std::string_view, 38> kUnits{
    "",       "%",         "mm",     "um",    "nm",  "s",    "ms", "us",    "Hz",     "kHz",
    "MHz",    "strokes/s", "W",      "mW",    "J",   "mJ",   "uJ", "W/cm2", "mW/cm2", "J/cm2",
    "mJ/cm2", "uJ/cm2",    "degC",   "K",     "ohm", "kohm", "V",  "mV",    "A",      "mA",
    "Pa",     "kPa",       "mL/min", "L/min", "rpm", "g",    "N",  "count",
};

}  // namespace

bool is_known_unit(std::string_view unit) {
    for (std::string_view known : kUnits) {
        if (known == unit) return true;
    }
    return false;
}

const char* known_units_text() {
    return "\"\" (none), %, mm, um, nm, s, ms, us, Hz, kHz, MHz, strokes/s, W, mW, J, mJ, uJ, "
           "W/cm2, mW/cm2, J/cm2, mJ/cm2, uJ/cm2, degC, K, ohm, kohm, V, mV, A, mA, Pa, kPa, "
           "mL/min, L/min, rpm, g, N, count";
}

}  // namespace penlink::modules
