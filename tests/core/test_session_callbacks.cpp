// The callback thread: where completions run, back-pressure from a slow callback, unsubscribe
// waiting for a running call, and closing a session from inside its own callback.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>

#include "session_fixture.hpp"

namespace penlink::test {
namespace {

/// A one-shot gate a callback can wait on (bounded, so a broken test cannot hang forever).
class Gate {
public:
    void open() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        changed_.notify_all();
    }
    bool wait() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kWaitLimit, [this] { return open_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool open_ = false;
};

TEST_CASE("completions and status callbacks run off the caller's thread; Dedicated: on one thread",
          "[session][callbacks]") {
    // Shared pens' callbacks run one at a time on any of the shared callback threads; a
    // Dedicated pen's all run on its own one.
    const bool dedicated = GENERATE(false, true);
    auto options = test_options();
    if (dedicated) options.threading = Threading::Dedicated;
    SessionFixture fixture(options);
    std::promise<std::thread::id> status_thread, completion_thread;
    std::atomic<bool> status_seen{false};
    auto subscription = fixture.session->subscribe_status(
        [&](const Status&) {
            if (!status_seen.exchange(true)) status_thread.set_value(std::this_thread::get_id());
        },
        20);
    fixture.pen->send_status(0);
    fixture.session->request(protocol::Stop{}, [&](const Result&) {
        completion_thread.set_value(std::this_thread::get_id());
    });
    auto status_id = status_thread.get_future();
    auto completion_id = completion_thread.get_future();
    REQUIRE(status_id.wait_for(kWaitLimit) == std::future_status::ready);
    REQUIRE(completion_id.wait_for(kWaitLimit) == std::future_status::ready);
    const auto id = status_id.get();
    const auto completion = completion_id.get();
    if (dedicated) CHECK(id == completion);
    CHECK(id != std::this_thread::get_id());
    CHECK(completion != std::this_thread::get_id());
}

TEST_CASE("frames that do not fit behind a slow callback are dropped and counted",
          "[session][callbacks]") {
    auto options = test_options();
    options.callback_queue_capacity = 4;
    SessionFixture fixture(options);
    Gate gate;
    std::atomic<std::uint32_t> delivered{0};
    auto subscription = fixture.session->subscribe_status(
        [&](const Status& status) {
            if (status.sequence == 0) gate.wait();
            delivered.fetch_add(1);
        },
        20);
    constexpr std::uint32_t kFrames = 20;
    for (std::uint32_t i = 0; i < kFrames; ++i) fixture.pen->send_status(i);
    // All frames reach the session while the callback is stuck on the first one.
    REQUIRE(wait_until([&] { return fixture.session->received_status_frames() == kFrames; }));
    gate.open();
    REQUIRE(wait_until(
        [&] { return delivered.load() + fixture.session->dropped_status_frames() == kFrames; }));
    CHECK(fixture.session->dropped_status_frames() > 0);
    CHECK(delivered.load() <= 1 + 4);  // the one running plus a full queue
}

TEST_CASE("unsubscribe from another thread waits for a running callback", "[session][callbacks]") {
    SessionFixture fixture;
    Gate release;
    std::promise<void> entered;
    std::atomic<int> calls{0};
    auto subscription = fixture.session->subscribe_status(
        [&](const Status&) {
            if (calls.fetch_add(1) == 0) {
                entered.set_value();
                release.wait();
            }
        },
        20);
    fixture.pen->send_status(0);
    REQUIRE(entered.get_future().wait_for(kWaitLimit) == std::future_status::ready);

    auto unsubscribed = std::async(std::launch::async, [&] { subscription.unsubscribe(); });
    // While the callback runs, unsubscribe must not return (it promises the callback is done).
    CHECK(unsubscribed.wait_for(std::chrono::milliseconds(100)) == std::future_status::timeout);
    release.open();
    REQUIRE(unsubscribed.wait_for(kWaitLimit) == std::future_status::ready);
    fixture.pen->send_status(1);
    fixture.session->request_sync(protocol::Stop{});  // a round trip after the frame was sent
    CHECK(calls.load() == 1);
}

TEST_CASE("a session can be closed from inside its own callback", "[session][callbacks]") {
    SessionFixture fixture;
    std::promise<void> closed;
    auto subscription = fixture.session->subscribe_status(
        [&](const Status& status) {
            if (status.sequence == 2) {
                fixture.session->close();
                closed.set_value();
            }
        },
        20);
    for (std::uint32_t i = 0; i < 5; ++i) fixture.pen->send_status(i);
    REQUIRE(closed.get_future().wait_for(kWaitLimit) == std::future_status::ready);
    CHECK(fixture.session->state() == ConnectionState::Closed);
    CHECK_FALSE(fixture.pen->link_open());
    CHECK_THROWS_AS(fixture.session->request_sync(protocol::Stop{}), ConnectionError);
}

}  // namespace
}  // namespace penlink::test
