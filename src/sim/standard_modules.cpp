#include "sim/standard_modules.hpp"

#include <algorithm>
#include <string>

#include "modules/standard_texts.hpp"
#include "penlink/errors.hpp"

namespace penlink::sim {
namespace {

double wavelength_nm(const ModuleDefinition& head) {
    return head.descriptor.find_parameter("wavelength")->min;
}

StandardModules parse_standard_modules() {
    StandardModules modules;
    for (const modules::StandardModuleText& file : modules::standard_module_texts()) {
        auto definition =
            load_module_text(std::string(file.text), "modules/" + std::string(file.file));
        if (definition->descriptor.has_profile("rf")) {
            modules.rf = std::move(definition);
        } else if (definition->descriptor.has_profile("led")) {
            modules.leds.push_back(std::move(definition));
        }
    }
    if (!modules.rf || modules.leds.empty()) {
        throw InvalidArgumentError(
            "modules/: the simulator needs one rf and at least one led "
            "profile module compiled in");
    }
    std::sort(modules.leds.begin(), modules.leds.end(),
              [](const auto& a, const auto& b) { return wavelength_nm(*a) < wavelength_nm(*b); });
    return modules;
}

}  // namespace

const StandardModules& standard_modules() {
    static const StandardModules modules = parse_standard_modules();
    return modules;
}

}  // namespace penlink::sim
