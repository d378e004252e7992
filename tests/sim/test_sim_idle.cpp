// A simulated pen at rest costs nothing: its timer wakes only when something falls due (a status
// frame at the subscribed rate, the watchdog, a threshold), and one long step of a resting model
// gives what the per-tick steps give. Wake-ups are counted, never timed.
#include <catch2/catch.hpp>

#include <cstdint>
#include <thread>

#include "device_harness.hpp"
#include "model_helpers.hpp"
#include "sim/wake_timer.hpp"

using namespace std::chrono_literals;
using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;

namespace {

constexpr std::uint64_t kNever = UINT64_MAX;

bool acked(const std::optional<protocol::Message>& reply) {
    return reply && std::holds_alternative<protocol::Ack>(*reply);
}

std::uint16_t first_led_nm() { return default_sim_config().info.led_channels[0].wavelength_nm; }

bool saw_event(const DeviceHarness& harness, protocol::EventKind kind) {
    for (const auto& event : harness.received<protocol::Event>()) {
        if (event.kind == kind) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("a resting model steps once to what per-tick steps reach", "[sim][physics][idle]") {
    SimConfig config = default_sim_config();
    config.drain_pct_per_s = 0.01;
    config.heating_c_per_s = 0.02;
    SessionModel ticked(config);
    SessionModel jumped(config);
    for (PenModel* model : {static_cast<PenModel*>(&ticked), static_cast<PenModel*>(&jumped)}) {
        REQUIRE(is_ack(model->handle(led_on(first_led_nm(), 100))));
        REQUIRE(model->at_rest());
    }
    // 30 s without the host: the watchdog is armed (LED on) and falls due at 500 ms.
    const std::uint64_t watchdog_due = jumped.next_self_change_us();
    CHECK(watchdog_due == jumped.uptime_us() + 500'000);

    // Up to just before the deadline: one step against 499 ticks.
    run_for(ticked, 0.499, false);
    jumped.step(499'000);
    CHECK(jumped.uptime_us() == ticked.uptime_us());
    CHECK(jumped.physics().battery_pct == Approx(ticked.physics().battery_pct).epsilon(1e-12));
    CHECK(jumped.physics().temperature_c == Approx(ticked.physics().temperature_c).epsilon(1e-12));
    CHECK(jumped.physics().led_dose_uj_cm2 ==
          Approx(ticked.physics().led_dose_uj_cm2).epsilon(1e-12));
    CHECK(jumped.led_enabled());
    CHECK(jumped.next_self_change_us() == watchdog_due);

    // The step that reaches the deadline switches the LED off in both.
    run_for(ticked, 0.001, false);
    jumped.step(1000);
    CHECK_FALSE(ticked.led_enabled());
    CHECK_FALSE(jumped.led_enabled());
    CHECK(jumped.fault_bits() == ticked.fault_bits());
    CHECK(jumped.physics().rf_impedance_ohm >= 200.0);
    CHECK(jumped.physics().rf_impedance_ohm <= 400.0);
}

TEST_CASE("a resting model knows when it crosses a protection threshold", "[sim][physics][idle]") {
    SimConfig config = default_sim_config();
    SessionModel model(config);
    // Nothing armed; the idle drain alone takes the battery below 5 % only after ~52 hours.
    constexpr std::uint64_t kHourUs = 3'600'000'000;
    CHECK(model.next_self_change_us() > model.uptime_us() + 50 * kHourUs);
    CHECK(model.next_self_change_us() != kNever);

    SECTION("over-temperature") {
        model.set_heating_c_per_s(1.0);  // settles at 25 + 120 C: passes 50 C on the way
        const std::uint64_t due = model.next_self_change_us();
        REQUIRE(due != kNever);
        REQUIRE(due > model.uptime_us() + 1000);
        model.step(static_cast<std::uint32_t>(due - model.uptime_us() - 1000));
        CHECK((model.fault_bits() & (1u << protocol::kFaultOverTemperature)) == 0);
        model.step(1000);
        CHECK((model.fault_bits() & (1u << protocol::kFaultOverTemperature)) != 0);
        // Latched: only the battery's crossing, hours away, is left to wait for.
        CHECK(model.next_self_change_us() > model.uptime_us() + 50 * kHourUs);
    }
    SECTION("battery critical") {
        model.set_drain_pct_per_s(10.0);
        const std::uint64_t due = model.next_self_change_us();
        REQUIRE(due != kNever);
        model.step(static_cast<std::uint32_t>(due - model.uptime_us() - 1000));
        CHECK((model.fault_bits() & (1u << protocol::kFaultBatteryCritical)) == 0);
        model.step(1000);
        CHECK((model.fault_bits() & (1u << protocol::kFaultBatteryCritical)) != 0);
    }
    SECTION("on the charger the battery never becomes critical") {
        model.set_drain_pct_per_s(10.0);
        model.set_charging(true);
        CHECK(model.next_self_change_us() == kNever);
    }
}

TEST_CASE("an idle device's timer sleeps until something is due", "[sim][device][idle]") {
    DeviceHarness harness;
    harness.device.start();
    harness.open_session();

    SECTION("no subscription and nothing armed: no wake for hours") {
        harness.run_for(50ms);  // the one step after the Hello
        const std::uint64_t woken = harness.device.timer_wakeups();
        // The only thing due: the idle drain taking the battery below 5 %, ~52 hours away.
        CHECK(harness.device.next_wakeup_us() > 50ull * 3'600'000'000);
        harness.run_for(300ms);  // 300 ticks of the old 1 kHz loop
        CHECK(harness.device.timer_wakeups() == woken);
        // Time still passed for the model: the next input brings it up to the wall clock.
        CHECK(harness.device.model().uptime_us() >= 300'000);
    }

    SECTION("subscribed at 10 Hz: about one wake per frame, frames 100 ms apart") {
        REQUIRE(acked(harness.request(protocol::SubscribeStatus{10})));
        harness.run_for(50ms);
        const std::uint64_t woken = harness.device.timer_wakeups();
        const std::size_t seen = harness.received<protocol::Status>().size();
        harness.run_for(600ms);
        const auto statuses = harness.received<protocol::Status>();
        const std::size_t frames = statuses.size() - seen;
        CHECK(frames >= 2);  // loose: a loaded machine may run the context late
        // One wake per frame (the old loop: ~600), plus slack for a late wake's re-plan.
        CHECK(harness.device.timer_wakeups() - woken <= frames + 3);
        for (std::size_t i = 1; i < statuses.size(); ++i) {
            CHECK(statuses[i].status_seq == statuses[i - 1].status_seq + 1);
            const auto gap = statuses[i].timestamp_ms - statuses[i - 1].timestamp_ms;
            CHECK(gap >= 99);
            CHECK(gap <= 101);
        }
        // The pending wait is the next frame's due time, on the tick grid.
        const std::uint64_t next = harness.device.next_wakeup_us();
        const std::uint64_t now = harness.device.model().uptime_us();
        CHECK(next > statuses.back().timestamp_ms * 1000ull);
        CHECK(next <= now + 100'000 + default_sim_config().tick_us);
    }
}

TEST_CASE("a ramp to a new depth reaches the set point, then the device rests",
          "[sim][device][idle]") {
    DeviceHarness harness;
    harness.device.start();
    harness.open_session();
    REQUIRE(acked(harness.request(protocol::SubscribeStatus{50})));
    REQUIRE(acked(harness.request(protocol::SetDepth{1500})));  // 5 mm/s: 300 ms of travel

    REQUIRE(harness.run_until([&] {
        const auto statuses = harness.received<protocol::Status>();
        return !statuses.empty() && statuses.back().depth_actual_um == 1500;
    }));
    const auto statuses = harness.received<protocol::Status>();
    bool saw_travel = false;
    for (std::size_t i = 1; i < statuses.size(); ++i) {
        CHECK(statuses[i].depth_actual_um >= statuses[i - 1].depth_actual_um);
        saw_travel |= statuses[i].depth_actual_um > 0 && statuses[i].depth_actual_um < 1500;
        CHECK(statuses[i].depth_set_um == 1500);
    }
    CHECK(saw_travel);
    CHECK(harness.device.model().at_rest());

    // At rest again: wakes follow the 50 Hz stream, not the 1 kHz tick.
    const std::uint64_t woken = harness.device.timer_wakeups();
    const std::size_t seen = harness.received<protocol::Status>().size();
    harness.run_for(300ms);
    const std::size_t frames = harness.received<protocol::Status>().size() - seen;
    CHECK(harness.device.timer_wakeups() - woken <= frames + 3);
    CHECK(harness.received<protocol::Status>().back().depth_actual_um == 1500);
}

TEST_CASE("the watchdog of a resting device falls due on time", "[sim][device][idle][watchdog]") {
    SimConfig config = default_sim_config();
    config.info.watchdog_ms = 100;
    DeviceHarness harness(config);
    harness.device.start();
    harness.open_session();
    REQUIRE(acked(harness.request(led_on(first_led_nm(), 100))));
    harness.run_for(20ms);
    const PenModel& model = harness.device.model();
    REQUIRE(model.led_enabled());
    REQUIRE(model.at_rest());
    // The timer waits for the deadline itself, not for the next tick.
    CHECK(harness.device.next_wakeup_us() == model.uptime_us() + 100'000 - model.since_host_us());

    REQUIRE(harness.run_until(
        [&] { return saw_event(harness, protocol::EventKind::WatchdogExpired); }));
    CHECK_FALSE(harness.device.model().led_enabled());
    CHECK((harness.device.model().fault_bits() & (1u << protocol::kFaultWatchdog)) != 0);
}

TEST_CASE("pens started at different moments share one grid for their periodic work",
          "[sim][device][idle]") {
    // Streams of many pens on one thread fall due together only if their clocks line up: each
    // pen's uptime 0 is a whole millisecond, and a stream starts on a multiple of the grain of
    // the steady clock (WakeTimer::aligned_uptime_us).
    boost::asio::io_context io;
    WakeTimer first(io, [] {});
    WakeTimer second(io, [] {});
    first.set_uptime(0);
    std::this_thread::sleep_for(3ms);
    second.set_uptime(7'000);
    constexpr std::uint64_t kGrain = 20'000;
    for (const std::uint64_t uptime : {0ull, 1'000ull, 19'000ull, 20'000ull, 123'000ull}) {
        for (const WakeTimer* timer : {&first, &second}) {
            const std::uint64_t start = timer->aligned_uptime_us(uptime, kGrain);
            CHECK(start >= uptime);
            CHECK(start - uptime < kGrain);
            CHECK(start % 1'000 == 0);  // on the pen's 1 ms tick grid
            CHECK(timer->aligned_uptime_us(start, kGrain) == start);
            CHECK(timer->aligned_uptime_us(start + 1, kGrain) == start + kGrain);
        }
    }
    // The two pens' grid points are the same wall moments: a whole number of grains apart in
    // wall time, whatever each one's uptime.
    const std::uint64_t a = first.aligned_uptime_us(0, kGrain);
    const std::uint64_t b = second.aligned_uptime_us(0, kGrain);
    const auto wall_a = static_cast<std::int64_t>(first.wall_uptime_us()) -
                        static_cast<std::int64_t>(a);  // now - (grid point a), in wall time
    const auto wall_b =
        static_cast<std::int64_t>(second.wall_uptime_us()) - static_cast<std::int64_t>(b);
    const std::int64_t apart = wall_a - wall_b;  // within the microseconds between the reads
    const std::int64_t off_grid = ((apart % 20'000) + 20'000) % 20'000;
    CHECK((off_grid < 500 || off_grid > 19'500));
}
