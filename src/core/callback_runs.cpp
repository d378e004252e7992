// A pen's callback runs (CallbackDispatcher::State::run_queued and drain): tasks first, then
// status frames in batches, the link read on a fast stream's runs, and turns taken with other
// pens on the same pool.
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <thread>
#include <utility>

#include "core/callback_queue.hpp"
#include "core/conversions.hpp"

namespace penlink::core {

thread_local int callbacks_running_here = 0;  // see callback_queue.hpp

namespace {

/// How many frames a run delivers between two looks for queued tasks (which go first).
constexpr std::size_t kDeliverChunk = 16;

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

void CallbackDispatcher::State::run_queued() {
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

void CallbackDispatcher::State::drain(
    std::optional<std::chrono::steady_clock::time_point> next_run) {
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

}  // namespace penlink::core
