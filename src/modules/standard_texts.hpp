// The standard modules penlink ships (modules/*.json: the rf profile module and the LED heads),
// compiled in from those same files so neither the library nor the simulator needs a path to
// find them at run time, and the files stay the one definition (docs/modules.md, "Standard
// profiles"). Immutable; safe from any thread.
#pragma once

#include <string_view>
#include <vector>

namespace penlink::modules {

/// One file of modules/, as compiled in.
struct StandardModuleText {
    std::string_view file;  // e.g. "rf.json"
    std::string_view text;  // the file's exact bytes
};

/// Every file of modules/, in file-name order (generated: standard_texts.cpp.in).
const std::vector<StandardModuleText>& standard_module_texts();

}  // namespace penlink::modules
