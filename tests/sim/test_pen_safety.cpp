// Emergency stop, watchdog and latched faults of the PenModel.
#include <catch2/catch.hpp>

#include "model_helpers.hpp"

using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;
using protocol::EventKind;
using protocol::NackReason;

namespace {

void make_busy(PenModel& model) {
    start_at(model, 15000);
    REQUIRE(is_ack(model.handle(rf_on(10000))));
    REQUIRE(is_ack(model.handle(led_on(633, 1000))));
    run_for(model, 1.0);
    REQUIRE(model.physics().speed_hz == Approx(150.0));
}

}  // namespace

TEST_CASE("emergency stop halts everything at once and latches", "[sim][safety][estop]") {
    SessionModel model(default_sim_config());
    make_busy(model);
    drain_events(model);

    CHECK(is_ack(model.handle(protocol::EmergencyStop{})));
    auto status = snapshot_of(model);
    CHECK(status.state == protocol::PenState::EmergencyStopped);
    CHECK(status.speed_actual_chz == 0);
    CHECK(status.rf_flags == 0);
    CHECK(status.led_flags == 0);
    CHECK(status.fault_bits == (1u << protocol::kFaultEmergencyStop));
    CHECK(has_event(drain_events(model), EventKind::EmergencyStopped, 0));

    // Refused while latched...
    for (const protocol::Message& refused :
         {protocol::Message{protocol::SetDepth{1000}}, protocol::Message{protocol::SetSpeed{10000}},
          protocol::Message{protocol::Start{}}, protocol::Message{rf_on(1000)},
          protocol::Message{led_on(633, 100)}, protocol::Message{protocol::ClearFaults{}},
          protocol::Message{protocol::SetDepthLimit{1000}}}) {
        CHECK(nack_of(model.handle(refused)).reason == NackReason::EmergencyStopped);
    }
    // ...while these still work, the safing requests included.
    CHECK(is_ack(model.handle(protocol::Stop{})));
    CHECK(is_ack(model.handle(protocol::SetRf{})));
    CHECK(is_ack(model.handle(protocol::SetLed{})));
    CHECK(std::holds_alternative<protocol::Settings>(model.handle(protocol::GetSettings{})));
    CHECK(std::holds_alternative<protocol::HelloReply>(model.handle(protocol::Hello{})));
    CHECK(std::holds_alternative<protocol::Info>(model.handle(protocol::GetInfo{})));
    CHECK(is_ack(model.handle(protocol::Heartbeat{})));
    CHECK(is_ack(model.handle(protocol::SubscribeStatus{10})));
    CHECK(is_ack(model.handle(protocol::EmergencyStop{})));  // always acked
    run_for(model, 1.0);
    CHECK(model.state() == protocol::PenState::EmergencyStopped);

    CHECK(is_ack(model.handle(protocol::ClearEmergencyStop{})));
    status = snapshot_of(model);
    CHECK(status.state == protocol::PenState::Idle);
    CHECK(status.fault_bits == 0);
    CHECK(status.rf_flags == 0);  // stays off until the host enables it again
    CHECK(status.led_flags == 0);
    CHECK(has_event(drain_events(model), EventKind::EmergencyCleared, 0));
    CHECK(is_ack(model.handle(protocol::Start{})));
}

TEST_CASE("watchdog fires when the host goes silent while the pen is active",
          "[sim][safety][watchdog]") {
    SessionModel model(default_sim_config());  // 500 ms
    make_busy(model);
    drain_events(model);
    model.feed_watchdog();
    run_for(model, 0.499, false);
    CHECK(model.state() == protocol::PenState::Running);
    run_for(model, 0.001, false);
    CHECK(model.state() == protocol::PenState::Fault);
    CHECK((model.fault_bits() & (1u << protocol::kFaultWatchdog)) != 0);
    CHECK_FALSE(model.running());
    CHECK_FALSE(model.rf_enabled());
    CHECK_FALSE(model.led_enabled());
    CHECK(model.physics().speed_hz == 0.0);
    const auto events = drain_events(model);
    CHECK(has_event(events, EventKind::WatchdogExpired, 500));
    CHECK(has_event(events, EventKind::FaultRaised, protocol::kFaultWatchdog));

    CHECK(nack_of(model.handle(protocol::Start{})).reason == NackReason::FaultActive);
    CHECK(nack_of(model.handle(rf_on(1000))).reason == NackReason::FaultActive);
    CHECK(nack_of(model.handle(led_on(633, 100))).reason == NackReason::FaultActive);
    CHECK(is_ack(model.handle(protocol::ClearFaults{})));  // the host is back: cause gone
    CHECK(has_event(drain_events(model), EventKind::FaultCleared, protocol::kFaultWatchdog));
    CHECK(is_ack(model.handle(protocol::Start{})));
}

TEST_CASE("watchdog stays quiet while fed or while idle", "[sim][safety][watchdog]") {
    SessionModel fed(default_sim_config());
    make_busy(fed);
    for (int i = 0; i < 50; ++i) {
        run_for(fed, 0.1, false);
        fed.feed_watchdog();
    }
    CHECK(fed.state() == protocol::PenState::Running);

    SessionModel idle(default_sim_config());
    run_for(idle, 10.0, false);
    CHECK(idle.state() == protocol::PenState::Idle);
    CHECK(idle.fault_bits() == 0);

    // LED alone arms it too.
    SessionModel led_only(default_sim_config());
    REQUIRE(is_ack(led_only.handle(led_on(633, 100))));
    run_for(led_only, 0.6, false);
    CHECK((led_only.fault_bits() & (1u << protocol::kFaultWatchdog)) != 0);
    CHECK_FALSE(led_only.led_enabled());
}

TEST_CASE("faults latch, stop the pen and clear once acknowledged", "[sim][safety][faults]") {
    SessionModel model(default_sim_config());
    make_busy(model);
    drain_events(model);
    model.raise_fault(protocol::kFaultInjected);
    CHECK(model.state() == protocol::PenState::Fault);
    CHECK_FALSE(model.running());
    CHECK(has_event(drain_events(model), EventKind::FaultRaised, protocol::kFaultInjected));

    const auto refused = nack_of(model.handle(protocol::Start{}));
    CHECK(refused.reason == NackReason::FaultActive);
    CHECK(refused.value == (1 << protocol::kFaultInjected));
    // Settings that cannot hurt anyone are still accepted.
    CHECK(is_ack(model.handle(protocol::SetDepth{1000})));
    CHECK(is_ack(model.handle(protocol::SetRf{})));
    run_for(model, 1.0);
    CHECK(model.state() == protocol::PenState::Fault);  // latched, not self-clearing

    CHECK(is_ack(model.handle(protocol::ClearFaults{})));
    CHECK(model.state() == protocol::PenState::Idle);
    CHECK(has_event(drain_events(model), EventKind::FaultCleared, protocol::kFaultInjected));
}

TEST_CASE("pulling the cartridge out of a running pen is a fault", "[sim][safety][cartridge]") {
    SessionModel model(default_sim_config());
    start_at(model, 10000);
    run_for(model, 0.5);
    model.remove_cartridge();
    auto events = drain_events(model);
    CHECK(has_event(events, EventKind::CartridgeRemoved, 1001));
    CHECK(has_event(events, EventKind::FaultRaised, protocol::kFaultCartridgeMissing));
    CHECK(snapshot_of(model).cartridge_id == 0);
    CHECK(nack_of(model.handle(protocol::Start{})).reason == NackReason::CartridgeMissing);
    CHECK(nack_of(model.handle(protocol::ClearFaults{})).reason == NackReason::FaultActive);
    model.insert_cartridge(1002, 1000);
    CHECK(is_ack(model.handle(protocol::ClearFaults{})));
    CHECK(is_ack(model.handle(protocol::Start{})));

    // Idle removal is routine.
    REQUIRE(is_ack(model.handle(protocol::Stop{})));
    model.remove_cartridge();
    CHECK(model.fault_bits() == 0);
}

TEST_CASE("button presses become events", "[sim][safety]") {
    SessionModel model(default_sim_config());
    model.press_button(2);
    const auto events = drain_events(model);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == EventKind::ButtonPressed);
    CHECK(events[0].detail == 2);
}
