// Retries under the same sequence number, timeouts, and replies that arrive too late or twice.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <optional>

#include "session_fixture.hpp"

namespace penlink::test {
namespace {

using protocol::MessageType;

TEST_CASE("a lost first frame is resent with the same sequence number and succeeds",
          "[session][retry]") {
    SessionFixture fixture;
    std::atomic<int> seen{0};
    fixture.pen->set_hook([&seen](FakePen&, const ReceivedFrame& frame) {
        // Swallow the first SetDepth, as if line noise had eaten it.
        return frame.type == MessageType::SetDepth && seen.fetch_add(1) == 0;
    });
    fixture.session->request_sync(protocol::SetDepth{1250});

    const auto frames = fixture.pen->received(MessageType::SetDepth);
    REQUIRE(frames.size() == 2);
    CHECK(frames[0].seq == frames[1].seq);
    CHECK(frames[0].message == frames[1].message);
}

TEST_CASE("a pen that never answers gives a TimeoutError after retries + 1 attempts",
          "[session][retry]") {
    auto options = test_options();
    options.command_timeout = std::chrono::milliseconds(100);
    options.command_retries = 2;
    SessionFixture fixture(options);
    fixture.pen->mute(MessageType::SetSpeed);

    const auto started = std::chrono::steady_clock::now();
    try {
        fixture.session->request_sync(protocol::SetSpeed{10000});
        FAIL("a command nobody acknowledged succeeded");
    } catch (const TimeoutError& error) {
        CHECK(error.code() == ErrorCode::Timeout);
        CHECK_THAT(error.what(), Catch::Contains("SetSpeed") && Catch::Contains("3 attempts"));
    }
    // Not a timing assertion: only proof that the wait is bounded by the retries, not endless.
    CHECK(std::chrono::steady_clock::now() - started < kWaitLimit);

    const auto frames = fixture.pen->received(MessageType::SetSpeed);
    REQUIRE(frames.size() == 3);
    CHECK(frames[1].seq == frames[0].seq);
    CHECK(frames[2].seq == frames[0].seq);

    // The session is still usable: the next command is answered normally.
    fixture.pen->unmute(MessageType::SetSpeed);
    fixture.session->request_sync(protocol::SetSpeed{10000});
}

TEST_CASE("command_retries = 0 sends exactly once", "[session][retry]") {
    auto options = test_options();
    options.command_timeout = std::chrono::milliseconds(50);
    options.command_retries = 0;
    SessionFixture fixture(options);
    fixture.pen->mute(MessageType::Start);
    CHECK_THROWS_AS(fixture.session->request_sync(protocol::Start{}), TimeoutError);
    CHECK(fixture.pen->count(MessageType::Start) == 1);
}

TEST_CASE("a late duplicate reply is ignored", "[session][retry]") {
    SessionFixture fixture;
    auto& pen = *fixture.pen;
    fixture.session->request_sync(protocol::SetDepth{1000});
    const auto old_seq = pen.received(MessageType::SetDepth).at(0).seq;

    // The pen answers Start with, first, a stale copy of the old SetDepth Ack; then an Ack that
    // carries Start's seq but names the wrong request; and only then its real answer, a Nack.
    // If either stray reply were taken for Start's, Start would succeed.
    pen.set_hook([old_seq](FakePen& p, const ReceivedFrame& frame) {
        if (frame.type != MessageType::Start) return false;
        p.send(old_seq, protocol::Ack{MessageType::SetDepth});
        p.send(frame.seq, protocol::Ack{MessageType::SetDepth});
        p.send(frame.seq, protocol::Nack{MessageType::Start, protocol::NackReason::BadState,
                                         protocol::Field::None, 0, 0});
        return true;
    });
    CHECK_THROWS_AS(fixture.session->request_sync(protocol::Start{}), RejectedError);

    // And the answer to a resent request arrives twice: the second copy must not complete the
    // command that follows.
    std::atomic<int> depth_frames{0};
    pen.set_hook([&depth_frames](FakePen& p, const ReceivedFrame& frame) {
        if (frame.type == MessageType::SetDepth && depth_frames.fetch_add(1) == 0)
            return true;  // "slow" first
        if (frame.type == MessageType::SetDepth) {
            p.send(frame.seq, protocol::Ack{MessageType::SetDepth});
            p.send(frame.seq,
                   protocol::Ack{MessageType::SetDepth});  // the late answer to attempt 1
            return true;
        }
        if (frame.type == MessageType::SetSpeed) {
            p.send(frame.seq,
                   protocol::Nack{MessageType::SetSpeed, protocol::NackReason::OutOfRange,
                                  protocol::Field::Speed, 20000, 15000});
            return true;
        }
        return false;
    });
    fixture.session->request_sync(protocol::SetDepth{1100});
    CHECK_THROWS_AS(fixture.session->request_sync(protocol::SetSpeed{20000}), OutOfRangeError);
}

TEST_CASE("requests in flight at once are matched to their own replies", "[session][retry]") {
    SessionFixture fixture;
    // Hold SetDepth until SetSpeed has arrived, then answer them in reverse order.
    std::mutex mutex;
    std::optional<ReceivedFrame> held;
    bool answered = false;
    fixture.pen->set_hook([&](FakePen& p, const ReceivedFrame& frame) {
        if (frame.type != MessageType::SetDepth && frame.type != MessageType::SetSpeed)
            return false;
        std::lock_guard lock(mutex);
        if (answered) return true;
        if (!held) {
            held = frame;
        } else if (frame.type != held->type) {
            p.send(frame.seq, protocol::Nack{frame.type, protocol::NackReason::BadState,
                                             protocol::Field::None, 0, 0});
            p.answer(*held);
            answered = true;
        }
        return true;  // a resend of the held request: still holding it
    });
    std::promise<Result> depth_done, speed_done;
    auto depth = depth_done.get_future();
    auto speed = speed_done.get_future();
    // Posted in call order, so SetDepth leaves first.
    fixture.session->request(protocol::SetDepth{1000},
                             [&](const Result& r) { depth_done.set_value(r); });
    fixture.session->request(protocol::SetSpeed{9000},
                             [&](const Result& r) { speed_done.set_value(r); });
    REQUIRE(depth.wait_for(kWaitLimit) == std::future_status::ready);
    REQUIRE(speed.wait_for(kWaitLimit) == std::future_status::ready);
    CHECK(depth.get().ok());
    CHECK(speed.get().code == ErrorCode::Rejected);
}

}  // namespace
}  // namespace penlink::test
