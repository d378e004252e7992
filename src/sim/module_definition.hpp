// A module as a descriptor file defines it, loaded and checked once (descriptor and behaviour
// section) and then shared, immutable, by every simulated pen that fits it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "penlink/module_descriptor.hpp"
#include "sim/module_behaviour.hpp"

namespace penlink::sim {

/// What one descriptor file defines; immutable once loaded, shared by every pen that fits it.
struct ModuleDefinition {
    std::string origin;  // the file it came from, for messages
    std::string bytes;   // the descriptor's exact bytes, as ReadDescriptor serves them
    std::uint32_t crc = 0;
    ModuleDescriptor descriptor;
    ModuleBehaviour behaviour;
    std::vector<Condition> interlocks;   // one per descriptor interlock, same order
    std::vector<std::int32_t> defaults;  // each parameter's default raw value, by index
};

/// Parses and checks a descriptor and its "simulation" section. Throws InvalidArgumentError
/// naming origin and the bad field, e.g. `module file tip.json: simulation.telemetry.plate_c:
/// tau_s 0 must be > 0`.
std::shared_ptr<const ModuleDefinition> load_module_text(std::string text, std::string origin);
/// The same for a file; also refuses a file that cannot be read.
std::shared_ptr<const ModuleDefinition> load_module_file(const std::string& path);

}  // namespace penlink::sim
