// The hand-over of one synchronous request's outcome from the thread that completes it (the
// I/O thread, or the simulated pen's) to the caller blocked in Pen::set_depth and the like.
//
// The caller first watches for the outcome for a short while on its own core, and only then
// sleeps on a condition variable. A reply usually arrives within a round trip of the link, and
// waking a thread that sleeps costs a scheduler round trip of its own: on a virtual machine
// whose idle CPUs halt at once, tens of microseconds, the largest single share of a command's
// round trip (bench/README.md). Watching costs the caller's core for at most kSpinBudget per
// request, and nothing where the process has one CPU, which the completing thread then needs.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include <sched.h>

namespace penlink::core {

namespace detail {
/// Whether watching can pay off: the completing thread needs a core of its own meanwhile, so
/// not when the process may run on one CPU only (a machine of one, or `taskset -c 0`). Decided
/// once, from the CPUs the process may use when it first waits.
inline bool spinning_helps() {
    static const bool helps = [] {
        cpu_set_t cpus;
        if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) return CPU_COUNT(&cpus) > 1;
        return std::thread::hardware_concurrency() > 1;
    }();
    return helps;
}

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}
}  // namespace detail

template <typename T>
class ReplyWaiter {
public:
    /// How long a caller watches before it sleeps: about a round trip over a local link.
    static constexpr std::chrono::microseconds kSpinBudget{100};

    /// Completing thread, once.
    void set(T value) {
        {
            std::lock_guard lock(mutex_);
            value_.emplace(std::move(value));
            ready_.store(true, std::memory_order_release);
        }
        // Without a sleeper this costs no system call.
        woken_.notify_one();
    }

    /// Caller: true once set() has run, false if deadline came first.
    template <typename Clock, typename Duration>
    bool wait_until(std::chrono::time_point<Clock, Duration> deadline) {
        if (watch()) return true;
        std::unique_lock lock(mutex_);
        return woken_.wait_until(lock, deadline,
                                 [this] { return ready_.load(std::memory_order_relaxed); });
    }

    /// Caller, after wait_until returned true.
    T take() { return std::move(*value_); }

private:
    bool watch() const {
        if (!detail::spinning_helps()) return ready_.load(std::memory_order_acquire);
        const auto until = std::chrono::steady_clock::now() + kSpinBudget;
        for (unsigned round = 1;; ++round) {
            if (ready_.load(std::memory_order_acquire)) return true;
            if (round % 64 == 0 && std::chrono::steady_clock::now() >= until) return false;
            detail::cpu_relax();
        }
    }

    std::mutex mutex_;
    std::condition_variable woken_;
    std::atomic<bool> ready_{false};
    std::optional<T> value_;
};

}  // namespace penlink::core
