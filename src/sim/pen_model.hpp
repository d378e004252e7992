// The simulated pen itself, without any I/O or clock: state machine, limits, request handling
// and physics. Time only moves when step() is called, so tests drive it exactly and the
// same inputs always give the same outputs (the RF-impedance drift is seeded).
//
// Not thread-safe; SimDevice calls it from its io_context thread only. Nothing here allocates
// per step or per status snapshot.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "protocol/messages.hpp"
#include "sim/module_host.hpp"
#include "sim/sim_config.hpp"

namespace penlink::sim {

/// Continuous quantities of the pen, in SI-ish units, exposed for tests and status.
struct PenPhysics {
    double depth_um = 0.0;         // actuator position
    double speed_hz = 0.0;         // actual motor speed
    double stroke_fraction = 0.0;  // strokes not yet counted (below 1)
    double battery_pct = 100.0;
    double temperature_c = 25.0;
    double rf_impedance_ohm = 300.0;
    double rf_energy_mj = 0.0;     // since power-on
    double led_dose_uj_cm2 = 0.0;  // since power-on
};

/// Fault bits that only a cleared cause may reset (everything except the e-stop bit).
inline constexpr std::uint32_t kLatchedFaultMask = ~(1u << protocol::kFaultEmergencyStop);

class PenModel {
public:
    explicit PenModel(const SimConfig& config);

    /// Applies one host request and returns what to answer: Ack, Nack, HelloReply, Info,
    /// Settings, Modules, DescriptorChunk or Params. Also feeds the watchdog (every valid host
    /// frame does). Outside a session only Hello and the safing requests are applied (else Nack
    /// NoSession); while e-stopped only those of protocol.md section 9, the module reads, and
    /// SetParams, whose own checks refuse energy parameters (else Nack EmergencyStopped).
    /// Sequence numbers (reply cache, supersession) are the device's business: see SimDevice
    /// and RequestOrder.
    protocol::Message handle(const protocol::Message& request);

    /// The HelloReply a Hello would get, without starting its session (a new session id drawn):
    /// a host must prove itself before it replaces a live authenticated session
    /// (docs/protocol.md section 16.6). Nack VersionMismatch like Hello.
    protocol::Message prospective_hello(const protocol::Hello& hello);
    /// Starts the session a prospective_hello() announced, as that Hello would have.
    void start_session(std::uint32_t session_id);

    /// Any valid frame from the host, including repeats answered from the reply memory.
    void feed_watchdog() { since_host_us_ = 0; }
    /// Microseconds since the host was last heard from.
    std::uint64_t since_host_us() const { return since_host_us_; }

    /// Advances time by dt_us: actuator, motor, strokes, battery, heat, RF, LED, watchdog.
    void step(std::uint32_t dt_us);

    /// True when nothing moves by itself: the needle is stopped and at rest and the depth is at
    /// its set point. Until next_self_change_us(), one step() over any span then gives what many
    /// short ones give (up to rounding; the RF impedance drift draws once from the same
    /// distribution), so SimDevice steps a resting pen only when something falls due.
    bool at_rest() const;
    /// Uptime at which a resting pen next changes by itself: the watchdog expires, the battery
    /// falls below critical, the temperature passes over_temperature_c. UINT64_MAX: never.
    std::uint64_t next_self_change_us() const;

    /// Fills a status snapshot (status_seq left at 0: the sender numbers the frames it sends).
    void snapshot(protocol::Status& out) const;

    /// Takes the oldest queued event; false when there is none.
    bool pop_event(protocol::Event& out);

    // Simulated hardware inputs.
    void press_button(std::uint32_t button);
    /// The pen's physical e-stop button: the same as an EmergencyStop request.
    void press_emergency_stop_button() { emergency_stop(); }
    void insert_cartridge(std::uint32_t cartridge_id, std::uint32_t stroke_limit);
    void remove_cartridge();
    void raise_fault(std::uint32_t fault_bit);
    /// Fits a module (Event ModuleAttached, detail = slot); nullopt if every slot is taken.
    std::optional<std::uint8_t> attach_module(std::shared_ptr<const ModuleDefinition> definition);
    /// Removes a module and with it its outputs (Event ModuleDetached). False if none there.
    bool detach_module(std::uint8_t slot);
    /// The next count DescriptorChunk replies for slot carry one flipped byte (tests a host's
    /// retry). False if the slot is empty.
    bool corrupt_descriptor_chunks(std::uint8_t slot, std::uint32_t count) {
        return modules_.corrupt_chunks(slot, count);
    }

    // Simulated environment and power supply (fault injection). The physics keeps integrating
    // from the value set; protection faults follow at the next step().
    void set_temperature_c(double temperature_c) { physics_.temperature_c = temperature_c; }
    /// Heat input on top of the pen's own (C/s; negative cools). 0 = none.
    void set_heating_c_per_s(double c_per_s) { heating_c_per_s_ = c_per_s; }
    void set_battery_pct(double pct);
    /// Battery drain on top of the pen's own (%/s). 0 = none.
    void set_drain_pct_per_s(double pct_per_s) { drain_pct_per_s_ = pct_per_s; }
    /// On the charger the battery gains kChargePctPerS and BatteryCritical becomes clearable.
    void set_charging(bool charging) { charging_ = charging; }
    bool charging() const { return charging_; }

    /// Ends the session (EndSession, or the host's link closed): needle (braked), RF and LED
    /// off, status streaming stops, the depth limit resets, session_id becomes 0. No fault is
    /// latched.
    void end_session();

    /// A power cycle: everything volatile is lost (session, set points, outputs, faults, e-stop
    /// latch, subscription, events, uptime, energy counters) and the pen has a new boot id
    /// (non-zero). What is physical survives: battery, temperature, actuator position, the
    /// fitted cartridge and the simulated environment.
    void reboot(std::uint32_t boot_id);
    /// The boot id HelloReply reports. The constructor derives one from the seed; SimDevice
    /// sets a truly random one, so a restarted penlink-sim is told apart from the last one.
    void set_boot_id(std::uint32_t boot_id);

    // Inspection.
    protocol::PenState state() const;
    std::uint32_t boot_id() const { return boot_id_; }
    std::uint32_t session_id() const { return session_id_; }
    bool in_session() const { return session_id_ != 0; }
    std::uint16_t depth_set_um() const { return depth_set_um_; }
    std::uint16_t depth_limit_um() const { return depth_limit_um_; }
    protocol::Settings settings() const;
    std::uint32_t fault_bits() const { return fault_bits_; }
    std::uint16_t status_rate_hz() const { return status_rate_hz_; }
    std::uint64_t uptime_us() const { return uptime_us_; }
    std::uint32_t uptime_ms() const { return static_cast<std::uint32_t>(uptime_us_ / 1000); }
    std::uint32_t cartridge_strokes() const { return strokes_; }
    bool running() const { return running_; }
    bool rf_enabled() const { return rf_.enabled; }
    bool led_enabled() const { return led_.enabled; }
    bool watchdog_armed() const {
        return running_ || rf_.enabled || led_.enabled || modules_.energy_active();
    }
    const ModuleHost& modules() const { return modules_; }
    /// What the pen tells its modules' interlocks and behaviour models.
    PenConditions conditions() const;
    /// True for requests that can only make the pen safer: protocol::is_safing_request, and a
    /// SetParams that only returns energy parameters to their defaults.
    bool makes_safer(const protocol::Message& request) const;
    const PenPhysics& physics() const { return physics_; }
    const SimConfig& config() const { return config_; }
    std::size_t events_dropped() const { return events_dropped_; }

    // Thresholds of the physics model, public so tests can reason about them.
    static constexpr double kBatteryCriticalPct = 5.0;
    static constexpr double kTemperatureHysteresisC = 5.0;
    static constexpr double kChargePctPerS = 1.0;

private:
    // sessions (pen_model.cpp)
    protocol::Message dispatch(const protocol::Message& request);  // past the state gates
    protocol::Message on_hello(const protocol::Hello& hello);
    std::uint32_t next_session_id();

    // request handlers (pen_requests.cpp)
    protocol::Message on_set_depth(const protocol::SetDepth& request);
    protocol::Message on_set_depth_limit(const protocol::SetDepthLimit& request);
    protocol::Message on_set_speed(const protocol::SetSpeed& request);
    protocol::Message on_start();
    protocol::Message on_set_rf(const protocol::SetRf& request);
    protocol::Message on_set_led(const protocol::SetLed& request);
    protocol::Message on_subscribe(const protocol::SubscribeStatus& request);
    protocol::Message on_clear_faults();
    void emergency_stop();
    void clear_emergency_stop();
    bool fault_cause_present(std::uint32_t bit) const;

    // physics (pen_physics.cpp)
    void step_actuators(double dt_s);
    void step_energy(double dt_s);
    void step_protection();
    double next_noise();
    double battery_drain_pct_per_s() const;  // net, at the current outputs and speed
    double steady_temperature_c() const;     // where the temperature settles at them

    void stop_outputs();         // needle, RF, LED and module energy outputs off at once
    void reset_session_state();  // outputs off, streaming off, depth limit back to the maximum
    void queue_event(protocol::EventKind kind, std::uint32_t detail);
    void clear_fault(std::uint32_t bit);

    SimConfig config_;
    PenPhysics physics_;
    std::uint64_t uptime_us_ = 0;
    std::uint64_t since_host_us_ = 0;
    std::uint64_t rng_state_;
    std::uint32_t boot_id_ = 0;
    std::uint32_t session_id_ = 0;  // 0 = no session
    std::uint64_t id_rng_state_ = 0;

    bool running_ = false;
    bool estop_latched_ = false;
    std::uint32_t fault_bits_ = 0;
    std::uint16_t depth_set_um_ = 0;
    std::uint16_t depth_limit_um_ = 0;  // the session's ceiling (SetDepthLimit)
    std::uint16_t speed_set_chz_ = 0;
    std::uint16_t status_rate_hz_ = 0;
    std::uint32_t cartridge_id_ = 0;
    std::uint32_t stroke_limit_ = 0;
    std::uint32_t strokes_ = 0;
    protocol::SetRf rf_{};
    protocol::SetLed led_{};

    // Simulated environment (survives a reboot).
    double heating_c_per_s_ = 0.0;
    double drain_pct_per_s_ = 0.0;
    bool charging_ = false;

    ModuleHost modules_;  // fitted add-on modules (hardware: survives a reboot)

    // Fixed ring so raising an event never allocates.
    static constexpr std::size_t kEventCapacity = 64;
    std::array<protocol::Event, kEventCapacity> events_{};
    std::size_t event_head_ = 0;
    std::size_t event_count_ = 0;
    std::size_t events_dropped_ = 0;
};

}  // namespace penlink::sim
