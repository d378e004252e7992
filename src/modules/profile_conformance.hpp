// Internal to src/modules: whether a parsed module descriptor keeps the standard profiles it
// claims (docs/modules.md, "Standard profiles"), and keeps out of the ids reserved for them.
#pragma once

#include "penlink/module_descriptor.hpp"

namespace penlink::modules {

/// Throws InvalidArgumentError naming the profile and the parameter or telemetry channel that
/// does not follow it, or the vendor parameter or channel that took a reserved id.
void check_profiles(const ModuleDescriptor& module);

}  // namespace penlink::modules
