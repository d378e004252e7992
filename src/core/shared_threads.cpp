#include "core/shared_threads.hpp"

#include <algorithm>

namespace penlink::core {
namespace {

/// Joins threads, except the calling one (the last pen may go away on a pool thread, e.g. when
/// a callback drops it): that one is detached and ends when it returns to its loop.
void join_all(std::vector<std::thread>& threads) {
    for (auto& thread : threads) {
        if (thread.get_id() == std::this_thread::get_id())
            thread.detach();
        else if (thread.joinable())
            thread.join();
    }
}

template <typename Pool>
std::shared_ptr<Pool> shared_pool(std::size_t threads) {
    static std::mutex mutex;
    static std::weak_ptr<Pool> current;
    std::lock_guard lock(mutex);
    auto pool = current.lock();
    if (!pool) {
        pool = std::make_shared<Pool>(threads);
        current = pool;
    }
    return pool;
}

}  // namespace

std::shared_ptr<IoPool> IoPool::shared() { return shared_pool<IoPool>(kSharedIoThreads); }

IoPool::IoPool(std::size_t threads)
    : running_(std::make_shared<Running>()), work_(boost::asio::make_work_guard(running_->io)) {
    threads = std::max<std::size_t>(1, threads);
    for (std::size_t i = 0; i < threads; ++i)
        threads_.emplace_back([running = running_] { running->io.run(); });
}

IoPool::~IoPool() {
    // Every pen using the pool has gone, and took its I/O objects with it; what is left in the
    // queue are handlers of gone pens, which their guards drop.
    work_.reset();
    running_->io.stop();
    join_all(threads_);
}

std::shared_ptr<CallbackPool> CallbackPool::shared() {
    return shared_pool<CallbackPool>(kSharedCallbackThreads);
}

CallbackPool::CallbackPool(std::size_t threads) : queue_(std::make_shared<Queue>()) {
    threads = std::max<std::size_t>(1, threads);
    for (std::size_t i = 0; i < threads; ++i)
        threads_.emplace_back([queue = queue_] { work(queue); });
}

CallbackPool::~CallbackPool() {
    {
        std::lock_guard lock(queue_->mutex);
        queue_->stopping = true;
    }
    queue_->ready.notify_all();
    join_all(threads_);
}

void CallbackPool::Queue::push_ready(CallbackRunnable& runnable) {
    runnable.next_ = nullptr;
    if (tail)
        tail->next_ = &runnable;
    else
        head = &runnable;
    tail = &runnable;
    ready_waiting.store(true, std::memory_order_relaxed);
}

std::chrono::steady_clock::time_point CallbackPool::Queue::release_due(
    std::chrono::steady_clock::time_point now) {
    auto earliest = std::chrono::steady_clock::time_point::max();
    for (CallbackRunnable** link = &deferred; *link != nullptr;) {
        CallbackRunnable* runnable = *link;
        if (stopping || runnable->due_ <= now) {
            *link = runnable->next_;
            runnable->deferred_ = false;
            push_ready(*runnable);
        } else {
            earliest = std::min(earliest, runnable->due_);
            link = &runnable->next_;
        }
    }
    return earliest;
}

void CallbackPool::schedule(CallbackRunnable& runnable) {
    auto& q = *queue_;
    {
        std::lock_guard lock(q.mutex);
        q.push_ready(runnable);
    }
    q.ready.notify_one();
}

void CallbackPool::schedule_at(CallbackRunnable& runnable,
                               std::chrono::steady_clock::time_point due) {
    auto& q = *queue_;
    {
        std::lock_guard lock(q.mutex);
        runnable.due_ = due;
        runnable.deferred_ = true;
        runnable.next_ = q.deferred;
        q.deferred = &runnable;
    }
    // A pool thread sets its deadline when it is back in its loop; any other thread must wake
    // one to do so.
    if (!on_pool_thread()) q.ready.notify_one();
}

bool CallbackPool::Queue::unlink_deferred(CallbackRunnable& runnable) {
    if (!runnable.deferred_) return false;
    for (CallbackRunnable** link = &deferred; *link != nullptr; link = &(*link)->next_) {
        if (*link == &runnable) {
            *link = runnable.next_;
            break;
        }
    }
    runnable.deferred_ = false;
    runnable.next_ = nullptr;
    return true;
}

void CallbackPool::expedite(CallbackRunnable& runnable) {
    auto& q = *queue_;
    {
        std::lock_guard lock(q.mutex);
        if (!q.unlink_deferred(runnable)) return;
        q.push_ready(runnable);
    }
    q.ready.notify_one();
}

bool CallbackPool::cancel_deferred(CallbackRunnable& runnable) {
    std::lock_guard lock(queue_->mutex);
    return queue_->unlink_deferred(runnable);
}

bool CallbackPool::on_pool_thread() const {
    const auto self = std::this_thread::get_id();
    return std::any_of(threads_.begin(), threads_.end(),
                       [self](const std::thread& thread) { return thread.get_id() == self; });
}

void CallbackPool::work(const std::shared_ptr<Queue>& queue) {
    using Clock = std::chrono::steady_clock;
    auto& q = *queue;
    std::unique_lock lock(q.mutex);
    for (;;) {
        const auto next_due = q.deferred ? q.release_due(Clock::now()) : Clock::time_point::max();
        if (!q.head) {
            if (q.stopping) return;  // nothing left: stopping released every deferred one
            if (next_due == Clock::time_point::max()) {
                ++q.idle_waiting;
                q.ready.wait(lock);
                --q.idle_waiting;
            } else {
                q.ready.wait_until(lock, next_due);  // woken by the clock: nobody pays a wake-up
            }
            continue;
        }
        auto* runnable = q.head;
        q.head = runnable->next_;
        if (!q.head) {
            q.tail = nullptr;
            q.ready_waiting.store(false, std::memory_order_relaxed);
        }
        runnable->next_ = nullptr;
        // This run may be long, and a deferred runnable waits for this thread's deadline: an
        // idle thread takes over the watch.
        if (q.deferred && q.idle_waiting > 0) q.ready.notify_one();
        lock.unlock();
        runnable->run_queued();
        lock.lock();
    }
}

}  // namespace penlink::core
