// The fault matrix, continued: the link goes away (unplugged over TCP or serial), or the pen
// reboots, with the link down or behind a link that stays up. Same properties as
// test_fault_matrix.cpp; after the link is back, the pen's state must still be what the
// acknowledgements promised, or the SDK must have said, typed, that it is not.
#include <catch2/catch.hpp>

#include "fault_matrix_checks.hpp"

namespace penlink::test {
namespace {

std::chrono::milliseconds reconnect_bound(const ConnectOptions& options) {
    return options.connect_timeout + 1000ms;
}

void run_unplug(bool serial_host) {
    auto setup = matrix_setup();
    setup.serial_host = serial_host;
    FaultProxy proxy(setup);
    const auto options = matrix_options();
    auto pen = Pen::connect(proxy.url(), options);
    StateLog states;
    auto state_subscription = pen->subscribe_connection_state(states.handler());
    CommandJournal journal(command_bound(options), kLinkFailures);
    journal.run(Setting::Depth, 1.0, [&] { pen->set_depth(Depth::mm(1.0)); });
    journal.run(Setting::Speed, 100, [&] { pen->set_speed(Speed::hz(100)); });
    journal.run(Setting::Run, 1, [&] { pen->start(); });

    pipelined_bursts(*pen, journal);
    proxy.command("unplug");
    CHECK(journal.wait_all_done(command_bound(options) + 2000ms));
    REQUIRE(wait_until([&] { return pen->connection_state() == ConnectionState::Lost; }, 3s));
    CHECK(states.saw(ConnectionState::Lost));
    journal.run(Setting::Depth, 0.5, [&] { pen->set_depth(Depth::mm(0.5)); });
    CHECK(journal.count(ErrorCode::ConnectionLost) + journal.count(ErrorCode::NotConnected) > 0);

    // Replugged: TCP takes the next connection at once, a pty comes back after 100 ms.
    const auto outcome = reconnect_within(*pen, 5s, reconnect_bound(options));
    INFO("reconnect: " << outcome.message);
    REQUIRE(outcome.connected);
    INFO(journal.summary());
    CHECK(journal.first_violation() == "");
    check_state_matches_acknowledgements(*pen, journal);

    journal.run(Setting::Run, 0, [&] { pen->stop(); });
    check_state_matches_acknowledgements(*pen, journal);
}

TEST_CASE("fault matrix: unplugged mid-burst (TCP), then reconnect()", "[fault_matrix][unplug]") {
    run_unplug(false);
}

TEST_CASE("fault matrix: unplugged mid-burst (serial, the pty hangs up), then reconnect()",
          "[fault_matrix][unplug][serial]") {
    run_unplug(true);
}

// The settings a reboot forgets; the pen is left stopped, so its watchdog plays no part.
void set_up_before_reboot(Pen& pen, CommandJournal& journal) {
    journal.run(Setting::Depth, 1.5, [&] { pen.set_depth(Depth::mm(1.5)); });
    journal.run(Setting::Speed, 120, [&] { pen.set_speed(Speed::hz(120)); });
    INFO(journal.summary());
    REQUIRE(journal.first_violation() == "");
    REQUIRE(journal.count(ErrorCode::Ok) == 2);
}

// After a reboot the SDK must say so: reconnect() either fails with a typed error (anything but
// "not back yet"), or connects with a Connected change that says the pen restarted. What was
// acknowledged before is then void (a restart is a pen event that resets set points), and the
// new session starts with needle, RF and LED off.
void check_after_reboot(Pen& pen, const StateLog& states, const ConnectOptions& options) {
    const auto outcome = reconnect_within(pen, 5s, reconnect_bound(options));
    INFO("reconnect: " << (outcome.connected ? "connected" : outcome.message));
    if (!outcome.connected) {
        CHECK(outcome.error != ErrorCode::ConnectionFailed);
        CHECK(outcome.error != ErrorCode::Timeout);
        return;
    }
    // State changes reach listeners on the callback thread, a moment after reconnect() returns.
    wait_until([&] {
        return states.last_reason_for(ConnectionState::Connected).find("restarted") !=
               std::string::npos;
    });
    CHECK_THAT(states.last_reason_for(ConnectionState::Connected), Catch::Contains("restarted"));
    const PenSettings settings = pen.read_settings();
    CHECK_FALSE(settings.running);
    CHECK_FALSE(settings.rf.enabled);
    CHECK_FALSE(settings.led.enabled);
}

TEST_CASE("fault matrix: the pen reboots while the link is down", "[fault_matrix][reboot]") {
    FaultProxy proxy(matrix_setup());
    const auto options = matrix_options();
    auto pen = Pen::connect(proxy.url(), options);
    StateLog states;
    auto state_subscription = pen->subscribe_connection_state(states.handler());
    CommandJournal journal(command_bound(options), kLinkFailures);
    set_up_before_reboot(*pen, journal);

    proxy.command("unplug");
    proxy.stop_pen();
    REQUIRE(wait_until([&] { return pen->connection_state() == ConnectionState::Lost; }, 3s));
    proxy.start_pen();
    check_after_reboot(*pen, states, options);
}

TEST_CASE("fault matrix: the pen reboots behind a link that stays up",
          "[fault_matrix][reboot][persistent_link]") {
    // The proxy keeps the host connected while the pen side goes and comes back, like a
    // serial adapter or a radio bridge with the pen power-cycled behind it.
    FaultProxy proxy(matrix_setup({}, {"--pen-loss", "keep"}));
    const auto options = matrix_options();
    auto pen = Pen::connect(proxy.url(), options);
    StateLog states;
    auto state_subscription = pen->subscribe_connection_state(states.handler());
    CommandJournal journal(command_bound(options), kLinkFailures);
    set_up_before_reboot(*pen, journal);

    proxy.stop_pen();
    proxy.start_pen();
    REQUIRE(wait_until([&] { return proxy.stats().at("pen") == 1; }, 3s));

    // The SDK must notice and say so: the new pen has no session with it (it answers the next
    // request NoSession and streams nothing), so the connection is reported Lost with a reason,
    // never left Connected with a frozen latest_status().
    const bool noticed = wait_until([&] { return states.saw(ConnectionState::Lost); },
                                    options.link_timeout + command_bound(options));
    INFO("connection state " << to_string(pen->connection_state()));
    REQUIRE(noticed);
    CHECK_FALSE(states.reason_for(ConnectionState::Lost).empty());
    CHECK_FALSE(pen->latest_status().has_value());
    check_after_reboot(*pen, states, options);
}

}  // namespace
}  // namespace penlink::test
