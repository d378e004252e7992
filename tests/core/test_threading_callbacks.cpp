// One pen's callbacks run one at a time and never on the caller's thread, on the shared callback
// threads or an app's executor; and the ways a callback can turn against the threads that run
// it (closing another pen, a blocking command on its own pen, closing its own pen, a pen
// destroyed mid-stream) end instead of deadlocking. Real in-process simulated pens (sim://).
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/shared_threads.hpp"
#include "threading_helpers.hpp"

namespace penlink::test {
namespace {

/// A status rate that keeps the callback threads busy, within what the pen offers.
std::int32_t busy_rate(const Pen& pen) {
    return std::min<std::int32_t>(250, pen.capabilities().max_status_rate_hz);
}

/// Subscribes every kind of callback of pen to recorder, and sends `commands` set_depth_async
/// whose completions go to it too (counted in completions).
struct RecordedPen {
    RecordedPen(std::unique_ptr<Pen> p, int commands) : pen(std::move(p)) {
        auto* rec = &recorder;
        subscriptions.push_back(pen->subscribe_status(
            [rec](const Status&) { CallbackRecorder::Scope scope(*rec); }, busy_rate(*pen)));
        subscriptions.push_back(
            pen->subscribe_events([rec](const Event&) { CallbackRecorder::Scope scope(*rec); }));
        subscriptions.push_back(pen->subscribe_connection_state(
            [rec](ConnectionState, const std::string&) { CallbackRecorder::Scope scope(*rec); }));
        for (int i = 0; i < commands; ++i) {
            // Quick succession: the pen may refuse older ones as superseded; each still completes.
            pen->set_depth_async(Depth::mm(0.5 + 0.01 * i), [this](const Result&) {
                CallbackRecorder::Scope scope(recorder);
                ++completions;
            });
        }
    }
    // Declared first: they outlive the pen, whose destruction may still run callbacks.
    CallbackRecorder recorder;
    std::atomic<int> completions{0};
    std::unique_ptr<Pen> pen;
    std::vector<Subscription> subscriptions;
};

TEST_CASE(
    "one pen's callbacks never overlap on the two shared callback threads, nor run on the "
    "caller's",
    "[threading]") {
    constexpr int kPens = 12;
    constexpr int kCommands = 20;
    std::vector<std::unique_ptr<RecordedPen>> pens;
    for (int i = 0; i < kPens; ++i)
        pens.push_back(
            std::make_unique<RecordedPen>(Pen::connect("sim://", threading_options()), kCommands));
    REQUIRE(wait_until([&] {
        for (auto& p : pens)
            if (p->completions.load() < kCommands || p->recorder.calls() < 100) return false;
        return true;
    }));
    std::set<std::thread::id> all;
    for (auto& p : pens) {
        p->pen->close();  // the Closed state change is a callback too
        CHECK(p->recorder.overlaps() == 0);
        const auto threads = p->recorder.threads();
        CHECK(threads.count(std::this_thread::get_id()) == 0);
        all.insert(threads.begin(), threads.end());
    }
    CHECK(all.size() <= core::kSharedCallbackThreads);
}

TEST_CASE("an app's executor runs the pen's callbacks, one at a time, though it has three threads",
          "[threading]") {
    AppExecutor executor(3);
    auto options = threading_options();
    options.callback_executor = executor.handle();
    constexpr int kCommands = 30;
    std::vector<std::unique_ptr<RecordedPen>> pens;
    for (int i = 0; i < 4; ++i)
        pens.push_back(std::make_unique<RecordedPen>(Pen::connect("sim://", options), kCommands));
    REQUIRE(wait_until([&] {
        for (auto& p : pens)
            if (p->completions.load() < kCommands || p->recorder.calls() < 100) return false;
        return true;
    }));
    CHECK(executor.handed() > 0);
    for (auto& p : pens) {
        for (const auto& id : p->recorder.threads()) CHECK(executor.runs(id));
        p->pen->close();
        CHECK_FALSE(p->recorder.inside());
        CHECK(p->recorder.overlaps() == 0);
        // What was queued and not yet started when close() came ran on the closing thread (the
        // executor might have been this very thread); nothing ran anywhere else.
        for (const auto& id : p->recorder.threads())
            CHECK((executor.runs(id) || id == std::this_thread::get_id()));
    }
}

TEST_CASE("close() returns once the callbacks handed to a busy app executor have run",
          "[threading]") {
    AppExecutor executor(1);
    auto options = threading_options();
    options.callback_executor = executor.handle();
    auto pen = Pen::connect("sim://", options);
    // The completions of connect's own requests (the status rate) have been handed over and run
    // once a command has come back: from here on, what is handed over is the one sent below.
    pen->set_speed(Speed::hz(60));
    REQUIRE(wait_until([&] {
        std::promise<void> ran;
        auto marker = ran.get_future();
        executor.post([&ran] { ran.set_value(); });
        return marker.wait_for(kWaitLimit) == std::future_status::ready;
    }));

    // The app's loop is busy with something of its own while the pen's completion arrives.
    std::promise<void> release;
    auto released = release.get_future().share();
    executor.post([released] { released.wait(); });
    const int before = executor.handed();
    std::atomic<int> done{0};
    std::atomic<bool> ok{false};
    pen->set_depth_async(Depth::mm(1.0), [&](const Result& result) {
        ok = result.ok();
        ++done;
    });
    REQUIRE(wait_until([&] { return executor.handed() > before; }));
    CHECK(done.load() == 0);
    std::thread app([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        release.set_value();
    });
    pen->close();
    CHECK(done.load() == 1);
    CHECK(ok.load());
    app.join();
}

TEST_CASE("the app's executor thread itself connects, streams and closes the pen", "[threading]") {
    // A UI loop that owns its pens: the pen's tasks queue up behind the very task that closes
    // or destroys the pen, so close() must not wait for them to come round.
    for (const bool destroy : {false, true}) {
        INFO("destroy instead of close: " << destroy);
        AppExecutor executor(1);
        auto options = threading_options();
        options.callback_executor = executor.handle();
        std::promise<int> finished;
        auto outcome = finished.get_future();
        std::atomic<int> frames{0};
        std::atomic<int> completions{0};
        executor.post([&] {
            auto pen = Pen::connect("sim://", options);
            auto stream = pen->subscribe_status([&](const Status&) { ++frames; }, busy_rate(*pen));
            pen->set_depth_async(Depth::mm(1.0), [&](const Result&) { ++completions; });
            // Frames arrive and are handed to this thread, which is busy right here.
            wait_until([&] { return pen->received_status_frames() >= 20; });
            if (destroy)
                pen.reset();
            else
                pen->close();
            finished.set_value(completions.load());
        });
        REQUIRE(outcome.wait_for(kWaitLimit) == std::future_status::ready);
        CHECK(outcome.get() == 1);  // the completion ran before close() returned
        CHECK(frames.load() > 0);
    }
}

TEST_CASE("close() returns with no status callback running or still to come", "[threading]") {
    for (const bool executor_mode : {false, true}) {
        INFO("callback_executor: " << executor_mode);
        AppExecutor executor(2);
        auto options = threading_options();
        if (executor_mode) options.callback_executor = executor.handle();
        auto pen = Pen::connect("sim://", options);
        CallbackRecorder recorder;
        auto subscription = pen->subscribe_status(
            [&](const Status&) {
                CallbackRecorder::Scope scope(recorder);
                std::this_thread::sleep_for(std::chrono::milliseconds(5));  // falls behind
            },
            busy_rate(*pen));
        REQUIRE(wait_until([&] { return recorder.calls() >= 50; }));
        pen->close();
        const int at_close = recorder.calls();
        CHECK_FALSE(recorder.inside());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CHECK(recorder.calls() == at_close);
        CHECK(recorder.overlaps() == 0);
    }
}

/// Pens A and B, connected with options; A's first status callback closes B.
void close_other_from_callback(const ConnectOptions& options) {
    auto a = Pen::connect("sim://", options);
    auto b = Pen::connect("sim://", options);
    // B is busy with callbacks of its own when A closes it.
    std::atomic<int> b_frames{0};
    auto b_stream = b->subscribe_status([&](const Status&) { ++b_frames; }, busy_rate(*b));
    REQUIRE(wait_until([&] { return b_frames.load() >= 20; }));
    std::atomic<bool> closing{false};
    std::atomic<bool> closed{false};
    auto a_stream = a->subscribe_status(
        [&](const Status&) {
            if (closing.exchange(true)) return;
            b->close();
            closed = true;
        },
        busy_rate(*a));
    REQUIRE(wait_until([&] { return closed.load(); }));
    CHECK(b->connection_state() == ConnectionState::Closed);
    CHECK(a->connection_state() == ConnectionState::Connected);
    a->set_depth(Depth::mm(1.0));  // A is still fine
}

TEST_CASE("a status callback of one pen closes another", "[threading]") {
    SECTION("on the shared callback threads") { close_other_from_callback(threading_options()); }
    SECTION("on one app executor thread both pens share") {
        AppExecutor executor(1);
        auto options = threading_options();
        options.callback_executor = executor.handle();
        close_other_from_callback(options);
    }
    SECTION("dedicated") { close_other_from_callback(threading_options(Threading::Dedicated)); }
}

TEST_CASE("two pens' callbacks close each other at the same time", "[threading]") {
    // An app that closes every other pen when one reports trouble: both may do it at once,
    // each from a callback thread the other's close() could wait for.
    for (int round = 0; round < 10; ++round) {
        auto a = Pen::connect("sim://", threading_options());
        auto b = Pen::connect("sim://", threading_options());
        std::atomic<int> closed{0};
        std::atomic<int> started{0};
        auto closer = [&](Pen& other) {
            return [&, other_pen = &other,
                    fired = std::make_shared<std::atomic<bool>>(false)](const Status&) {
                if (fired->exchange(true)) return;
                // Both callbacks are running before either closes the other.
                ++started;
                wait_until([&] { return started.load() == 2; }, std::chrono::milliseconds(500));
                other_pen->close();
                ++closed;
            };
        };
        auto a_stream = a->subscribe_status(closer(*b), busy_rate(*a));
        auto b_stream = b->subscribe_status(closer(*a), busy_rate(*b));
        REQUIRE(wait_until([&] { return closed.load() == 2; }));
        CHECK(a->connection_state() == ConnectionState::Closed);
        CHECK(b->connection_state() == ConnectionState::Closed);
    }
}

TEST_CASE("a callback sends a blocking command to its own pen", "[threading]") {
    for (const bool executor_mode : {false, true}) {
        INFO("callback_executor: " << executor_mode);
        AppExecutor executor(1);
        auto options = threading_options();
        if (executor_mode) options.callback_executor = executor.handle();
        auto pen = Pen::connect("sim://", options);
        std::atomic<int> commands{0};
        std::atomic<bool> failed{false};
        auto stream = pen->subscribe_status(
            [&](const Status&) {
                if (commands.load() >= 5) return;
                try {
                    pen->set_depth(Depth::mm(0.8 + 0.1 * commands.load()));
                    const auto settings = pen->read_settings();  // one with a reply
                    if (settings.depth_set_mm <= 0.0) failed = true;
                } catch (const Error&) {
                    failed = true;
                }
                ++commands;
            },
            busy_rate(*pen));
        // And from a completion: the same on the thread that delivers results.
        std::promise<double> depth;
        pen->set_speed_async(Speed::hz(90), [&](const Result&) {
            pen->set_depth(Depth::mm(1.7));
            depth.set_value(pen->read_settings().depth_set_mm);
        });
        REQUIRE(wait_until([&] { return commands.load() >= 5; }));
        auto outcome = depth.get_future();
        REQUIRE(outcome.wait_for(kWaitLimit) == std::future_status::ready);
        CHECK(outcome.get() == Approx(1.7));
        CHECK_FALSE(failed.load());
    }
}

TEST_CASE("a callback closes its own pen", "[threading]") {
    for (const bool executor_mode : {false, true}) {
        INFO("callback_executor: " << executor_mode);
        AppExecutor executor(1);
        auto options = threading_options();
        if (executor_mode) options.callback_executor = executor.handle();
        auto pen = Pen::connect("sim://", options);
        std::atomic<bool> closed{false};
        std::atomic<int> after_close{0};
        std::atomic<int> states{0};
        auto state_log =
            pen->subscribe_connection_state([&](ConnectionState state, const std::string&) {
                if (state == ConnectionState::Closed) ++states;
            });
        auto stream = pen->subscribe_status(
            [&](const Status&) {
                if (closed.load()) {
                    ++after_close;
                    return;
                }
                pen->close();
                closed = true;
            },
            busy_rate(*pen));
        REQUIRE(wait_until([&] { return closed.load(); }));
        // The Closed change still reaches its callback, after the status callback returned.
        CHECK(wait_until([&] { return states.load() == 1; }));
        CHECK(pen->connection_state() == ConnectionState::Closed);
        pen.reset();
        // Frames queued before the close may still have run; none start after destruction.
        const int seen = after_close.load();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        CHECK(after_close.load() == seen);
    }
}

TEST_CASE("a callback destroys its own pen", "[threading]") {
    // Shared, dedicated, an app executor; alone (the pools then end on a callback thread) or
    // beside another pen.
    for (int round = 0; round < 6; ++round) {
        INFO("round " << round);
        settle_threads();
        const int base = thread_count();
        AppExecutor executor(1);
        auto options = threading_options(round % 3 == 1 ? Threading::Dedicated : Threading::Shared);
        if (round % 3 == 2) options.callback_executor = executor.handle();
        std::unique_ptr<Pen> other;
        if (round >= 3) other = Pen::connect("sim://", threading_options());
        auto pen = Pen::connect("sim://", options);
        std::atomic<int> frames{0};
        std::atomic<bool> destroyed{false};
        // The frames queued behind the one that destroys the pen still reach this callback.
        auto stream = pen->subscribe_status(
            [&](const Status&) {
                if (++frames == 20) {
                    pen.reset();
                    destroyed = true;
                }
            },
            busy_rate(*pen));
        REQUIRE(wait_until([&] { return destroyed.load(); }));
        stream.unsubscribe();  // the pen has gone: nothing left to remove
        other.reset();
        const int executor_threads = 1;
        CHECK(wait_for_thread_count(base + executor_threads) == base + executor_threads);
    }
}

TEST_CASE(
    "a stream fast enough for deferred callback runs: each frame once, in order, one callback at "
    "a time, none after close()",
    "[threading]") {
    // 5 kHz: the callback runs come less than 1 ms apart, so each queues the next by the clock
    // (core::kStatusRunInterval); the completions in between bring deferred runs forward.
    for (const auto threading : {Threading::Shared, Threading::Dedicated}) {
        INFO((threading == Threading::Shared ? "shared" : "dedicated") << " threads");
        CallbackRecorder recorder;
        std::mutex mutex;
        std::vector<std::uint32_t> sequences;
        std::atomic<int> completions{0};
        auto pen = Pen::connect("sim://?max_status_hz=5000", threading_options(threading));
        auto stream = pen->subscribe_status(
            [&](const Status& status) {
                CallbackRecorder::Scope scope(recorder);
                std::lock_guard lock(mutex);
                sequences.push_back(status.sequence);
            },
            5000);
        const auto received = [&] {
            std::lock_guard lock(mutex);
            return sequences.size();
        };
        REQUIRE(wait_until([&] { return received() >= 500; }));
        constexpr int kCommands = 20;
        for (int i = 0; i < kCommands; ++i) {
            pen->set_depth_async(Depth::mm(0.5 + 0.05 * (i % 4)), [&](const Result&) {
                CallbackRecorder::Scope scope(recorder);
                ++completions;
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        REQUIRE(wait_until([&] { return completions.load() == kCommands; }));
        const std::size_t before_close = received();
        REQUIRE(wait_until([&] { return received() >= before_close + 500; }));
        pen->close();
        const std::size_t at_close = received();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CHECK(received() == at_close);
        CHECK(recorder.overlaps() == 0);
        CHECK(recorder.threads().count(std::this_thread::get_id()) == 0);
        std::lock_guard lock(mutex);
        std::size_t out_of_order = 0;
        for (std::size_t i = 1; i < sequences.size(); ++i)
            if (sequences[i] <= sequences[i - 1]) ++out_of_order;
        CHECK(out_of_order == 0);
    }
}

TEST_CASE("a pen destroyed while its status streams at a high rate", "[threading]") {
    for (int round = 0; round < 50; ++round) {
        const auto threading = round % 3 == 2 ? Threading::Dedicated : Threading::Shared;
        auto other = Pen::connect("sim://", threading_options());  // keeps the shared pools busy
        auto pen = Pen::connect("sim://", threading_options(threading));
        std::atomic<int> frames{0};
        std::atomic<int> other_frames{0};
        auto other_stream =
            other->subscribe_status([&](const Status&) { ++other_frames; }, busy_rate(*other));
        // Unsubscribed after the pen has gone in one round of two: then nothing is left to remove.
        Subscription stream =
            pen->subscribe_status([&](const Status&) { ++frames; }, busy_rate(*pen));
        pen->set_depth_async(Depth::mm(1.0), [](const Result&) {});
        REQUIRE(wait_until([&] { return frames.load() >= 10 + round % 7; }));
        if (round % 2 == 0) {
            pen.reset();
            stream.unsubscribe();
        } else {
            stream.unsubscribe();
            pen.reset();
        }
        const int seen = frames.load();
        const int other_seen = other_frames.load();
        REQUIRE(wait_until([&] { return other_frames.load() > other_seen + 5; }));
        CHECK(frames.load() == seen);
    }
}

}  // namespace
}  // namespace penlink::test
