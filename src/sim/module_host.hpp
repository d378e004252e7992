// The simulated pen's fitted add-on modules (docs/modules.md), each defined by a descriptor file
// only: discovery (GetModules), the descriptor served in chunks (ReadDescriptor), atomic
// parameter sets and reads (SetParams, GetParams), interlocks, energy outputs that the pen's
// safety paths switch off, and telemetry that follows the descriptor's behaviour model.
//
// Slots are numbered 1..kMaxModules; modules loaded at start take 1..N in load order, an
// attached one the lowest free slot. Every module reports firmware 1.0.0.
//
// Not thread-safe (the PenModel's thread). Attaching and handling requests may allocate;
// stepping, the safety paths and filling a Status never do.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "penlink/module_descriptor.hpp"
#include "protocol/messages.hpp"
#include "sim/module_definition.hpp"

namespace penlink::sim {

/// One fitted module and its state.
struct FittedModule {
    std::uint8_t slot = 0;
    std::shared_ptr<const ModuleDefinition> definition;
    std::vector<std::int32_t> raws;  // by parameter index
    std::vector<double> telemetry;   // by channel index, in the channel's unit
    std::uint32_t corrupt_chunks = 0;

    const ModuleDescriptor& descriptor() const { return definition->descriptor; }
};

class ModuleHost {
public:
    /// store_descriptors false: a pen that cannot store descriptors (descriptor_size 0; the
    /// host looks in a partner directory).
    ModuleHost(const std::vector<std::shared_ptr<const ModuleDefinition>>& fitted,
               bool store_descriptors);

    /// Fits a module in the lowest free slot and returns the slot; nullopt if all are taken.
    std::optional<std::uint8_t> attach(std::shared_ptr<const ModuleDefinition> definition);
    /// Removes a module (its outputs go with it). False if the slot is empty.
    bool detach(std::uint8_t slot);
    /// The next `count` DescriptorChunk replies for slot carry one flipped byte. False if empty.
    bool corrupt_chunks(std::uint8_t slot, std::uint32_t count);

    // Requests: the reply to send (the caller has done the session, order and e-stop gates).
    protocol::Modules modules() const;
    protocol::Message read_descriptor(const protocol::ReadDescriptor& request);
    protocol::Message set_params(const protocol::SetParams& request, const PenConditions& pen,
                                 bool estop_latched, std::uint32_t latched_faults);
    protocol::Message get_params(const protocol::GetParams& request) const;
    /// True for a SetParams that only returns energy parameters to their defaults (off): like
    /// RF off, it is applied in every state.
    bool is_safing(const protocol::SetParams& request) const;

    // Safety.
    /// Every energy parameter back to its default (e-stop, fault, session end, watchdog).
    void energy_off();
    /// True while any energy parameter is away from its default (arms the watchdog).
    bool energy_active() const;
    /// Guarded parameters of interlocks that do not hold go back to their defaults.
    void enforce_interlocks(const PenConditions& pen);

    /// Advances every module's telemetry by dt_s (and enforces interlocks).
    void step(double dt_s, const PenConditions& pen);
    /// Appends telemetry to out (after out.telemetry_count entries already there): modules in
    /// slot order, channels in descriptor order. A Status carries at most
    /// protocol::kMaxTelemetryValues values; channels beyond that are left out of every Status
    /// (the first ones always fill it, so a host sees a stable set).
    void fill_telemetry(protocol::Status& out) const;
    /// A power cycle: parameters back to their defaults, telemetry back to its initial values,
    /// pending chunk corruption forgotten. The fitted modules stay (they are hardware).
    void power_cycle();

    // Inspection, for tests and the console.
    std::span<const FittedModule> fitted() const { return fitted_; }
    const FittedModule* find(std::uint8_t slot) const;
    /// The raw value of parameter key in slot, or nullopt.
    std::optional<std::int32_t> raw(std::uint8_t slot, const std::string& key) const;
    /// The current value of telemetry channel key in slot (unclamped), or nullopt.
    std::optional<double> telemetry(std::uint8_t slot, const std::string& key) const;

private:
    FittedModule* find_mutable(std::uint8_t slot);
    static void reset(FittedModule& module);

    std::vector<FittedModule> fitted_;  // ordered by slot
    bool store_descriptors_ = true;
};

/// A channel's wire value: round(value / scale), clamped to the channel's range.
std::int32_t telemetry_raw(const TelemetrySpec& channel, double value);

}  // namespace penlink::sim
