// A full treatment session against the real penlink-sim, over a pseudo-terminal (serial
// transport) and over TCP: connect, read capabilities, set everything, run, stop, and the
// safety paths (host-side refusals, emergency stop).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <future>
#include <mutex>
#include <vector>

#include "penlink-sim/launcher.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {
namespace {

using simtool::SimProcess;

void check_capabilities(const Pen& pen) {
    const auto& info = pen.info();
    CHECK(info.model == "PL-SIM-1");
    CHECK(info.serial_number == "SIM000001");
    CHECK_FALSE(info.firmware_version.empty());
    CHECK(info.protocol_version == 2);
    const auto& caps = pen.capabilities();
    CHECK(caps.depth_min_mm == Approx(0.0));
    CHECK(caps.depth_max_mm == Approx(3.0));
    CHECK(caps.depth_step_mm == Approx(0.05));
    CHECK(caps.speed_min_hz == Approx(50.0));
    CHECK(caps.speed_max_hz == Approx(150.0));
    CHECK(caps.watchdog_ms == 500);
    CHECK(caps.rf.fitted);
    CHECK(caps.led.fitted);
    CHECK(caps.led.channels.size() == 3);
}

void run_treatment(Pen& pen) {
    REQUIRE(pen.connection_state() == ConnectionState::Connected);
    check_capabilities(pen);

    pen.set_depth(Depth::mm(1.5));
    pen.set_speed(Speed::hz(120));
    RfMode rf;
    rf.enabled = true;
    rf.polarity = RfPolarity::Bipolar;
    rf.frequency_khz = 1500;
    rf.power_w = 10.0;
    rf.pulse_ms = 100;
    pen.set_rf_mode(rf);
    LedMode led;
    led.enabled = true;
    led.wavelength_nm = 633;
    led.irradiance_mw_cm2 = 50.0;
    pen.set_led_mode(led);

    std::atomic<std::uint64_t> frames{0};
    auto subscription =
        pen.subscribe_status([&frames](const Status&) { frames.fetch_add(1); }, 100);
    pen.start();

    // The actuator and the motor take a while to get there; wait (bounded) until they have.
    REQUIRE(wait_for_status(pen, [](const Status& s) {
        return s.state == PenState::Running && std::fabs(s.depth_actual_mm - 1.5) < 0.011 &&
               std::fabs(s.speed_actual_hz - 120.0) < 0.5;
    }));
    const auto running = *pen.latest_status();
    CHECK(running.depth_set_mm == Approx(1.5));
    CHECK(running.speed_set_hz == Approx(120.0));
    CHECK(running.rf_enabled);
    CHECK(running.led_enabled);
    CHECK(running.led_wavelength_nm == 633);
    CHECK(running.cartridge_id != 0);
    CHECK(running.fault_bits == 0);
    CHECK(frames.load() > 0);

    pen.stop();
    REQUIRE(wait_for_status(pen, [](const Status& s) {
        return s.state == PenState::Idle && s.speed_actual_hz == 0.0;
    }));
}

void run_refusals(Pen& pen) {
    // Refused on the host, with the value, the limit and the unit.
    try {
        pen.set_depth(Depth::mm(3.2));
        FAIL("3.2 mm accepted on a 3.0 mm pen");
    } catch (const OutOfRangeError& error) {
        CHECK(std::string(error.what()) == "depth 3.20 mm exceeds the pen's maximum of 3.00 mm");
        CHECK(error.value() == Approx(3.2));
        CHECK(error.limit() == Approx(3.0));
        CHECK(error.unit() == "mm");
    }
    CHECK_THROWS_AS(pen.set_speed(Speed::hz(200)), OutOfRangeError);
    pen.set_depth_limit(Depth::mm(1.5));
    CHECK(pen.depth_limit() == Depth::mm(1.5));
    CHECK_THAT(message_of<OutOfRangeError>([&] { pen.set_depth(Depth::mm(2.0)); }),
               Catch::Contains("2.00 mm") && Catch::Contains("1.50 mm"));
    CHECK_THROWS_AS(pen.set_depth_limit(Depth::mm(3.5)), OutOfRangeError);
    pen.set_depth(Depth::mm(1.0));  // still works under the limit

    LedMode led;
    led.enabled = true;
    led.wavelength_nm = 500;
    CHECK_THAT(message_of<NotSupportedError>([&] { pen.set_led_mode(led); }),
               Catch::Contains("500 nm"));

    // An async refusal arrives through the callback, like any other outcome.
    std::promise<Result> outcome;
    auto future = outcome.get_future();
    pen.set_speed_async(Speed::hz(10),
                        [&outcome](const Result& result) { outcome.set_value(result); });
    REQUIRE(future.wait_for(kWaitLimit) == std::future_status::ready);
    const auto result = future.get();
    CHECK(result.code == ErrorCode::OutOfRange);
    CHECK(result.unit == "Hz");
    CHECK_THAT(result.message, Catch::Contains("10 Hz") && Catch::Contains("50 Hz"));
}

void run_emergency_stop(Pen& pen) {
    pen.set_depth(Depth::mm(1.0));
    pen.set_speed(Speed::hz(100));
    pen.start();
    REQUIRE(wait_for_status(pen, [](const Status& s) { return s.state == PenState::Running; }));

    pen.emergency_stop();
    REQUIRE(wait_for_status(pen, [](const Status& s) {
        return s.state == PenState::EmergencyStopped && (s.fault_bits & FaultEmergencyStop) != 0 &&
               !s.rf_enabled && !s.led_enabled;
    }));
    try {
        pen.start();
        FAIL("start accepted while the emergency stop is latched");
    } catch (const SafetyError& error) {
        CHECK(error.code() == ErrorCode::EmergencyStopped);
    }
    CHECK_THROWS_AS(pen.set_depth(Depth::mm(0.5)), SafetyError);
    pen.emergency_stop();  // always acknowledged, even when latched

    pen.clear_emergency_stop();
    REQUIRE(wait_for_status(pen, [](const Status& s) {
        return s.state == PenState::Idle && (s.fault_bits & FaultEmergencyStop) == 0;
    }));
    pen.start();
    REQUIRE(wait_for_status(pen, [](const Status& s) { return s.state == PenState::Running; }));
    pen.stop();
}

/// The sequence numbers of the status frames a callback received, in order.
class StatusSequences {
public:
    /// Returns how many there are now.
    std::size_t add(std::uint32_t sequence) {
        const std::lock_guard lock(mutex_);
        sequences_.push_back(sequence);
        return sequences_.size();
    }
    std::size_t size() const {
        const std::lock_guard lock(mutex_);
        return sequences_.size();
    }
    /// Each frame follows the one before it: none lost, none twice.
    void check_unbroken() const {
        const std::lock_guard lock(mutex_);
        for (std::size_t i = 1; i < sequences_.size(); ++i) {
            INFO("frame " << i);
            REQUIRE(sequences_[i] == sequences_[i - 1] + 1);
        }
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::uint32_t> sequences_;
};

TEST_CASE("treatment over a pseudo-terminal (serial transport)", "[stack][serial]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--pty", "--quiet"});
    REQUIRE(sim.url().rfind("serial:///dev/", 0) == 0);
    auto pen = Pen::connect(sim.url(), stack_options());
    SECTION("run") { run_treatment(*pen); }
    SECTION("refusals") { run_refusals(*pen); }
    SECTION("emergency stop") { run_emergency_stop(*pen); }
}

// A caller waiting for its reply over serial reads the link itself and keeps the I/O thread
// from being woken meanwhile (Transport::mute_reader): status frames that arrive then are
// handled by whichever thread reads them, none lost, and the I/O thread reads on afterwards.
TEST_CASE("over a pty, commands from two threads while status streams lose no status frame",
          "[stack][serial]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--pty", "--quiet"});
    auto pen = Pen::connect(sim.url(), stack_options());
    StatusSequences sequences;
    auto subscription =
        pen->subscribe_status([&](const Status& status) { sequences.add(status.sequence); }, 1000);
    REQUIRE(wait_until([&] { return sequences.size() >= 20; }));
    const auto commands = [&](double first_mm) {
        for (int i = 0; i < 150; ++i) pen->set_depth(Depth::mm(first_mm + 0.05 * (i % 4)));
    };
    auto other = std::async(std::launch::async, commands, 0.5);
    commands(1.0);
    other.get();
    // The stream goes on once nobody waits for a reply: the I/O thread reads it again.
    const auto after_commands = sequences.size();
    REQUIRE(wait_until([&] { return sequences.size() >= after_commands + 100; }));
    subscription.unsubscribe();
    sequences.check_unbroken();
    CHECK(pen->dropped_status_frames() == 0);
}

// A fast stream's link is read on the callback runs and keeps quiet for the I/O thread in
// between (CallbackDispatcher::LinkPolling), but never while a callback runs: a callback that
// blocks leaves the I/O thread reading the link, so latest_status() stays fresh and no frame is
// lost. Over TCP too: both links keep quiet the same way.
TEST_CASE("a fast stream's link is still read while a status callback blocks", "[stack][serial]") {
    const bool tcp = GENERATE(false, true);
    SimProcess sim(PENLINK_SIM_EXE, tcp ? std::vector<std::string>{"--tcp", "0", "--quiet"}
                                        : std::vector<std::string>{"--pty", "--quiet"});
    INFO(sim.url());
    auto pen = Pen::connect(sim.url(), stack_options());
    StatusSequences sequences;
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<bool> blocking{false};
    auto subscription = pen->subscribe_status(
        [&](const Status& status) {
            const std::size_t count = sequences.add(status.sequence);
            // Once the stream has run fast for a while (its runs deferred, the link quiet
            // between them), one callback blocks until the test has seen the link read on.
            if (count == 3000) {
                blocking = true;
                released.wait_for(std::chrono::seconds(20));
                blocking = false;
            }
        },
        5000);
    REQUIRE(wait_until([&] { return blocking.load(); }));
    const auto seq_when_blocked = pen->latest_status()->sequence;
    // 1000 frames later: read by the I/O thread, as this pen's callback is still inside (and
    // its next run cannot start before that one ends).
    const bool read_on =
        wait_until([&] { return pen->latest_status()->sequence >= seq_when_blocked + 1000; });
    CHECK(blocking.load());
    release.set_value();
    REQUIRE(read_on);
    const auto after = sequences.size();
    REQUIRE(wait_until([&] { return sequences.size() >= after + 2000; }));
    subscription.unsubscribe();
    sequences.check_unbroken();
    CHECK(pen->dropped_status_frames() == 0);
}

TEST_CASE("treatment over TCP", "[stack][tcp]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    REQUIRE(sim.url().rfind("tcp://127.0.0.1:", 0) == 0);
    auto pen = Pen::connect(sim.url(), stack_options());
    SECTION("run") { run_treatment(*pen); }
    SECTION("refusals") { run_refusals(*pen); }
    SECTION("emergency stop") { run_emergency_stop(*pen); }
}

TEST_CASE("closing a pen with needle, RF and LED on leaves everything off and nothing latched",
          "[stack][tcp]") {
    // Audit finding 6: close() stopped the needle but left RF and LED on; the watchdog then
    // latched a fault that blocked the next session.
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    {
        auto pen = Pen::connect(sim.url(), stack_options());
        pen->set_depth(Depth::mm(1.0));
        pen->set_speed(Speed::hz(100));
        RfMode rf;
        rf.enabled = true;
        rf.frequency_khz = 1500;
        rf.power_w = 5;
        pen->set_rf_mode(rf);
        LedMode led;
        led.enabled = true;
        led.wavelength_nm = 633;
        led.irradiance_mw_cm2 = 20;
        pen->set_led_mode(led);
        pen->start();
        REQUIRE(wait_for_status(*pen, [](const Status& s) {
            return s.state == PenState::Running && s.rf_delivering && s.led_emitting;
        }));
    }
    // Longer than the pen's watchdog: a pen left on would have latched a watchdog fault.
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    auto pen = Pen::connect(sim.url(), stack_options());
    REQUIRE(wait_for_status(*pen, [](const Status& s) { return s.speed_actual_hz == 0.0; }));
    const auto status = *pen->latest_status();
    CHECK(status.state == PenState::Idle);
    CHECK(status.fault_bits == 0);
    CHECK_FALSE(status.rf_enabled);
    CHECK_FALSE(status.led_enabled);
    const auto settings = pen->read_settings();
    CHECK_FALSE(settings.running);
    CHECK_FALSE(settings.rf.enabled);
    CHECK_FALSE(settings.led.enabled);
}

TEST_CASE("a depth limit lowered behind an in-flight set_depth wins", "[stack][tcp]") {
    // Audit finding 9: a set_depth in flight landed after the limit was lowered, and a limit
    // below the current depth left the pen deeper.
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto pen = Pen::connect(sim.url(), stack_options());
    pen->set_depth(Depth::mm(2.0));
    std::promise<Result> deep_done;
    auto deep = deep_done.get_future();
    pen->set_depth_async(Depth::mm(2.5), [&](const Result& r) { deep_done.set_value(r); });
    pen->set_depth_limit(Depth::mm(1.0));
    REQUIRE(deep.wait_for(kWaitLimit) == std::future_status::ready);
    const auto settings = pen->read_settings();
    CHECK(settings.depth_limit_mm == Approx(1.0));
    CHECK(settings.depth_set_mm <= 1.0 + 1e-9);
    REQUIRE(wait_for_status(*pen, [](const Status& s) { return s.depth_actual_mm <= 1.0 + 1e-9; }));
    CHECK_THROWS_AS(pen->set_depth(Depth::mm(1.2)), OutOfRangeError);
}

TEST_CASE("emergency stop and its clearing arrive as events", "[stack][tcp]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto pen = Pen::connect(sim.url(), stack_options());
    std::mutex mutex;
    std::vector<EventKind> kinds;
    auto subscription = pen->subscribe_events([&](const Event& event) {
        std::lock_guard lock(mutex);
        kinds.push_back(event.kind);
    });
    pen->emergency_stop();
    pen->clear_emergency_stop();
    REQUIRE(wait_until([&] {
        std::lock_guard lock(mutex);
        return std::find(kinds.begin(), kinds.end(), EventKind::EmergencyCleared) != kinds.end();
    }));
    std::lock_guard lock(mutex);
    const auto stopped = std::find(kinds.begin(), kinds.end(), EventKind::EmergencyStopped);
    const auto cleared = std::find(kinds.begin(), kinds.end(), EventKind::EmergencyCleared);
    CHECK(stopped < cleared);
}

TEST_CASE("closing the pen leaves it closed and later commands fail", "[stack][tcp]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto pen = Pen::connect(sim.url(), stack_options());
    pen->close();
    CHECK(pen->connection_state() == ConnectionState::Closed);
    CHECK_THROWS_AS(pen->set_depth(Depth::mm(1.0)), ConnectionError);
    pen->close();  // idempotent
}

}  // namespace
}  // namespace penlink::test
