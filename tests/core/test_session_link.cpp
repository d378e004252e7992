// Link supervision: heartbeats, a pen gone silent, a link that fails under a command, noise.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "session_fixture.hpp"

namespace penlink::test {
namespace {

using protocol::MessageType;

TEST_CASE("heartbeats are sent periodically while connected", "[session][link]") {
    auto options = test_options();
    options.heartbeat_interval = std::chrono::milliseconds(50);
    SessionFixture fixture(options);
    // Counted over a generous interval: the point is that they keep coming, not their pace.
    CHECK(wait_until([&] { return fixture.pen->count(MessageType::Heartbeat) >= 3; }));

    // Each heartbeat is a new request with its own sequence number.
    const auto beats = fixture.pen->received(MessageType::Heartbeat);
    REQUIRE(beats.size() >= 2);
    CHECK(beats[0].seq != beats[1].seq);
}

TEST_CASE("the default heartbeat follows the pen's watchdog period", "[session][link]") {
    SessionFixture fixture;  // watchdog 500 ms -> a heartbeat every 333 ms while idle
    CHECK(wait_until([&] { return fixture.pen->count(MessageType::Heartbeat) >= 2; }));
}

TEST_CASE("an idle pen gets few heartbeats, one that may be armed a quarter of its watchdog",
          "[session][link]") {
    // An 8 s watchdog: a heartbeat every 2 s once armed, every 5.33 s before (a third of the
    // 16 s link timeout; protocol.md 11.1). Only lower bounds on the idle gap are checked:
    // load can delay a heartbeat, never bring one forward.
    auto pen = FakePen::create();
    auto info = pen->info();
    info.watchdog_ms = 8000;
    pen->set_info(info);
    auto session =
        std::make_shared<core::Session>(pen->link_factory(), "fake://pen", test_options());
    session->connect();

    SECTION("a new session has every output off: no heartbeat for the first 3 s") {
        std::this_thread::sleep_for(std::chrono::seconds(3));
        CHECK(pen->count(MessageType::Heartbeat) == 0);
        // A Start may arm the watchdog: heartbeats at the armed period from it on.
        session->request_sync(protocol::Start{});
        CHECK(wait_until([&] { return pen->count(MessageType::Heartbeat) >= 1; },
                         std::chrono::milliseconds(4500)));
    }
    SECTION("an event that may have switched an output on counts as arming") {
        pen->send_event(protocol::EventKind::ButtonPressed, 1);
        CHECK(wait_until([&] { return pen->count(MessageType::Heartbeat) >= 1; },
                         std::chrono::milliseconds(4500)));
    }
    SECTION("traffic feeds the watchdog too: no heartbeat while commands go out") {
        session->request_sync(protocol::Start{});
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (std::chrono::steady_clock::now() < until) {
            session->request_sync(protocol::SetSpeed{10000});
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        CHECK(pen->count(MessageType::Heartbeat) == 0);
    }
    session->close();
}

TEST_CASE("a silent pen is reported Lost, and later commands fail with ConnectionError",
          "[session][link]") {
    auto options = test_options();
    options.link_timeout = std::chrono::milliseconds(300);
    options.heartbeat_interval = std::chrono::milliseconds(50);
    SessionFixture fixture(options);
    Recorder<std::pair<ConnectionState, std::string>> states;
    auto subscription = fixture.session->subscribe_connection_state(
        [&states](ConnectionState state, const std::string& reason) {
            states.add({state, reason});
        });

    fixture.pen->set_silent(true);
    REQUIRE(wait_until([&] { return fixture.session->state() == ConnectionState::Lost; }));
    REQUIRE(wait_until([&] { return states.size() >= 1; }));
    const auto seen = states.values();
    CHECK(seen.back().first == ConnectionState::Lost);
    CHECK_THAT(seen.back().second, Catch::Contains("no answer") && Catch::Contains("ms"));
    CHECK_FALSE(fixture.pen->link_open());

    try {
        fixture.session->request_sync(protocol::SetDepth{1000});
        FAIL("a command on a lost link succeeded");
    } catch (const ConnectionError& error) {
        CHECK(error.code() == ErrorCode::ConnectionLost);
        CHECK_THAT(error.what(), Catch::Contains("SetDepth"));
    }

    SECTION("and connect() brings the session back once the pen answers again") {
        // The pen may have restarted meanwhile, so the session must ask for its status stream
        // again, at the rate it asked for before.
        const auto subscribes_before = fixture.pen->count(MessageType::SubscribeStatus);
        fixture.pen->set_silent(false);
        fixture.session->connect();
        REQUIRE(wait_until(
            [&] { return fixture.pen->count(MessageType::SubscribeStatus) > subscribes_before; }));
        CHECK(std::get<protocol::SubscribeStatus>(
                  fixture.pen->received(MessageType::SubscribeStatus).back().message)
                  .rate_hz == test_options().idle_status_rate_hz);
        CHECK(fixture.session->state() == ConnectionState::Connected);
        CHECK(fixture.pen->times_opened() == 2);
        fixture.session->request_sync(protocol::SetDepth{1000});
        REQUIRE(wait_until([&] {
            const auto all = states.values();
            return !all.empty() && all.back().first == ConnectionState::Connected;
        }));
    }
}

TEST_CASE("a transport error mid-command fails the pending command with ConnectionLost",
          "[session][link]") {
    SessionFixture fixture;
    fixture.pen->mute(MessageType::SetDepth);

    std::promise<Result> outcome;
    auto future = outcome.get_future();
    fixture.session->request(protocol::SetDepth{1500},
                             [&outcome](const Result& result) { outcome.set_value(result); });
    REQUIRE(wait_until([&] { return fixture.pen->count(MessageType::SetDepth) >= 1; }));
    fixture.pen->fail_link("cable pulled");

    REQUIRE(future.wait_for(kWaitLimit) == std::future_status::ready);
    const auto result = future.get();
    CHECK(result.code == ErrorCode::ConnectionLost);
    CHECK_THAT(result.message, Catch::Contains("cable pulled"));
    CHECK(wait_until([&] { return fixture.session->state() == ConnectionState::Lost; }));
    CHECK_THROWS_AS(fixture.session->request_sync(protocol::Stop{}), ConnectionError);
}

TEST_CASE("a synchronous command blocked on a failing link returns, never hangs",
          "[session][link]") {
    SessionFixture fixture;
    fixture.pen->mute(MessageType::Start);
    auto caller =
        std::async(std::launch::async, [&] { fixture.session->request_sync(protocol::Start{}); });
    REQUIRE(wait_until([&] { return fixture.pen->count(MessageType::Start) >= 1; }));
    fixture.pen->fail_link("port vanished");
    REQUIRE(caller.wait_for(kWaitLimit) == std::future_status::ready);
    try {
        caller.get();
        FAIL("Start succeeded on a failed link");
    } catch (const ConnectionError& error) {
        CHECK(error.code() == ErrorCode::ConnectionLost);
    }
}

TEST_CASE("closing a session fails what is still pending and later commands", "[session][link]") {
    SessionFixture fixture;
    fixture.pen->mute(MessageType::SetSpeed);
    std::promise<Result> outcome;
    auto future = outcome.get_future();
    fixture.session->request(protocol::SetSpeed{9000},
                             [&outcome](const Result& result) { outcome.set_value(result); });
    REQUIRE(wait_until([&] { return fixture.pen->count(MessageType::SetSpeed) >= 1; }));
    fixture.session->close();
    REQUIRE(future.wait_for(kWaitLimit) == std::future_status::ready);
    CHECK(future.get().code == ErrorCode::NotConnected);
    CHECK(fixture.session->state() == ConnectionState::Closed);
    CHECK_THROWS_AS(fixture.session->request_sync(protocol::Stop{}), ConnectionError);
    fixture.session->close();  // idempotent
}

TEST_CASE("an async command on a closed session is answered, never dropped", "[session][link]") {
    SessionFixture fixture;
    fixture.session->close();
    std::promise<Result> outcome;
    auto future = outcome.get_future();
    fixture.session->request(protocol::Start{},
                             [&outcome](const Result& result) { outcome.set_value(result); });
    REQUIRE(future.wait_for(kWaitLimit) == std::future_status::ready);
    const Result result = future.get();
    CHECK(result.code == ErrorCode::NotConnected);
    CHECK_THAT(result.message, Catch::Matchers::Contains("closed"));
}

TEST_CASE("async commands racing close() are all answered", "[session][link]") {
    SessionFixture fixture;
    std::atomic<int> answered{0};
    std::thread sender([&] {
        for (int i = 0; i < 200; ++i)
            fixture.session->request(protocol::Heartbeat{}, [&](const Result&) { ++answered; });
    });
    fixture.session->close();
    sender.join();
    CHECK(wait_until([&] { return answered.load() == 200; }));
}

TEST_CASE("garbage bytes between frames do not break the session", "[session][link]") {
    SessionFixture fixture;
    auto& pen = *fixture.pen;
    Recorder<std::uint32_t> sequences;
    auto subscription = fixture.session->subscribe_status(
        [&sequences](const Status& status) { sequences.add(status.sequence); }, 20);

    // Noise ends at a delimiter, where the decoder resynchronises.
    std::vector<std::uint8_t> longer_than_any_frame(600, 0x55);
    longer_than_any_frame.push_back(0x00);
    const std::vector<std::vector<std::uint8_t>> noise = {
        {0x00, 0x00, 0x00},
        {0x12, 0x34, 0x56, 0x00},
        {0xFF, 0xFE, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x00},
        longer_than_any_frame,
        {0x00},
    };
    for (std::uint32_t i = 0; i < noise.size(); ++i) {
        pen.send_bytes(noise[i]);
        pen.send_status(i);
    }
    // A frame with one bit flipped (CRC fails) is dropped, not delivered.
    auto corrupt = protocol::encode_frame(99, protocol::Ack{MessageType::Heartbeat});
    REQUIRE(corrupt);
    corrupt->bytes[3] ^= 0x01;
    pen.send_bytes(std::vector<std::uint8_t>(corrupt->view().begin(), corrupt->view().end()));
    pen.send_status(static_cast<std::uint32_t>(noise.size()));

    REQUIRE(wait_until([&] { return sequences.size() >= noise.size() + 1; }));
    const auto seen = sequences.values();
    for (std::uint32_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i);
    CHECK(fixture.session->dropped_status_frames() == 0);

    // Commands still work after the noise.
    fixture.session->request_sync(protocol::SetDepth{1000});
    CHECK(fixture.session->state() == ConnectionState::Connected);
}

}  // namespace
}  // namespace penlink::test
