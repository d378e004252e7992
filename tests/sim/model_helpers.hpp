// Helpers for driving a PenModel in tests: requests in, replies checked, time stepped.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <variant>
#include <vector>

#include "protocol/messages.hpp"
#include "sim/pen_model.hpp"
#include "sim/sim_config.hpp"

namespace penlink::sim::test {

/// A PenModel with a session open (its Hello accepted): outside a session a pen applies only
/// Hello and the requests that make it safer.
struct SessionModel : PenModel {
    explicit SessionModel(const SimConfig& config) : PenModel(config) {
        REQUIRE(std::holds_alternative<protocol::HelloReply>(handle(protocol::Hello{})));
    }
};

inline bool is_ack(const protocol::Message& reply) {
    return std::holds_alternative<protocol::Ack>(reply);
}

inline protocol::Nack nack_of(const protocol::Message& reply) {
    REQUIRE(std::holds_alternative<protocol::Nack>(reply));
    return std::get<protocol::Nack>(reply);
}

/// Steps the model for seconds in 1 ms ticks; feeds the watchdog each tick unless told not to,
/// as a host sending heartbeats would.
inline void run_for(PenModel& model, double seconds, bool feed = true) {
    const auto ticks = static_cast<std::uint64_t>(seconds * 1000.0 + 0.5);
    for (std::uint64_t i = 0; i < ticks; ++i) {
        if (feed) model.feed_watchdog();
        model.step(1000);
    }
}

inline std::vector<protocol::Event> drain_events(PenModel& model) {
    std::vector<protocol::Event> events;
    protocol::Event event;
    while (model.pop_event(event)) events.push_back(event);
    return events;
}

inline bool has_event(const std::vector<protocol::Event>& events, protocol::EventKind kind,
                      std::uint32_t detail) {
    for (const auto& event : events) {
        if (event.kind == kind && event.detail == detail) return true;
    }
    return false;
}

inline protocol::Status snapshot_of(const PenModel& model) {
    protocol::Status status;
    model.snapshot(status);
    return status;
}

inline protocol::SetRf rf_on(std::uint32_t power_mw, std::uint16_t frequency_khz = 1500) {
    protocol::SetRf rf;
    rf.enabled = true;
    rf.polarity = protocol::RfPolarity::Bipolar;
    rf.frequency_khz = frequency_khz;
    rf.power_mw = power_mw;
    rf.pulse_ms = 100;
    return rf;
}

inline protocol::SetLed led_on(std::uint16_t wavelength_nm, std::uint16_t irradiance_dmw_cm2) {
    protocol::SetLed led;
    led.enabled = true;
    led.wavelength_nm = wavelength_nm;
    led.irradiance_dmw_cm2 = irradiance_dmw_cm2;
    led.mode = protocol::LedMode::Continuous;
    return led;
}

inline protocol::SetLed led_pulsed(std::uint16_t wavelength_nm, std::uint16_t irradiance_dmw_cm2,
                                   std::uint32_t rate_chz, std::uint16_t duty_permille) {
    protocol::SetLed led = led_on(wavelength_nm, irradiance_dmw_cm2);
    led.mode = protocol::LedMode::Pulsed;
    led.pulse_rate_chz = rate_chz;
    led.duty_permille = duty_permille;
    return led;
}

/// A model at the given speed, running.
inline void start_at(PenModel& model, std::uint16_t speed_chz) {
    REQUIRE(is_ack(model.handle(protocol::SetSpeed{speed_chz})));
    REQUIRE(is_ack(model.handle(protocol::Start{})));
}

}  // namespace penlink::sim::test
