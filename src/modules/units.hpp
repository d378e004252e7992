// The units a module descriptor may use (docs/modules.md, "Units"): a closed list, so "degc" or
// "mw/cm2" is caught when the descriptor is loaded instead of shown to a clinician.
#pragma once

#include <span>
#include <string_view>

namespace penlink::modules {

/// True for a unit in the list ("" means a plain number).
bool is_known_unit(std::string_view unit);

/// The whole list, in the order of docs/modules.md's table ("" first).
std::span<const std::string_view> known_units();

/// The list, comma-separated, for error messages.
const char* known_units_text();

}  // namespace penlink::modules
