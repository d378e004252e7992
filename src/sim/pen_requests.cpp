// PenModel's request handlers: what the pen accepts, refuses and why, field by field
// (docs/protocol.md section 6.2). Every Nack that carries a limit says what kind it is.
#include "sim/pen_requests.hpp"

#include "sim/pen_model.hpp"

namespace penlink::sim {

using protocol::Field;
using protocol::LimitKind;
using protocol::MessageType;
using protocol::NackReason;

protocol::Message nack(MessageType request, NackReason reason, Field field, std::int64_t value,
                       std::int64_t limit, LimitKind limit_kind) {
    return protocol::Nack{request,
                          reason,
                          field,
                          static_cast<std::int32_t>(value),
                          static_cast<std::int32_t>(limit),
                          limit_kind};
}

std::optional<protocol::Message> check_range(MessageType request, Field field, std::int64_t value,
                                             std::int64_t min, std::int64_t max) {
    if (value < min) {
        return nack(request, NackReason::OutOfRange, field, value, min, LimitKind::Minimum);
    }
    if (value > max) {
        return nack(request, NackReason::OutOfRange, field, value, max, LimitKind::Maximum);
    }
    return std::nullopt;
}

protocol::Message fault_active(MessageType request, std::uint32_t fault_bits) {
    return nack(request, NackReason::FaultActive, Field::None, fault_bits, 0, LimitKind::FaultBits);
}

protocol::Message PenModel::on_set_depth(const protocol::SetDepth& request) {
    const auto& info = config_.info;
    constexpr auto type = MessageType::SetDepth;
    if (auto refusal = check_range(type, Field::Depth, request.depth_um, info.depth_min_um,
                                   info.depth_max_um)) {
        return *refusal;
    }
    if (info.depth_step_um > 0 &&
        (request.depth_um - info.depth_min_um) % info.depth_step_um != 0) {
        return nack(type, NackReason::OutOfRange, Field::Depth, request.depth_um,
                    info.depth_step_um, LimitKind::Step);
    }
    if (request.depth_um > depth_limit_um_) {
        return nack(type, NackReason::OutOfRange, Field::Depth, request.depth_um, depth_limit_um_,
                    LimitKind::SessionMaximum);
    }
    depth_set_um_ = request.depth_um;
    return protocol::Ack{type};
}

protocol::Message PenModel::on_set_depth_limit(const protocol::SetDepthLimit& request) {
    const auto& info = config_.info;
    constexpr auto type = MessageType::SetDepthLimit;
    if (auto refusal = check_range(type, Field::DepthLimit, request.depth_limit_um,
                                   info.depth_min_um, info.depth_max_um)) {
        return *refusal;
    }
    depth_limit_um_ = request.depth_limit_um;
    if (depth_set_um_ > depth_limit_um_) {
        // The deepest grid depth not deeper than the limit; the actuator follows in step().
        const unsigned above_min = depth_limit_um_ - info.depth_min_um;  // limit >= minimum
        const unsigned on_grid =
            info.depth_step_um > 0 ? above_min - above_min % info.depth_step_um : above_min;
        depth_set_um_ = static_cast<std::uint16_t>(info.depth_min_um + on_grid);
    }
    return protocol::Ack{type};
}

protocol::Message PenModel::on_set_speed(const protocol::SetSpeed& request) {
    if (auto refusal = check_range(MessageType::SetSpeed, Field::Speed, request.speed_chz,
                                   config_.info.speed_min_chz, config_.info.speed_max_chz)) {
        return *refusal;
    }
    speed_set_chz_ = request.speed_chz;
    return protocol::Ack{MessageType::SetSpeed};
}

protocol::Message PenModel::on_start() {
    constexpr auto type = MessageType::Start;
    // Cartridge problems first: "insert a fresh cartridge" is the actionable answer even when
    // the exhausted-cartridge fault is also latched.
    if (cartridge_id_ == 0) return nack(type, NackReason::CartridgeMissing);
    if (strokes_ >= stroke_limit_) {
        return nack(type, NackReason::CartridgeExhausted, Field::None, strokes_, stroke_limit_,
                    LimitKind::Maximum);
    }
    if (fault_bits_ & kLatchedFaultMask) return fault_active(type, fault_bits_ & kLatchedFaultMask);
    running_ = true;
    return protocol::Ack{type};
}

protocol::Message PenModel::on_set_rf(const protocol::SetRf& request) {
    const auto& info = config_.info;
    constexpr auto type = MessageType::SetRf;
    if (!(info.addons & protocol::kAddonRf)) return nack(type, NackReason::NotSupported);
    // Switching off must always work, whatever the other fields hold.
    if (!request.enabled) {
        rf_.enabled = false;
        return protocol::Ack{type};
    }
    const auto polarity_bit = 1u << static_cast<unsigned>(request.polarity);
    if (!(info.rf_polarities & polarity_bit)) {
        return nack(type, NackReason::OutOfRange, Field::RfPolarity,
                    static_cast<int>(request.polarity), info.rf_polarities, LimitKind::AllowedMask);
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
    if (fault_bits_ & kLatchedFaultMask) return fault_active(type, fault_bits_ & kLatchedFaultMask);
    rf_ = request;
    return protocol::Ack{type};
}

protocol::Message PenModel::on_set_led(const protocol::SetLed& request) {
    const auto& info = config_.info;
    constexpr auto type = MessageType::SetLed;
    if (!(info.addons & protocol::kAddonLed)) return nack(type, NackReason::NotSupported);
    if (!request.enabled) {
        led_.enabled = false;
        return protocol::Ack{type};
    }
    const protocol::LedChannelInfo* channel = nullptr;
    for (std::size_t i = 0; i < info.led_channel_count && i < info.led_channels.size(); ++i) {
        if (info.led_channels[i].wavelength_nm == request.wavelength_nm)
            channel = &info.led_channels[i];
    }
    if (channel == nullptr) {
        return nack(type, NackReason::NotSupported, Field::LedWavelength, request.wavelength_nm);
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
    if (fault_bits_ & kLatchedFaultMask) return fault_active(type, fault_bits_ & kLatchedFaultMask);
    led_ = request;
    return protocol::Ack{type};
}

protocol::Message PenModel::on_subscribe(const protocol::SubscribeStatus& request) {
    if (request.rate_hz > config_.info.max_status_rate_hz) {
        return nack(MessageType::SubscribeStatus, NackReason::OutOfRange, Field::StatusRate,
                    request.rate_hz, config_.info.max_status_rate_hz, LimitKind::Maximum);
    }
    status_rate_hz_ = request.rate_hz;
    return protocol::Ack{MessageType::SubscribeStatus};
}

protocol::Message PenModel::on_clear_faults() {
    for (std::uint32_t bit = 0; bit < 32; ++bit) {
        const std::uint32_t mask = 1u << bit;
        if ((fault_bits_ & mask & kLatchedFaultMask) && !fault_cause_present(bit)) clear_fault(bit);
    }
    // Faults whose cause is still there stay latched; say which, so the host can tell the user.
    if (const std::uint32_t remaining = fault_bits_ & kLatchedFaultMask) {
        return fault_active(MessageType::ClearFaults, remaining);
    }
    return protocol::Ack{MessageType::ClearFaults};
}

}  // namespace penlink::sim
