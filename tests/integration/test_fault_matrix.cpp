// The fault matrix of protocol v2's "Tests that stay": the whole stack (public API -> TCP ->
// penlink-proxy -> penlink-sim) under one fault at a time. Every case checks that
//   - no command hangs: each one ends within command_timeout * (retries + 1) plus slack;
//   - every failure is a typed penlink::Error that the fault can explain;
//   - nothing is lost silently: once the faults are cleared, the pen shows the last
//     acknowledged set point and run state (commands that ended in doubt excepted);
//   - every status frame lost on the link is counted as dropped, and none twice as received.
// A few seconds per fault; the proxy's fault RNG is seeded, so a run replays.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>

#include "fault_matrix_checks.hpp"

namespace penlink::test {
namespace {

// One link fault: clean counters, the fault while the scenario runs, then the checks.
void run_link_fault(const std::vector<std::string>& fault_commands,
                    std::int32_t status_rate_hz = 100, FaultProxyOptions setup = matrix_setup()) {
    FaultProxy proxy(setup);
    const auto options = matrix_options();
    auto pen = Pen::connect(proxy.url(), options);
    std::atomic<std::uint64_t> delivered{0};
    auto subscription = pen->subscribe_status([&](const Status&) { ++delivered; }, status_rate_hz);
    REQUIRE(fresh_status(*pen));
    const auto before = quiescent_counters(*pen, proxy);

    for (const auto& command : fault_commands) proxy.command(command);
    CommandJournal journal(command_bound(options), kLinkFailures);
    exercise(*pen, journal, command_bound(options));
    proxy.command("clear");

    CHECK(pen->connection_state() == ConnectionState::Connected);
    check_state_matches_acknowledgements(*pen, journal);
    const auto after = quiescent_counters(*pen, proxy);
    check_status_accounting(before, after);
}

TEST_CASE("fault matrix: noise (a flipped bit) in both directions", "[fault_matrix][noise]") {
    run_link_fault({"corrupt both 0.1"});
}

TEST_CASE("fault matrix: dropped frames in both directions", "[fault_matrix][drop]") {
    run_link_fault({"drop both 0.2"});
}

TEST_CASE("fault matrix: duplicated frames in both directions", "[fault_matrix][duplicate]") {
    run_link_fault({"dup both 0.3"});
}

TEST_CASE("fault matrix: truncated frames in both directions", "[fault_matrix][truncation]") {
    run_link_fault({"truncate both 0.1"});
}

TEST_CASE("fault matrix: a stalled link, each direction in turn", "[fault_matrix][stall]") {
    // Longer than a command timeout, shorter than the link timeout: resends, not a lost link.
    run_link_fault({"stall h2p 600"});
    run_link_fault({"stall p2h 600"});
}

TEST_CASE("fault matrix: a slow link (115200 baud)", "[fault_matrix][slow_link]") {
    run_link_fault({"throttle both 11520"}, 50);
}

TEST_CASE("fault matrix: a slow link (115200 baud), serial at both ends",
          "[fault_matrix][slow_link][serial]") {
    // The host opens the proxy's pty, the proxy opens the simulator's pty: a USB-serial pen.
    auto setup = matrix_setup();
    setup.serial_host = true;
    setup.serial_pen = true;
    run_link_fault({"throttle both 11520"}, 50, setup);
}

TEST_CASE("fault matrix: a saturated link (1 kHz status over 115200 baud)",
          "[fault_matrix][saturated_link]") {
    FaultProxy proxy(matrix_setup());
    const auto options = matrix_options();
    auto pen = Pen::connect(proxy.url(), options);
    REQUIRE(fresh_status(*pen));
    const auto before = quiescent_counters(*pen, proxy);

    proxy.command("throttle both 11520");
    CommandJournal journal(command_bound(options), kLinkFailures);
    {
        // 60 kB/s of status into an 11.5 kB/s link: the link sheds status frames (as the
        // protocol tells a pen to), and replies must still get through in time.
        std::atomic<std::uint64_t> delivered{0};
        auto fast = pen->subscribe_status([&](const Status&) { ++delivered; }, 1000);
        exercise(*pen, journal, command_bound(options));
        CHECK(delivered.load() > 0);
    }
    std::this_thread::sleep_for(300ms);  // back to the idle rate; the link drains
    proxy.command("clear");
    CHECK(proxy.stats().at("p2h.shed") > 0);

    CHECK(pen->connection_state() == ConnectionState::Connected);
    check_state_matches_acknowledgements(*pen, journal);
    const auto after = quiescent_counters(*pen, proxy);
    check_status_accounting(before, after);
}

// Pen-side faults: the pen stops itself; the host must see it, typed, and still trust acks.
void run_pen_fault(const std::vector<std::string>& sim_args, std::uint32_t fault_bit,
                   const char* name) {
    FaultProxy proxy(matrix_setup(sim_args));
    const auto options = matrix_options();
    auto pen = Pen::connect(proxy.url(), options);
    std::mutex mutex;
    std::vector<Event> events;
    auto event_subscription = pen->subscribe_events([&](const Event& event) {
        std::lock_guard lock(mutex);
        events.push_back(event);
    });
    auto status_subscription = pen->subscribe_status([](const Status&) {}, 100);
    REQUIRE(fresh_status(*pen));
    const auto before = quiescent_counters(*pen, proxy);

    CommandJournal journal(command_bound(options),
                           {ErrorCode::Timeout, ErrorCode::ConnectionLost, ErrorCode::FaultActive});
    journal.run(Setting::Depth, 1.0, [&] { pen->set_depth(Depth::mm(1.0)); });
    journal.run(Setting::Speed, 150, [&] { pen->set_speed(Speed::hz(150)); });
    journal.run(Setting::Run, 1, [&] { pen->start(); });
    INFO(name);
    REQUIRE(wait_for_status(
        *pen,
        [&](const Status& s) {
            return s.state == PenState::Fault && (s.fault_bits & (1u << fault_bit)) != 0;
        },
        4s));
    CHECK(wait_for_status(
        *pen, [](const Status& s) { return s.speed_actual_hz == 0.0; }, 2s));
    CHECK(wait_until([&] {
        std::lock_guard lock(mutex);
        return std::any_of(events.begin(), events.end(), [&](const Event& e) {
            return e.kind == EventKind::FaultRaised && e.detail == fault_bit;
        });
    }));

    // While the fault is latched: start is refused (typed), settings and stop still work.
    journal.run(Setting::Run, 1, [&] { pen->start(); });
    pen->start_async(journal.issue(Setting::Run, 1));
    journal.run(Setting::Other, 0, [&] { pen->clear_faults(); });  // the cause has not gone
    journal.run(Setting::Depth, 1.5, [&] { pen->set_depth(Depth::mm(1.5)); });
    pipelined_bursts(*pen, journal);
    journal.run(Setting::Run, 0, [&] { pen->stop(); });
    CHECK(journal.wait_all_done(command_bound(options) + 2000ms));
    CHECK(journal.count(ErrorCode::FaultActive) >= 3);
    INFO(journal.summary());
    CHECK(journal.first_violation() == "");
    check_state_matches_acknowledgements(*pen, journal);
    const auto after = quiescent_counters(*pen, proxy);
    check_status_accounting(before, after);
}

TEST_CASE("fault matrix: the pen overheats while running", "[fault_matrix][overheat]") {
    // 0.05 C below the limit: a second or so at 150 Hz trips it; it never cools enough to clear.
    run_pen_fault({"--set", "ambient_c=49.95", "--set", "over_temperature_c=50"}, 0,
                  "over-temperature");
}

TEST_CASE("fault matrix: the battery runs critically low while running",
          "[fault_matrix][low_battery]") {
    // Just above the 5 % cut-off: running drains it within a second; idle, it would take 8 s.
    run_pen_fault({"--set", "battery_pct=5.004"}, 1, "battery critical");
}

}  // namespace
}  // namespace penlink::test
