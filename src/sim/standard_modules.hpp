// The standard RF and LED modules penlink ships (modules/rf.json and the LED heads), compiled
// in from those same files (modules/standard_texts.hpp). They are the one definition of the
// simulated pen's RF and LED: the built-in add-ons take their ranges from them, and
// `addons=modules` fits the files themselves as descriptor modules.
//
// Parsed once on first use; immutable afterwards, so safe from any thread.
#pragma once

#include <memory>
#include <vector>

#include "sim/module_definition.hpp"

namespace penlink::sim {

/// The standard modules, parsed and checked.
struct StandardModules {
    std::shared_ptr<const ModuleDefinition> rf;                 // modules/rf.json
    std::vector<std::shared_ptr<const ModuleDefinition>> leds;  // one per LED head, by wavelength
};

/// The compiled-in files parsed once (a file that does not parse is a build defect and
/// throws InvalidArgumentError naming it).
const StandardModules& standard_modules();

}  // namespace penlink::sim
