// Which module, or which built-in add-on, a recipe's module settings reach, and whether their
// values are acceptable: shared by validation (with or without a pen) and the runner.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "penlink/module.hpp"
#include "penlink/treatment.hpp"
#include "penlink/types.hpp"

namespace penlink::treatment::detail {

/// Where a step's ModuleSettings go.
struct ModuleTarget {
    enum class Kind { Module, BuiltinRf, BuiltinLed };
    Kind kind = Kind::Module;
    std::string name;  ///< what Pen::set_params takes ("rf", "cooling@2"); "rf"/"led" built in
    std::shared_ptr<const ModuleDescriptor> descriptor;  ///< Module kind (and the profile's)
    std::int32_t slot = 1;                               ///< Module kind
};

/// The energy-class parameters of a descriptor ("enabled, power"); "" if none.
std::string energy_parameters(const ModuleDescriptor& descriptor);

/// Resolves key ("cooling", "cooling@2", or a profile "rf"/"led") against fitted modules,
/// then the built-in add-ons. nullopt with why set if nothing fits.
std::optional<ModuleTarget> resolve_on_pen(const std::string& key,
                                           const std::vector<Module>& fitted,
                                           const Capabilities& capabilities, std::string& why);
/// The same without a pen: descriptors by key, then by profile.
std::optional<ModuleTarget> resolve_offline(const std::string& key,
                                            const std::vector<ModuleDescriptor>& descriptors);

/// One problem with one value, for a Violation.
struct ValueProblem {
    std::string param;  ///< the parameter key, "" for the module as a whole
    std::string value, limit, unit, message;
};
/// Checks settings against the target's descriptor, and a built-in add-on's ranges
/// (capabilities, if given). Empty if all is well.
std::vector<ValueProblem> check_values(const ModuleTarget& target, const ModuleSettings& settings,
                                       const Capabilities* capabilities);

/// The typed modes a built-in add-on is driven with.
RfMode rf_mode_of(const ModuleSettings& settings);
LedMode led_mode_of(const ModuleSettings& settings);

/// validate() with what a pen reports (validation_pen.cpp passes it; the fuzzers need no Pen).
ValidationReport validate_with(const Recipe& recipe, const ValidationOptions& options,
                               std::optional<double> depth_limit_mm,
                               const Capabilities* capabilities,
                               const std::vector<Module>* modules);

/// The standard module of this key (built in from modules/*.json: "rf", "led", "led_blue",
/// "led_nir"), or nullptr.
std::shared_ptr<const ModuleDescriptor> standard_descriptor(const std::string& key);

}  // namespace penlink::treatment::detail
