// How a simulated module's telemetry responds to its parameters: the small declarative model a
// descriptor's optional "simulation" object states (tools/penlink-sim/README.md). Hosts ignore
// that object; only penlink-sim reads it, so a partner can see their telemetry move without
// writing code.
//
//   "simulation": { "telemetry": { "<channel key>": {
//       "model": "first_order" | "integrate" | "constant",
//       "source": "<parameter key>", "gain": 1, "offset": 0,
//       "when": "<bool parameter key>" | "needle_running" | "cartridge_fitted" | "no_fault",
//       "idle": 0, "tau_s": 1, "initial": <idle> } } }
//
// Plain values; stepping allocates nothing (it runs on every physics tick).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "penlink/module_descriptor.hpp"

namespace penlink::sim {

/// What the pen itself tells a module's interlocks and behaviour.
struct PenConditions {
    bool needle_running = false;
    bool cartridge_fitted = false;
    bool no_fault = true;  // no latched fault and no e-stop
};

/// A pen condition a behaviour or interlock can name, or a bool parameter of the module.
struct Condition {
    enum class Kind { Always, NeedleRunning, CartridgeFitted, NoFault, Parameter };
    Kind kind = Kind::Always;
    std::size_t parameter = 0;  // Kind::Parameter: index into the descriptor's parameters

    /// raws: the module's parameter values, by parameter index. A bool is true when raw is 1.
    bool holds(const PenConditions& pen, std::span<const std::int32_t> raws) const;
};

/// One channel's model.
struct ChannelBehaviour {
    enum class Model { None, FirstOrder, Integrate, Constant };
    Model model = Model::None;
    std::optional<std::size_t> source;  // parameter index; its value in its unit (bool 0/1)
    double gain = 1.0;
    double offset = 0.0;
    Condition when;
    double idle = 0.0;
    double tau_s = 1.0;
    double initial = 0.0;  // the value at power-on
};

/// One entry per telemetry channel of the descriptor, in its order.
struct ModuleBehaviour {
    std::vector<ChannelBehaviour> channels;

    /// Every channel's value at power-on.
    void initial_values(std::span<double> values) const;
    /// Advances values (one per channel) by dt_s of simulated time.
    void step(double dt_s, const ModuleDescriptor& descriptor, std::span<const std::int32_t> raws,
              const PenConditions& pen, std::span<double> values) const;
};

/// Reads and checks the "simulation" object of a descriptor's JSON text against the already
/// parsed descriptor. Throws InvalidArgumentError naming the field, e.g.
/// `simulation.telemetry.plate_c: tau_s 0 must be > 0`. No "simulation" object: every channel
/// stays at its initial value (0 clamped to its range).
ModuleBehaviour parse_module_behaviour(const std::string& json, const ModuleDescriptor& descriptor);

}  // namespace penlink::sim
