// PenModel's state machine and sessions: what the pen lets through in which state, and how a
// session starts and ends. Request validation lives in pen_requests.cpp, physics in
// pen_physics.cpp.
#include "sim/pen_model.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "sim/pen_requests.hpp"

namespace penlink::sim {
namespace {

using protocol::MessageType;
using protocol::NackReason;

// Requests a latched e-stop still lets through: identification, keeping the link alive,
// watching (module discovery and reads included), the two e-stop commands, and whatever can only
// make the pen safer. SetParams goes on to its own checks, which refuse any energy parameter
// leaving its default with EmergencyStopped naming it; a module's other parameters (a cooling set
// point, a fan level) deliver no energy and stay settable.
bool allowed_while_estopped(const protocol::Message& request, bool safing) {
    switch (protocol::type_of(request)) {
        case MessageType::Hello:
        case MessageType::GetInfo:
        case MessageType::GetSettings:
        case MessageType::Heartbeat:
        case MessageType::SubscribeStatus:
        case MessageType::EmergencyStop:
        case MessageType::ClearEmergencyStop:
        case MessageType::GetModules:
        case MessageType::ReadDescriptor:
        case MessageType::GetParams:
        case MessageType::SetParams:
            return true;
        default:
            return safing;
    }
}

// Outside a session the pen starts one, or becomes safer; nothing else.
bool allowed_outside_session(const protocol::Message& request, bool safing) {
    return std::holds_alternative<protocol::Hello>(request) || safing;
}

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

PenModel::PenModel(const SimConfig& config)
    : config_(config),
      // splitmix64 must not start from zero forever; any fixed offset keeps seed 0 usable.
      rng_state_(config.seed ^ 0x9E3779B97F4A7C15ull),
      depth_set_um_(config.info.depth_min_um),
      depth_limit_um_(config.info.depth_max_um),
      speed_set_chz_(config.info.speed_min_chz),
      cartridge_id_(config.cartridge_id),
      stroke_limit_(config.cartridge_stroke_limit),
      heating_c_per_s_(config.heating_c_per_s),
      drain_pct_per_s_(config.drain_pct_per_s),
      charging_(config.charging),
      modules_(config.modules, config.module_store) {
    physics_.depth_um = config.info.depth_min_um;
    physics_.battery_pct = config.battery_pct;
    physics_.temperature_c = config.ambient_temperature_c;
    rf_.frequency_khz = config.info.rf_frequency_min_khz;
    rf_.pulse_ms = config.info.rf_pulse_min_ms;
    if (config.info.led_channel_count > 0)
        led_.wavelength_nm = config.info.led_channels[0].wavelength_nm;
    // A deterministic boot id for bare models (tests); SimDevice replaces it with a random one.
    std::uint64_t boot_state = config.seed ^ 0xB007B007B007B007ull;
    set_boot_id(static_cast<std::uint32_t>(splitmix64(boot_state)));
}

protocol::PenState PenModel::state() const {
    if (estop_latched_) return protocol::PenState::EmergencyStopped;
    if (fault_bits_ & kLatchedFaultMask) return protocol::PenState::Fault;
    return running_ ? protocol::PenState::Running : protocol::PenState::Idle;
}

protocol::Message PenModel::handle(const protocol::Message& request) {
    feed_watchdog();
    const MessageType type = protocol::type_of(request);
    if (!protocol::is_request(type)) return nack(type, NackReason::NotSupported);
    const bool safing = makes_safer(request);
    if (!in_session() && !allowed_outside_session(request, safing)) {
        return nack(type, NackReason::NoSession);
    }
    if (estop_latched_ && !allowed_while_estopped(request, safing)) {
        return nack(type, NackReason::EmergencyStopped);
    }
    protocol::Message reply = dispatch(request);
    // Whatever the request changed (a Stop, a module's switch) may end an interlock's condition.
    modules_.enforce_interlocks(conditions());
    return reply;
}

bool PenModel::makes_safer(const protocol::Message& request) const {
    if (const auto* set = std::get_if<protocol::SetParams>(&request)) {
        return modules_.is_safing(*set);
    }
    return protocol::is_safing_request(request);
}

PenConditions PenModel::conditions() const {
    return {running_, cartridge_id_ != 0, fault_bits_ == 0};
}

protocol::Message PenModel::dispatch(const protocol::Message& request) {
    const MessageType type = protocol::type_of(request);
    return std::visit(
        [&](const auto& message) -> protocol::Message {
            using M = std::decay_t<decltype(message)>;
            if constexpr (std::is_same_v<M, protocol::Hello>) {
                return on_hello(message);
            } else if constexpr (std::is_same_v<M, protocol::GetInfo>) {
                return config_.info;
            } else if constexpr (std::is_same_v<M, protocol::GetSettings>) {
                return settings();
            } else if constexpr (std::is_same_v<M, protocol::SetDepth>) {
                return on_set_depth(message);
            } else if constexpr (std::is_same_v<M, protocol::SetDepthLimit>) {
                return on_set_depth_limit(message);
            } else if constexpr (std::is_same_v<M, protocol::SetSpeed>) {
                return on_set_speed(message);
            } else if constexpr (std::is_same_v<M, protocol::Start>) {
                return on_start();
            } else if constexpr (std::is_same_v<M, protocol::Stop>) {
                running_ = false;  // the motor then ramps down in step()
                return protocol::Ack{type};
            } else if constexpr (std::is_same_v<M, protocol::SetRf>) {
                return on_set_rf(message);
            } else if constexpr (std::is_same_v<M, protocol::SetLed>) {
                return on_set_led(message);
            } else if constexpr (std::is_same_v<M, protocol::EmergencyStop>) {
                emergency_stop();
                return protocol::Ack{type};
            } else if constexpr (std::is_same_v<M, protocol::ClearEmergencyStop>) {
                clear_emergency_stop();
                return protocol::Ack{type};
            } else if constexpr (std::is_same_v<M, protocol::SubscribeStatus>) {
                return on_subscribe(message);
            } else if constexpr (std::is_same_v<M, protocol::ClearFaults>) {
                return on_clear_faults();
            } else if constexpr (std::is_same_v<M, protocol::EndSession>) {
                end_session();
                return protocol::Ack{type};
            } else if constexpr (std::is_same_v<M, protocol::GetModules>) {
                return modules_.modules();
            } else if constexpr (std::is_same_v<M, protocol::ReadDescriptor>) {
                return modules_.read_descriptor(message);
            } else if constexpr (std::is_same_v<M, protocol::SetParams>) {
                return modules_.set_params(message, conditions(), estop_latched_,
                                           fault_bits_ & kLatchedFaultMask);
            } else if constexpr (std::is_same_v<M, protocol::GetParams>) {
                return modules_.get_params(message);
            } else {
                return protocol::Ack{type};  // Heartbeat: feeding the watchdog was all it asked
            }
        },
        request);
}

protocol::Message PenModel::on_hello(const protocol::Hello& hello) {
    if (hello.min_version > protocol::kProtocolVersion ||
        hello.max_version < protocol::kProtocolVersion) {
        return nack(MessageType::Hello, NackReason::VersionMismatch, protocol::Field::None,
                    hello.min_version, protocol::kProtocolVersion, protocol::LimitKind::Maximum);
    }
    // A new session, replacing any other, starts from a safe state; set points are kept.
    reset_session_state();
    session_id_ = next_session_id();
    protocol::HelloReply reply;
    reply.version = protocol::kProtocolVersion;
    reply.boot_id = boot_id_;
    reply.session_id = session_id_;
    reply.serial = config_.info.serial;  // names the key a host authenticates with
    return reply;
}

protocol::Message PenModel::prospective_hello(const protocol::Hello& hello) {
    if (hello.min_version > protocol::kProtocolVersion ||
        hello.max_version < protocol::kProtocolVersion) {
        return nack(MessageType::Hello, NackReason::VersionMismatch, protocol::Field::None,
                    hello.min_version, protocol::kProtocolVersion, protocol::LimitKind::Maximum);
    }
    protocol::HelloReply reply;
    reply.version = protocol::kProtocolVersion;
    reply.boot_id = boot_id_;
    reply.session_id = next_session_id();
    reply.serial = config_.info.serial;
    return reply;
}

void PenModel::start_session(std::uint32_t session_id) {
    reset_session_state();
    session_id_ = session_id;
}

std::uint32_t PenModel::next_session_id() {
    for (;;) {
        const auto id = static_cast<std::uint32_t>(splitmix64(id_rng_state_));
        if (id != 0 && id != session_id_) return id;
    }
}

void PenModel::set_boot_id(std::uint32_t boot_id) {
    boot_id_ = boot_id != 0 ? boot_id : 1;
    // Session ids follow from the boot id, so two boots do not repeat each other's ids.
    id_rng_state_ = (std::uint64_t{boot_id_} << 32) ^ config_.seed ^ 0x5E55107D5E55107Dull;
}

protocol::Settings PenModel::settings() const {
    protocol::Settings out;
    out.session_id = session_id_;
    out.state = state();
    out.depth_set_um = depth_set_um_;
    out.depth_limit_um = depth_limit_um_;
    out.speed_set_chz = speed_set_chz_;
    out.running = running_;
    out.rf = rf_;
    out.led = led_;
    out.status_rate_hz = status_rate_hz_;
    out.fault_bits = fault_bits_;
    return out;
}

bool PenModel::fault_cause_present(std::uint32_t bit) const {
    switch (bit) {
        case protocol::kFaultOverTemperature:
            return physics_.temperature_c > config_.over_temperature_c - kTemperatureHysteresisC;
        case protocol::kFaultBatteryCritical:
            return physics_.battery_pct < kBatteryCriticalPct && !charging_;
        case protocol::kFaultCartridgeExhausted:
            return strokes_ >= stroke_limit_;
        case protocol::kFaultCartridgeMissing:
            return cartridge_id_ == 0;
        default:
            return false;  // watchdog, injected, stall, ...: gone once acknowledged
    }
}

void PenModel::clear_fault(std::uint32_t bit) {
    const std::uint32_t mask = 1u << bit;
    if (!(fault_bits_ & mask)) return;
    fault_bits_ &= ~mask;
    queue_event(protocol::EventKind::FaultCleared, bit);
}

void PenModel::raise_fault(std::uint32_t fault_bit) {
    if (fault_bit >= 32) return;
    if (fault_bit == protocol::kFaultEmergencyStop) {
        emergency_stop();
        return;
    }
    const std::uint32_t mask = 1u << fault_bit;
    if (fault_bits_ & mask) return;
    fault_bits_ |= mask;
    stop_outputs();
    queue_event(protocol::EventKind::FaultRaised, fault_bit);
}

void PenModel::emergency_stop() {
    stop_outputs();
    if (estop_latched_) return;
    estop_latched_ = true;
    fault_bits_ |= 1u << protocol::kFaultEmergencyStop;
    queue_event(protocol::EventKind::EmergencyStopped, 0);
    modules_.enforce_interlocks(conditions());  // "no_fault" stops holding now
}

void PenModel::clear_emergency_stop() {
    if (!estop_latched_) return;
    estop_latched_ = false;
    fault_bits_ &= ~(1u << protocol::kFaultEmergencyStop);
    queue_event(protocol::EventKind::EmergencyCleared, 0);
}

void PenModel::stop_outputs() {
    running_ = false;
    physics_.speed_hz = 0.0;  // braked at once, unlike a normal Stop's ramp-down
    rf_.enabled = false;
    led_.enabled = false;
    modules_.energy_off();
    modules_.enforce_interlocks(conditions());
}

void PenModel::reset_session_state() {
    stop_outputs();
    status_rate_hz_ = 0;
    depth_limit_um_ = config_.info.depth_max_um;
}

void PenModel::end_session() {
    reset_session_state();
    session_id_ = 0;
}

void PenModel::reboot(std::uint32_t boot_id) {
    // Keep what is physical, then start over exactly as a freshly powered pen.
    const PenPhysics physics = physics_;
    const std::uint32_t cartridge_id = cartridge_id_;
    const std::uint32_t stroke_limit = stroke_limit_;
    const std::uint32_t strokes = strokes_;
    const std::uint64_t rng_state = rng_state_;
    const double heating = heating_c_per_s_;
    const double drain = drain_pct_per_s_;
    const bool charging = charging_;
    ModuleHost modules = std::move(modules_);  // fitted hardware survives; its state does not

    *this = PenModel(config_);

    physics_.depth_um = physics.depth_um;
    physics_.battery_pct = physics.battery_pct;
    physics_.temperature_c = physics.temperature_c;
    physics_.rf_impedance_ohm = physics.rf_impedance_ohm;
    cartridge_id_ = cartridge_id;
    stroke_limit_ = stroke_limit;
    strokes_ = strokes;
    rng_state_ = rng_state;
    heating_c_per_s_ = heating;
    drain_pct_per_s_ = drain;
    charging_ = charging;
    modules_ = std::move(modules);
    modules_.power_cycle();
    set_boot_id(boot_id);
}

void PenModel::set_battery_pct(double pct) { physics_.battery_pct = std::clamp(pct, 0.0, 100.0); }

void PenModel::press_button(std::uint32_t button) {
    queue_event(protocol::EventKind::ButtonPressed, button);
}

void PenModel::insert_cartridge(std::uint32_t cartridge_id, std::uint32_t stroke_limit) {
    if (cartridge_id_ != 0) remove_cartridge();
    cartridge_id_ = cartridge_id;
    stroke_limit_ = stroke_limit;
    strokes_ = 0;
    physics_.stroke_fraction = 0.0;
    if (cartridge_id != 0) queue_event(protocol::EventKind::CartridgeInserted, cartridge_id);
}

void PenModel::remove_cartridge() {
    if (cartridge_id_ == 0) return;
    const std::uint32_t removed = cartridge_id_;
    const bool was_running = running_;
    cartridge_id_ = 0;
    strokes_ = 0;
    queue_event(protocol::EventKind::CartridgeRemoved, removed);
    // Pulling the cartridge out under a running needle is a fault; while idle it is routine.
    if (was_running) raise_fault(protocol::kFaultCartridgeMissing);
    modules_.enforce_interlocks(conditions());
}

std::optional<std::uint8_t> PenModel::attach_module(
    std::shared_ptr<const ModuleDefinition> definition) {
    const auto slot = modules_.attach(std::move(definition));
    if (slot) queue_event(protocol::EventKind::ModuleAttached, *slot);
    return slot;
}

bool PenModel::detach_module(std::uint8_t slot) {
    if (!modules_.detach(slot)) return false;
    queue_event(protocol::EventKind::ModuleDetached, slot);
    return true;
}

void PenModel::queue_event(protocol::EventKind kind, std::uint32_t detail) {
    if (event_count_ == events_.size()) {
        ++events_dropped_;
        return;
    }
    events_[(event_head_ + event_count_) % events_.size()] = {kind, detail, uptime_ms()};
    ++event_count_;
}

bool PenModel::pop_event(protocol::Event& out) {
    if (event_count_ == 0) return false;
    out = events_[event_head_];
    event_head_ = (event_head_ + 1) % events_.size();
    --event_count_;
    return true;
}

}  // namespace penlink::sim
