// The hand-over of a synchronous request's outcome to its caller (core/reply_waiter.hpp): the
// caller watches briefly, then sleeps; either way it gets the value once, or its deadline.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "core/reply_waiter.hpp"

namespace penlink::test {
namespace {

using core::ReplyWaiter;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST_CASE("a reply set before the caller waits is there at once", "[reply_waiter]") {
    ReplyWaiter<std::string> waiter;
    waiter.set("acknowledged");
    REQUIRE(waiter.wait_until(steady_clock::now()));
    CHECK(waiter.take() == "acknowledged");
}

TEST_CASE("a reply that comes within the watch reaches the caller", "[reply_waiter]") {
    auto waiter = std::make_shared<ReplyWaiter<int>>();
    std::thread completer([waiter] { waiter->set(42); });
    REQUIRE(waiter->wait_until(steady_clock::now() + std::chrono::seconds(10)));
    CHECK(waiter->take() == 42);
    completer.join();
}

TEST_CASE("a caller that takes the reply off the link itself while it watches returns with it",
          "[reply_waiter]") {
    ReplyWaiter<int> waiter;
    const auto caller = std::this_thread::get_id();
    // Where the process may use one CPU the caller looks once and then sleeps; elsewhere it
    // keeps looking while it watches, and its third look finds the reply.
    const int finds_it_at = common::spinning_helps() ? 3 : 1;
    int calls = 0;
    bool elsewhere = false;
    bool slept = false;
    // The look that finds the reply completes the request on the caller's own thread, as
    // Session's read of the link does.
    REQUIRE(waiter.wait_until(
        steady_clock::now() + std::chrono::seconds(10),
        [&] {
            elsewhere |= std::this_thread::get_id() != caller;
            if (++calls == finds_it_at) waiter.set(7);
        },
        [&] { slept = true; }));
    CHECK(waiter.take() == 7);
    CHECK_FALSE(elsewhere);
    CHECK(calls == finds_it_at);
    CHECK_FALSE(slept);  // it never went to sleep, so had nothing to undo first
}

TEST_CASE("a caller whose look at the link finds nothing still gets a reply completed elsewhere",
          "[reply_waiter]") {
    auto waiter = std::make_shared<ReplyWaiter<int>>();
    std::atomic<int> calls{0};
    // The reply is completed only once the caller has stopped watching, however long a busy
    // machine stretches its watch: set() lands between before_sleep() and the sleep, or during it.
    std::promise<void> watch_over;
    std::thread completer([waiter, over = watch_over.get_future()]() mutable {
        over.wait();
        waiter->set(9);
    });
    int before_sleep_calls = 0, looks_before_sleep = -1;
    // What watching needed is undone once, after the last look and before the caller sleeps.
    REQUIRE(waiter->wait_until(
        steady_clock::now() + std::chrono::seconds(10), [&] { ++calls; },
        [&] {
            ++before_sleep_calls;
            looks_before_sleep = calls.load();
            watch_over.set_value();
        }));
    CHECK(waiter->take() == 9);
    CHECK(calls > 0);
    CHECK(before_sleep_calls == 1);
    CHECK(looks_before_sleep == calls.load());
    completer.join();
}

TEST_CASE("a reply that comes after the watch wakes the sleeping caller", "[reply_waiter]") {
    auto waiter = std::make_shared<ReplyWaiter<int>>();
    // Well past the watch: the caller is asleep on the condition variable by then.
    const auto delay = ReplyWaiter<int>::kSpinBudget * 50;
    // Before the completer starts: it may begin its sleep before this thread runs on.
    const auto start = steady_clock::now();
    std::thread completer([waiter, delay] {
        std::this_thread::sleep_for(delay);
        waiter->set(7);
    });
    REQUIRE(waiter->wait_until(start + std::chrono::seconds(10)));
    CHECK(steady_clock::now() - start >= delay);
    CHECK(waiter->take() == 7);
    completer.join();
}

TEST_CASE("a caller whose deadline passes gets false, and a late reply harms nothing",
          "[reply_waiter]") {
    auto waiter = std::make_shared<ReplyWaiter<std::string>>();
    const auto start = steady_clock::now();
    CHECK_FALSE(waiter->wait_until(start + milliseconds(20)));
    CHECK(steady_clock::now() - start >= milliseconds(20));
    // The caller has given up (Session throws TimeoutError) and lets go; the completing side
    // still holds the waiter and sets it later.
    std::weak_ptr<ReplyWaiter<std::string>> watch = waiter;
    std::thread completer([late = std::move(waiter)] { late->set("too late"); });
    completer.join();
    CHECK(watch.expired());
}

TEST_CASE("many hand-overs in a row each deliver their own value", "[reply_waiter]") {
    for (int round = 0; round < 2000; ++round) {
        auto waiter = std::make_shared<ReplyWaiter<int>>();
        std::thread completer([waiter, round] { waiter->set(round); });
        REQUIRE(waiter->wait_until(steady_clock::now() + std::chrono::seconds(10)));
        REQUIRE(waiter->take() == round);
        completer.join();
    }
}

}  // namespace
}  // namespace penlink::test
