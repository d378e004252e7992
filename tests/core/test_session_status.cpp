// Status and event fan-out: ordering, drops, unsubscribing, misbehaving callbacks, threading.
#include <algorithm>
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <stdexcept>

#include "session_fixture.hpp"

namespace penlink::test {
namespace {

using protocol::MessageType;

std::uint16_t last_requested_rate(const FakePen& pen) {
    const auto frames = pen.received(MessageType::SubscribeStatus);
    return frames.empty() ? 0 : std::get<protocol::SubscribeStatus>(frames.back().message).rate_hz;
}

TEST_CASE("sequence gaps in status frames are counted as dropped", "[session][status]") {
    SessionFixture fixture;
    for (std::uint32_t seq : {0u, 1u, 2u, 5u, 6u, 10u}) fixture.pen->send_status(seq);
    REQUIRE(wait_until([&] { return fixture.session->received_status_frames() == 6; }));
    CHECK(fixture.session->dropped_status_frames() == 2 + 3);
    const auto latest = fixture.session->latest_status();
    REQUIRE(latest);
    CHECK(latest->sequence == 10);
    CHECK(latest->depth_actual_mm == Approx(1.0));
    CHECK(latest->battery_percent == 90);
}

TEST_CASE("status subscribers get every frame, in order", "[session][status]") {
    SessionFixture fixture;
    Recorder<std::uint32_t> sequences;
    auto subscription = fixture.session->subscribe_status(
        [&sequences](const Status& s) { sequences.add(s.sequence); }, 50);
    CHECK(subscription.active());
    REQUIRE(wait_until([&] { return last_requested_rate(*fixture.pen) == 50; }));

    constexpr std::uint32_t kFrames = 200;
    for (std::uint32_t i = 0; i < kFrames; ++i) fixture.pen->send_status(i);
    REQUIRE(wait_until([&] { return sequences.size() == kFrames; }));
    const auto seen = sequences.values();
    for (std::uint32_t i = 0; i < kFrames; ++i) REQUIRE(seen[i] == i);
    CHECK(fixture.session->dropped_status_frames() == 0);
}

TEST_CASE("unsubscribe stops the frames and lowers the requested rate", "[session][status]") {
    SessionFixture fixture;
    auto& pen = *fixture.pen;
    Recorder<std::uint32_t> first, sentinel;
    // The fake pen stamps its frames 10 ms apart (100 Hz).
    auto first_subscription =
        fixture.session->subscribe_status([&](const Status& s) { first.add(s.sequence); }, 100);
    auto sentinel_subscription =
        fixture.session->subscribe_status([&](const Status& s) { sentinel.add(s.sequence); }, 20);

    for (std::uint32_t i = 0; i < 10; ++i) pen.send_status(i);
    REQUIRE(wait_until([&] { return first.size() == 10; }));

    first_subscription.unsubscribe();
    CHECK_FALSE(first_subscription.active());
    REQUIRE(wait_until([&] { return last_requested_rate(pen) == 20; }));

    for (std::uint32_t i = 10; i < 20; ++i) pen.send_status(i);
    // Frames go to the callbacks one at a time in order, so once the sentinel has the last
    // one, the unsubscribed callback would have had its chance at all of them. Streaming at the
    // sentinel's own rate now, it gets every frame.
    REQUIRE(
        wait_until([&] { return !sentinel.values().empty() && sentinel.values().back() == 19; }));
    CHECK(first.size() == 10);
    const auto seen = sentinel.values();
    CHECK(std::count_if(seen.begin(), seen.end(), [](std::uint32_t s) { return s >= 10; }) == 10);

    sentinel_subscription.unsubscribe();
    REQUIRE(
        wait_until([&] { return last_requested_rate(pen) == test_options().idle_status_rate_hz; }));
}

TEST_CASE("a destroyed subscription handle unsubscribes", "[session][status]") {
    SessionFixture fixture;
    Recorder<std::uint32_t> gone, sentinel;
    auto sentinel_subscription =
        fixture.session->subscribe_status([&](const Status& s) { sentinel.add(s.sequence); }, 20);
    {
        auto scoped =
            fixture.session->subscribe_status([&](const Status& s) { gone.add(s.sequence); }, 20);
        fixture.pen->send_status(0);
        REQUIRE(wait_until([&] { return gone.size() == 1; }));
    }
    fixture.pen->send_status(1);
    REQUIRE(wait_until([&] { return sentinel.size() == 2; }));
    CHECK(gone.size() == 1);
}

TEST_CASE("a status callback can unsubscribe itself", "[session][status]") {
    SessionFixture fixture;
    Recorder<std::uint32_t> seen, sentinel;
    Subscription self;
    std::mutex self_mutex;  // the callback reads the handle the test thread assigned
    auto sentinel_subscription =
        fixture.session->subscribe_status([&](const Status& s) { sentinel.add(s.sequence); }, 20);
    {
        std::lock_guard lock(self_mutex);
        self = fixture.session->subscribe_status(
            [&](const Status& s) {
                seen.add(s.sequence);
                if (s.sequence == 3) {
                    std::lock_guard inner(self_mutex);
                    self.unsubscribe();
                }
            },
            20);
    }
    for (std::uint32_t i = 0; i < 10; ++i) fixture.pen->send_status(i);
    REQUIRE(wait_until([&] { return sentinel.size() == 10; }));
    CHECK(seen.values() == std::vector<std::uint32_t>{0, 1, 2, 3});
    std::lock_guard lock(self_mutex);
    CHECK_FALSE(self.active());
}

TEST_CASE("a callback that throws is logged and the next frames still arrive",
          "[session][status]") {
    LogCapture log;
    SessionFixture fixture;
    Recorder<std::uint32_t> seen;
    auto subscription = fixture.session->subscribe_status(
        [&](const Status& s) {
            seen.add(s.sequence);
            if (s.sequence == 1) throw std::runtime_error("callback bug 1234");
        },
        20);
    for (std::uint32_t i = 0; i < 5; ++i) fixture.pen->send_status(i);
    REQUIRE(wait_until([&] { return seen.size() == 5; }));
    CHECK(seen.values() == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
    CHECK(wait_until([&] { return log.contains("callback bug 1234"); }));
}

TEST_CASE("events reach event subscribers", "[session][status]") {
    SessionFixture fixture;
    Recorder<std::pair<EventKind, std::uint32_t>> events;
    auto subscription = fixture.session->subscribe_events([&](const Event& e) {
        events.add({e.kind, e.detail});
    });
    fixture.pen->send_event(protocol::EventKind::WatchdogExpired, 500);
    fixture.pen->send_event(protocol::EventKind::CartridgeInserted, 1001);
    REQUIRE(wait_until([&] { return events.size() == 2; }));
    const auto seen = events.values();
    CHECK(seen[0] == std::pair{EventKind::WatchdogExpired, 500u});
    CHECK(seen[1] == std::pair{EventKind::CartridgeInserted, 1001u});
}

TEST_CASE("each status subscriber gets frames at its own rate, from 1 Hz", "[session][status]") {
    SessionFixture fixture;
    auto& pen = *fixture.pen;
    Recorder<std::uint32_t> fast, slow, slowest;
    auto fast_subscription =
        fixture.session->subscribe_status([&](const Status& s) { fast.add(s.sequence); }, 100);
    auto slow_subscription =
        fixture.session->subscribe_status([&](const Status& s) { slow.add(s.sequence); }, 10);
    auto slowest_subscription =
        fixture.session->subscribe_status([&](const Status& s) { slowest.add(s.sequence); }, 1);
    REQUIRE(wait_until([&] { return last_requested_rate(pen) == 100; }));
    // 3 s of pen time at 100 Hz (frames stamped 10 ms apart).
    for (std::uint32_t i = 0; i < 300; ++i) pen.send_status(i);
    REQUIRE(wait_until([&] { return fast.size() == 300; }));
    // A 10 Hz subscriber before this fix got all 300 frames, a 1 Hz one too.
    CHECK(slow.size() >= 29);
    CHECK(slow.size() <= 31);
    CHECK(slowest.size() >= 3);
    CHECK(slowest.size() <= 4);
}

TEST_CASE("two callbacks of one session never run at once", "[session][status]") {
    SessionFixture fixture;
    std::atomic<int> in_flight{0};
    std::atomic<int> overlaps{0};
    std::atomic<int> calls{0};
    // Each callback lingers a little so that an overlap, if the session allowed one, shows.
    auto guard = [&] {
        if (in_flight.fetch_add(1) != 0) overlaps.fetch_add(1);
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        in_flight.fetch_sub(1);
        calls.fetch_add(1);
    };
    auto status_a = fixture.session->subscribe_status([&](const Status&) { guard(); }, 50);
    auto status_b = fixture.session->subscribe_status([&](const Status&) { guard(); }, 50);
    auto events = fixture.session->subscribe_events([&](const Event&) { guard(); });
    auto states = fixture.session->subscribe_connection_state(
        [&](ConnectionState, const std::string&) { guard(); });

    constexpr int kRounds = 40;
    std::atomic<int> completions{0};
    for (int i = 0; i < kRounds; ++i) {
        fixture.pen->send_status(static_cast<std::uint32_t>(i));
        fixture.pen->send_event(protocol::EventKind::ButtonPressed, static_cast<std::uint32_t>(i));
        fixture.session->request(protocol::Heartbeat{}, [&](const Result&) {
            guard();
            completions.fetch_add(1);
        });
    }
    REQUIRE(
        wait_until([&] { return calls.load() >= kRounds * 4 && completions.load() == kRounds; }));
    CHECK(overlaps.load() == 0);
}

TEST_CASE("a status rate above the pen's maximum is an OutOfRangeError", "[session][status]") {
    SessionFixture fixture;
    try {
        auto subscription = fixture.session->subscribe_status([](const Status&) {}, 500);
        FAIL("a 500 Hz subscription was accepted by a pen that streams at most 100 Hz");
    } catch (const OutOfRangeError& error) {
        CHECK(error.value() == Approx(500));
        CHECK(error.limit() == Approx(100));
        CHECK(error.unit() == "Hz");
        CHECK_THAT(error.what(),
                   Catch::Contains("status rate 500 Hz") && Catch::Contains("100 Hz"));
    }
    CHECK_THROWS_AS(fixture.session->subscribe_status([](const Status&) {}, 0), OutOfRangeError);
    CHECK_THROWS_AS(fixture.session->subscribe_status(nullptr, 10), InvalidArgumentError);
    // Nothing was asked of the pen beyond the idle rate.
    CHECK(last_requested_rate(*fixture.pen) <= test_options().idle_status_rate_hz);
}

}  // namespace
}  // namespace penlink::test
