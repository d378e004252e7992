// One pen's callback queue. Runs user callbacks one at a time, off the I/O thread, so a slow
// callback never stalls the link, on a CallbackPool's threads (shared by pens, or the pen's
// own) or an app's executor. Status frames are queued as they came off the wire, in a buffer
// that a run swaps for its own and converts and delivers outside the lock (swapping back after,
// if nothing came meanwhile, so a steady stream keeps to one buffer); both buffers grow
// as a backlog needs it and are then reused (no heap per frame; past the capacity, counting
// frames being delivered, a frame is dropped and counted). A queued frame is one cache line
// (a wire Status without readings): it is written on the I/O thread's CPU and read on the
// callback thread's, and each line that crosses costs both. Other callbacks are queued tasks, run
// in order, ahead of queued status frames (a run looks for them every 16 frames). The queue is
// handed to a thread once per batch: while one drains it, new items join that run. On a pool, a
// fast stream's runs come at most once every 2 ms, by the pool thread's own clock (see
// State::run_queued in callback_runs.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "core/shared_threads.hpp"
#include "penlink/types.hpp"
#include "protocol/messages.hpp"

namespace penlink::core {

/// While frames keep coming, a pooled queue runs at most once per this interval: its thread
/// comes back for the next run by its own clock, and the I/O side wakes nobody meanwhile. A
/// status callback may so be held back by up to this long; tasks never are.
inline constexpr std::chrono::microseconds kStatusRunInterval{2000};

void report_callback_exception(const char* what, const char* message);

/// A registered callback. active goes false on unsubscribe; call_mutex is held while the
/// callback runs, so unsubscribe can wait for a running call to finish. It is recursive so a
/// callback can unsubscribe itself.
template <typename Handler>
struct HandlerEntry {
    explicit HandlerEntry(Handler h) : handler(std::move(h)) {}
    Handler handler;
    std::recursive_mutex call_mutex;
    bool active = true;  // guarded by call_mutex
};

/// A status subscriber's own rate (Session::subscribe_status): while the pen streams
/// faster than it asked (streaming_hz), it gets frames at its own rate, picked by the pen's
/// clock. Used on the callback thread only, under the entry's call_mutex. Default: every frame.
struct StatusPace {
    std::int32_t rate_hz = 0;
    /// The rate the pen streams at (the highest any subscriber asked); null: every frame.
    std::shared_ptr<const std::atomic<std::int32_t>> streaming_hz;
    std::optional<double> next_due;  // the pen's clock, ms

    /// Whether this subscriber gets status; moves next_due on if so.
    bool admits(const Status& status) {
        if (!streaming_hz || rate_hz >= streaming_hz->load(std::memory_order_relaxed)) return true;
        const double period_ms = 1000.0 / rate_hz;
        const double now = status.device_time_ms;
        if (next_due && now + 1.0 < *next_due && *next_due - now < 2 * period_ms) return false;
        next_due =
            (next_due && now < *next_due + period_ms) ? *next_due + period_ms : now + period_ms;
        return true;
    }
};

using StatusHandler = std::function<void(const Status&)>;

/// A status handler with its pace: one call per delivered frame, not two (a wrapper that
/// paced, then called the handler, was an extra std::function call per frame).
struct StatusEntry : HandlerEntry<StatusHandler> {
    StatusEntry(StatusHandler h, StatusPace p) : HandlerEntry(std::move(h)), pace(std::move(p)) {}
    StatusPace pace;  // guarded by call_mutex
};

class CallbackDispatcher {
public:
    /// Reading the pen's link on the pooled runs of a fast stream, as a network driver polls
    /// under load instead of taking an interrupt per packet. While runs come every
    /// kStatusRunInterval, the I/O thread would wake for every batch the link brings and hand
    /// its frames on to the next run anyway: two threads woken where one would do. So from the
    /// end of a run that defers the next one, the link keeps quiet (quiet(true): the I/O
    /// thread is not woken by it), and that next run starts by reading the link itself
    /// (read_and_listen(): what the link holds is read, its frames join the run, and the I/O
    /// thread listens again before any callback runs, so a slow callback never holds the link
    /// up). A run that defers nothing lets the I/O thread listen again (quiet(false)).
    /// Called on the run's thread, one run of the pen at a time, without the queue's lock.
    class LinkPolling {
    public:
        virtual void read_and_listen() = 0;
        virtual void quiet(bool quiet) = 0;

    protected:
        ~LinkPolling() = default;
    };

    using StatusHandler = core::StatusHandler;
    using StatusPace = core::StatusPace;
    using StatusEntry = core::StatusEntry;
    /// An app's executor (ConnectOptions::callback_executor): runs each task once, later.
    using Executor = std::function<void(std::function<void()>)>;

    /// Callbacks run on pool's threads, or through executor if pool is null. status_capacity
    /// bounds the status queue; it grows to that size only as a backlog needs it.
    /// status_run_interval: see kStatusRunInterval (tests lengthen it).
    CallbackDispatcher(std::size_t status_capacity, std::shared_ptr<CallbackPool> pool,
                       Executor executor = {},
                       std::chrono::microseconds status_run_interval = kStatusRunInterval);
    ~CallbackDispatcher();
    CallbackDispatcher(const CallbackDispatcher&) = delete;
    CallbackDispatcher& operator=(const CallbackDispatcher&) = delete;

    /// Queues a status frame (as it came off the wire; the status handlers get it converted,
    /// to_status); flush() hands the queue over. Returns false (frame dropped) if the queue is
    /// full. Cheap no-op returning true when nobody listens. The frames of one read are one
    /// batch: the first takes the queue's lock and the thread keeps it until its next other
    /// call here, so the thread that pushes must call flush() (or any other member) before it
    /// lets its pen go.
    bool push_status(const protocol::Status& wire);
    /// Hands queued frames to the callback threads: one wake-up for a whole batch (the I/O
    /// side calls it once per read), none while they are still running this pen's queue.
    void flush();
    /// Queues a callback task and hands it over. Returns false (task not queued) once stop()
    /// has begun, unless called from a callback of this dispatcher.
    bool post(std::function<void()> task);

    /// Registers a status handler, at pace's rate (default: every frame); the returned entry
    /// is what remove_status() takes.
    std::shared_ptr<StatusEntry> add_status(StatusHandler handler, StatusPace pace = {});
    /// Unregisters; when called off the callback thread, waits for a running call to finish.
    void remove_status(const std::shared_ptr<StatusEntry>& entry);

    /// Lets pooled runs read the link (LinkPolling); null: never. Set before frames come;
    /// polling must outlive the dispatcher's runs (stop() ends them).
    void set_link_polling(LinkPolling* polling);
    /// Runs the queued tasks and frames, then takes no more. Safe from inside a callback.
    /// wait_for_other_thread false: called from inside a callback (of another dispatcher) while
    /// this queue runs on some other thread, return without waiting for that run, which
    /// finishes the queue: that thread may itself be waiting for this one (two pens whose
    /// callbacks close each other at the same time).
    void stop(bool wait_for_other_thread = true);
    /// True while this thread runs one of this dispatcher's callbacks.
    bool on_callback_thread() const;
    /// How many runs so far delivered status frames (each run delivers all that are queued).
    std::uint64_t status_runs() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

/// Marks an entry inactive, waiting for a running call to finish (unless the caller is that
/// call, which the recursive mutex lets through).
template <typename Entry>
void deactivate(Entry& entry) {
    std::lock_guard lock(entry.call_mutex);
    entry.active = false;
}

/// Calls call(). Anything it throws is logged, never propagated: a user's bug must not kill
/// the pen's callback thread.
template <typename Call>
void call_logging_errors(const char* what, Call&& call) {
    try {
        call();
    } catch (const std::exception& error) {
        report_callback_exception(what, error.what());
    } catch (...) {
        report_callback_exception(what, "unknown exception");
    }
}

/// Calls entry's handler if still active; what it throws is logged (call_logging_errors).
template <typename Entry, typename... Args>
void invoke(Entry& entry, const char* what, const Args&... args) {
    std::lock_guard lock(entry.call_mutex);
    if (!entry.active) return;
    call_logging_errors(what, [&] { entry.handler(args...); });
}

}  // namespace penlink::core
