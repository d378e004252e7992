// The whole stack over Bluetooth LE, through the public API: Pen -> BleTransport -> sdbus-c++
// -> a private dbus-daemon -> fake BlueZ -> penlink-sim.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "fake_bluez_harness.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

}  // namespace

TEST_CASE("ble acceptance: connect, set depth and speed, start, status, stop", "[ble]") {
    const bool by_name = GENERATE(false, true);
    FakeBluez fake;  // the pen is found by scanning, as a new pen would be
    const std::string url =
        by_name ? std::string("ble://?name=") + kFakePenName : FakeBluez::url("?adapter=hci0");
    auto pen = Pen::connect(url, stack_options());
    CHECK(pen->info().model == "PL-SIM-1");
    CHECK(pen->connection_state() == ConnectionState::Connected);

    pen->set_depth(Depth::mm(1.25));
    pen->set_speed(Speed::hz(100));
    std::atomic<int> frames{0};
    auto subscription = pen->subscribe_status([&](const Status&) { ++frames; }, 20);
    pen->start();
    REQUIRE(wait_for_status(*pen, [](const Status& s) {
        return s.state == PenState::Running && std::fabs(s.depth_actual_mm - 1.25) < 0.011 &&
               std::fabs(s.speed_actual_hz - 100.0) < 0.5;
    }));
    CHECK(frames.load() > 0);
    pen->stop();
    REQUIRE(wait_for_status(*pen, [](const Status& s) { return s.state == PenState::Idle; }));
    pen->close();
    CHECK(fake.stats()["rejected_writes"] == 0);
}

TEST_CASE("ble disconnect mid-command makes the link Lost and reconnect works", "[ble]") {
    // A 100 ms connection interval: a command takes at least 200 ms, so the drop lands while
    // it is pending.
    FakeBluez fake({"--known", "--interval-ms", "100"});
    auto options = stack_options();
    options.command_timeout = 2000ms;
    auto pen = Pen::connect(FakeBluez::url("?interval_ms=100"), options);
    StateLog states;
    auto watch = pen->subscribe_connection_state(states.handler());

    std::promise<Result> outcome;
    auto pending = outcome.get_future();
    pen->set_depth_async(Depth::mm(0.5), [&](const Result& result) { outcome.set_value(result); });
    fake.control("DropConnection");
    REQUIRE(pending.wait_for(kWaitLimit) == std::future_status::ready);
    const Result result = pending.get();
    CHECK_FALSE(result.ok());
    CHECK(result.code == ErrorCode::ConnectionLost);
    REQUIRE(wait_until([&] { return states.saw(ConnectionState::Lost); }));
    CHECK_THAT(states.reason_for(ConnectionState::Lost), Catch::Contains("disconnected"));
    CHECK_THROWS_AS(pen->set_depth(Depth::mm(0.5)), ConnectionError);

    pen->reconnect();
    CHECK(pen->connection_state() == ConnectionState::Connected);
    pen->set_depth(Depth::mm(0.75));
    CHECK(pen->read_settings().depth_set_mm == Approx(0.75));
    CHECK(fake.stats()["connects"] == 2);
}

TEST_CASE("ble emergency stop overtakes 50 queued commands on a slow link", "[ble]") {
    // 20-byte writes, one per 30 ms event: 50 commands take over a second to send.
    FakeBluez fake({"--known", "--mtu", "23", "--interval-ms", "30", "--packets-per-event", "1"});
    auto options = stack_options();
    options.command_timeout = 5000ms;
    options.command_retries = 0;
    auto pen = Pen::connect(FakeBluez::url("?interval_ms=30"), options);

    // Completion order on the callback thread is the order the pen answered in.
    std::mutex mutex;
    std::vector<std::pair<bool, Result>> answers;  // (is the e-stop, outcome)
    std::atomic<int> answered{0};
    for (int i = 0; i < 50; ++i) {
        const double mm = 0.5 + 0.05 * (i % 20);
        auto done = [&](const Result& result) {
            std::lock_guard lock(mutex);
            answers.emplace_back(false, result);
            ++answered;
        };
        if (i % 2 == 0)
            pen->set_depth_async(Depth::mm(mm), done);
        else
            pen->set_speed_async(Speed::hz(60 + i), done);
    }
    const auto stop_sent = Clock::now();
    std::promise<void> stopped;
    auto stop_future = stopped.get_future();
    Clock::time_point stop_acknowledged;
    pen->emergency_stop_async([&](const Result& result) {
        stop_acknowledged = Clock::now();
        std::lock_guard lock(mutex);
        answers.emplace_back(true, result);
        ++answered;
        stopped.set_value();
    });
    REQUIRE(stop_future.wait_for(kWaitLimit) == std::future_status::ready);
    // The stop reaches the pen within about two 30 ms events (the write in flight, then its
    // own), far below the >1 s the queue ahead of it needs. The fake notes when it delivered it.
    const auto delivered_ns = static_cast<std::int64_t>(fake.stats()["last_estop_ns"]);
    const auto sent_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(stop_sent.time_since_epoch()).count();
    CHECK(delivered_ns > sent_ns);
    // (Bound loose for loaded CI machines and sanitizers; typically about 60 ms.)
    CHECK(delivered_ns - sent_ns < std::chrono::nanoseconds(300ms).count());
    // Its acknowledgement shares the slow pen-to-host direction with status and earlier acks.
    CHECK(stop_acknowledged - stop_sent < 1500ms);
    REQUIRE(wait_until([&] { return answered.load() == 51; }, 20s));

    std::lock_guard lock(mutex);
    bool after_stop = false;
    int applied_after_stop = 0;
    for (const auto& [is_stop, result] : answers) {
        if (is_stop) {
            CHECK(result.ok());
            after_stop = true;
        } else if (after_stop && result.ok()) {
            ++applied_after_stop;
        }
    }
    CHECK(applied_after_stop == 0);
    REQUIRE(wait_for_status(*pen,
                            [](const Status& s) { return s.state == PenState::EmergencyStopped; }));
}

TEST_CASE("ble status rate is clamped to what the link carries, with no uncounted drops", "[ble]") {
    // MTU 23 at 15 ms: 1333 bytes/s, and status may take 92% of it: 18 frames/s of 67 bytes.
    FakeBluez fake({"--known", "--mtu", "23"});
    auto pen = Pen::connect(FakeBluez::url(), stack_options());
    std::atomic<int> frames{0};
    auto subscription = pen->subscribe_status([&](const Status&) { ++frames; }, 50);
    const StatusRate rate = subscription.status_rate();
    CHECK(rate.requested_hz == 50);
    CHECK(rate.granted_hz == 18);
    CHECK(rate.limited_by == StatusRateLimit::Link);
    CHECK_THAT(rate.reason, Catch::Contains("1333 bytes/s") && Catch::Contains("92%"));
    std::this_thread::sleep_for(500ms);  // the new rate takes effect
    const int before = frames.load();
    const std::uint64_t dropped_before = pen->dropped_status_frames();
    std::this_thread::sleep_for(2000ms);
    const int in_two_seconds = frames.load() - before;
    CHECK(in_two_seconds >= 28);
    CHECK(in_two_seconds <= 44);
    CHECK(pen->dropped_status_frames() == dropped_before);
    CHECK(pen->read_settings().status_rate_hz == 18);
}

}  // namespace penlink::test
