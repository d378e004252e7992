// What a simulated pen is: identity, ranges, fitted add-ons, timing and injected faults.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"

namespace penlink::sim {

struct ModuleDefinition;  // sim/module_host.hpp

struct SimConfig {
    protocol::Info info;                // identity and ranges the pen reports
    std::uint32_t cartridge_id = 1001;  // 0 = start with no cartridge
    std::uint32_t cartridge_stroke_limit = 2'000'000;
    std::uint32_t tick_us = 1000;          // physics step
    double depth_travel_mm_per_s = 5.0;    // actuator speed
    double speed_ramp_hz_per_s = 400.0;    // motor ramp
    std::uint32_t fault_after_ms = 0;      // 0 = never; raise kFaultInjected after this
    std::uint32_t drop_link_after_ms = 0;  // 0 = never; ask the host link to drop
    std::uint32_t silent_after_ms = 0;     // 0 = never; stop answering (link stays up)
    double battery_pct = 100.0;
    // Added by the sim implementation (additive): thermal model and the seed of the
    // deterministic RF-impedance drift, so tests can provoke over-temperature and replay runs.
    double ambient_temperature_c = 25.0;
    double over_temperature_c = 50.0;  // latch kFaultOverTemperature above this
    std::uint64_t seed = 1;
    // Simulated environment and power (fault injection), see PenModel.
    double heating_c_per_s = 0.0;       // extra heat input
    double drain_pct_per_s = 0.0;       // extra battery drain
    bool charging = false;              // on the charger
    std::uint32_t reboot_after_ms = 0;  // 0 = never; power-cycle the pen after this
    // What the link carries, for a paced in-process link: 0 = unlimited. When set, Status
    // frames the link has no room for are dropped (status_seq still advances); replies and
    // events always go, and never wait behind Status.
    std::uint32_t link_bytes_per_s = 0;
    // Add-on modules fitted at power-on, slots 1..N in this order (load_module_file).
    std::vector<std::shared_ptr<const ModuleDefinition>> modules;
    /// false: the pen cannot store descriptors and reports descriptor_size 0 (the host then
    /// looks in a partner directory); ReadDescriptor is answered Nack NotSupported.
    bool module_store = true;
    // Authenticated sessions (docs/protocol.md section 16). key: the pen's key (none: the pen
    // cannot authenticate and runs Open). auth_mode: Required (the default for a pen with a
    // key) or Open. key_file: where a rotated key (ChangeKey) is saved; empty = kept in memory.
    std::optional<std::array<std::uint8_t, 32>> key;
    protocol::AuthMode auth_mode = protocol::AuthMode::Open;
    std::string key_file;
};

/// Defaults of a typical pen: 0.0-3.0 mm in 0.05 mm steps, 50-150 Hz, RF and LED fitted,
/// watchdog 500 ms, status up to 20 kHz.
SimConfig default_sim_config();

/// Applies key=value options (from a sim:// URL query or penlink-sim flags) over config:
/// model, serial, depth_max_mm, depth_min_mm, depth_step_mm, speed_min_hz, speed_max_hz,
/// addons (typed: the built-in RF/LED add-ons, the default; modules: the standard RF and LED
/// descriptor modules of modules/ instead, in the first slots), rf (0/1), led (0/1), watchdog_ms,
/// fault_after_ms, drop_link_after_ms, silent_after_ms, cartridge_id, stroke_limit, battery_pct;
/// also max_status_hz, tick_us, ambient_c, over_temperature_c, seed, heat_c_per_s, drain_pct_per_s,
/// charging (0/1), reboot_after_ms, link_bytes_per_s; module (descriptor files, comma-separated,
/// each loaded and checked and fitted after those already in config), module_store (0/1); key_file
/// (the pen's key file: its line for the pen's serial, or its only key), auth (require or open;
/// require is the default with a key and needs one). Throws penlink::InvalidArgumentError naming
/// the key and value on a bad option. (`isolated`, the thread a sim:// pen runs on, belongs to
/// the URL and is taken out by transport::InprocTransport before these are applied.)
void apply_sim_options(SimConfig& config, const std::map<std::string, std::string>& options);

}  // namespace penlink::sim
