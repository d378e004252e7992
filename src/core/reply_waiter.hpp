// The hand-over of one synchronous request's outcome from the thread that completes it (the
// I/O thread, or the simulated pen's) to the caller blocked in Pen::set_depth and the like.
//
// The caller first watches for the outcome for a short while on its own core, and only then
// sleeps on a condition variable. A reply usually arrives within a round trip of the link, and
// waking a thread that sleeps costs a scheduler round trip of its own: on a virtual machine
// whose idle CPUs halt at once, tens of microseconds, the largest single share of a command's
// round trip (bench/README.md). Watching costs the caller's core for at most kSpinBudget per
// request, and nothing where the process has one CPU, which the completing thread then needs.
//
// While it watches, the caller may also take the reply off the link itself (take_here; over a
// pty or TCP, Session reads the link under the pen's guard): it then has the reply the moment
// the pen's bytes arrive, and no thread needs waking on the way. On a 2-CPU machine that
// matters most: with the caller watching on one CPU and the pen's process answering on the
// other, the woken I/O thread found no CPU free until the pen's process went back to sleep.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "common/spin.hpp"

namespace penlink::core {

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

    /// Caller: true once set() has run, false if deadline came first. While it watches, it
    /// calls take_here() (void()) over and over: that may take the reply off the link on this
    /// thread (Session: the link's read_available), and so set() here. When watching ends
    /// without the outcome, before_sleep() (void()) runs once, before the caller sleeps: the
    /// place to undo what watching needed (Session: the I/O thread is woken by the link again).
    /// Both are optional.
    template <typename Clock, typename Duration, typename TakeHere = void (*)(),
              typename BeforeSleep = void (*)()>
    bool wait_until(std::chrono::time_point<Clock, Duration> deadline, TakeHere take_here = nothing,
                    BeforeSleep before_sleep = nothing) {
        if (watch(take_here)) return true;
        before_sleep();
        std::unique_lock lock(mutex_);
        return woken_.wait_until(lock, deadline,
                                 [this] { return ready_.load(std::memory_order_relaxed); });
    }

    /// Caller, after wait_until returned true.
    T take() { return std::move(*value_); }

private:
    static void nothing() {}

    template <typename TakeHere>
    bool watch(TakeHere& take_here) const {
        if (!common::spinning_helps()) {
            take_here();
            return ready_.load(std::memory_order_acquire);
        }
        // Between looks the caller yields its CPU: the work that carries its command to the pen
        // and the reply back (a tty's kernel worker, the pen's own thread, the I/O thread) may be
        // waiting for this very CPU.
        return common::spin_for(
            kSpinBudget,
            [&] {
                if (ready_.load(std::memory_order_acquire)) return true;
                take_here();
                return ready_.load(std::memory_order_acquire);
            },
            common::yield_cpu);
    }

    std::mutex mutex_;
    std::condition_variable woken_;
    std::atomic<bool> ready_{false};
    std::optional<T> value_;
};

}  // namespace penlink::core
