// Protocol v2 sessions, the e-stop's safe set and the session depth limit (docs/protocol.md
// sections 4.1, 6.2 and 9), on the bare model and through the device.
#include <catch2/catch.hpp>

#include "device_harness.hpp"
#include "model_helpers.hpp"

using namespace std::chrono_literals;
using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;
using protocol::LimitKind;
using protocol::NackReason;

namespace {

constexpr std::uint32_t kEstopBit = 1u << protocol::kFaultEmergencyStop;

void make_busy(PenModel& model) {
    start_at(model, 12000);
    REQUIRE(is_ack(model.handle(rf_on(5000))));
    REQUIRE(is_ack(model.handle(led_on(633, 500))));
    REQUIRE(is_ack(model.handle(protocol::SubscribeStatus{100})));
    run_for(model, 0.5);
}

void check_all_off(const PenModel& model) {
    CHECK_FALSE(model.running());
    CHECK(model.physics().speed_hz == 0.0);
    CHECK_FALSE(model.rf_enabled());
    CHECK_FALSE(model.led_enabled());
}

}  // namespace

TEST_CASE("audit: requests before Hello get NoSession, except the safe set",
          "[sim][v2][session][audit]") {
    PenModel model(default_sim_config());
    CHECK(model.session_id() == 0);
    for (const protocol::Message& refused :
         {protocol::Message{protocol::GetInfo{}}, protocol::Message{protocol::GetSettings{}},
          protocol::Message{protocol::SetDepth{1000}}, protocol::Message{protocol::SetSpeed{10000}},
          protocol::Message{protocol::Start{}}, protocol::Message{rf_on(1000)},
          protocol::Message{led_on(633, 100)}, protocol::Message{protocol::Heartbeat{}},
          protocol::Message{protocol::SubscribeStatus{100}},
          protocol::Message{protocol::ClearEmergencyStop{}},
          protocol::Message{protocol::ClearFaults{}},
          protocol::Message{protocol::SetDepthLimit{1000}}}) {
        const auto refusal = nack_of(model.handle(refused));
        CHECK(refusal.reason == NackReason::NoSession);
        CHECK(refusal.request == protocol::type_of(refused));
        CHECK(refusal.limit_kind == LimitKind::None);
    }
    CHECK(model.status_rate_hz() == 0);
    CHECK_FALSE(model.running());
    // The safe set is applied outside a session.
    CHECK(is_ack(model.handle(protocol::Stop{})));
    CHECK(is_ack(model.handle(protocol::SetRf{})));
    CHECK(is_ack(model.handle(protocol::SetLed{})));
    CHECK(is_ack(model.handle(protocol::EndSession{})));
    CHECK(is_ack(model.handle(protocol::EmergencyStop{})));
    CHECK(model.state() == protocol::PenState::EmergencyStopped);
    // Hello starts a session, e-stopped or not.
    const auto hello = model.handle(protocol::Hello{});
    REQUIRE(std::holds_alternative<protocol::HelloReply>(hello));
    CHECK(std::get<protocol::HelloReply>(hello).session_id == model.session_id());
    CHECK(model.session_id() != 0);
}

TEST_CASE("audit: a previous session's subscription does not stream after a new Hello",
          "[sim][v2][session][audit]") {
    DeviceHarness harness;
    harness.device.start();
    const auto first = harness.open_session();
    REQUIRE(harness.request(protocol::SubscribeStatus{1000}));
    REQUIRE(harness.run_until([&] { return harness.received<protocol::Status>().size() > 10; }));
    CHECK(harness.received<protocol::Status>().back().session_id == first.session_id);

    const auto second = harness.open_session();
    const std::size_t streamed = harness.received<protocol::Status>().size();
    harness.run_for(100ms);
    CHECK(harness.received<protocol::Status>().size() == streamed);
    // Subscribing in the new session streams again, stamped with the new session.
    REQUIRE(harness.request(protocol::SubscribeStatus{1000}));
    REQUIRE(harness.run_until(
        [&] { return harness.received<protocol::Status>().size() > streamed + 5; }));
    CHECK(harness.received<protocol::Status>().back().session_id == second.session_id);
}

TEST_CASE("Hello starts from a safe state and keeps the set points", "[sim][v2][session]") {
    SessionModel model(default_sim_config());
    REQUIRE(is_ack(model.handle(protocol::SetDepth{1500})));
    REQUIRE(is_ack(model.handle(protocol::SetDepthLimit{2000})));
    make_busy(model);
    const auto before = model.session_id();
    REQUIRE(std::holds_alternative<protocol::HelloReply>(model.handle(protocol::Hello{})));
    check_all_off(model);
    CHECK(model.session_id() != before);
    CHECK(model.status_rate_hz() == 0);
    CHECK(model.fault_bits() == 0);
    CHECK(model.depth_set_um() == 1500);
    CHECK(model.depth_limit_um() == 3000);
    CHECK(snapshot_of(model).speed_set_chz == 12000);
}

TEST_CASE("audit: while e-stopped, Stop, RF off and LED off are acked", "[sim][v2][estop][audit]") {
    SessionModel model(default_sim_config());
    make_busy(model);
    REQUIRE(is_ack(model.handle(protocol::EmergencyStop{})));
    CHECK(is_ack(model.handle(protocol::Stop{})));
    CHECK(is_ack(model.handle(protocol::SetRf{})));
    CHECK(is_ack(model.handle(protocol::SetLed{})));
    // Switching on stays refused.
    CHECK(nack_of(model.handle(rf_on(1000))).reason == NackReason::EmergencyStopped);
    CHECK(nack_of(model.handle(protocol::Start{})).reason == NackReason::EmergencyStopped);
    CHECK(model.state() == protocol::PenState::EmergencyStopped);
}

TEST_CASE("audit: EndSession while e-stopped leaves everything off without a latched fault",
          "[sim][v2][estop][session][audit]") {
    SessionModel model(default_sim_config());
    make_busy(model);
    REQUIRE(is_ack(model.handle(protocol::EmergencyStop{})));
    CHECK(is_ack(model.handle(protocol::EndSession{})));
    CHECK(model.session_id() == 0);
    check_all_off(model);
    run_for(model, 2.0, false);  // the host is gone: four watchdog periods of silence
    CHECK(model.fault_bits() == kEstopBit);
    CHECK(model.status_rate_hz() == 0);
}

TEST_CASE("EndSession ends a running session without a latched fault", "[sim][v2][session]") {
    SessionModel model(default_sim_config());
    REQUIRE(is_ack(model.handle(protocol::SetDepthLimit{1000})));
    make_busy(model);
    CHECK(is_ack(model.handle(protocol::EndSession{})));
    check_all_off(model);
    CHECK(model.session_id() == 0);
    CHECK(model.depth_limit_um() == 3000);
    run_for(model, 2.0, false);
    CHECK(model.fault_bits() == 0);
    CHECK(model.state() == protocol::PenState::Idle);
    // Acked outside a session too, changing nothing.
    CHECK(is_ack(model.handle(protocol::EndSession{})));
}

TEST_CASE("audit: the watchdog still latches Watchdog, and keeps the session",
          "[sim][v2][watchdog][audit]") {
    SessionModel model(default_sim_config());
    REQUIRE(is_ack(model.handle(protocol::EmergencyStop{})));
    REQUIRE(is_ack(model.handle(protocol::ClearEmergencyStop{})));
    make_busy(model);
    const auto session = model.session_id();
    run_for(model, 0.6, false);  // 500 ms watchdog, nothing from the host
    CHECK((model.fault_bits() & (1u << protocol::kFaultWatchdog)) != 0);
    check_all_off(model);
    CHECK(model.session_id() == session);
    CHECK(model.status_rate_hz() == 100);
    CHECK(is_ack(model.handle(protocol::ClearFaults{})));
}

TEST_CASE("a latched fault clears the RF and LED enabled flags", "[sim][v2][safety]") {
    SessionModel model(default_sim_config());
    make_busy(model);
    model.raise_fault(protocol::kFaultMotorStall);
    CHECK_FALSE(model.rf_enabled());
    CHECK_FALSE(model.led_enabled());
    REQUIRE(is_ack(model.handle(protocol::ClearFaults{})));
    CHECK_FALSE(model.rf_enabled());  // clearing the fault switches nothing back on
    CHECK_FALSE(model.led_enabled());
}

TEST_CASE("audit: SetDepthLimit below the current depth moves the set point",
          "[sim][v2][depth_limit][audit]") {
    SessionModel model(default_sim_config());  // 0..3000 um in 50 um steps
    REQUIRE(is_ack(model.handle(protocol::SetDepth{2000})));
    start_at(model, 10000);
    run_for(model, 1.0);
    REQUIRE(model.physics().depth_um == Approx(2000));
    CHECK(is_ack(model.handle(protocol::SetDepthLimit{1530})));
    CHECK(model.depth_set_um() == 1500);  // the deepest grid depth not deeper than the limit
    CHECK(model.depth_limit_um() == 1530);
    run_for(model, 1.0);
    CHECK(model.physics().depth_um == Approx(1500));  // the actuator followed, while running
    const auto status = snapshot_of(model);
    CHECK(status.depth_set_um == 1500);
    CHECK(status.depth_limit_um == 1530);
    CHECK(status.session_id == model.session_id());
    // Deeper than the limit is refused from now on, naming the session limit.
    const auto refusal = nack_of(model.handle(protocol::SetDepth{1550}));
    CHECK(refusal.reason == NackReason::OutOfRange);
    CHECK(refusal.field == protocol::Field::Depth);
    CHECK(refusal.value == 1550);
    CHECK(refusal.limit == 1530);
    CHECK(refusal.limit_kind == LimitKind::SessionMaximum);
    // A limit above the set point leaves it alone.
    CHECK(is_ack(model.handle(protocol::SetDepthLimit{2500})));
    CHECK(model.depth_set_um() == 1500);
}

TEST_CASE("SetDepthLimit outside the depth range is refused", "[sim][v2][depth_limit]") {
    SimConfig config = default_sim_config();
    config.info.depth_min_um = 200;
    SessionModel model(config);
    auto refusal = nack_of(model.handle(protocol::SetDepthLimit{3100}));
    CHECK(refusal.field == protocol::Field::DepthLimit);
    CHECK(refusal.limit == 3000);
    CHECK(refusal.limit_kind == LimitKind::Maximum);
    refusal = nack_of(model.handle(protocol::SetDepthLimit{100}));
    CHECK(refusal.limit == 200);
    CHECK(refusal.limit_kind == LimitKind::Minimum);
    // On a grid that starts at the minimum.
    REQUIRE(is_ack(model.handle(protocol::SetDepth{3000})));
    REQUIRE(is_ack(model.handle(protocol::SetDepthLimit{1234})));
    CHECK(model.depth_set_um() == 1200);
}

TEST_CASE("audit: a Nack for an off-grid depth says limit_kind Step", "[sim][v2][limits][audit]") {
    SessionModel model(default_sim_config());
    const auto refusal = nack_of(model.handle(protocol::SetDepth{1260}));
    CHECK(refusal.reason == NackReason::OutOfRange);
    CHECK(refusal.value == 1260);
    CHECK(refusal.limit == 50);
    CHECK(refusal.limit_kind == LimitKind::Step);
}

TEST_CASE("audit: an RF polarity refusal says limit_kind AllowedMask", "[sim][v2][limits][audit]") {
    SimConfig config = default_sim_config();
    config.info.rf_polarities = 0x02;
    SessionModel model(config);
    auto monopolar = rf_on(1000);
    monopolar.polarity = protocol::RfPolarity::Monopolar;
    const auto refusal = nack_of(model.handle(monopolar));
    CHECK(refusal.field == protocol::Field::RfPolarity);
    CHECK(refusal.value == 0);
    CHECK(refusal.limit == 0x02);
    CHECK(refusal.limit_kind == LimitKind::AllowedMask);
}

TEST_CASE("every Nack carrying fault bits says limit_kind FaultBits", "[sim][v2][limits]") {
    SessionModel model(default_sim_config());
    model.raise_fault(protocol::kFaultInjected);
    for (const protocol::Message& request :
         {protocol::Message{protocol::Start{}}, protocol::Message{rf_on(1000)},
          protocol::Message{led_on(633, 100)}}) {
        const auto refusal = nack_of(model.handle(request));
        CHECK(refusal.reason == NackReason::FaultActive);
        CHECK(refusal.value == (1 << protocol::kFaultInjected));
        CHECK(refusal.limit_kind == LimitKind::FaultBits);
    }
    model.set_temperature_c(80.0);
    run_for(model, 0.01);
    const auto still = nack_of(model.handle(protocol::ClearFaults{}));
    CHECK(still.value == (1 << protocol::kFaultOverTemperature));
    CHECK(still.limit_kind == LimitKind::FaultBits);
}

TEST_CASE("Start without a cartridge or with a used one says which", "[sim][v2][limits]") {
    SimConfig config = default_sim_config();
    config.cartridge_id = 0;
    SessionModel model(config);
    CHECK(nack_of(model.handle(protocol::Start{})).reason == NackReason::CartridgeMissing);
    model.insert_cartridge(5, 1);
    start_at(model, 15000);
    run_for(model, 0.5);
    const auto refusal = nack_of(model.handle(protocol::Start{}));
    CHECK(refusal.reason == NackReason::CartridgeExhausted);
    CHECK(refusal.value == 1);
    CHECK(refusal.limit == 1);
    CHECK(refusal.limit_kind == LimitKind::Maximum);
}

TEST_CASE("GetSettings reports the set points of the session", "[sim][v2][settings]") {
    SessionModel model(default_sim_config());
    REQUIRE(is_ack(model.handle(protocol::SetDepth{1250})));
    REQUIRE(is_ack(model.handle(protocol::SetDepthLimit{2000})));
    start_at(model, 11000);
    const auto rf = rf_on(3000);
    const auto led = led_pulsed(415, 200, 1000, 250);
    REQUIRE(is_ack(model.handle(rf)));
    REQUIRE(is_ack(model.handle(led)));
    REQUIRE(is_ack(model.handle(protocol::SubscribeStatus{25})));
    const auto reply = model.handle(protocol::GetSettings{});
    REQUIRE(std::holds_alternative<protocol::Settings>(reply));
    const auto& settings = std::get<protocol::Settings>(reply);
    CHECK(settings.session_id == model.session_id());
    CHECK(settings.state == protocol::PenState::Running);
    CHECK(settings.depth_set_um == 1250);
    CHECK(settings.depth_limit_um == 2000);
    CHECK(settings.speed_set_chz == 11000);
    CHECK(settings.running);
    CHECK(settings.rf == rf);
    CHECK(settings.led == led);
    CHECK(settings.status_rate_hz == 25);
    CHECK(settings.fault_bits == 0);
}

TEST_CASE("a host whose link closes leaves a pen with no session", "[sim][v2][session]") {
    DeviceHarness harness;
    harness.device.start();
    harness.open_session();
    REQUIRE(harness.request(protocol::SetSpeed{10000}));
    REQUIRE(harness.request(protocol::Start{}));
    harness.device.end_session();
    CHECK(harness.device.model().session_id() == 0);
    CHECK_FALSE(harness.device.model().running());
    const auto refused = harness.request(protocol::Start{});
    REQUIRE(refused);
    CHECK(std::get<protocol::Nack>(*refused).reason == NackReason::NoSession);
}
