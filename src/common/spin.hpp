// Waiting on one's own CPU for another thread, for a few microseconds, before sleeping: where
// it can pay off, and how to wait politely. Used by a caller watching for its reply
// (core/reply_waiter.hpp) and by a thread waiting for a pen's guard (transport/link_executor.hpp).
#pragma once

#include <chrono>
#include <thread>

#include <sched.h>

namespace penlink::common {

/// Whether watching can pay off: the other thread needs a core of its own meanwhile, so not
/// when the process may run on one CPU only (a machine of one, or `taskset -c 0`). Decided
/// once, from the CPUs the process may use when first asked.
inline bool spinning_helps() {
    static const bool helps = [] {
        cpu_set_t cpus;
        if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) return CPU_COUNT(&cpus) > 1;
        return std::thread::hardware_concurrency() > 1;
    }();
    return helps;
}

/// One turn of a wait loop: tells the CPU (and a hypervisor) that this thread is spinning.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}

/// One turn of a wait loop that lets any thread waiting for this CPU run first, and comes back
/// at once when there is none. For a wait on work the kernel does on this CPU's behalf: a tty
/// carries what a process writes in a kernel worker, queued as often as not on the writer's CPU,
/// where a thread that only pauses would hold it up for as long as it watches.
inline void yield_cpu() { sched_yield(); }

/// Calls done() over and over on this CPU until it returns true (then returns true) or budget
/// has passed (then false), calling turn() between two calls (cpu_relax, or yield_cpu). The
/// callers decide first whether spinning_helps().
template <typename Done, typename Turn = void (*)()>
bool spin_for(std::chrono::microseconds budget, Done&& done, Turn turn = cpu_relax) {
    const auto until = std::chrono::steady_clock::now() + budget;
    for (unsigned round = 1;; ++round) {
        if (done()) return true;
        if (round % 8 == 0 && std::chrono::steady_clock::now() >= until) return false;
        turn();
    }
}

}  // namespace penlink::common
