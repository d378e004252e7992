// PenModel's state machine and request handling: what the pen accepts, refuses and why.
// Physics lives in pen_physics.cpp.
#include "sim/pen_model.hpp"

#include <algorithm>
#include <optional>
#include <type_traits>
#include <variant>

namespace penlink::sim {
namespace {

using protocol::Field;
using protocol::MessageType;
using protocol::NackReason;

protocol::Message ack(MessageType request) { return protocol::Ack{request}; }

protocol::Message nack(MessageType request, NackReason reason, Field field = Field::None,
                       std::int64_t value = 0, std::int64_t limit = 0) {
    return protocol::Nack{request, reason, field, static_cast<std::int32_t>(value),
                          static_cast<std::int32_t>(limit)};
}

/// Nack for value outside [min, max], or nothing if it is inside.
std::optional<protocol::Message> check_range(MessageType request, Field field, std::int64_t value,
                                             std::int64_t min, std::int64_t max) {
    if (value < min) return nack(request, NackReason::OutOfRange, field, value, min);
    if (value > max) return nack(request, NackReason::OutOfRange, field, value, max);
    return std::nullopt;
}

// Requests a latched e-stop still lets through: identification, keeping the link alive,
// watching, and the two stop commands themselves.
bool allowed_while_estopped(MessageType type) {
    switch (type) {
        case MessageType::Hello:
        case MessageType::GetInfo:
        case MessageType::Heartbeat:
        case MessageType::SubscribeStatus:
        case MessageType::EmergencyStop:
        case MessageType::ClearEmergencyStop:
            return true;
        default:
            return false;
    }
}

}  // namespace

PenModel::PenModel(const SimConfig& config)
    : config_(config),
      // splitmix64 must not start from zero forever; any fixed offset keeps seed 0 usable.
      rng_state_(config.seed ^ 0x9E3779B97F4A7C15ull),
      depth_set_um_(config.info.depth_min_um),
      speed_set_chz_(config.info.speed_min_chz),
      cartridge_id_(config.cartridge_id),
      stroke_limit_(config.cartridge_stroke_limit),
      heating_c_per_s_(config.heating_c_per_s),
      drain_pct_per_s_(config.drain_pct_per_s),
      charging_(config.charging) {
    physics_.depth_um = config.info.depth_min_um;
    physics_.battery_pct = config.battery_pct;
    physics_.temperature_c = config.ambient_temperature_c;
    rf_.frequency_khz = config.info.rf_frequency_min_khz;
    rf_.pulse_ms = config.info.rf_pulse_min_ms;
    if (config.info.led_channel_count > 0)
        led_.wavelength_nm = config.info.led_channels[0].wavelength_nm;
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
    if (estop_latched_ && !allowed_while_estopped(type)) {
        return nack(type, NackReason::EmergencyStopped);
    }
    return std::visit(
        [&](const auto& message) -> protocol::Message {
            using M = std::decay_t<decltype(message)>;
            if constexpr (std::is_same_v<M, protocol::Hello>) {
                return on_hello(message);
            } else if constexpr (std::is_same_v<M, protocol::GetInfo>) {
                return config_.info;
            } else if constexpr (std::is_same_v<M, protocol::SetDepth>) {
                return on_set_depth(message);
            } else if constexpr (std::is_same_v<M, protocol::SetSpeed>) {
                return on_set_speed(message);
            } else if constexpr (std::is_same_v<M, protocol::Start>) {
                return on_start();
            } else if constexpr (std::is_same_v<M, protocol::Stop>) {
                running_ = false;  // the motor then ramps down in step()
                return ack(type);
            } else if constexpr (std::is_same_v<M, protocol::SetRf>) {
                return on_set_rf(message);
            } else if constexpr (std::is_same_v<M, protocol::SetLed>) {
                return on_set_led(message);
            } else if constexpr (std::is_same_v<M, protocol::EmergencyStop>) {
                emergency_stop();
                return ack(type);
            } else if constexpr (std::is_same_v<M, protocol::ClearEmergencyStop>) {
                clear_emergency_stop();
                return ack(type);
            } else if constexpr (std::is_same_v<M, protocol::SubscribeStatus>) {
                return on_subscribe(message);
            } else if constexpr (std::is_same_v<M, protocol::ClearFaults>) {
                return on_clear_faults();
            } else {
                return ack(type);  // Heartbeat: feeding the watchdog was all it asked
            }
        },
        request);
}

protocol::Message PenModel::on_hello(const protocol::Hello& hello) const {
    if (hello.min_version > protocol::kProtocolVersion ||
        hello.max_version < protocol::kProtocolVersion) {
        return nack(MessageType::Hello, NackReason::VersionMismatch, Field::None, hello.min_version,
                    protocol::kProtocolVersion);
    }
    return protocol::HelloReply{protocol::kProtocolVersion};
}

protocol::Message PenModel::on_set_depth(const protocol::SetDepth& request) {
    const auto& info = config_.info;
    if (auto refusal = check_range(MessageType::SetDepth, Field::Depth, request.depth_um,
                                   info.depth_min_um, info.depth_max_um)) {
        return *refusal;
    }
    if (info.depth_step_um > 0 &&
        (request.depth_um - info.depth_min_um) % info.depth_step_um != 0) {
        return nack(MessageType::SetDepth, NackReason::OutOfRange, Field::Depth, request.depth_um,
                    info.depth_step_um);
    }
    depth_set_um_ = request.depth_um;
    return ack(MessageType::SetDepth);
}

protocol::Message PenModel::on_set_speed(const protocol::SetSpeed& request) {
    if (auto refusal = check_range(MessageType::SetSpeed, Field::Speed, request.speed_chz,
                                   config_.info.speed_min_chz, config_.info.speed_max_chz)) {
        return *refusal;
    }
    speed_set_chz_ = request.speed_chz;
    return ack(MessageType::SetSpeed);
}

protocol::Message PenModel::on_start() {
    // Cartridge problems first: "insert a fresh cartridge" is the actionable answer even when
    // the exhausted-cartridge fault is also latched.
    if (cartridge_id_ == 0 || strokes_ >= stroke_limit_) {
        return nack(MessageType::Start, NackReason::BadState);
    }
    if (fault_bits_ & kLatchedFaultMask) {
        return nack(MessageType::Start, NackReason::FaultActive, Field::None,
                    fault_bits_ & kLatchedFaultMask);
    }
    running_ = true;
    return ack(MessageType::Start);
}

protocol::Message PenModel::on_set_rf(const protocol::SetRf& request) {
    const auto& info = config_.info;
    constexpr auto type = MessageType::SetRf;
    if (!(info.addons & protocol::kAddonRf)) return nack(type, NackReason::NotSupported);
    // Switching off must always work, whatever the other fields hold.
    if (!request.enabled) {
        rf_.enabled = false;
        return ack(type);
    }
    const auto polarity_bit = 1u << static_cast<unsigned>(request.polarity);
    if (!(info.rf_polarities & polarity_bit)) {
        return nack(type, NackReason::OutOfRange, Field::RfPolarity,
                    static_cast<int>(request.polarity), info.rf_polarities);
    }
    if (auto refusal = check_range(type, Field::RfFrequency, request.frequency_khz,
                                   info.rf_frequency_min_khz, info.rf_frequency_max_khz)) {
        return *refusal;
    }
    if (auto refusal =
            check_range(type, Field::RfPower, request.power_mw, 0, info.rf_power_max_mw)) {
        return *refusal;
    }
    if (auto refusal = check_range(type, Field::RfPulse, request.pulse_ms, info.rf_pulse_min_ms,
                                   info.rf_pulse_max_ms)) {
        return *refusal;
    }
    if (fault_bits_ & kLatchedFaultMask) {
        return nack(type, NackReason::FaultActive, Field::None, fault_bits_ & kLatchedFaultMask);
    }
    rf_ = request;
    return ack(type);
}

protocol::Message PenModel::on_set_led(const protocol::SetLed& request) {
    const auto& info = config_.info;
    constexpr auto type = MessageType::SetLed;
    if (!(info.addons & protocol::kAddonLed)) return nack(type, NackReason::NotSupported);
    if (!request.enabled) {
        led_.enabled = false;
        return ack(type);
    }
    const protocol::LedChannelInfo* channel = nullptr;
    for (std::size_t i = 0; i < info.led_channel_count && i < info.led_channels.size(); ++i) {
        if (info.led_channels[i].wavelength_nm == request.wavelength_nm)
            channel = &info.led_channels[i];
    }
    if (channel == nullptr) {
        return nack(type, NackReason::NotSupported, Field::LedWavelength, request.wavelength_nm, 0);
    }
    if (auto refusal = check_range(type, Field::LedIrradiance, request.irradiance_dmw_cm2, 0,
                                   channel->max_irradiance_dmw_cm2)) {
        return *refusal;
    }
    if (request.mode == protocol::LedMode::Pulsed) {
        if (auto refusal = check_range(type, Field::LedPulseRate, request.pulse_rate_chz,
                                       info.led_pulse_rate_min_chz, info.led_pulse_rate_max_chz)) {
            return *refusal;
        }
        if (auto refusal = check_range(type, Field::LedDuty, request.duty_permille, 1, 1000)) {
            return *refusal;
        }
    }
    if (fault_bits_ & kLatchedFaultMask) {
        return nack(type, NackReason::FaultActive, Field::None, fault_bits_ & kLatchedFaultMask);
    }
    led_ = request;
    return ack(type);
}

protocol::Message PenModel::on_subscribe(const protocol::SubscribeStatus& request) {
    if (request.rate_hz > config_.info.max_status_rate_hz) {
        return nack(MessageType::SubscribeStatus, NackReason::OutOfRange, Field::StatusRate,
                    request.rate_hz, config_.info.max_status_rate_hz);
    }
    status_rate_hz_ = request.rate_hz;
    return ack(MessageType::SubscribeStatus);
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

protocol::Message PenModel::on_clear_faults() {
    for (std::uint32_t bit = 0; bit < 32; ++bit) {
        const std::uint32_t mask = 1u << bit;
        if ((fault_bits_ & mask & kLatchedFaultMask) && !fault_cause_present(bit)) clear_fault(bit);
    }
    // Faults whose cause is still there stay latched; say which, so the host can tell the user.
    if (const std::uint32_t remaining = fault_bits_ & kLatchedFaultMask) {
        return nack(MessageType::ClearFaults, NackReason::FaultActive, Field::None, remaining);
    }
    return ack(MessageType::ClearFaults);
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
}

void PenModel::end_session() {
    stop_outputs();
    status_rate_hz_ = 0;
}

void PenModel::reboot() {
    // Keep what is physical, then start over exactly as a freshly powered pen.
    const PenPhysics physics = physics_;
    const std::uint32_t cartridge_id = cartridge_id_;
    const std::uint32_t stroke_limit = stroke_limit_;
    const std::uint32_t strokes = strokes_;
    const std::uint64_t rng_state = rng_state_;
    const double heating = heating_c_per_s_;
    const double drain = drain_pct_per_s_;
    const bool charging = charging_;

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
