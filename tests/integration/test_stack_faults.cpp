// What happens when a link or a side of it goes quiet: the pen's watchdog, a pen that stops
// answering, a dropped link, and reconnecting afterwards. All against the real penlink-sim.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>

#include "penlink-sim/launcher.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {
namespace {

using simtool::SimProcess;

void start_running(Pen& pen) {
    pen.set_depth(Depth::mm(1.0));
    pen.set_speed(Speed::hz(100));
    pen.start();
    REQUIRE(wait_for_status(pen, [](const Status& s) {
        return s.state == PenState::Running && s.speed_actual_hz > 0;
    }));
}

TEST_CASE("the pen's watchdog stops a running pen when the host goes silent", "[stack][watchdog]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    // A host that sends no heartbeats (one an hour) and does not give up on the pen itself:
    // after start the pen hears nothing more, while its status stream keeps the link alive.
    auto options = stack_options();
    options.heartbeat_interval = std::chrono::hours(1);
    options.link_timeout = std::chrono::minutes(1);
    auto pen = Pen::connect(sim.url(), options);

    std::mutex mutex;
    std::vector<Event> events;
    auto subscription = pen->subscribe_events([&](const Event& event) {
        std::lock_guard lock(mutex);
        events.push_back(event);
    });
    start_running(*pen);

    REQUIRE(wait_for_status(*pen, [](const Status& s) {
        return s.state == PenState::Fault && (s.fault_bits & FaultWatchdog) != 0 &&
               s.speed_actual_hz == 0.0 && !s.rf_enabled && !s.led_enabled;
    }));
    REQUIRE(wait_until([&] {
        std::lock_guard lock(mutex);
        for (const auto& event : events)
            if (event.kind == EventKind::WatchdogExpired && event.detail == 500) return true;
        return false;
    }));
    CHECK(pen->connection_state() == ConnectionState::Connected);

    // The latched fault refuses Start until cleared; its cause (silence) is gone by now.
    try {
        pen->start();
        FAIL("start accepted with the watchdog fault latched");
    } catch (const SafetyError& error) {
        CHECK(error.code() == ErrorCode::FaultActive);
    }
    pen->clear_faults();
    REQUIRE(
        wait_for_status(*pen, [](const Status& s) { return (s.fault_bits & FaultWatchdog) == 0; }));
    pen->start();
    pen->stop();
}

TEST_CASE("heartbeats keep a running pen's watchdog fed", "[stack][watchdog]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto pen = Pen::connect(sim.url(), stack_options());
    start_running(*pen);
    // Several watchdog periods with no command but heartbeats: still running, no fault.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto status = pen->latest_status();
    REQUIRE(status);
    CHECK(status->state == PenState::Running);
    CHECK((status->fault_bits & FaultWatchdog) == 0);
    pen->stop();
}

TEST_CASE("a pen that stops answering is reported lost", "[stack][link]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--pty", "--quiet", "--silent-after-ms", "3000"});
    auto pen = Pen::connect(sim.url(), stack_options());
    StateLog states;
    auto subscription = pen->subscribe_connection_state(states.handler());
    start_running(*pen);

    REQUIRE(wait_until([&] { return pen->connection_state() == ConnectionState::Lost; }));
    REQUIRE(wait_until([&] { return states.saw(ConnectionState::Lost); }));
    CHECK_THAT(states.reason_for(ConnectionState::Lost), Catch::Contains("no answer"));
    try {
        pen->stop();
        FAIL("a command on a lost link succeeded");
    } catch (const ConnectionError& error) {
        CHECK(error.code() == ErrorCode::ConnectionLost);
    }
}

TEST_CASE("a dropped TCP link is reported lost, and a new connect works", "[stack][link]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet", "--drop-link-after-ms", "2000"});
    auto pen = Pen::connect(sim.url(), stack_options());
    StateLog states;
    auto subscription = pen->subscribe_connection_state(states.handler());

    REQUIRE(wait_until([&] { return pen->connection_state() == ConnectionState::Lost; }));
    REQUIRE(wait_until([&] { return states.saw(ConnectionState::Lost); }));
    CHECK_THROWS_AS(pen->set_depth(Depth::mm(1.0)), ConnectionError);
    try {
        pen->start();
        FAIL("start succeeded on a lost link");
    } catch (const ConnectionError& error) {
        CHECK(error.code() == ErrorCode::ConnectionLost);
    }

    // The simulator drops only once; a fresh connection to the same URL serves normally.
    auto again = Pen::connect(sim.url(), stack_options());
    CHECK(again->connection_state() == ConnectionState::Connected);
    again->set_depth(Depth::mm(1.0));
    start_running(*again);
    again->stop();
    CHECK(pen->connection_state() == ConnectionState::Lost);
}

TEST_CASE("reconnect() revives a lost pen with its subscriptions", "[stack][link]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet", "--drop-link-after-ms", "1500"});
    auto pen = Pen::connect(sim.url(), stack_options());
    StateLog states;
    auto state_subscription = pen->subscribe_connection_state(states.handler());
    std::atomic<int> frames{0};
    auto status_subscription = pen->subscribe_status([&](const Status&) { ++frames; }, 100);
    REQUIRE(wait_until([&] { return pen->connection_state() == ConnectionState::Lost; }));

    pen->reconnect();
    CHECK(pen->connection_state() == ConnectionState::Connected);
    CHECK(wait_until([&] { return states.saw(ConnectionState::Connected); }));
    const int before = frames.load();
    REQUIRE(
        wait_until([&] { return frames.load() > before + 20; }));  // the same callback, fed again
    start_running(*pen);
    pen->stop();
    pen->reconnect();  // connected: nothing to do
    CHECK(pen->connection_state() == ConnectionState::Connected);
}

TEST_CASE("a dropped serial link (the simulator exits) is reported lost", "[stack][link]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--pty", "--quiet", "--drop-link-after-ms", "2000"});
    auto pen = Pen::connect(sim.url(), stack_options());
    REQUIRE(wait_until([&] { return pen->connection_state() == ConnectionState::Lost; }));
    CHECK_THROWS_AS(pen->set_speed(Speed::hz(100)), ConnectionError);
    CHECK(wait_until([&] { return sim.exited(); }));
}

}  // namespace
}  // namespace penlink::test
