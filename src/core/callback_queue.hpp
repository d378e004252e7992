// A pen's callback queue (CallbackDispatcher::State): what the I/O side queues, and how a run
// takes it on a pool thread or an app's executor. Private to core: callback_dispatcher.cpp has
// the dispatcher's calls, callback_runs.cpp the runs themselves.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/callback_dispatcher.hpp"
#include "core/shared_threads.hpp"

namespace penlink::core {

/// How many status frames a queue buffer holds when it is first needed; it doubles from there
/// as a backlog needs it, so a pen with a few frames in flight holds a few KB, not the whole
/// capacity.
inline constexpr std::size_t kInitialFrames = 16;

/// A queued status frame: a wire Status, its fields in the first cache line and its readings
/// in the next two, which a frame without readings leaves untouched (copy_status).
struct alignas(64) QueuedStatus {
    protocol::Status wire;
};
static_assert(offsetof(protocol::Status, telemetry) <= 64,
              "a queued frame without readings is one cache line");

/// How many dispatchers' callbacks this thread is running (nested when a callback closes
/// another pen). A thread inside one may not wait for a queue behind it on the same executor.
extern thread_local int callbacks_running_here;

struct CallbackDispatcher::State final : CallbackRunnable,
                                         std::enable_shared_from_this<CallbackDispatcher::State> {
    State(std::size_t cap, std::shared_ptr<CallbackPool> p, Executor e,
          std::chrono::microseconds interval)
        : capacity(cap == 0 ? 1 : cap),
          pool(std::move(p)),
          executor(std::move(e)),
          pooled(pool != nullptr),
          run_interval(interval) {}

    const std::size_t capacity;
    /// Null: executor. Released once stopped and drained, so a closed pen holds no callback
    /// thread: a language runtime may wait at exit for every thread that ever ran its code
    /// (Mono, the JVM), however long the closed pen object itself lives on.
    std::shared_ptr<CallbackPool> pool;
    const Executor executor;
    const bool pooled;  // pool was given (it may have been released since)
    const std::chrono::microseconds run_interval;

    std::mutex mutex;
    /// The thread holding `mutex` across the frames of one read (push_status to flush), if any.
    std::atomic<std::thread::id> batch_owner{};
    std::condition_variable idle;  // running_on went empty
    bool stopping = false;
    bool scheduled = false;                     // handed to the pool or executor, not started yet
    bool deferred = false;                      // scheduled for a later moment (schedule_at)
    int stop_waiters = 0;                       // stop() calls waiting for idle
    std::shared_ptr<State> self;                // keeps the state alive while scheduled
    std::atomic<std::thread::id> running_on{};  // the thread draining the queue, if any
    // Status frames: the I/O side fills `queued`; a run swaps it with `delivering` (its own,
    // emptied) under the mutex and converts and delivers outside it, so neither side copies
    // frames under the lock but its own one. Both are slots kept from frame to frame (a
    // buffer's size is its slots, a count how many hold frames): no heap per frame.
    std::vector<QueuedStatus> queued;
    std::size_t queued_count = 0;
    std::size_t delivering_count = 0;  // frames swapped out and not yet delivered
    std::deque<std::function<void()>> tasks;
    std::atomic<bool> has_tasks{false};  // !tasks.empty(), for a run to look without the lock

    std::mutex handlers_mutex;
    std::vector<std::shared_ptr<StatusEntry>> status_handlers;
    std::atomic<std::size_t> status_handler_count{0};
    std::uint64_t handlers_version = 0;  // +1 on every add/remove; guarded by handlers_mutex

    // The draining thread only: its copy of status_handlers, refreshed when the version moves,
    // so a frame costs no copying (a removed entry left here is inactive and never called).
    std::vector<std::shared_ptr<StatusEntry>> snapshot;
    std::uint64_t snapshot_version = 0;
    std::vector<QueuedStatus> delivering;  // the frames being delivered: delivering_count
    /// A chunk of them as the handlers get them: as many as a run has yet needed at once (a
    /// slow stream's pen holds one), at most kDeliverChunk.
    std::vector<Status> converted;
    // Pool runs only (guarded by mutex): when the last one started.
    std::optional<std::chrono::steady_clock::time_point> last_run_start;
    std::atomic<std::uint64_t> status_runs{0};  // runs that delivered frames
    /// Reads the link on a fast stream's runs (LinkPolling); set before frames come.
    LinkPolling* polling = nullptr;
    /// The running thread only: the link keeps quiet (polling->quiet(true)) until the next run.
    bool link_quiet = false;

    bool has_work() const { return queued_count > 0 || !tasks.empty(); }
    bool running() const { return running_on.load() != std::thread::id{}; }

    /// Under mutex: whether the caller must hand the queue over; if so, `to` is the pool to
    /// hand it to (copied here, under the mutex, as stop() may release the member), or null
    /// for the executor. Then call hand_over(to) outside the mutex.
    bool take_schedule(std::shared_ptr<CallbackPool>& to) {
        if (scheduled || running() || !has_work()) return false;
        scheduled = true;
        self = shared_from_this();
        to = pool;
        return true;
    }
    void hand_over(const std::shared_ptr<CallbackPool>& to) {
        if (pooled) {
            if (to) to->schedule(*this);
        } else {
            // A raw pointer keeps the task small enough for std::function to hold without
            // allocating; `self` keeps the state alive until it runs.
            State* raw = this;
            executor([raw] { raw->run_queued(); });
        }
    }

    /// A pool thread's run (or the executor's). When runs come often (the previous one started
    /// less than run_interval ago, or was itself deferred) and this one delivers frames, it
    /// queues the next run for run_interval after its own start, on the pool's clock.
    /// Frames arriving meanwhile join that run: a stream of 65,535 frames/s costs about 1,000
    /// callback runs a second instead of one per read, and the I/O thread wakes no callback
    /// thread for them. A task (an event, a completion) is never held back: post() brings the
    /// run forward. A stream of fewer frames than one per interval is delivered as it comes.
    void run_queued() override;

    /// Whether a run that has done some work, and has more, hands the queue back to take its
    /// turn again behind the others (under mutex): on a pool, when another pen's queue waits
    /// for a thread; on an app's executor, always, as its other work is invisible here. Never
    /// once stopping: stop() finishes the queue.
    bool takes_turns() const {
        if (stopping) return false;
        if (!pooled) return true;
        return pool && pool->others_waiting();
    }

    /// Runs tasks, then frames, until both are empty, or until others wait for the thread
    /// (takes_turns: then the queue is handed over again, behind them). running_on is this
    /// thread. If next_run is set and frames were delivered, the next run is queued for then
    /// (see run_queued).
    void drain(std::optional<std::chrono::steady_clock::time_point> next_run = {});

    /// Takes `mutex` for a call other than push_status. If this thread already holds it for a
    /// batch of frames, the batch ends and the lock is taken over as it is.
    std::unique_lock<std::mutex> lock_ending_batch() {
        if (batch_owner.load(std::memory_order_relaxed) != std::this_thread::get_id())
            return std::unique_lock(mutex);
        batch_owner.store(std::thread::id{}, std::memory_order_relaxed);
        return std::unique_lock(mutex, std::adopt_lock);
    }

    /// Under mutex: a run deferred for a later moment runs now (a task is waiting).
    void bring_forward() {
        if (!deferred) return;
        deferred = false;
        if (pool) pool->expedite(*this);
    }

    /// Runs the first queued task, if any (lock held on entry and on return, released while
    /// the task runs); returns whether it ran one.
    bool run_tasks(std::unique_lock<std::mutex>& lock) {
        if (tasks.empty()) return false;
        auto task = std::move(tasks.front());
        tasks.pop_front();
        has_tasks.store(!tasks.empty(), std::memory_order_relaxed);
        lock.unlock();
        call_logging_errors("pen", task);
        task = nullptr;  // its captures go before the lock is taken again
        lock.lock();
        return true;
    }

    /// Under mutex: the slot for one more frame, growing `queued` (doubling) within the
    /// capacity; null when the capacity is reached.
    QueuedStatus* next_slot() {
        if (queued_count + delivering_count >= capacity) return nullptr;
        if (queued_count == queued.size())
            queued.resize(std::min(capacity, std::max(kInitialFrames, queued.size() * 2)));
        return &queued[queued_count++];
    }
};

}  // namespace penlink::core
