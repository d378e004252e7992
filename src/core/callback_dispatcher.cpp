// CallbackDispatcher's calls: queueing frames and tasks, handlers, and stop(). The queue itself
// and its runs are in callback_queue.hpp and callback_runs.cpp.
#include "core/callback_dispatcher.hpp"

#include <memory>
#include <string>
#include <utility>

#include "core/callback_queue.hpp"
#include "core/conversions.hpp"
#include "core/log.hpp"

namespace penlink::core {

void report_callback_exception(const char* what, const char* message) {
    log(LogLevel::Error, std::string(what) + " callback threw: " + message);
}

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
