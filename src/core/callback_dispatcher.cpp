#include "core/callback_dispatcher.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>

#include "core/conversions.hpp"
#include "core/log.hpp"

namespace penlink::core {
namespace {

/// How many status frames a queue buffer holds when it is first needed; it doubles from there
/// as a backlog needs it, so a pen with a few frames in flight holds a few KB, not the whole
/// capacity.
constexpr std::size_t kInitialFrames = 16;

/// How many frames a run delivers between two looks for queued tasks (which go first).
constexpr std::size_t kDeliverChunk = 16;

/// A queued status frame: a wire Status, its fields in the first cache line and its readings
/// in the next two, which a frame without readings leaves untouched (copy_status).
struct alignas(64) QueuedStatus {
    protocol::Status wire;
};
static_assert(offsetof(protocol::Status, telemetry) <= 64,
              "a queued frame without readings is one cache line");

/// How many dispatchers' callbacks this thread is running (nested when a callback closes
/// another pen). A thread inside one may not wait for a queue behind it on the same executor.
thread_local int callbacks_running_here = 0;

/// Calls entry's handler with each of frames its pace admits, while it stays active, under one
/// lock of its call_mutex; what it throws is logged, and the next frame still comes.
void deliver(CallbackDispatcher::StatusEntry& entry, std::span<const Status> frames) {
    std::lock_guard lock(entry.call_mutex);
    for (const Status& frame : frames) {
        if (!entry.active) return;
        if (!entry.pace.admits(frame)) continue;
        call_logging_errors("status", [&] { entry.handler(frame); });
    }
}

}  // namespace

void report_callback_exception(const char* what, const char* message) {
    log(LogLevel::Error, std::string(what) + " callback threw: " + message);
}

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
    void run_queued() override {
        std::shared_ptr<State> keep;  // the schedule's reference, dropped when this returns
        std::optional<std::chrono::steady_clock::time_point> next_run;
        {
            std::lock_guard lock(mutex);
            keep = std::move(self);
            scheduled = false;
            const bool was_deferred = std::exchange(deferred, false);
            if (running()) return;  // stop() is draining it on its own thread
            running_on = std::this_thread::get_id();
            if (pooled) {
                const auto now = std::chrono::steady_clock::now();
                if (was_deferred || (last_run_start && now - *last_run_start < run_interval))
                    next_run = now + run_interval;
                last_run_start = now;
            }
        }
        // The link kept quiet since the last run: what it brought meanwhile joins this run,
        // and the I/O thread listens again before any callback runs.
        if (std::exchange(link_quiet, false)) polling->read_and_listen();
        drain(next_run);
    }

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
    void drain(std::optional<std::chrono::steady_clock::time_point> next_run = {}) {
        bool delivered = false;
        bool worked = false;     // ran a task or delivered frames
        bool next_turn = false;  // more to do, others waiting: hand the queue over again
        ++callbacks_running_here;
        std::unique_lock lock(mutex);
        for (;;) {
            if (link_quiet && has_work()) {
                // Work came in while the link went quiet: it listens again before any
                // callback runs, so a slow one never holds the link up.
                lock.unlock();
                link_quiet = false;
                polling->read_and_listen();
                lock.lock();
                continue;
            }
            if (worked && has_work() && takes_turns()) {
                next_turn = true;
                break;
            }
            if (run_tasks(lock)) {
                worked = true;
                continue;
            }
            if (queued_count == 0) {
                // Drained. If the next run is deferred (below), the link keeps quiet until
                // then; if not, the I/O thread listens again.
                const bool defer = delivered && next_run && pool && !stopping && !scheduled;
                if (!polling || link_quiet == defer) break;
                lock.unlock();
                polling->quiet(defer);
                link_quiet = defer;
                lock.lock();
                continue;
            }
            delivered = worked = true;
            // The frames stay counted against the capacity until delivered, so a slow callback
            // still holds back at most `capacity` frames.
            delivering.swap(queued);
            delivering_count = std::exchange(queued_count, 0);
            lock.unlock();
            {
                std::lock_guard handlers_lock(handlers_mutex);
                if (snapshot_version != handlers_version) {
                    snapshot.assign(status_handlers.begin(), status_handlers.end());
                    snapshot_version = handlers_version;
                }
            }
            for (std::size_t at = 0; at < delivering_count; at += kDeliverChunk) {
                if (at > 0 && has_tasks.load(std::memory_order_relaxed)) {
                    lock.lock();
                    while (run_tasks(lock)) {
                    }
                    lock.unlock();
                }
                const std::size_t count = std::min(kDeliverChunk, delivering_count - at);
                if (converted.size() < count) converted.resize(count);
                for (std::size_t i = 0; i < count; ++i)
                    to_status(delivering[at + i].wire, converted[i]);
                const std::span<const Status> chunk(converted.data(), count);
                for (const auto& entry : snapshot) deliver(*entry, chunk);
            }
            lock.lock();
            delivering_count = 0;
            // Nothing came meanwhile: the next frames go to the buffer just read, whose lines
            // this thread holds, so a polled stream keeps one buffer warm instead of two in turn.
            if (queued_count == 0) delivering.swap(queued);
        }
        if (delivered) status_runs.fetch_add(1, std::memory_order_relaxed);
        if (!next_turn && delivered && next_run && pool && !stopping && !scheduled) {
            scheduled = deferred = true;
            self = shared_from_this();
            pool->schedule_at(*this, *next_run);
        }
        running_on = std::thread::id{};
        --callbacks_running_here;
        // The next turn is handed over as any queue with work is (take_schedule), once this run
        // no longer counts as running.
        std::shared_ptr<CallbackPool> turn_to;
        const bool hand_turn = next_turn && take_schedule(turn_to);
        // Stopped from inside a callback: this was the last run, so let the threads go. Not
        // when stop() waits on another thread: it lets them go itself, and joins them there, so
        // a pool thread never outlives the closing call (a language runtime may be shutting
        // down right after it, and a thread that ran its code must end before that).
        std::shared_ptr<CallbackPool> release =
            stopping && !scheduled && stop_waiters == 0 ? std::move(pool) : nullptr;
        // Only stop() waits for idle, counted under the mutex; one that comes later finds the
        // queue not running and does not wait. (A broadcast nobody hears cost a stream's runs
        // about 1 us each.)
        const bool waited_for = stop_waiters > 0;
        lock.unlock();
        if (waited_for) idle.notify_all();
        if (hand_turn) hand_over(turn_to);
    }

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

CallbackDispatcher::CallbackDispatcher(std::size_t status_capacity,
                                       std::shared_ptr<CallbackPool> pool, Executor executor,
                                       std::chrono::microseconds status_run_interval)
    : state_(std::make_shared<State>(status_capacity, std::move(pool), std::move(executor),
                                     status_run_interval)) {}

CallbackDispatcher::~CallbackDispatcher() { stop(); }

bool CallbackDispatcher::on_callback_thread() const {
    return state_->running_on.load() == std::this_thread::get_id();
}

std::uint64_t CallbackDispatcher::status_runs() const {
    return state_->status_runs.load(std::memory_order_relaxed);
}

bool CallbackDispatcher::push_status(const protocol::Status& wire) {
    if (state_->status_handler_count.load(std::memory_order_relaxed) == 0) return true;
    auto& s = *state_;
    // The mutex is taken for the first frame of a read and held until flush(): one lock per
    // read, not per frame (an atomic per frame would also wait for each frame's stores to
    // reach memory the callback thread's CPU last held, where otherwise they overlap with
    // decoding the next frame). Any other call on this thread ends the batch (lock_ending_batch).
    const auto self = std::this_thread::get_id();
    if (s.batch_owner.load(std::memory_order_relaxed) != self) {
        s.mutex.lock();
        s.batch_owner.store(self, std::memory_order_relaxed);
    }
    if (s.stopping) return true;
    QueuedStatus* slot = s.next_slot();
    if (!slot) return false;
    copy_status(wire, slot->wire);
    return true;
}

void CallbackDispatcher::flush() {
    bool hand_over = false;
    std::shared_ptr<CallbackPool> to;
    {
        const auto lock = state_->lock_ending_batch();
        hand_over = state_->take_schedule(to);
    }
    if (hand_over) state_->hand_over(to);
}

bool CallbackDispatcher::post(std::function<void()> task) {
    bool hand_over = false;
    std::shared_ptr<CallbackPool> to;
    {
        const auto lock = state_->lock_ending_batch();
        if (state_->stopping && !on_callback_thread()) return false;
        state_->tasks.push_back(std::move(task));
        state_->has_tasks.store(true, std::memory_order_relaxed);
        hand_over = state_->take_schedule(to);
        state_->bring_forward();
    }
    if (hand_over) state_->hand_over(to);
    return true;
}

std::shared_ptr<CallbackDispatcher::StatusEntry> CallbackDispatcher::add_status(
    StatusHandler handler, StatusPace pace) {
    auto entry = std::make_shared<StatusEntry>(std::move(handler), std::move(pace));
    std::lock_guard lock(state_->handlers_mutex);
    state_->status_handlers.push_back(entry);
    state_->status_handler_count = state_->status_handlers.size();
    ++state_->handlers_version;
    return entry;
}

void CallbackDispatcher::remove_status(const std::shared_ptr<StatusEntry>& entry) {
    if (!entry) return;
    deactivate(*entry);
    std::lock_guard lock(state_->handlers_mutex);
    auto& list = state_->status_handlers;
    std::erase(list, entry);
    state_->status_handler_count = list.size();
    ++state_->handlers_version;
}

void CallbackDispatcher::set_link_polling(LinkPolling* polling) {
    const auto lock = state_->lock_ending_batch();
    state_->polling = polling;
}

void CallbackDispatcher::stop(bool wait_for_other_thread) {
    auto& s = *state_;
    // A deferred run cancelled here would have let the link listen again: so does this call,
    // after the lock (declared first, so it runs last).
    struct Listen {
        LinkPolling* polling = nullptr;
        ~Listen() {
            if (polling) polling->quiet(false);
        }
    } listen_again;
    auto lock = s.lock_ending_batch();
    s.stopping = true;
    // A run deferred for later is not needed: this call, or the run going on, finishes the queue.
    std::shared_ptr<State> deferred_self;  // dropped after the mutex (never the last reference)
    if (s.deferred) {
        s.deferred = false;
        if (s.pool && s.pool->cancel_deferred(s)) {
            s.scheduled = false;
            deferred_self = std::move(s.self);
            if (std::exchange(s.link_quiet, false)) listen_again.polling = s.polling;
        }
    }
    // From inside one of this pen's callbacks: the running drain finishes the queue.
    if (on_callback_thread()) return;
    // Everything queued runs before stop() returns, on the callback threads as always; but a
    // thread that is itself running callbacks (a callback closing another pen) or a pool thread
    // might be the very one the queue waits for, so it runs the queue itself instead. So does
    // any thread of a pen with an app executor: the executor may be this very thread (the app's
    // UI loop closing the pen, with the pen's tasks queued behind it), so a task handed over and
    // not yet started is never waited for (its run finds the queue empty).
    const bool in_callbacks = callbacks_running_here > 0 || (s.pool && s.pool->on_pool_thread());
    const bool may_wait = !in_callbacks && s.pool;
    if (s.pooled && !s.pool) return;  // stopped before: released and drained
    for (;;) {
        if (s.running()) {
            if (in_callbacks && !wait_for_other_thread) return;
            ++s.stop_waiters;
            s.idle.wait(lock);
            --s.stop_waiters;
            continue;
        }
        // A run handed over (its deferral could no longer be cancelled) is waited for, so that it
        // does not end, and drop the queue, on a pool thread after this call.
        if (!s.has_work() && !(may_wait && s.scheduled)) break;
        if (!may_wait) {
            s.running_on = std::this_thread::get_id();
            lock.unlock();
            s.drain();
            lock.lock();
            continue;
        }
        if (std::shared_ptr<CallbackPool> to; s.take_schedule(to)) {
            lock.unlock();
            s.hand_over(to);
            lock.lock();
            continue;
        }
        ++s.stop_waiters;
        s.idle.wait(lock);  // scheduled: its run ends with a notify
        --s.stop_waiters;
    }
    // Nothing is queued or running, and nothing more will be: let the threads go.
    auto release = std::move(s.pool);
    lock.unlock();
}

}  // namespace penlink::core
