// Protocol v2 sessions on the host side: restart detection, frames from before the handshake
// or another session, duplicates, status silence, and what reconnect() reports.
#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "session_fixture.hpp"

namespace penlink::test {
namespace {

using protocol::MessageType;

using States = Recorder<std::pair<ConnectionState, std::string>>;

Subscription record_states(core::Session& session, States& states) {
    return session.subscribe_connection_state(
        [&states](ConnectionState state, const std::string& reason) {
            states.add({state, reason});
        });
}

TEST_CASE("a pen that restarted behind a live link is reported Lost, not left Connected",
          "[session][v2]") {
    // Audit finding 4: a USB-UART bridge keeps the link up while the pen reboots; before v2
    // the SDK stayed Connected and commands kept "succeeding" on a pen that had forgotten them.
    auto options = test_options();
    options.heartbeat_interval = std::chrono::milliseconds(50);
    SessionFixture fixture(options);
    States states;
    auto subscription = record_states(*fixture.session, states);
    fixture.session->request_sync(protocol::SetDepth{1500});

    fixture.pen->restart();
    REQUIRE(wait_until([&] { return fixture.session->state() == ConnectionState::Lost; }));
    REQUIRE(wait_until([&] { return states.size() >= 1; }));
    CHECK_THAT(states.values().back().second, Catch::Contains("no session"));
    CHECK_FALSE(fixture.session->latest_status().has_value());
    CHECK_THROWS_AS(fixture.session->request_sync(protocol::SetDepth{1000}), ConnectionError);
}

TEST_CASE("a command answered NoSession fails with ConnectionLost, as do the ones pending",
          "[session][v2]") {
    SessionFixture fixture;
    fixture.pen->mute(MessageType::SetSpeed);
    std::promise<Result> speed_done;
    auto speed = speed_done.get_future();
    fixture.session->request(protocol::SetSpeed{9000},
                             [&](const Result& r) { speed_done.set_value(r); });
    REQUIRE(wait_until([&] { return fixture.pen->count(MessageType::SetSpeed) >= 1; }));
    fixture.pen->restart();
    try {
        fixture.session->request_sync(protocol::SetDepth{1000});
        FAIL("a command on a restarted pen succeeded");
    } catch (const ConnectionError& error) {
        CHECK(error.code() == ErrorCode::ConnectionLost);
        CHECK_THAT(error.what(), Catch::Contains("no session"));
    }
    REQUIRE(speed.wait_for(kWaitLimit) == std::future_status::ready);
    CHECK(speed.get().code == ErrorCode::ConnectionLost);
}

TEST_CASE("reconnect() says whether the pen restarted meanwhile", "[session][v2]") {
    SessionFixture fixture;
    States states;
    auto subscription = record_states(*fixture.session, states);

    fixture.pen->fail_link("cable pulled");
    REQUIRE(wait_until([&] { return fixture.session->state() == ConnectionState::Lost; }));
    fixture.session->connect();
    REQUIRE(wait_until([&] { return states.size() >= 3; }));
    CHECK(states.values().back().first == ConnectionState::Connected);
    CHECK_THAT(states.values().back().second, Catch::Contains("new session"));

    fixture.pen->restart();
    fixture.pen->fail_link("cable pulled again");
    REQUIRE(wait_until([&] { return fixture.session->state() == ConnectionState::Lost; }));
    fixture.session->connect();
    // Lost, Connecting, Connected twice over, each heard on the callback thread.
    REQUIRE(wait_until([&] { return states.size() >= 6; }));
    CHECK(states.values().back().first == ConnectionState::Connected);
    CHECK_THAT(states.values().back().second, Catch::Contains("restarted"));
}

TEST_CASE("status and events sent before the HelloReply are ignored", "[session][v2]") {
    // Audit finding 5: a previous host's subscription kept streaming into the next session,
    // counting phantom drops and delivering a fault event from before it connected.
    SessionFixture fixture(test_options(), false);
    Recorder<Event> events;
    auto event_subscription =
        fixture.session->subscribe_events([&](const Event& e) { events.add(e); });
    fixture.pen->set_hook([](FakePen& pen, const ReceivedFrame& frame) {
        if (frame.type != MessageType::Hello) return false;
        pen.send_status(19000);  // an old session's stream
        pen.send_event(protocol::EventKind::FaultRaised, 6);
        pen.answer(frame);
        return true;
    });
    fixture.session->connect();
    fixture.pen->set_hook({});
    fixture.pen->send_status(0);
    fixture.pen->send_status(1);
    REQUIRE(wait_until([&] { return fixture.session->received_status_frames() == 2; }));
    CHECK(fixture.session->dropped_status_frames() == 0);
    CHECK(fixture.session->latest_status()->sequence == 1);
    CHECK(events.size() == 0);
}

TEST_CASE("duplicated status frames and events are delivered and counted once", "[session][v2]") {
    SessionFixture fixture;
    Recorder<std::uint32_t> seen;
    Recorder<Event> events;
    auto status =
        fixture.session->subscribe_status([&](const Status& s) { seen.add(s.sequence); }, 100);
    auto event_subscription =
        fixture.session->subscribe_events([&](const Event& e) { events.add(e); });
    // The same frames twice (a link that duplicates): same pen frame counter, same status_seq.
    const auto status_frame = [](std::uint32_t status_seq, std::uint16_t frame_seq) {
        protocol::Status s;
        s.status_seq = status_seq;
        s.timestamp_ms = status_seq * 10;
        return std::pair{frame_seq, protocol::Message{s}};
    };
    const auto session_id = fixture.pen->session_id();
    for (std::uint32_t i = 0; i < 5; ++i) {
        auto [frame_seq, message] = status_frame(i, static_cast<std::uint16_t>(100 + i));
        std::get<protocol::Status>(message).session_id = session_id;
        fixture.pen->send(frame_seq, message);
        fixture.pen->send(frame_seq, message);
    }
    fixture.pen->send(200, protocol::Event{protocol::EventKind::ButtonPressed, 1, 0});
    fixture.pen->send(200, protocol::Event{protocol::EventKind::ButtonPressed, 1, 0});
    fixture.pen->send(201, protocol::Event{protocol::EventKind::ButtonPressed, 2, 0});
    // Events and status frames reach the callbacks on one thread but through separate queues.
    REQUIRE(wait_until([&] { return events.size() >= 2 && seen.size() >= 5; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // room for a wrong extra one
    CHECK(events.size() == 2);
    CHECK(seen.values() == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
    CHECK(fixture.session->received_status_frames() == 5);
    CHECK(fixture.session->dropped_status_frames() == 0);
    CHECK(events.values()[1].detail == 2);
}

TEST_CASE("a status frame of another session means the session is gone", "[session][v2]") {
    SessionFixture fixture;
    protocol::Status other;
    other.session_id = fixture.pen->session_id() + 7;
    fixture.pen->send(50, other);
    REQUIRE(wait_until([&] { return fixture.session->state() == ConnectionState::Lost; }));
}

TEST_CASE("a pen that stops streaming is asked again, then reported Lost", "[session][v2]") {
    // Audit finding 4: latest_status() froze at "running 1.50 mm" with no word of it.
    SessionFixture fixture;
    LogCapture log;
    States states;
    auto subscription = record_states(*fixture.session, states);
    // The fake pen acknowledges SubscribeStatus but sends nothing.
    REQUIRE(wait_until([&] { return log.contains("subscribing again"); },
                       std::chrono::milliseconds(4000)));
    REQUIRE(wait_until([&] { return fixture.session->state() == ConnectionState::Lost; },
                       std::chrono::milliseconds(4000)));
    // Listeners hear of it on the callback thread, a moment later.
    REQUIRE(wait_until([&] {
        const auto seen = states.values();
        return !seen.empty() && seen.back().first == ConnectionState::Lost;
    }));
    CHECK_THAT(states.values().back().second, Catch::Contains("no status from the pen"));
}

}  // namespace
}  // namespace penlink::test
