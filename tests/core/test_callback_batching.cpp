// How a pen's callback queue reaches the callback threads (core/callback_dispatcher.hpp,
// core/shared_threads.hpp): a fast status stream is delivered in runs at most one per
// kStatusRunInterval, each frame once and in order; a slow one frame by frame; a task is never
// held back behind a deferred run; and a pool runs, brings forward or drops a deferred runnable
// as told.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "core/callback_dispatcher.hpp"
#include "core/shared_threads.hpp"

namespace penlink::test {
namespace {

using core::CallbackDispatcher;
using core::CallbackPool;
using core::CallbackRunnable;
using core::kStatusRunInterval;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

/// Polls pred every millisecond until it holds or `limit` passes.
template <typename Pred>
bool eventually(Pred pred, milliseconds limit = milliseconds(10000)) {
    const auto until = steady_clock::now() + limit;
    while (!pred()) {
        if (steady_clock::now() > until) return false;
        std::this_thread::sleep_for(milliseconds(1));
    }
    return true;
}

protocol::Status frame(std::uint32_t seq) {
    protocol::Status status;
    status.status_seq = seq;
    return status;
}

/// Records the sequence of every frame delivered, in delivery order.
struct Received {
    std::mutex mutex;
    std::vector<std::uint32_t> seqs;
    void add(const Status& status) {
        std::lock_guard lock(mutex);
        seqs.push_back(status.sequence);
    }
    std::size_t size() {
        std::lock_guard lock(mutex);
        return seqs.size();
    }
    bool in_order_from_1() {
        std::lock_guard lock(mutex);
        for (std::size_t i = 0; i < seqs.size(); ++i)
            if (seqs[i] != i + 1) return false;
        return true;
    }
};

TEST_CASE(
    "a fast status stream reaches the callbacks in runs at most one per interval, each frame once",
    "[callbacks][batching]") {
    Received received;  // declared first: the dispatcher's end may still deliver to it
    CallbackDispatcher dispatcher(1 << 16, std::make_shared<CallbackPool>(1));
    auto entry = dispatcher.add_status([&](const Status& status) { received.add(status); });

    // As an I/O thread at tens of kHz: a frame and a hand-over every few microseconds.
    std::uint32_t pushed = 0;
    const auto start = steady_clock::now();
    while (steady_clock::now() - start < milliseconds(100)) {
        REQUIRE(dispatcher.push_status(frame(++pushed)));
        dispatcher.flush();
        const auto spin_until = steady_clock::now() + std::chrono::microseconds(5);
        while (steady_clock::now() < spin_until) {
        }
    }
    REQUIRE(eventually([&] { return received.size() == pushed; }));
    const auto elapsed = steady_clock::now() - start;
    CHECK(received.in_order_from_1());
    // The first run and the one right after it may follow each other at once; from then on the
    // runs come one per interval at most.
    const auto most = 2 + static_cast<std::uint64_t>(elapsed / kStatusRunInterval);
    INFO(pushed << " frames handed over one by one; " << dispatcher.status_runs()
                << " runs delivered them, within at most " << most);
    CHECK(pushed > 100 * most / 10);  // the hand-overs came faster than one per interval
    CHECK(dispatcher.status_runs() <= most);
    dispatcher.remove_status(entry);
}

TEST_CASE("a slow status stream is delivered frame by frame", "[callbacks][batching]") {
    Received received;
    CallbackDispatcher dispatcher(64, std::make_shared<CallbackPool>(1));
    auto entry = dispatcher.add_status([&](const Status& status) { received.add(status); });
    constexpr std::uint32_t kFrames = 10;
    for (std::uint32_t seq = 1; seq <= kFrames; ++seq) {
        REQUIRE(dispatcher.push_status(frame(seq)));
        dispatcher.flush();
        // Far longer than the interval: each frame has been delivered before the next comes.
        REQUIRE(eventually([&] { return received.size() == seq; }));
        std::this_thread::sleep_for(kStatusRunInterval * 5);
    }
    CHECK(received.in_order_from_1());
    CHECK(dispatcher.status_runs() == kFrames);
    dispatcher.remove_status(entry);
}

TEST_CASE("queued frames reach the callbacks converted, with exactly the readings each carried",
          "[callbacks][batching]") {
    // A queue slot keeps what an earlier frame left in it (only a frame's own readings are
    // copied in): frames with fewer readings than the one before them in the same slot must
    // still arrive with only their own, and every reading past the count zero.
    std::mutex mutex;
    std::vector<Status> got;
    CallbackDispatcher dispatcher(64, std::make_shared<CallbackPool>(1));
    auto entry = dispatcher.add_status([&](const Status& status) {
        std::lock_guard lock(mutex);
        got.push_back(status);
    });
    const auto wire = [](std::uint32_t seq, std::uint8_t readings) {
        protocol::Status status = frame(seq);
        status.depth_set_um = static_cast<std::uint16_t>(100 * seq);
        status.temperature_cdeg = -250;
        status.telemetry_count = readings;
        for (std::uint8_t i = 0; i < readings; ++i)
            status.telemetry[i] = {static_cast<std::uint8_t>(i + 1), static_cast<std::uint8_t>(i),
                                   static_cast<std::int32_t>(seq * 1000 + i)};
        return status;
    };
    // Two rounds of the same slots (each round is delivered before the next is queued): the
    // second round's frames carry fewer readings than the first's, then none, then one.
    const std::uint8_t rounds[2][3] = {{16, 5, 3}, {2, 0, 1}};
    std::uint32_t seq = 0;
    for (const auto& round : rounds) {
        for (const std::uint8_t readings : round)
            REQUIRE(dispatcher.push_status(wire(++seq, readings)));
        dispatcher.flush();
        REQUIRE(eventually([&] {
            std::lock_guard lock(mutex);
            return got.size() == seq;
        }));
    }
    // Unsubscribed first: the handler takes `mutex` too.
    dispatcher.remove_status(entry);
    std::lock_guard lock(mutex);
    for (std::uint32_t n = 1; n <= seq; ++n) {
        const protocol::Status sent = wire(n, rounds[(n - 1) / 3][(n - 1) % 3]);
        const Status& status = got[n - 1];
        INFO("frame " << n << " with " << int(sent.telemetry_count) << " readings");
        CHECK(status.sequence == n);
        CHECK(status.depth_set_mm == Approx(0.1 * n));
        CHECK(status.temperature_c == Approx(-2.5));
        REQUIRE(status.telemetry_count == sent.telemetry_count);
        for (int i = 0; i < kMaxTelemetryReadings; ++i) {
            const auto at = static_cast<std::size_t>(i);
            if (i < status.telemetry_count) {
                CHECK(status.telemetry[at].slot == sent.telemetry[at].slot);
                CHECK(status.telemetry[at].channel == sent.telemetry[at].channel);
                CHECK(status.telemetry[at].raw == sent.telemetry[at].raw);
            } else {
                CHECK(status.telemetry[at].slot == 0);
                CHECK(status.telemetry[at].raw == 0);
            }
        }
    }
}

/// A dispatcher whose next run, once runs come often, is an hour away: frames 1 and 2 are each
/// delivered in a run of their own, the second of which defers the next; frames 3 to `last`
/// then wait in the queue for that run.
struct DeferredForAnHour {
    // Declared first: the dispatcher's end may still deliver to them.
    Received received;
    std::function<void(const Status&)> also;  // called with each frame after it is recorded
    CallbackDispatcher dispatcher{64, std::make_shared<CallbackPool>(1), {}, std::chrono::hours(1)};
    std::shared_ptr<CallbackDispatcher::StatusEntry> entry =
        dispatcher.add_status([this](const Status& status) { received.add(status); });

    std::shared_ptr<CallbackDispatcher::StatusEntry> also_entry =
        dispatcher.add_status([this](const Status& status) {
            if (also) also(status);
        });

    explicit DeferredForAnHour(std::uint32_t last = 10) {
        for (std::uint32_t seq = 1; seq <= 2; ++seq) {
            REQUIRE(dispatcher.push_status(frame(seq)));
            dispatcher.flush();
            REQUIRE(eventually([&] { return received.size() == seq; }));
        }
        for (std::uint32_t seq = 3; seq <= last; ++seq) {
            REQUIRE(dispatcher.push_status(frame(seq)));
            dispatcher.flush();
        }
        std::this_thread::sleep_for(milliseconds(20));
        REQUIRE(received.size() == 2);  // held for the deferred run
        REQUIRE(dispatcher.status_runs() == 2);
    }
};

TEST_CASE("a task posted while the next run is deferred runs at once, ahead of the frames",
          "[callbacks][batching]") {
    DeferredForAnHour deferred;
    std::atomic<int> tasks{0};
    std::atomic<std::size_t> frames_before_task{99};
    REQUIRE(deferred.dispatcher.post([&] {
        frames_before_task = deferred.received.size();
        ++tasks;
    }));
    REQUIRE(eventually([&] { return tasks.load() == 1; }));
    CHECK(frames_before_task.load() == 2);  // tasks go first
    // The run it brought forward delivered the waiting frames too, and deferred the next.
    REQUIRE(eventually([&] { return deferred.received.size() == 10; }));
    CHECK(deferred.received.in_order_from_1());
    CHECK(deferred.dispatcher.status_runs() == 3);
    deferred.dispatcher.remove_status(deferred.entry);
}

TEST_CASE("a task posted by a status callback runs before the rest of a long run's frames",
          "[callbacks][batching]") {
    DeferredForAnHour deferred(42);  // frames 3-42 wait: one run delivers them, 16 at a time
    std::atomic<std::size_t> frames_before_task{0};
    deferred.also = [&](const Status& status) {
        if (status.sequence != 5) return;
        deferred.dispatcher.post([&] { frames_before_task = deferred.received.size(); });
    };
    REQUIRE(deferred.dispatcher.post([] {}));  // brings the run forward
    REQUIRE(eventually([&] { return deferred.received.size() == 42; }));
    // Posted while frames 3-18 were delivered: it ran before frame 19.
    CHECK(frames_before_task.load() == 18);
    CHECK(deferred.received.in_order_from_1());
    deferred.dispatcher.remove_status(deferred.entry);
    deferred.dispatcher.remove_status(deferred.also_entry);
}

TEST_CASE("stop() while the next run is deferred delivers what is queued, and nothing runs after",
          "[callbacks][batching]") {
    DeferredForAnHour deferred;
    deferred.dispatcher.stop();
    CHECK(deferred.received.size() == 10);
    CHECK(deferred.received.in_order_from_1());
    CHECK(deferred.dispatcher.status_runs() == 3);
    CHECK(deferred.dispatcher.push_status(frame(11)));  // accepted and dropped: stopped
    deferred.dispatcher.flush();
    std::this_thread::sleep_for(milliseconds(20));
    CHECK(deferred.dispatcher.status_runs() == 3);
    CHECK(deferred.received.size() == 10);
}

TEST_CASE("the frames of one read hold the queue for their thread only until its next other call",
          "[callbacks][batching]") {
    // As the I/O thread does: frames pushed one by one, then flush() at the end of the read. A
    // task posted from another thread meanwhile waits for the queue; one posted by the pushing
    // thread itself (a reply's completion in the middle of the read) ends the batch first.
    Received received;
    CallbackDispatcher dispatcher(64, std::make_shared<CallbackPool>(1));
    auto entry = dispatcher.add_status([&](const Status& status) { received.add(status); });
    std::atomic<int> tasks{0};
    std::atomic<bool> other_posted{false};

    REQUIRE(dispatcher.push_status(frame(1)));
    REQUIRE(dispatcher.push_status(frame(2)));
    std::thread other([&] {
        dispatcher.post([&] { ++tasks; });
        other_posted = true;
    });
    std::this_thread::sleep_for(milliseconds(20));
    CHECK_FALSE(other_posted.load());  // the read's batch holds the queue

    REQUIRE(dispatcher.post([&] { ++tasks; }));  // no deadlock: it lets the batch go first
    REQUIRE(eventually([&] { return other_posted.load(); }));
    other.join();
    REQUIRE(dispatcher.push_status(frame(3)));  // a new batch
    dispatcher.flush();
    REQUIRE(eventually([&] { return received.size() == 3 && tasks.load() == 2; }));
    CHECK(received.in_order_from_1());
    dispatcher.remove_status(entry);
}

TEST_CASE("every public note on a fast stream's callback runs quotes kStatusRunInterval",
          "[callbacks][batching][docs]") {
    // The interval is defined once (core/callback_dispatcher.hpp); the C and C++ headers, the
    // three bindings and docs/architecture.md each say it in words. Compared with line breaks,
    // comment markers and runs of spaces taken out.
    const auto ms = std::chrono::duration_cast<milliseconds>(kStatusRunInterval).count();
    const std::string every = "at most once every " + std::to_string(ms) + " ms";
    const auto flat = [](const std::string& relative) {
        std::ifstream file(std::string(PENLINK_SOURCE_DIR) + "/" + relative);
        std::ostringstream text;
        text << file.rdbuf();
        std::string out;
        for (const char c : text.str()) {
            const bool gap = c == '\n' || c == ' ' || c == '*' || c == '/' || c == '#';
            if (gap) {
                if (!out.empty() && out.back() != ' ') out += ' ';
            } else {
                out += c;
            }
        }
        return out;
    };
    for (const char* file :
         {"include/penlink/subscriptions.h", "include/penlink/pen.hpp",
          "bindings/python/penlink/_pen_status.py",
          "bindings/java/src/main/java/io/penlink/Pen.java", "bindings/csharp/src/Pen.cs"}) {
        INFO(file);
        const std::string text = flat(file);
        REQUIRE_FALSE(text.empty());
        CHECK(text.find("runs " + every) != std::string::npos);
        CHECK(text.find("may wait up to " + std::to_string(ms) + " ms") != std::string::npos);
        // Between a fast stream's runs its link keeps quiet (docs/architecture.md, Threads).
        CHECK(text.find("what else the pen sends (events, answers to asynchronous commands) "
                        "may wait as long") != std::string::npos);
    }
    const std::string architecture = flat("docs/architecture.md");
    CHECK(architecture.find("held back by up to " + std::to_string(ms) + " ms") !=
          std::string::npos);
    CHECK(architecture.find("less than " + std::to_string(ms) + " ms apart") != std::string::npos);
}

/// A runnable that counts its runs and notes when the first began.
struct CountingRunnable final : CallbackRunnable {
    std::atomic<int> runs{0};
    std::atomic<steady_clock::time_point> first{};
    void run_queued() override {
        if (runs.fetch_add(1) == 0) first = steady_clock::now();
    }
};

TEST_CASE("a pool runs a deferred runnable at its moment, not before", "[callbacks][batching]") {
    CallbackPool pool(2);
    CountingRunnable runnable;
    const auto due = steady_clock::now() + milliseconds(30);
    pool.schedule_at(runnable, due);  // from a thread of no pool: it wakes one to keep the time
    REQUIRE(eventually([&] { return runnable.runs.load() == 1; }));
    CHECK(runnable.first.load() >= due);
    std::this_thread::sleep_for(milliseconds(20));
    CHECK(runnable.runs.load() == 1);
}

TEST_CASE("a deferred runnable brought forward runs at once; one cancelled never runs",
          "[callbacks][batching]") {
    CallbackPool pool(1);
    CountingRunnable forward, cancelled, ordinary;
    const auto far = steady_clock::now() + std::chrono::hours(1);
    pool.schedule_at(forward, far);
    pool.schedule_at(cancelled, far);
    pool.expedite(forward);
    REQUIRE(eventually([&] { return forward.runs.load() == 1; }));
    CHECK(pool.cancel_deferred(cancelled));
    CHECK_FALSE(pool.cancel_deferred(cancelled));  // no longer deferred
    CHECK_FALSE(pool.cancel_deferred(forward));    // ran already
    pool.expedite(cancelled);                      // not deferred: nothing happens
    pool.schedule(ordinary);
    REQUIRE(eventually([&] { return ordinary.runs.load() == 1; }));
    CHECK(cancelled.runs.load() == 0);
    CHECK(forward.runs.load() == 1);
}

TEST_CASE("a pool that goes away runs its deferred runnables first", "[callbacks][batching]") {
    CountingRunnable runnable;
    {
        CallbackPool pool(1);
        pool.schedule_at(runnable, steady_clock::now() + std::chrono::hours(1));
    }
    CHECK(runnable.runs.load() == 1);
}

}  // namespace
}  // namespace penlink::test
