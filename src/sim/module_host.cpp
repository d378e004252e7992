// ModuleHost: the module requests and their refusals (each SetParams entry is checked in the
// order tools/penlink-sim/README.md lists), interlocks, energy safety and telemetry.
#include "sim/module_host.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "modules/param_values.hpp"

namespace penlink::sim {
namespace {

using protocol::Field;
using protocol::LimitKind;
using protocol::MessageType;
using protocol::NackReason;

protocol::Nack param_nack(NackReason reason, std::uint8_t slot, std::uint16_t param_id,
                          std::int32_t value, std::int32_t limit = 0,
                          LimitKind kind = LimitKind::None) {
    return protocol::Nack{
        MessageType::SetParams, reason, Field::Parameter, value, limit, kind, slot, param_id};
}

protocol::Nack slot_nack(MessageType request, std::uint8_t slot) {
    protocol::Nack nack{request, NackReason::NotSupported};
    nack.slot = slot;
    return nack;
}

std::optional<std::size_t> index_of(const ModuleDescriptor& descriptor, std::uint16_t id) {
    for (std::size_t i = 0; i < descriptor.parameters.size(); ++i) {
        if (descriptor.parameters[i].id == id) return i;
    }
    return std::nullopt;
}

bool guards(const InterlockSpec& interlock, const std::string& key) {
    return std::find(interlock.guards.begin(), interlock.guards.end(), key) !=
           interlock.guards.end();
}

}  // namespace

std::int32_t telemetry_raw(const TelemetrySpec& channel, double value) {
    const double low = std::ceil(channel.min / channel.scale - 1e-9);
    const double high = std::floor(channel.max / channel.scale + 1e-9);
    const double raw = std::isfinite(value) ? std::round(value / channel.scale) : low;
    return static_cast<std::int32_t>(std::clamp(raw, low, high));
}

ModuleHost::ModuleHost(const std::vector<std::shared_ptr<const ModuleDefinition>>& fitted,
                       bool store_descriptors)
    : store_descriptors_(store_descriptors) {
    for (const auto& definition : fitted) attach(definition);
}

std::optional<std::uint8_t> ModuleHost::attach(std::shared_ptr<const ModuleDefinition> definition) {
    if (fitted_.size() >= protocol::kMaxModules) return std::nullopt;
    std::uint8_t slot = 1;
    auto position = fitted_.begin();
    while (position != fitted_.end() && position->slot == slot) {
        ++slot;
        ++position;
    }
    FittedModule module;
    module.slot = slot;
    module.definition = std::move(definition);
    reset(module);
    fitted_.insert(position, std::move(module));
    return slot;
}

bool ModuleHost::detach(std::uint8_t slot) {
    const auto it = std::find_if(fitted_.begin(), fitted_.end(),
                                 [slot](const FittedModule& m) { return m.slot == slot; });
    if (it == fitted_.end()) return false;
    fitted_.erase(it);
    return true;
}

bool ModuleHost::corrupt_chunks(std::uint8_t slot, std::uint32_t count) {
    FittedModule* module = find_mutable(slot);
    if (module == nullptr) return false;
    module->corrupt_chunks = count;
    return true;
}

void ModuleHost::reset(FittedModule& module) {
    const ModuleDescriptor& descriptor = module.descriptor();
    module.raws = module.definition->defaults;
    module.telemetry.assign(descriptor.telemetry.size(), 0.0);
    module.definition->behaviour.initial_values(module.telemetry);
    module.corrupt_chunks = 0;
}

void ModuleHost::power_cycle() {
    for (FittedModule& module : fitted_) reset(module);
}

const FittedModule* ModuleHost::find(std::uint8_t slot) const {
    for (const FittedModule& module : fitted_) {
        if (module.slot == slot) return &module;
    }
    return nullptr;
}

FittedModule* ModuleHost::find_mutable(std::uint8_t slot) {
    return const_cast<FittedModule*>(std::as_const(*this).find(slot));
}

std::optional<std::int32_t> ModuleHost::raw(std::uint8_t slot, const std::string& key) const {
    const FittedModule* module = find(slot);
    if (module == nullptr) return std::nullopt;
    const auto& parameters = module->descriptor().parameters;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        if (parameters[i].key == key) return module->raws[i];
    }
    return std::nullopt;
}

std::optional<double> ModuleHost::telemetry(std::uint8_t slot, const std::string& key) const {
    const FittedModule* module = find(slot);
    if (module == nullptr) return std::nullopt;
    const auto& channels = module->descriptor().telemetry;
    for (std::size_t i = 0; i < channels.size(); ++i) {
        if (channels[i].key == key) return module->telemetry[i];
    }
    return std::nullopt;
}

protocol::Modules ModuleHost::modules() const {
    protocol::Modules out;
    for (const FittedModule& module : fitted_) {
        if (out.count == out.modules.size()) break;
        protocol::ModuleEntry& entry = out.modules[out.count++];
        entry.slot = module.slot;
        entry.vendor_id = module.descriptor().vendor_id;
        entry.model_id = module.descriptor().model_id;
        entry.fw_major = 1;
        entry.fw_minor = 0;
        entry.fw_patch = 0;
        entry.descriptor_size =
            store_descriptors_ ? static_cast<std::uint16_t>(module.definition->bytes.size()) : 0;
        entry.descriptor_crc = module.definition->crc;
    }
    return out;
}

protocol::Message ModuleHost::read_descriptor(const protocol::ReadDescriptor& request) {
    constexpr auto type = MessageType::ReadDescriptor;
    FittedModule* module = find_mutable(request.slot);
    // A pen that cannot store descriptors has none to serve: the host uses its partner directory.
    if (module == nullptr || !store_descriptors_) return slot_nack(type, request.slot);
    if (request.length == 0 || request.length > protocol::kMaxDescriptorChunk) {
        return protocol::Nack{type, NackReason::Malformed};
    }
    const std::string& bytes = module->definition->bytes;
    if (request.offset >= bytes.size()) {
        protocol::Nack nack{type,
                            NackReason::OutOfRange,
                            Field::None,
                            request.offset,
                            static_cast<std::int32_t>(bytes.size()),
                            LimitKind::Maximum};
        nack.slot = request.slot;
        return nack;
    }
    protocol::DescriptorChunk chunk;
    chunk.slot = request.slot;
    chunk.offset = request.offset;
    chunk.total_size = static_cast<std::uint16_t>(bytes.size());
    chunk.length = static_cast<std::uint8_t>(
        std::min<std::size_t>(request.length, bytes.size() - request.offset));
    std::copy_n(bytes.begin() + request.offset, chunk.length, chunk.bytes.begin());
    if (module->corrupt_chunks > 0) {
        --module->corrupt_chunks;
        chunk.bytes[chunk.length / 2] ^= 0x20;  // the frame's CRC is right; the content is not
    }
    return chunk;
}

bool ModuleHost::is_safing(const protocol::SetParams& request) const {
    const FittedModule* module = find(request.slot);
    if (module == nullptr || request.count == 0 || request.count > request.params.size()) {
        return false;
    }
    for (std::size_t i = 0; i < request.count; ++i) {
        const auto index = index_of(module->descriptor(), request.params[i].id);
        if (!index) return false;
        const ParamSpec& spec = module->descriptor().parameters[*index];
        if (spec.safety != SafetyClass::Energy || spec.access != ParamAccess::ReadWrite ||
            request.params[i].raw != module->definition->defaults[*index]) {
            return false;
        }
    }
    return true;
}

protocol::Message ModuleHost::set_params(const protocol::SetParams& request,
                                         const PenConditions& pen, bool estop_latched,
                                         std::uint32_t latched_faults) {
    constexpr auto type = MessageType::SetParams;
    FittedModule* module = find_mutable(request.slot);
    if (module == nullptr) return slot_nack(type, request.slot);
    if (request.count == 0 || request.count > request.params.size()) {
        return protocol::Nack{type, NackReason::Malformed};
    }
    const ModuleDescriptor& descriptor = module->descriptor();
    // The values as they would be if every entry applied: "param:KEY" interlocks judge those, so
    // one request may switch a module on together with what its switch guards.
    std::vector<std::int32_t> after = module->raws;
    for (std::size_t i = 0; i < request.count; ++i) {
        if (const auto index = index_of(descriptor, request.params[i].id)) {
            after[*index] = request.params[i].raw;
        }
    }
    for (std::size_t i = 0; i < request.count; ++i) {
        const protocol::ParamValue& entry = request.params[i];
        const auto refuse = [&](NackReason reason, std::int32_t limit = 0,
                                LimitKind kind = LimitKind::None) -> protocol::Message {
            return param_nack(reason, request.slot, entry.id, entry.raw, limit, kind);
        };
        const auto index = index_of(descriptor, entry.id);
        if (!index) return refuse(NackReason::NotSupported);
        const ParamSpec& spec = descriptor.parameters[*index];
        if (spec.access != ParamAccess::ReadWrite) return refuse(NackReason::NotSupported);
        for (std::size_t earlier = 0; earlier < i; ++earlier) {
            if (request.params[earlier].id == entry.id) return refuse(NackReason::Malformed);
        }
        if (const auto refusal = modules::check_raw(spec, entry.raw)) {
            return refuse(NackReason::OutOfRange, refusal->limit, refusal->kind);
        }
        const bool leaves_default = entry.raw != module->definition->defaults[*index];
        if (spec.safety == SafetyClass::Energy && leaves_default) {
            if (estop_latched) return refuse(NackReason::EmergencyStopped);
            if (latched_faults != 0) {
                return refuse(NackReason::FaultActive, static_cast<std::int32_t>(latched_faults),
                              LimitKind::FaultBits);
            }
        }
        if (leaves_default) {
            for (std::size_t k = 0; k < descriptor.interlocks.size(); ++k) {
                if (guards(descriptor.interlocks[k], spec.key) &&
                    !module->definition->interlocks[k].holds(pen, after)) {
                    return refuse(NackReason::InterlockActive, static_cast<std::int32_t>(k),
                                  LimitKind::Interlock);
                }
            }
        }
    }
    module->raws = std::move(after);
    enforce_interlocks(pen);
    return protocol::Ack{type};
}

protocol::Message ModuleHost::get_params(const protocol::GetParams& request) const {
    constexpr auto type = MessageType::GetParams;
    const FittedModule* module = find(request.slot);
    if (module == nullptr) return slot_nack(type, request.slot);
    const auto& parameters = module->descriptor().parameters;
    protocol::Params out;
    out.slot = request.slot;
    if (request.count == 0) {
        // Every parameter is readable (write-only does not exist); the first 16 fit one reply.
        for (std::size_t i = 0; i < parameters.size() && out.count < out.params.size(); ++i) {
            out.params[out.count++] = {parameters[i].id, module->raws[i]};
        }
        return out;
    }
    if (request.count > request.ids.size()) return protocol::Nack{type, NackReason::Malformed};
    for (std::size_t i = 0; i < request.count; ++i) {
        const auto index = index_of(module->descriptor(), request.ids[i]);
        if (!index) {
            protocol::Nack nack{type, NackReason::NotSupported, Field::Parameter};
            nack.slot = request.slot;
            nack.param_id = request.ids[i];
            return nack;
        }
        out.params[out.count++] = {request.ids[i], module->raws[*index]};
    }
    return out;
}

void ModuleHost::energy_off() {
    for (FittedModule& module : fitted_) {
        const auto& parameters = module.descriptor().parameters;
        for (std::size_t i = 0; i < parameters.size(); ++i) {
            if (parameters[i].safety == SafetyClass::Energy) {
                module.raws[i] = module.definition->defaults[i];
            }
        }
    }
}

bool ModuleHost::energy_active() const {
    for (const FittedModule& module : fitted_) {
        const auto& parameters = module.descriptor().parameters;
        for (std::size_t i = 0; i < parameters.size(); ++i) {
            if (parameters[i].safety == SafetyClass::Energy &&
                module.raws[i] != module.definition->defaults[i]) {
                return true;
            }
        }
    }
    return false;
}

void ModuleHost::enforce_interlocks(const PenConditions& pen) {
    for (FittedModule& module : fitted_) {
        const ModuleDescriptor& descriptor = module.descriptor();
        // A dropped parameter may be another interlock's condition: repeat until nothing moves
        // (each pass only returns values to defaults, so this ends).
        for (bool changed = true; changed;) {
            changed = false;
            for (std::size_t k = 0; k < descriptor.interlocks.size(); ++k) {
                if (module.definition->interlocks[k].holds(pen, module.raws)) continue;
                for (const std::string& key : descriptor.interlocks[k].guards) {
                    for (std::size_t i = 0; i < descriptor.parameters.size(); ++i) {
                        const std::int32_t fallback = module.definition->defaults[i];
                        if (descriptor.parameters[i].key != key || module.raws[i] == fallback) {
                            continue;
                        }
                        module.raws[i] = fallback;
                        changed = true;
                    }
                }
            }
        }
    }
}

void ModuleHost::step(double dt_s, const PenConditions& pen) {
    enforce_interlocks(pen);
    for (FittedModule& module : fitted_) {
        module.definition->behaviour.step(dt_s, module.descriptor(), module.raws, pen,
                                          module.telemetry);
    }
}

void ModuleHost::fill_telemetry(protocol::Status& out) const {
    for (const FittedModule& module : fitted_) {
        const auto& channels = module.descriptor().telemetry;
        for (std::size_t i = 0; i < channels.size(); ++i) {
            if (out.telemetry_count >= out.telemetry.size()) return;
            out.telemetry[out.telemetry_count++] = {
                module.slot, channels[i].id, telemetry_raw(channels[i], module.telemetry[i])};
        }
    }
}

}  // namespace penlink::sim
