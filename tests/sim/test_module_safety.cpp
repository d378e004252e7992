// Module energy outputs follow the pen's safety paths, interlocks drop what they guard, the
// telemetry follows the behaviour model, and modules come and go with events (model and device).
#include <catch2/catch.hpp>

#include <cmath>

#include "device_harness.hpp"
#include "model_helpers.hpp"
#include "module_fixtures.hpp"
#include "penlink/errors.hpp"

using namespace std::chrono_literals;
using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;
using protocol::NackReason;

namespace {

/// A session with the pump on and the heater at 4.0 W.
void heat(PenModel& model) {
    REQUIRE(is_ack(model.handle(set_params(1, {{kPumpOn, 1}, {kHeater, 40}}))));
    REQUIRE(model.modules().raw(1, "heater_w") == 40);
}

}  // namespace

TEST_CASE("module energy goes off wherever RF and LED do", "[sim][modules][safety]") {
    SessionModel model(suction_config());
    heat(model);
    REQUIRE(is_ack(model.handle(set_params(1, {{kVacuum, 300}}))));

    SECTION("e-stop") { REQUIRE(is_ack(model.handle(protocol::EmergencyStop{}))); }
    SECTION("the pen's e-stop button") { model.press_emergency_stop_button(); }
    SECTION("a latched fault") { model.raise_fault(protocol::kFaultMotorStall); }
    SECTION("EndSession") { REQUIRE(is_ack(model.handle(protocol::EndSession{}))); }
    SECTION("a new Hello") {
        REQUIRE(std::holds_alternative<protocol::HelloReply>(model.handle(protocol::Hello{})));
    }
    SECTION("the link closing") { model.end_session(); }
    SECTION("watchdog expiry") {
        CHECK(model.watchdog_armed());  // an energy parameter away from its default arms it
        run_for(model, 0.6, false);
        CHECK(has_event(drain_events(model), protocol::EventKind::WatchdogExpired, 500));
    }
    CHECK(model.modules().raw(1, "heater_w") == 0);
    CHECK_FALSE(model.modules().energy_active());
    // Only energy parameters are switched off; the rest keep their values.
    CHECK(model.modules().raw(1, "vacuum_kpa") == 300);
}

TEST_CASE("the watchdog is disarmed once module energy is off", "[sim][modules][safety]") {
    SessionModel model(suction_config());
    CHECK_FALSE(model.watchdog_armed());
    heat(model);
    CHECK(model.watchdog_armed());
    REQUIRE(is_ack(model.handle(set_params(1, {{kHeater, 0}}))));
    CHECK_FALSE(model.watchdog_armed());
}

TEST_CASE("an interlock that stops holding drops what it guards", "[sim][modules][interlock]") {
    SessionModel model(suction_config());
    SECTION("param:KEY: pump off takes the heater with it") {
        heat(model);
        REQUIRE(is_ack(model.handle(set_params(1, {{kPumpOn, 0}}))));
        CHECK(model.modules().raw(1, "heater_w") == 0);
    }
    SECTION("needle_running: Stop drops boost at once") {
        start_at(model, 10000);
        REQUIRE(is_ack(model.handle(set_params(1, {{kBoost, 1}}))));
        CHECK(model.modules().raw(1, "boost") == 1);
        REQUIRE(is_ack(model.handle(protocol::Stop{})));
        CHECK(model.modules().raw(1, "boost") == 0);
        // And it is refused again while the needle stands.
        const auto nack = nack_of(model.handle(set_params(1, {{kBoost, 1}})));
        CHECK(nack.reason == NackReason::InterlockActive);
        CHECK(nack.limit == 1);
    }
    SECTION("needle_running: a fault stops the needle and drops boost") {
        start_at(model, 10000);
        REQUIRE(is_ack(model.handle(set_params(1, {{kBoost, 1}}))));
        model.raise_fault(protocol::kFaultInjected);
        CHECK(model.modules().raw(1, "boost") == 0);
    }
}

TEST_CASE("a no_fault interlock drops its guard the moment the e-stop button is pressed",
          "[sim][modules][interlock]") {
    std::string text = suction_descriptor();
    const std::string needle = R"("condition": "needle_running")";
    text.replace(text.find(needle), needle.size(), R"("condition": "no_fault")");
    SimConfig config = default_sim_config();
    config.modules.push_back(load_module_text(text, "no_fault.json"));
    SessionModel model(config);
    REQUIRE(is_ack(model.handle(set_params(1, {{kBoost, 1}}))));
    model.press_emergency_stop_button();
    CHECK(model.modules().raw(1, "boost") == 0);
    const auto nack = nack_of(model.handle(set_params(1, {{kBoost, 1}})));
    CHECK(nack.reason == NackReason::InterlockActive);
    CHECK(nack.limit == 1);
}

TEST_CASE("telemetry follows the behaviour model in simulated time", "[sim][modules][telemetry]") {
    SessionModel model(suction_config());
    auto status = snapshot_of(model);
    REQUIRE(status.telemetry_count == 3);
    CHECK(telemetry_of(status, 1, kVacuumChannel) == 0);
    CHECK(telemetry_of(status, 1, kHeatChannel) == 0);
    CHECK(telemetry_of(status, 1, kSupplyChannel) == 1250);  // constant 12.5 V in 0.01 V

    SECTION("first_order approaches its set point") {
        REQUIRE(is_ack(model.handle(set_params(1, {{kPumpOn, 1}, {kVacuum, 500}}))));
        run_for(model, 0.5);  // one time constant: 1 - 1/e of the way to 50 kPa
        const double one_tau = *model.modules().telemetry(1, "vacuum_kpa");
        CHECK(one_tau == Approx(50.0 * (1.0 - std::exp(-1.0))).epsilon(0.01));
        run_for(model, 3.0);
        CHECK(telemetry_of(snapshot_of(model), 1, kVacuumChannel) == 500);
        // Pump off: back toward idle (0).
        REQUIRE(is_ack(model.handle(set_params(1, {{kPumpOn, 0}}))));
        run_for(model, 3.0);
        CHECK(*telemetry_of(snapshot_of(model), 1, kVacuumChannel) < 10);
    }
    SECTION("integrate grows while its condition holds and stops with it") {
        heat(model);  // 4 W
        run_for(model, 2.0);
        CHECK(*model.modules().telemetry(1, "heat_j") == Approx(8.0).epsilon(0.01));
        CHECK(telemetry_of(snapshot_of(model), 1, kHeatChannel) == 80);
        REQUIRE(is_ack(model.handle(set_params(1, {{kPumpOn, 0}}))));
        run_for(model, 1.0);
        CHECK(telemetry_of(snapshot_of(model), 1, kHeatChannel) == 80);
    }
}

TEST_CASE("telemetry is clamped to the channel's range", "[sim][modules][telemetry]") {
    TelemetrySpec channel;
    channel.scale = 0.01;
    channel.min = -10.0;
    channel.max = 60.0;
    CHECK(telemetry_raw(channel, 12.345) == 1235);  // round(value / scale)
    CHECK(telemetry_raw(channel, 99.0) == 6000);
    CHECK(telemetry_raw(channel, -99.0) == -1000);
    CHECK(telemetry_raw(channel, std::nan("")) == -1000);
}

TEST_CASE("a Status carries at most 16 telemetry values, the first ones",
          "[sim][modules][telemetry]") {
    SimConfig config = default_sim_config();
    for (int i = 0; i < 6; ++i) config.modules.push_back(suction_module());  // 18 channels
    SessionModel model(config);
    const auto status = snapshot_of(model);
    CHECK(status.telemetry_count == protocol::kMaxTelemetryValues);
    CHECK(telemetry_of(status, 5, kSupplyChannel));
    CHECK(telemetry_of(status, 6, kVacuumChannel));
    CHECK_FALSE(telemetry_of(status, 6, kHeatChannel));  // the 17th and 18th are left out
    CHECK_FALSE(telemetry_of(status, 6, kSupplyChannel));
}

TEST_CASE("a reboot keeps the modules and resets their state", "[sim][modules]") {
    SessionModel model(suction_config());
    REQUIRE(is_ack(model.handle(set_params(1, {{kVacuum, 300}}))));
    model.reboot(1234);
    CHECK(model.modules().fitted().size() == 1);
    CHECK(model.modules().raw(1, "vacuum_kpa") == 200);
}

TEST_CASE("attaching and detaching a module sends events; a detached one is gone",
          "[sim][modules]") {
    SessionModel model(suction_config());
    heat(model);
    drain_events(model);
    REQUIRE(model.detach_module(1));
    CHECK(has_event(drain_events(model), protocol::EventKind::ModuleDetached, 1));
    CHECK_FALSE(model.modules().energy_active());
    CHECK(std::get<protocol::Modules>(model.handle(protocol::GetModules{})).count == 0);
    CHECK(snapshot_of(model).telemetry_count == 0);
    CHECK_FALSE(model.detach_module(1));

    const auto slot = model.attach_module(suction_module());
    REQUIRE(slot == 1);
    CHECK(has_event(drain_events(model), protocol::EventKind::ModuleAttached, 1));
    CHECK(model.modules().raw(1, "heater_w") == 0);  // a fresh module starts at its defaults
    CHECK(std::get<protocol::Modules>(model.handle(protocol::GetModules{})).count == 1);
}

TEST_CASE("the device serves modules over frames; attach, detach and corrupt chunks",
          "[sim][modules][device]") {
    TempFile file(suction_descriptor());
    DeviceHarness harness(suction_config());
    harness.open_session();

    const auto modules = harness.request(protocol::GetModules{});
    REQUIRE(modules);
    REQUIRE(std::get<protocol::Modules>(*modules).count == 1);

    harness.device.corrupt_descriptor_chunks(1, 1);
    const auto bad = harness.request(protocol::ReadDescriptor{1, 0, 100});
    const auto good = harness.request(protocol::ReadDescriptor{1, 0, 100});
    REQUIRE(bad);
    REQUIRE(good);
    const auto& bad_chunk = std::get<protocol::DescriptorChunk>(*bad);
    const auto& good_chunk = std::get<protocol::DescriptorChunk>(*good);
    CHECK(bad_chunk.length == good_chunk.length);
    int differing = 0;
    for (std::size_t i = 0; i < good_chunk.length; ++i) {
        differing += bad_chunk.bytes[i] != good_chunk.bytes[i];
    }
    CHECK(differing == 1);
    CHECK(std::string(good_chunk.bytes.begin(), good_chunk.bytes.begin() + good_chunk.length) ==
          suction_descriptor().substr(0, 100));

    CHECK(harness.device.attach_module(file.path()) == 2);
    harness.device.detach_module(1);
    const auto events = harness.received<protocol::Event>();
    REQUIRE(events.size() >= 2);
    CHECK(events[events.size() - 2].kind == protocol::EventKind::ModuleAttached);
    CHECK(events[events.size() - 2].detail == 2);
    CHECK(events.back().kind == protocol::EventKind::ModuleDetached);
    CHECK(events.back().detail == 1);
    const auto after = harness.request(protocol::GetModules{});
    REQUIRE(after);
    REQUIRE(std::get<protocol::Modules>(*after).count == 1);
    CHECK(std::get<protocol::Modules>(*after).modules[0].slot == 2);

    CHECK_THROWS_AS(harness.device.detach_module(1), InvalidArgumentError);
    CHECK_THROWS_AS(harness.device.corrupt_descriptor_chunks(5, 1), InvalidArgumentError);
    CHECK_THROWS_WITH(harness.device.attach_module("/nonexistent/tip.json"),
                      Catch::Contains("/nonexistent/tip.json"));
}

TEST_CASE("a safing SetParams is never superseded", "[sim][modules][ordering]") {
    DeviceHarness harness(suction_config());
    harness.open_session();
    harness.send(20, set_params(1, {{kPumpOn, 1}, {kHeater, 40}}));
    REQUIRE(harness.reply_to(20));
    REQUIRE(std::holds_alternative<protocol::Ack>(*harness.reply_to(20)));
    // An older heater-off arrives late: still applied.
    harness.send(19, set_params(1, {{kHeater, 0}}));
    REQUIRE(harness.reply_to(19));
    CHECK(std::holds_alternative<protocol::Ack>(*harness.reply_to(19)));
    CHECK(harness.device.model().modules().raw(1, "heater_w") == 0);
    // An older non-safing one is superseded.
    harness.send(18, set_params(1, {{kVacuum, 300}}));
    REQUIRE(harness.reply_to(18));
    CHECK(std::get<protocol::Nack>(*harness.reply_to(18)).reason == NackReason::Superseded);
}
