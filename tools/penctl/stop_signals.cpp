#include "stop_signals.hpp"

#include <pthread.h>

#include <cerrno>
#include <csignal>
#include <ctime>

namespace penctl {
namespace {

// SIGUSR1 carries wake-ups from other threads; it is blocked like the others, so it can only
// ever be consumed by sigtimedwait below.
constexpr int kWakeSignal = SIGUSR1;
pthread_t main_thread;

sigset_t stop_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, kWakeSignal);
    return set;
}

}  // namespace

void block_stop_signals() {
    main_thread = pthread_self();
    const sigset_t set = stop_set();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A closed pipe on stdout (penctl monitor | head) must end the output, not kill penctl
    // before it has stopped the pen.
    std::signal(SIGPIPE, SIG_IGN);
}

WaitOutcome wait_for_stop_signal(std::chrono::milliseconds timeout) {
    const sigset_t set = stop_set();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) return WaitOutcome::TimedOut;
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
        const auto nanoseconds =
            std::chrono::duration_cast<std::chrono::nanoseconds>(left - seconds);
        timespec wait{static_cast<std::time_t>(seconds.count()),
                      static_cast<long>(nanoseconds.count())};
        const int signal = sigtimedwait(&set, nullptr, &wait);
        if (signal == SIGINT || signal == SIGTERM) return WaitOutcome::Interrupted;
        if (signal == kWakeSignal) return WaitOutcome::Woken;
        if (signal < 0 && errno == EAGAIN) return WaitOutcome::TimedOut;
        // EINTR (a stray unblocked signal): wait for the rest of the time.
    }
}

void wake_main_thread() { pthread_kill(main_thread, kWakeSignal); }

}  // namespace penctl
