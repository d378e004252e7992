// PenModel physics, driven by explicit time steps (no clock, no sleeping).
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "model_helpers.hpp"

using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;

TEST_CASE("depth actuator travels at finite speed and arrives", "[sim][physics]") {
    SessionModel model(default_sim_config());  // 5 mm/s
    REQUIRE(is_ack(model.handle(protocol::SetDepth{2000})));
    run_for(model, 0.1);
    auto status = snapshot_of(model);
    CHECK(status.depth_set_um == 2000);
    CHECK(status.depth_actual_um == 500);  // 5 mm/s * 0.1 s
    run_for(model, 0.4);
    CHECK(snapshot_of(model).depth_actual_um == 2000);
    run_for(model, 1.0);
    CHECK(snapshot_of(model).depth_actual_um == 2000);  // stays, no overshoot

    REQUIRE(is_ack(model.handle(protocol::SetDepth{1000})));
    run_for(model, 0.1);
    CHECK(snapshot_of(model).depth_actual_um == 1500);
}

TEST_CASE("motor ramps to the set speed and back down after Stop", "[sim][physics]") {
    SessionModel model(default_sim_config());  // 400 Hz/s
    start_at(model, 15000);
    CHECK(snapshot_of(model).state == protocol::PenState::Running);
    run_for(model, 0.1);
    CHECK(snapshot_of(model).speed_actual_chz == 4000);
    run_for(model, 0.3);
    CHECK(snapshot_of(model).speed_actual_chz == 15000);
    run_for(model, 1.0);
    CHECK(snapshot_of(model).speed_actual_chz == 15000);

    REQUIRE(is_ack(model.handle(protocol::Stop{})));
    CHECK(snapshot_of(model).state == protocol::PenState::Idle);
    run_for(model, 0.1);
    CHECK(snapshot_of(model).speed_actual_chz == 11000);
    run_for(model, 1.0);
    CHECK(snapshot_of(model).speed_actual_chz == 0);
}

TEST_CASE("strokes accumulate from the actual speed", "[sim][physics]") {
    SessionModel model(default_sim_config());
    start_at(model, 10000);  // 100 Hz, reached after 0.25 s
    run_for(model, 10.0);
    // 100 Hz * 10 s minus the ramp's missing half of 100 Hz * 0.25 s
    CHECK(model.cartridge_strokes() == 987);
    REQUIRE(is_ack(model.handle(protocol::Stop{})));
    run_for(model, 1.0);
    const auto after_stop = model.cartridge_strokes();
    // plus the ramp-down's 100 Hz * 0.25 s / 2 (987.5 + 12.5, give or take rounding)
    CHECK(after_stop >= 999);
    CHECK(after_stop <= 1000);
    run_for(model, 5.0);
    CHECK(model.cartridge_strokes() == after_stop);
}

TEST_CASE("an exhausted cartridge faults and stops the needle", "[sim][physics][cartridge]") {
    SimConfig config = default_sim_config();
    config.cartridge_stroke_limit = 500;
    SessionModel model(config);
    start_at(model, 15000);
    run_for(model, 10.0);
    auto status = snapshot_of(model);
    CHECK(status.cartridge_strokes == 500);
    CHECK(status.cartridge_stroke_limit == 500);
    CHECK(status.state == protocol::PenState::Fault);
    CHECK(status.speed_actual_chz == 0);
    CHECK((status.fault_bits & (1u << protocol::kFaultCartridgeExhausted)) != 0);
    CHECK(has_event(drain_events(model), protocol::EventKind::FaultRaised,
                    protocol::kFaultCartridgeExhausted));

    const auto exhausted = nack_of(model.handle(protocol::Start{}));
    CHECK(exhausted.reason == protocol::NackReason::CartridgeExhausted);
    CHECK(exhausted.value == 500);
    CHECK(exhausted.limit == 500);
    CHECK(exhausted.limit_kind == protocol::LimitKind::Maximum);
    CHECK(nack_of(model.handle(protocol::ClearFaults{})).reason ==
          protocol::NackReason::FaultActive);

    model.insert_cartridge(2002, 1000);
    auto events = drain_events(model);
    CHECK(has_event(events, protocol::EventKind::CartridgeRemoved, 1001));
    CHECK(has_event(events, protocol::EventKind::CartridgeInserted, 2002));
    CHECK(is_ack(model.handle(protocol::ClearFaults{})));
    CHECK(has_event(drain_events(model), protocol::EventKind::FaultCleared,
                    protocol::kFaultCartridgeExhausted));
    CHECK(is_ack(model.handle(protocol::Start{})));
    CHECK(snapshot_of(model).cartridge_strokes == 0);
}

TEST_CASE("battery drains, faster with the motor, RF and LED on", "[sim][physics][battery]") {
    SessionModel idle(default_sim_config());
    SessionModel busy(default_sim_config());
    start_at(busy, 15000);
    REQUIRE(is_ack(busy.handle(rf_on(20000))));
    REQUIRE(is_ack(busy.handle(led_on(830, 2000))));
    run_for(idle, 60.0);
    run_for(busy, 60.0);
    const double idle_drop = 100.0 - idle.physics().battery_pct;
    const double busy_drop = 100.0 - busy.physics().battery_pct;
    CHECK(idle_drop > 0.0);
    CHECK(busy_drop > 5 * idle_drop);
    CHECK(snapshot_of(busy).battery_pct < 100);
}

TEST_CASE("a critically low battery latches a fault that cannot be cleared",
          "[sim][physics][battery]") {
    SimConfig config = default_sim_config();
    config.battery_pct = 5.05;
    SessionModel model(config);
    start_at(model, 15000);
    run_for(model, 30.0);
    CHECK((model.fault_bits() & (1u << protocol::kFaultBatteryCritical)) != 0);
    CHECK(model.state() == protocol::PenState::Fault);
    CHECK_FALSE(model.running());
    CHECK(nack_of(model.handle(protocol::ClearFaults{})).reason ==
          protocol::NackReason::FaultActive);
}

TEST_CASE("temperature rises with speed and RF power and cools toward ambient",
          "[sim][physics][thermal]") {
    SessionModel idle(default_sim_config());
    SessionModel needle(default_sim_config());
    SessionModel needle_rf(default_sim_config());
    start_at(needle, 15000);
    start_at(needle_rf, 15000);
    REQUIRE(is_ack(needle_rf.handle(rf_on(20000))));
    run_for(idle, 120.0);
    run_for(needle, 120.0);
    run_for(needle_rf, 120.0);
    CHECK(idle.physics().temperature_c == Approx(25.0));
    CHECK(needle.physics().temperature_c > 27.0);
    CHECK(needle_rf.physics().temperature_c > needle.physics().temperature_c + 5.0);
    CHECK(snapshot_of(needle_rf).temperature_cdeg > 3000);

    const double hot = needle_rf.physics().temperature_c;
    REQUIRE(is_ack(needle_rf.handle(protocol::Stop{})));
    REQUIRE(is_ack(needle_rf.handle(protocol::SetRf{})));
    run_for(needle_rf, 60.0);
    const double cooler = needle_rf.physics().temperature_c;
    CHECK(cooler < hot);
    run_for(needle_rf, 1200.0);
    CHECK(needle_rf.physics().temperature_c == Approx(25.0).margin(0.1));
}

TEST_CASE("over-temperature latches and clears only once the pen has cooled",
          "[sim][physics][thermal]") {
    SimConfig config = default_sim_config();
    config.over_temperature_c = 32.0;
    SessionModel model(config);
    start_at(model, 15000);
    REQUIRE(is_ack(model.handle(rf_on(20000))));
    run_for(model, 120.0);
    CHECK((model.fault_bits() & (1u << protocol::kFaultOverTemperature)) != 0);
    CHECK_FALSE(model.running());
    CHECK_FALSE(model.rf_enabled());
    CHECK(nack_of(model.handle(protocol::ClearFaults{})).reason ==
          protocol::NackReason::FaultActive);
    run_for(model, 600.0);
    CHECK(is_ack(model.handle(protocol::ClearFaults{})));
    CHECK(model.state() == protocol::PenState::Idle);
}

TEST_CASE("RF energy accumulates only while running with RF enabled", "[sim][physics][rf]") {
    SessionModel model(default_sim_config());
    REQUIRE(is_ack(model.handle(rf_on(10000))));  // 10 W
    run_for(model, 1.0);
    auto status = snapshot_of(model);
    CHECK(status.rf_energy_mj == 0);
    CHECK(status.rf_flags == 0x01);  // enabled, not delivering

    start_at(model, 10000);
    CHECK(snapshot_of(model).rf_flags == 0x03);
    run_for(model, 2.0);
    CHECK(snapshot_of(model).rf_energy_mj == Approx(20000).margin(2));  // 10 W * 2 s = 20 J

    REQUIRE(is_ack(model.handle(protocol::SetRf{})));  // off
    run_for(model, 1.0);
    CHECK(snapshot_of(model).rf_energy_mj == Approx(20000).margin(2));
    CHECK(snapshot_of(model).rf_flags == 0);
}

TEST_CASE("RF impedance drifts within 200-400 ohm, reproducibly per seed", "[sim][physics][rf]") {
    SimConfig other_seed = default_sim_config();
    other_seed.seed = 99;
    SessionModel a(default_sim_config());
    SessionModel b(default_sim_config());
    SessionModel c(other_seed);
    std::set<std::uint16_t> seen;
    bool differs_from_other_seed = false;
    for (int i = 0; i < 200; ++i) {
        run_for(a, 0.05);
        run_for(b, 0.05);
        run_for(c, 0.05);
        const auto ohm = snapshot_of(a).rf_impedance_ohm;
        CHECK(ohm >= 200);
        CHECK(ohm <= 400);
        CHECK(ohm == snapshot_of(b).rf_impedance_ohm);
        differs_from_other_seed |= ohm != snapshot_of(c).rf_impedance_ohm;
        seen.insert(ohm);
    }
    CHECK(seen.size() > 10);  // it moves
    CHECK(differs_from_other_seed);
}

TEST_CASE("LED dose accumulates irradiance times time, pulsed at duty", "[sim][physics][led]") {
    SessionModel continuous(default_sim_config());
    SessionModel pulsed(default_sim_config());
    REQUIRE(is_ack(continuous.handle(led_on(633, 1000))));             // 100 mW/cm2
    REQUIRE(is_ack(pulsed.handle(led_pulsed(633, 1000, 1000, 250))));  // 10 Hz, 25 %
    run_for(continuous, 2.0);
    run_for(pulsed, 2.0);
    // 100 mW/cm2 * 2 s = 200 mJ/cm2 = 200000 uJ/cm2
    CHECK(snapshot_of(continuous).led_dose_uj_cm2 == Approx(200000).margin(2));
    CHECK(snapshot_of(pulsed).led_dose_uj_cm2 == Approx(50000).margin(2));
    CHECK(snapshot_of(continuous).led_wavelength_nm == 633);
    CHECK(snapshot_of(continuous).led_flags == 0x03);

    // Pulsed: emitting a quarter of each 100 ms period.
    int emitting = 0;
    for (int i = 0; i < 100; ++i) {
        run_for(pulsed, 0.001);
        if (snapshot_of(pulsed).led_flags & 0x02) ++emitting;
    }
    CHECK(emitting == 25);

    REQUIRE(is_ack(continuous.handle(protocol::SetLed{})));
    run_for(continuous, 1.0);
    CHECK(snapshot_of(continuous).led_dose_uj_cm2 == Approx(200000).margin(2));
    CHECK(snapshot_of(continuous).led_flags == 0);
}

TEST_CASE("status snapshot reports settings, identity of the cartridge and uptime",
          "[sim][physics]") {
    SessionModel model(default_sim_config());
    REQUIRE(is_ack(model.handle(protocol::SetDepth{1500})));
    REQUIRE(is_ack(model.handle(protocol::SetSpeed{12000})));
    run_for(model, 1.234);
    const auto status = snapshot_of(model);
    CHECK(status.timestamp_ms == 1234);
    CHECK(status.state == protocol::PenState::Idle);
    CHECK(status.depth_set_um == 1500);
    CHECK(status.speed_set_chz == 12000);
    CHECK(status.battery_pct == 100);
    CHECK(status.temperature_cdeg == 2500);
    CHECK(status.cartridge_id == 1001);
    CHECK(status.cartridge_stroke_limit == 2000000);
    CHECK(status.fault_bits == 0);
}
