// Fault injection of the simulated pen (environment, power, link) at the model and device
// level, and how the device keeps replies ahead of Status on a congested link.
#include <catch2/catch.hpp>

#include "device_harness.hpp"
#include "model_helpers.hpp"

using namespace std::chrono_literals;
using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;

namespace {

constexpr std::uint32_t bit(std::uint32_t index) { return 1u << index; }

bool acked(const std::optional<protocol::Message>& reply) {
    return reply && std::holds_alternative<protocol::Ack>(*reply);
}

}  // namespace

TEST_CASE("extra heating ramps the temperature into over-temperature", "[sim][faults]") {
    SessionModel model(default_sim_config());
    model.set_heating_c_per_s(2.0);
    run_for(model, 5.0);
    CHECK(model.physics().temperature_c > 30.0);
    CHECK((model.fault_bits() & bit(protocol::kFaultOverTemperature)) == 0);
    run_for(model, 15.0);
    CHECK((model.fault_bits() & bit(protocol::kFaultOverTemperature)) != 0);
    // Cooling: heat off and the handpiece set back to room temperature, then it clears.
    model.set_heating_c_per_s(0.0);
    model.set_temperature_c(30.0);
    run_for(model, 0.1);
    CHECK(is_ack(model.handle(protocol::ClearFaults{})));
}

TEST_CASE("a setting of the temperature above the limit latches at the next step",
          "[sim][faults]") {
    SessionModel model(default_sim_config());
    start_at(model, 10000);
    model.set_temperature_c(60.0);
    run_for(model, 0.001);
    CHECK((model.fault_bits() & bit(protocol::kFaultOverTemperature)) != 0);
    CHECK_FALSE(model.running());
}

TEST_CASE("drain to critical, and the charger recovers the battery", "[sim][faults]") {
    SessionModel model(default_sim_config());
    model.set_battery_pct(6.0);
    model.set_drain_pct_per_s(1.0);
    run_for(model, 1.5);
    CHECK((model.fault_bits() & bit(protocol::kFaultBatteryCritical)) != 0);
    CHECK(nack_of(model.handle(protocol::ClearFaults{})).reason ==
          protocol::NackReason::FaultActive);
    model.set_drain_pct_per_s(0.0);
    model.set_charging(true);
    // On the charger the fault may be cleared at once, and the battery fills.
    CHECK(is_ack(model.handle(protocol::ClearFaults{})));
    const double before = model.physics().battery_pct;
    run_for(model, 2.0);
    CHECK(model.physics().battery_pct ==
          Approx(before + 2.0 * PenModel::kChargePctPerS).margin(0.05));
    CHECK(model.fault_bits() == 0);
}

TEST_CASE("end_session turns the outputs off at once without latching a fault",
          "[sim][faults][session]") {
    SessionModel model(default_sim_config());
    start_at(model, 15000);
    REQUIRE(is_ack(model.handle(rf_on(5000))));
    REQUIRE(is_ack(model.handle(led_on(633, 500))));
    REQUIRE(is_ack(model.handle(protocol::SubscribeStatus{100})));
    run_for(model, 0.5);
    model.end_session();
    CHECK_FALSE(model.running());
    CHECK(model.physics().speed_hz == 0.0);
    CHECK_FALSE(model.rf_enabled());
    CHECK_FALSE(model.led_enabled());
    CHECK(model.status_rate_hz() == 0);
    CHECK(model.fault_bits() == 0);
    run_for(model, 2.0, false);  // no host: the disarmed watchdog stays quiet
    CHECK(model.fault_bits() == 0);
}

TEST_CASE("reboot loses what is volatile and keeps what is physical", "[sim][faults][reboot]") {
    SimConfig config = default_sim_config();
    SessionModel model(config);
    REQUIRE(is_ack(model.handle(protocol::SetDepth{1500})));
    start_at(model, 12000);
    REQUIRE(is_ack(model.handle(protocol::SubscribeStatus{100})));
    model.set_heating_c_per_s(0.5);
    run_for(model, 2.0);
    model.raise_fault(protocol::kFaultInjected);
    model.remove_cartridge();
    model.insert_cartridge(77, 1000);
    const double temperature = model.physics().temperature_c;
    const double battery = model.physics().battery_pct;

    model.reboot(0x12345678);
    const auto status = snapshot_of(model);
    CHECK(status.state == protocol::PenState::Idle);
    CHECK(status.fault_bits == 0);
    CHECK(status.depth_set_um == config.info.depth_min_um);
    CHECK(status.speed_set_chz == config.info.speed_min_chz);
    CHECK(status.speed_actual_chz == 0);
    CHECK(status.rf_energy_mj == 0);
    CHECK(model.uptime_us() == 0);
    CHECK(model.status_rate_hz() == 0);
    CHECK(drain_events(model).empty());
    CHECK(model.physics().temperature_c == temperature);
    CHECK(model.physics().battery_pct == battery);
    CHECK(status.cartridge_id == 77);
    run_for(model, 1.0);
    CHECK(model.physics().temperature_c > temperature);  // the environment still heats it
}

TEST_CASE("device reboot: the stream stops, replies are forgotten, counters restart",
          "[sim][device][reboot]") {
    DeviceHarness harness;
    harness.device.start();
    REQUIRE(harness.request(protocol::Hello{}));
    REQUIRE(acked(harness.request(protocol::SubscribeStatus{1000})));
    harness.send(500, protocol::SetDepth{1000});
    REQUIRE(harness.run_until([&] { return harness.received<protocol::Status>().size() > 20; }));

    harness.device.reboot();
    const std::size_t statuses = harness.received<protocol::Status>().size();
    harness.run_for(50ms);
    CHECK(harness.received<protocol::Status>().size() == statuses);
    CHECK(harness.device.model().uptime_ms() < 1000);

    // seq 500 is a new request for the new boot, not a replay.
    harness.send(1, protocol::Hello{});
    harness.send(500, protocol::SetDepth{2000});
    REQUIRE(acked(harness.request(protocol::SubscribeStatus{1000})));
    REQUIRE(harness.run_until(
        [&] { return harness.received<protocol::Status>().size() > statuses + 2; }));
    const auto after = harness.received<protocol::Status>();
    CHECK(after[statuses].status_seq == 0);  // a new boot numbers from 0 again
    CHECK(after.back().depth_set_um == 2000);
}

TEST_CASE("device power off: deaf and mute until it boots", "[sim][device][reboot]") {
    DeviceHarness harness;
    harness.device.start();
    harness.device.power_off();
    CHECK_FALSE(harness.device.powered());
    CHECK_FALSE(harness.request(protocol::Hello{}));
    harness.device.press_button(1);
    CHECK(harness.frames.empty());
    harness.device.power_on();
    CHECK(harness.request(protocol::Hello{}));
}

TEST_CASE("reboot_after_ms power-cycles the device once", "[sim][device][reboot]") {
    SimConfig config = default_sim_config();
    config.reboot_after_ms = 50;
    DeviceHarness harness(config);
    harness.device.start();
    harness.open_session();
    REQUIRE(acked(harness.request(protocol::SubscribeStatus{1000})));
    REQUIRE(harness.run_until([&] { return harness.received<protocol::Status>().size() > 5; }));
    harness.run_for(200ms);
    const std::size_t statuses = harness.received<protocol::Status>().size();
    CHECK(statuses < 120);  // the stream stopped at the reboot
    harness.run_for(50ms);
    CHECK(harness.received<protocol::Status>().size() == statuses);
}

TEST_CASE("device end_session: outputs off, stream stopped, no fault", "[sim][device][session]") {
    SimConfig config = default_sim_config();
    config.info.watchdog_ms = 50;
    DeviceHarness harness(config);
    harness.device.start();
    harness.open_session();
    REQUIRE(acked(harness.request(protocol::SubscribeStatus{1000})));
    REQUIRE(acked(harness.request(protocol::Start{})));
    harness.device.end_session();
    CHECK_FALSE(harness.device.model().running());
    const std::size_t statuses = harness.received<protocol::Status>().size();
    harness.run_for(150ms);  // three watchdog periods without a host
    CHECK(harness.received<protocol::Status>().size() == statuses);
    CHECK(harness.device.model().fault_bits() == 0);
}

TEST_CASE("on a paced link, Status that does not fit is dropped and replies never wait",
          "[sim][device][congestion]") {
    SimConfig config = default_sim_config();
    config.link_bytes_per_s = 6000;  // about 100 Status frames/s
    DeviceHarness harness(config);
    harness.device.start();
    harness.open_session();
    REQUIRE(acked(harness.request(protocol::SubscribeStatus{2000})));
    harness.run_for(300ms);
    // Every request is answered at once, in the same receive(), however busy the stream is.
    for (int i = 0; i < 20; ++i) REQUIRE(acked(harness.request(protocol::Heartbeat{})));
    const auto statuses = harness.received<protocol::Status>();
    REQUIRE(statuses.size() >= 5);
    CHECK(statuses.size() < 100);  // 2000 Hz asked for, the link carries about 100/s
    CHECK(harness.device.status_dropped() > 0);
    // The drops show as gaps in status_seq, which still counts every frame.
    CHECK(statuses.back().status_seq - statuses.front().status_seq + 1 > statuses.size());
}

TEST_CASE("with a status sink, Status goes apart from replies and events",
          "[sim][device][congestion]") {
    DeviceHarness harness;
    std::size_t status_chunks = 0;
    protocol::FrameDecoder sink_decoder;
    std::size_t non_status = 0;
    harness.device.set_status_sink([&](std::span<const std::uint8_t> bytes) {
        ++status_chunks;
        sink_decoder.feed(
            bytes,
            [&](const protocol::DecodedFrame& frame) {
                if (frame.header.type != protocol::MessageType::Status) ++non_status;
            },
            [](protocol::FrameError) {});
    });
    harness.device.start();
    harness.open_session();
    REQUIRE(acked(harness.request(protocol::SubscribeStatus{1000})));
    harness.device.press_button(3);
    harness.run_for(100ms);
    CHECK(status_chunks > 0);
    CHECK(non_status == 0);
    CHECK(harness.received<protocol::Status>().empty());
    CHECK(harness.received<protocol::Event>().size() == 1);
}
