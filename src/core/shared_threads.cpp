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

void CallbackPool::schedule(CallbackRunnable& runnable) {
    auto& q = *queue_;
    {
        std::lock_guard lock(q.mutex);
        runnable.next_ = nullptr;
        if (q.tail)
            q.tail->next_ = &runnable;
        else
            q.head = &runnable;
        q.tail = &runnable;
    }
    q.ready.notify_one();
}

bool CallbackPool::on_pool_thread() const {
    const auto self = std::this_thread::get_id();
    return std::any_of(threads_.begin(), threads_.end(),
                       [self](const std::thread& thread) { return thread.get_id() == self; });
}

void CallbackPool::work(const std::shared_ptr<Queue>& queue) {
    auto& q = *queue;
    std::unique_lock lock(q.mutex);
    for (;;) {
        q.ready.wait(lock, [&q] { return q.stopping || q.head != nullptr; });
        if (!q.head) return;  // stopping, nothing left
        auto* runnable = q.head;
        q.head = runnable->next_;
        if (!q.head) q.tail = nullptr;
        runnable->next_ = nullptr;
        lock.unlock();
        runnable->run_queued();
        lock.lock();
    }
}

}  // namespace penlink::core
