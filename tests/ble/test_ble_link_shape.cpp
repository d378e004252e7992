// What a BLE link's figures do to the session, through the fake BlueZ: status takes 92% of the
// link with commands still getting through, and the default timeouts follow the connection
// interval (docs/protocol.md 11, 11.1 and 15.3).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <thread>

#include "fake_bluez_harness.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {
namespace {

using namespace std::chrono_literals;

/// The SDK's own defaults (command timeout suited to the link), with room to connect.
ConnectOptions link_defaults() {
    ConnectOptions options;
    options.connect_timeout = 20000ms;
    return options;
}

}  // namespace

TEST_CASE("ble status fills 90% of a one-packet link and commands still get through", "[ble]") {
    // MTU 23, 15 ms, one packet each way per connection event: the fake carries exactly what
    // the transport estimates, 1333 bytes/s, so 18 Status frames/s are 90.5% of it.
    FakeBluez fake({"--known", "--mtu", "23", "--packets-per-event", "1"});
    auto pen = Pen::connect(FakeBluez::url(), link_defaults());
    std::atomic<int> frames{0};
    auto subscription = pen->subscribe_status([&](const Status&) { ++frames; }, 1000);
    REQUIRE(subscription.status_rate().granted_hz == 18);
    std::this_thread::sleep_for(500ms);
    const int before = frames.load();
    const std::uint64_t dropped_before = pen->dropped_status_frames();
    const auto start = std::chrono::steady_clock::now();
    // Commands with the default timeout and retries, while the stream fills the link.
    for (int i = 0; i < 5; ++i) {
        CHECK_NOTHROW(pen->set_depth(Depth::mm(0.5 + 0.25 * i)));
        std::this_thread::sleep_for(300ms);
    }
    CHECK_NOTHROW(pen->emergency_stop());
    CHECK_NOTHROW(pen->clear_emergency_stop());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double received_per_second = (frames.load() - before) / seconds;
    INFO("received " << received_per_second << " Status frames/s over " << seconds << " s");
    // 18 Hz granted; the fake's own timing wobbles, and replies take their share.
    CHECK(received_per_second >= 15.0);
    CHECK(received_per_second <= 21.0);
    CHECK(pen->dropped_status_frames() == dropped_before);
    CHECK(fake.stats()["rejected_writes"] == 0);
}

TEST_CASE("ble at a long connection interval: the default timeouts follow it", "[ble]") {
    // 400 ms between connection events: a round trip takes 400-800 ms, past the 300 ms the
    // command timeout was fixed at. Suited to the link it is 300 x 400 / 15 = 8000 ms.
    FakeBluez fake({"--known", "--interval-ms", "400"});
    const std::string url = FakeBluez::url("?interval_ms=400");

    SECTION("with the defaults every command succeeds without a resend") {
        auto options = link_defaults();
        options.command_retries = 0;  // a resend would not rescue a command that times out
        auto pen = Pen::connect(url, options);
        for (int i = 0; i < 3; ++i) CHECK_NOTHROW(pen->set_depth(Depth::mm(0.5 + 0.25 * i)));
        CHECK(pen->read_settings().depth_set_mm == Approx(1.0));
        CHECK(pen->connection_state() == ConnectionState::Connected);
    }
    SECTION("a command timeout the application set still wins") {
        auto options = link_defaults();
        options.command_timeout = 300ms;  // the old fixed default
        options.command_retries = 0;
        CHECK_THROWS_AS(
            [&] {
                auto pen = Pen::connect(url, options);
                pen->set_depth(Depth::mm(1.0));
            }(),
            TimeoutError);
    }
}

#ifdef PENCTL_EXE
TEST_CASE("penctl monitor says the BLE link holds the status rate down, in 80 columns", "[ble]") {
    FakeBluez fake({"--known", "--mtu", "23"});
    auto result = tooltest::run(
        PENCTL_EXE, {"monitor", FakeBluez::url(), "--rate-hz", "1000", "--duration-s", "1"}, {},
        std::chrono::seconds(60));
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out,
               Catch::StartsWith("status: 18 Hz, not the 1000 Hz asked: limited by the link\n"));
    CHECK_THAT(result.out, Catch::Contains("carries about 1333 bytes/s") &&
                               Catch::Contains("92%") && Catch::Contains("depth "));
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) CHECK(line.size() <= 80);
}
#endif

}  // namespace penlink::test
