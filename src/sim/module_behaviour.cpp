// The "simulation" section of a module descriptor: parsing with errors that name the field, and
// the per-tick models (first-order approach, integration, constant).
#include "sim/module_behaviour.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <sstream>

#include "penlink/errors.hpp"

namespace penlink::sim {
namespace {

namespace json = boost::json;

[[noreturn]] void refuse(const std::string& where, const std::string& why) {
    throw InvalidArgumentError(where + ": " + why);
}

std::string number_text(double value) {
    std::ostringstream text;
    text.precision(10);
    text << value;
    return text.str();
}

double number(const json::object& object, const std::string& where, const char* name,
              double fallback) {
    const json::value* value = object.if_contains(name);
    if (value == nullptr) return fallback;
    if (!value->is_number()) refuse(where, std::string(name) + " must be a number");
    const double number = value->to_number<double>();
    if (!std::isfinite(number)) refuse(where, std::string(name) + " must be finite");
    return number;
}

const json::string* text(const json::object& object, const std::string& where, const char* name) {
    const json::value* value = object.if_contains(name);
    if (value == nullptr) return nullptr;
    if (!value->is_string()) refuse(where, std::string(name) + " must be a string");
    return &value->get_string();
}

std::optional<std::size_t> parameter_index(const ModuleDescriptor& descriptor,
                                           const std::string& key) {
    for (std::size_t i = 0; i < descriptor.parameters.size(); ++i) {
        if (descriptor.parameters[i].key == key) return i;
    }
    return std::nullopt;
}

// A bool parameter of the module wins over a pen condition of the same name.
Condition parse_when(const ModuleDescriptor& descriptor, const std::string& where,
                     const std::string& name) {
    if (const auto index = parameter_index(descriptor, name)) {
        if (descriptor.parameters[*index].type != ParamType::Bool) {
            refuse(where, "when \"" + name + "\" is not a bool parameter");
        }
        return {Condition::Kind::Parameter, *index};
    }
    if (name == "needle_running") return {Condition::Kind::NeedleRunning, 0};
    if (name == "cartridge_fitted") return {Condition::Kind::CartridgeFitted, 0};
    if (name == "no_fault") return {Condition::Kind::NoFault, 0};
    refuse(where, "when \"" + name +
                      "\" is neither a bool parameter of the module nor needle_running, "
                      "cartridge_fitted or no_fault");
}

ChannelBehaviour parse_channel(const json::value& value, const std::string& where,
                               const ModuleDescriptor& descriptor, const TelemetrySpec& channel) {
    if (!value.is_object()) refuse(where, "must be a JSON object");
    const json::object& object = value.get_object();
    for (const auto& member : object) {
        static constexpr const char* kKnown[] = {"model", "source", "gain",  "offset",
                                                 "when",  "idle",   "tau_s", "initial"};
        if (std::none_of(std::begin(kKnown), std::end(kKnown),
                         [&](const char* known) { return member.key() == known; })) {
            refuse(where, "unknown field \"" + std::string(member.key()) + "\"");
        }
    }
    ChannelBehaviour behaviour;
    if (const json::string* model = text(object, where, "model")) {
        if (*model == "first_order") {
            behaviour.model = ChannelBehaviour::Model::FirstOrder;
        } else if (*model == "integrate") {
            behaviour.model = ChannelBehaviour::Model::Integrate;
        } else if (*model == "constant") {
            behaviour.model = ChannelBehaviour::Model::Constant;
        } else {
            refuse(where, "model \"" + std::string(*model) +
                              "\" is not first_order, integrate or constant");
        }
    }
    if (const json::string* source = text(object, where, "source")) {
        behaviour.source = parameter_index(descriptor, std::string(*source));
        if (!behaviour.source) {
            refuse(where,
                   "source \"" + std::string(*source) + "\" is not a parameter of the module");
        }
    }
    if (const json::string* when = text(object, where, "when")) {
        behaviour.when = parse_when(descriptor, where, std::string(*when));
    }
    behaviour.gain = number(object, where, "gain", 1.0);
    behaviour.offset = number(object, where, "offset", 0.0);
    behaviour.idle = number(object, where, "idle", 0.0);
    behaviour.tau_s = number(object, where, "tau_s", 1.0);
    if (!(behaviour.tau_s > 0.0)) {
        refuse(where, "tau_s " + number_text(behaviour.tau_s) + " must be > 0");
    }
    const double fallback = behaviour.model == ChannelBehaviour::Model::None
                                ? std::clamp(0.0, channel.min, channel.max)
                                : behaviour.idle;
    behaviour.initial = number(object, where, "initial", fallback);
    return behaviour;
}

}  // namespace

bool Condition::holds(const PenConditions& pen, std::span<const std::int32_t> raws) const {
    switch (kind) {
        case Kind::Always:
            return true;
        case Kind::NeedleRunning:
            return pen.needle_running;
        case Kind::CartridgeFitted:
            return pen.cartridge_fitted;
        case Kind::NoFault:
            return pen.no_fault;
        case Kind::Parameter:
            return parameter < raws.size() && raws[parameter] == 1;
    }
    return false;
}

void ModuleBehaviour::initial_values(std::span<double> values) const {
    for (std::size_t i = 0; i < values.size() && i < channels.size(); ++i) {
        values[i] = channels[i].model == ChannelBehaviour::Model::Constant ? channels[i].offset
                                                                           : channels[i].initial;
    }
}

void ModuleBehaviour::step(double dt_s, const ModuleDescriptor& descriptor,
                           std::span<const std::int32_t> raws, const PenConditions& pen,
                           std::span<double> values) const {
    for (std::size_t i = 0; i < values.size() && i < channels.size(); ++i) {
        const ChannelBehaviour& channel = channels[i];
        double source = 0.0;
        if (channel.source && *channel.source < raws.size()) {
            const ParamSpec& spec = descriptor.parameters[*channel.source];
            source = static_cast<double>(raws[*channel.source]) * spec.scale;
        }
        const bool active = channel.when.holds(pen, raws);
        const double input = channel.offset + channel.gain * source;
        switch (channel.model) {
            case ChannelBehaviour::Model::None:
                break;
            case ChannelBehaviour::Model::FirstOrder: {
                // Exact solution over dt, stable for any step length.
                const double target = active ? input : channel.idle;
                values[i] = target + (values[i] - target) * std::exp(-dt_s / channel.tau_s);
                break;
            }
            case ChannelBehaviour::Model::Integrate:
                if (active) values[i] += input * dt_s;
                break;
            case ChannelBehaviour::Model::Constant:
                values[i] = channel.offset;
                break;
        }
    }
}

ModuleBehaviour parse_module_behaviour(const std::string& text,
                                       const ModuleDescriptor& descriptor) {
    ModuleBehaviour behaviour;
    behaviour.channels.resize(descriptor.telemetry.size());
    for (std::size_t i = 0; i < descriptor.telemetry.size(); ++i) {
        const TelemetrySpec& channel = descriptor.telemetry[i];
        behaviour.channels[i].initial = std::clamp(0.0, channel.min, channel.max);
    }
    // The descriptor parser has already accepted the text as JSON.
    const json::value document = json::parse(text);
    const json::value* simulation = document.as_object().if_contains("simulation");
    if (simulation == nullptr) return behaviour;
    if (!simulation->is_object()) refuse("simulation", "must be a JSON object");
    for (const auto& member : simulation->get_object()) {
        if (member.key() != "telemetry") {
            refuse("simulation", "unknown field \"" + std::string(member.key()) + "\"");
        }
    }
    const json::value* telemetry = simulation->get_object().if_contains("telemetry");
    if (telemetry == nullptr) return behaviour;
    if (!telemetry->is_object()) refuse("simulation.telemetry", "must be a JSON object");
    for (const auto& member : telemetry->get_object()) {
        const std::string key(member.key());
        const std::string where = "simulation.telemetry." + key;
        std::size_t index = 0;
        while (index < descriptor.telemetry.size() && descriptor.telemetry[index].key != key) {
            ++index;
        }
        if (index == descriptor.telemetry.size()) {
            refuse(where, "the module has no telemetry channel \"" + key + "\"");
        }
        behaviour.channels[index] =
            parse_channel(member.value(), where, descriptor, descriptor.telemetry[index]);
    }
    return behaviour;
}

}  // namespace penlink::sim
