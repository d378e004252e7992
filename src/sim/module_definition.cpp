// Loading a descriptor file: the shared parser checks the descriptor, penlink-sim checks its
// behaviour section, and every error names the file.
#include "sim/module_definition.hpp"

#include <fstream>
#include <iterator>

#include "modules/param_values.hpp"
#include "penlink/errors.hpp"
#include "protocol/crc.hpp"

namespace penlink::sim {
namespace {

Condition interlock_condition(const ModuleDescriptor& descriptor, const std::string& condition) {
    if (condition == "needle_running") return {Condition::Kind::NeedleRunning, 0};
    if (condition == "cartridge_fitted") return {Condition::Kind::CartridgeFitted, 0};
    if (condition == "no_fault") return {Condition::Kind::NoFault, 0};
    // "param:KEY": the descriptor parser has checked that KEY is a bool parameter.
    const std::string key = condition.substr(condition.find(':') + 1);
    for (std::size_t i = 0; i < descriptor.parameters.size(); ++i) {
        if (descriptor.parameters[i].key == key) return {Condition::Kind::Parameter, i};
    }
    return {Condition::Kind::NoFault, 0};  // unreachable for a checked descriptor
}

}  // namespace

std::shared_ptr<const ModuleDefinition> load_module_text(std::string text, std::string origin) {
    auto definition = std::make_shared<ModuleDefinition>();
    try {
        definition->descriptor = parse_module_descriptor(text);
        definition->behaviour = parse_module_behaviour(text, definition->descriptor);
    } catch (const InvalidArgumentError& error) {
        throw InvalidArgumentError("module file " + origin + ": " + error.what());
    }
    if (text.size() > 0xFFFF) {  // ReadDescriptor offsets are u16 (the parser caps it lower)
        throw InvalidArgumentError("module file " + origin + ": descriptor too large");
    }
    for (const ParamSpec& spec : definition->descriptor.parameters) {
        definition->defaults.push_back(modules::raw_bounds(spec).default_value);
    }
    for (const InterlockSpec& interlock : definition->descriptor.interlocks) {
        definition->interlocks.push_back(
            interlock_condition(definition->descriptor, interlock.condition));
    }
    definition->crc =
        protocol::crc32({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    definition->bytes = std::move(text);
    definition->origin = std::move(origin);
    return definition;
}

std::shared_ptr<const ModuleDefinition> load_module_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw InvalidArgumentError("module file " + path + ": cannot be opened");
    std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    if (file.bad()) throw InvalidArgumentError("module file " + path + ": cannot be read");
    return load_module_text(std::move(text), path);
}

}  // namespace penlink::sim
