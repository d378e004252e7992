// Plumbing of the threading tests: what the process runs (threads, file descriptors, read from
// /proc), an app executor (a thread pool with a queue, as an app's event loop would be), and a
// recorder that catches one pen's callbacks overlapping or running on the wrong thread.
#pragma once

#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "penlink/penlink.hpp"
#include "wait.hpp"

namespace penlink::test {

/// The process's thread count (the Threads: line of /proc/self/status). A sanitizer may start
/// a thread of its own with the first thread the process creates: settle_threads() first.
inline int thread_count() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
    return -1;
}

/// The process's open file descriptors (entries of /proc/self/fd, less the one reading it).
inline int fd_count() {
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) return -1;
    int count = 0;
    while (const dirent* entry = readdir(dir))
        if (entry->d_name[0] != '.') ++count;
    closedir(dir);
    return count - 1;
}

/// Starts and joins a thread, so that whatever a sanitizer runtime starts with the process's
/// first thread is running before threads are counted. /proc counts a joined thread for a
/// moment after join() returned (the kernel wakes the joiner before it drops the thread), and a
/// loaded machine stretches that moment: so this waits until that very thread has left
/// /proc/self/task, and then until the count holds still for 50 ms (each at most 5 s).
inline void settle_threads() {
    std::atomic<long> settler{0};
    std::thread([&settler] { settler = static_cast<long>(syscall(SYS_gettid)); }).join();
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    const std::string settler_entry = "/proc/self/task/" + std::to_string(settler.load());
    while (access(settler_entry.c_str(), F_OK) == 0 && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    int last = thread_count();
    auto still_since = Clock::now();
    while (Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const int now = thread_count();
        if (now != last) {
            last = now;
            still_since = Clock::now();
        } else if (Clock::now() - still_since >= std::chrono::milliseconds(50)) {
            return;
        }
    }
}

/// Waits (bounded) until the thread count is back to expected; returns the last count.
inline int wait_for_thread_count(int expected) {
    wait_until([&] { return thread_count() == expected; });
    return thread_count();
}

/// An app's executor: threads that run the tasks posted to one queue, in order of posting.
/// With several threads, tasks posted one after the other may run at the same time: whatever
/// penlink hands over while an earlier task of the same pen still runs would overlap it.
class AppExecutor {
public:
    explicit AppExecutor(int threads = 1) {
        for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
    }
    ~AppExecutor() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        ready_.notify_all();
        for (auto& thread : threads_) thread.join();
    }
    AppExecutor(const AppExecutor&) = delete;
    AppExecutor& operator=(const AppExecutor&) = delete;

    void post(std::function<void()> task) {
        {
            std::lock_guard lock(mutex_);
            tasks_.push_back(std::move(task));
        }
        ready_.notify_one();
    }
    /// What ConnectOptions::callback_executor takes: counts what penlink hands over.
    std::function<void(std::function<void()>)> handle() {
        return [this](std::function<void()> task) {
            handed_.fetch_add(1);
            post(std::move(task));
        };
    }
    int handed() const { return handed_.load(); }
    /// True if id is one of the executor's threads.
    bool runs(std::thread::id id) const {
        for (const auto& thread : threads_)
            if (thread.get_id() == id) return true;
        return false;
    }

private:
    void work() {
        std::unique_lock lock(mutex_);
        for (;;) {
            ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
            if (tasks_.empty()) return;
            auto task = std::move(tasks_.front());
            tasks_.pop_front();
            lock.unlock();
            task();
            task = nullptr;
            lock.lock();
        }
    }

    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::atomic<int> handed_{0};
    std::vector<std::thread> threads_;
};

/// One pen's callbacks as seen from inside them: how many ran, whether two ever overlapped,
/// and on which threads.
class CallbackRecorder {
public:
    /// Call at the start and end of every callback of the pen (Scope does both).
    class Scope {
    public:
        explicit Scope(CallbackRecorder& recorder) : recorder_(recorder) { recorder_.enter(); }
        ~Scope() { recorder_.leave(); }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        CallbackRecorder& recorder_;
    };

    int calls() const { return calls_.load(); }
    int overlaps() const { return overlaps_.load(); }
    bool inside() const { return busy_.load(); }
    std::set<std::thread::id> threads() const {
        std::lock_guard lock(mutex_);
        return threads_;
    }

private:
    void enter() {
        if (busy_.exchange(true)) overlaps_.fetch_add(1);
        {
            std::lock_guard lock(mutex_);
            threads_.insert(std::this_thread::get_id());
        }
        // Long enough for another thread to arrive here if the pen's callbacks could overlap.
        std::this_thread::yield();
    }
    void leave() {
        calls_.fetch_add(1);
        busy_.store(false);
    }

    std::atomic<bool> busy_{false};
    std::atomic<int> overlaps_{0};
    std::atomic<int> calls_{0};
    mutable std::mutex mutex_;
    std::set<std::thread::id> threads_;
};

/// Quick acknowledgements and failure detection for a loaded test machine (as stack_options).
inline ConnectOptions threading_options(Threading threading = Threading::Shared) {
    ConnectOptions options;
    options.connect_timeout = std::chrono::milliseconds(10000);
    options.command_timeout = std::chrono::milliseconds(1000);
    options.command_retries = 3;
    // Many pens streaming fast under a sanitizer on a busy machine: patient link supervision.
    options.link_timeout = std::chrono::milliseconds(5000);
    options.threading = threading;
    return options;
}

}  // namespace penlink::test
