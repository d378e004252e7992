// Pens sharing callback threads take turns (core/callback_dispatcher.hpp, CallbackPool::
// others_waiting): a pen whose callbacks cannot keep up with its frames hands its queue back
// after each batch while another pen's queue waits, instead of holding the thread until its own
// queue runs dry; a pen alone on the pool still drains its queue in one run.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>

#include "core/callback_dispatcher.hpp"
#include "core/shared_threads.hpp"
#include "wait.hpp"

namespace penlink::test {
namespace {

using core::CallbackDispatcher;
using core::CallbackPool;

/// A pen's callbacks that never keep up: each frame delivered queues one more while
/// keep_going() holds (and below `cap` frames, so a queue that never hands over still ends).
struct EndlessStream {
    explicit EndlessStream(std::shared_ptr<CallbackPool> pool) : dispatcher(4096, std::move(pool)) {
        entry = dispatcher.add_status([this](const Status&) {
            const int n = ++delivered;
            if (stop.load() || n >= kCap || (keep_going && !keep_going())) return;
            protocol::Status wire;
            wire.status_seq = static_cast<std::uint32_t>(n + 1);
            dispatcher.push_status(wire);
            dispatcher.flush();
        });
    }
    void start() {
        protocol::Status wire;
        wire.status_seq = 1;
        dispatcher.push_status(wire);
        dispatcher.flush();
    }

    static constexpr int kCap = 20000;
    std::atomic<int> delivered{0};
    std::atomic<bool> stop{false};
    std::function<bool()> keep_going;  // set before start()
    CallbackDispatcher dispatcher;
    std::shared_ptr<CallbackDispatcher::StatusEntry> entry;
};

/// Holds a one-thread pool's thread in a task of its own until open(), so that the queues handed
/// to the pool meanwhile wait for it in the order they came, however the machine schedules the
/// test's own thread.
struct Gate {
    explicit Gate(std::shared_ptr<CallbackPool> pool) : dispatcher(16, std::move(pool)) {
        dispatcher.post([this] {
            holding = true;
            opened.wait();
        });
    }
    bool holds() const {
        return wait_until([this] { return holding.load(); }, std::chrono::seconds(20));
    }
    void open() { release.set_value(); }

    std::promise<void> release;
    std::shared_future<void> opened = release.get_future().share();
    std::atomic<bool> holding{false};
    CallbackDispatcher dispatcher;  // last: its end waits for the task, which open() ended
};

TEST_CASE("a pen whose callbacks never keep up lets another pen's queue run on a one-thread pool",
          "[callbacks][turns]") {
    auto pool = std::make_shared<CallbackPool>(1);
    EndlessStream busy(pool);
    CallbackDispatcher other(16, pool);
    std::atomic<bool> ran{false};
    std::atomic<int> busy_frames_before{-1};
    Gate gate(pool);
    REQUIRE(gate.holds());
    busy.start();
    REQUIRE(other.post([&] {
        busy_frames_before = busy.delivered.load();
        ran = true;
    }));
    gate.open();  // the busy pen's queue runs first, the other's waits behind it
    REQUIRE(wait_until([&] { return ran.load(); }, std::chrono::seconds(20)));
    busy.stop = true;
    // The other pen ran after the busy one's first batch, while that one still had frames
    // queued; a run that kept the thread would have gone on to the cap first.
    CHECK(busy_frames_before.load() == 1);
    busy.dispatcher.stop();
    other.stop();
    // Every frame queued was delivered once: taking turns loses none.
    CHECK(busy.delivered.load() >= busy_frames_before.load());
}

TEST_CASE("two pens whose callbacks never keep up share one thread turn by turn",
          "[callbacks][turns]") {
    auto pool = std::make_shared<CallbackPool>(1);
    EndlessStream first(pool);
    EndlessStream second(pool);
    // Each goes on until the other has had 100 frames: with turns, both stop soon after; a
    // pen that kept the thread would reach its cap before the other had one.
    first.keep_going = [&] { return second.delivered.load() < 100; };
    second.keep_going = [&] { return first.delivered.load() < 100; };
    Gate gate(pool);
    REQUIRE(gate.holds());
    first.start();
    second.start();
    gate.open();  // both queues wait: from here they take turns, one batch (a frame) each
    // Either way the streams end: wait for that, whichever way it goes.
    const auto ended = [&] {
        const int a = first.delivered.load(), b = second.delivered.load();
        return (a >= 100 && b >= 100) || a >= EndlessStream::kCap || b >= EndlessStream::kCap;
    };
    wait_until(ended, std::chrono::seconds(20));
    first.dispatcher.stop();
    second.dispatcher.stop();
    CHECK(first.delivered.load() >= 100);
    CHECK(second.delivered.load() >= 100);
    CHECK(first.delivered.load() < EndlessStream::kCap);
    CHECK(second.delivered.load() < EndlessStream::kCap);
    CHECK(std::abs(first.delivered.load() - second.delivered.load()) <= 1);
}

TEST_CASE("a pen alone on its pool drains frames that come during a run in that same run",
          "[callbacks][turns]") {
    auto pool = std::make_shared<CallbackPool>(1);
    EndlessStream alone(pool);
    alone.start();
    wait_until([&] { return alone.delivered.load() >= EndlessStream::kCap; },
               std::chrono::seconds(20));
    REQUIRE(alone.delivered.load() == EndlessStream::kCap);
    // Nobody waited for the thread, so the queue was never handed back: one run delivered all.
    CHECK(alone.dispatcher.status_runs() == 1);
    alone.dispatcher.stop();
}

}  // namespace
}  // namespace penlink::test
