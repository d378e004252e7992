// The threads pens share (ConnectOptions::threading == Threading::Shared): one io_context run
// by a fixed number of I/O threads, and a fixed number of callback threads. Neither grows with
// the number of pens. Each exists while a pen uses it: the last pen to go takes its threads
// with it, so a process with no pen runs no penlink thread.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace penlink::core {

/// An io_context and the threads that run it.
class IoPool {
public:
    /// The pool every Shared pen uses, started on first use (kSharedIoThreads threads).
    static std::shared_ptr<IoPool> shared();

    explicit IoPool(std::size_t threads);
    ~IoPool();
    IoPool(const IoPool&) = delete;
    IoPool& operator=(const IoPool&) = delete;

    boost::asio::io_context& context() { return running_->io; }
    std::size_t thread_count() const { return threads_.size(); }

private:
    /// What the threads use, kept alive by each of them: a thread may outlive the pool (see
    /// join_all in shared_threads.cpp).
    struct Running {
        boost::asio::io_context io;
    };
    std::shared_ptr<Running> running_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
};

/// Something a CallbackPool runs: one pen's callback queue, drained in one go, or in turns
/// while other runnables wait (CallbackPool::others_waiting).
class CallbackRunnable {
public:
    /// Runs what is queued; called by one pool thread at a time for a given runnable.
    virtual void run_queued() = 0;

    virtual ~CallbackRunnable() = default;

private:
    friend class CallbackPool;
    CallbackRunnable* next_ = nullptr;  // the pool's ready or deferred list, under its mutex
    std::chrono::steady_clock::time_point due_{};  // on the deferred list: when it runs
    bool deferred_ = false;                        // on the deferred list (not the ready one)
};

/// Threads that run callback queues. A runnable is queued at most once at a time (its owner
/// ensures that), so one pen's callbacks never run on two threads at once, and queueing one
/// needs no allocation: the ready list is intrusive. A runnable may also be queued for a later
/// moment (schedule_at): a pool thread runs it then, woken by its own timed wait rather than by
/// the queueing thread.
class CallbackPool {
public:
    /// The pool every Shared pen uses (kSharedCallbackThreads threads).
    static std::shared_ptr<CallbackPool> shared();

    explicit CallbackPool(std::size_t threads);
    ~CallbackPool();
    CallbackPool(const CallbackPool&) = delete;
    CallbackPool& operator=(const CallbackPool&) = delete;

    /// Queues runnable to run on a pool thread. It must stay alive until it has run.
    void schedule(CallbackRunnable& runnable);
    /// Queues runnable to run on a pool thread at `due`, or sooner if expedite() is called.
    /// Meant for a pool thread (a runnable queueing its own next run): it wakes nobody, and
    /// the calling thread, back in its loop, waits until `due` at the latest.
    void schedule_at(CallbackRunnable& runnable, std::chrono::steady_clock::time_point due);
    /// If runnable waits for its moment (schedule_at), moves it to the ready list at once.
    void expedite(CallbackRunnable& runnable);
    /// If runnable waits for its moment (schedule_at), takes it off the pool; returns whether
    /// it did (false: it is not deferred, or its moment came and it is about to run).
    bool cancel_deferred(CallbackRunnable& runnable);
    /// True on one of this pool's threads.
    bool on_pool_thread() const;
    /// Whether some runnable waits on the ready list for a thread: a run that has done some
    /// work and has more then hands its queue back (schedule()) and takes its turn again
    /// behind it, so a pen whose callbacks cannot keep up does not hold a thread from the
    /// others. A hint read without the lock.
    bool others_waiting() const { return queue_->ready_waiting.load(std::memory_order_relaxed); }

private:
    /// The ready list and its signal, kept alive by each thread (as IoPool::Running).
    struct Queue {
        std::mutex mutex;
        std::condition_variable ready;
        CallbackRunnable* head = nullptr;
        CallbackRunnable* tail = nullptr;
        CallbackRunnable* deferred = nullptr;    // unordered: a few pens at most
        int idle_waiting = 0;                    // threads waiting without a deadline
        std::atomic<bool> ready_waiting{false};  // head != nullptr, for others_waiting()
        bool stopping = false;

        void push_ready(CallbackRunnable& runnable);
        /// Takes runnable off the deferred list; false if it is not on it.
        bool unlink_deferred(CallbackRunnable& runnable);
        /// Moves every deferred runnable due by `now` (all of them when stopping) to the ready
        /// list; returns the earliest due time left, or max() if none.
        std::chrono::steady_clock::time_point release_due(
            std::chrono::steady_clock::time_point now);
    };
    static void work(const std::shared_ptr<Queue>& queue);

    std::shared_ptr<Queue> queue_;
    std::vector<std::thread> threads_;
};

/// I/O threads of the shared pool: one carries a few hundred pens' traffic (a pen's frames
/// cost microseconds); more would only add lock hand-offs.
inline constexpr std::size_t kSharedIoThreads = 1;
/// Callback threads of the shared pool: two, so one slow callback does not hold up every
/// other pen's.
inline constexpr std::size_t kSharedCallbackThreads = 2;

}  // namespace penlink::core
