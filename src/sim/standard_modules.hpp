// The standard RF and LED modules penlink ships (modules/rf.json and the LED heads), compiled
// into the simulator from those same files. They are the one definition of the simulated
// pen's RF and LED: the built-in add-ons take their ranges from them, and `addons=modules`
// fits the files themselves as descriptor modules.
//
// Parsed once on first use; immutable afterwards, so safe from any thread.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "sim/module_definition.hpp"

namespace penlink::sim {

/// One file of modules/, as compiled in.
struct StandardModuleText {
    std::string_view file;  // e.g. "rf.json"
    std::string_view text;  // the file's exact bytes
};

/// Every file of modules/, in file-name order (generated: standard_modules.cpp.in).
const std::vector<StandardModuleText>& standard_module_texts();

/// The standard modules, parsed and checked.
struct StandardModules {
    std::shared_ptr<const ModuleDefinition> rf;                 // modules/rf.json
    std::vector<std::shared_ptr<const ModuleDefinition>> leds;  // one per LED head, by wavelength
};

/// The compiled-in files parsed once (a file that does not parse is a build defect and
/// throws InvalidArgumentError naming it).
const StandardModules& standard_modules();

}  // namespace penlink::sim
