// What one wake-up of a sleeping thread costs that thread, in CPU, on this machine: a thread
// that wakes by its own clock (as the callback pool's threads do between the runs of a fast
// status stream, every kStatusRunInterval), against one woken by another thread's write (as a
// raw reader is woken by the bytes it waits for: whoever writes them pays for the clock).
//
//   floor  a thread blocked in read() on an eventfd, woken each interval by a second thread that
//          sleeps until the next interval and writes to it. The woken thread's CPU per wake-up;
//          the writer's own is printed beside it.
//   timed  one thread that sleeps until the next interval, three ways: a condition variable's
//          wait_until (the pool's wait), clock_nanosleep to an absolute time, and a blocking
//          read() of a periodic timerfd (no system call to arm it again).
//
// Each case runs for `seconds`, `runs` times, the cases taking turns within a run. CPU is the
// measured thread's own (RUSAGE_THREAD); the ratio per run is a timed case's CPU per wake-up
// over the floor's in the same run.
//
// Usage: bench_wakeups [seconds per case, 2] [runs, 5] [interval in us, kStatusRunInterval]

#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/callback_dispatcher.hpp"
#include "cpu_time.hpp"
#include "result_line.hpp"
#include "stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;

/// CPU per wake-up of the thread that ran `wait_once` until `seconds` passed, in us.
template <typename WaitOnce>
double us_per_wake(double seconds, WaitOnce wait_once) {
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(seconds));
    const double before = bench::thread_cpu_seconds();
    long wakes = 0;
    while (Clock::now() < end) {
        wait_once();
        ++wakes;
    }
    return wakes ? 1e6 * (bench::thread_cpu_seconds() - before) / static_cast<double>(wakes) : 0.0;
}

double condition_variable_wake(double seconds, std::chrono::microseconds interval) {
    std::mutex mutex;
    std::condition_variable never_notified;
    auto next = Clock::now();
    return us_per_wake(seconds, [&] {
        next += interval;
        std::unique_lock lock(mutex);
        never_notified.wait_until(lock, next);
    });
}

double nanosleep_wake(double seconds, std::chrono::microseconds interval) {
    timespec next{};
    clock_gettime(CLOCK_MONOTONIC, &next);
    return us_per_wake(seconds, [&] {
        next.tv_nsec += static_cast<long>(interval.count()) * 1000;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            ++next.tv_sec;
        }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr) == EINTR) {
        }
    });
}

double timerfd_wake(double seconds, std::chrono::microseconds interval) {
    const int timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (timer < 0) std::abort();
    itimerspec every{};
    every.it_interval.tv_sec = static_cast<time_t>(interval.count() / 1000000);
    every.it_interval.tv_nsec = static_cast<long>(interval.count() % 1000000) * 1000;
    every.it_value = every.it_interval;
    timerfd_settime(timer, 0, &every, nullptr);
    const double us = us_per_wake(seconds, [&] {
        std::uint64_t expirations = 0;
        if (read(timer, &expirations, sizeof expirations) != sizeof expirations) std::abort();
    });
    close(timer);
    return us;
}

struct ThreadWoken {
    double woken_us, writer_us;
};

ThreadWoken thread_woken(double seconds, std::chrono::microseconds interval) {
    const int event = eventfd(0, EFD_CLOEXEC);
    if (event < 0) std::abort();
    double writer_us = 0;
    // The writer goes on a little longer than the reader, so the reader's last read returns.
    std::thread writer([&] {
        auto next = Clock::now();
        writer_us = us_per_wake(seconds + 0.1, [&] {
            next += interval;
            std::this_thread::sleep_until(next);
            const std::uint64_t one = 1;
            if (write(event, &one, sizeof one) != sizeof one) std::abort();
        });
    });
    const double woken_us = us_per_wake(seconds, [&] {
        std::uint64_t count = 0;
        if (read(event, &count, sizeof count) != sizeof count) std::abort();
    });
    writer.join();
    close(event);
    return {woken_us, writer_us};
}

}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    const int runs = std::max(1, argc > 2 ? std::atoi(argv[2]) : 5);
    const auto interval = std::chrono::microseconds(
        argc > 3 ? std::atol(argv[3]) : penlink::core::kStatusRunInterval.count());
    if (seconds <= 0 || interval.count() <= 0) {
        std::fprintf(stderr, "usage: bench_wakeups [seconds > 0] [runs >= 1] [interval_us > 0]\n");
        return 2;
    }
    std::printf(
        "CPU per wake-up of a thread sleeping %lld us, %.1f s per case, %d runs; floor: a thread "
        "woken by another thread's eventfd write in the same run\n",
        static_cast<long long>(interval.count()), seconds, runs);
    std::printf("%4s | %-22s | %13s %13s %13s | %s\n", "run", "floor: woken, writer", "cond_var",
                "nanosleep", "timerfd", "timed/floor (cond_var)");
    std::vector<double> floor_us, writer_us, condvar_us, nanosleep_us, timerfd_us, condvar_ratio,
        nanosleep_ratio, timerfd_ratio;
    for (int run = 0; run < runs; ++run) {
        const ThreadWoken woken = thread_woken(seconds, interval);
        const double condvar = condition_variable_wake(seconds, interval);
        const double nanosleep = nanosleep_wake(seconds, interval);
        const double timerfd = timerfd_wake(seconds, interval);
        std::printf("%4d | %7.1f us %7.1f us | %10.1f us %10.1f us %10.1f us | %.2fx\n", run + 1,
                    woken.woken_us, woken.writer_us, condvar, nanosleep, timerfd,
                    woken.woken_us > 0 ? condvar / woken.woken_us : 0.0);
        floor_us.push_back(woken.woken_us);
        writer_us.push_back(woken.writer_us);
        condvar_us.push_back(condvar);
        nanosleep_us.push_back(nanosleep);
        timerfd_us.push_back(timerfd);
        if (woken.woken_us > 0) {
            condvar_ratio.push_back(condvar / woken.woken_us);
            nanosleep_ratio.push_back(nanosleep / woken.woken_us);
            timerfd_ratio.push_back(timerfd / woken.woken_us);
        }
    }
    char floor[160];
    std::snprintf(floor, sizeof floor,
                  "a thread woken by another's eventfd write, %.1f us per wake-up (median)",
                  bench::percentile(floor_us, 0.5));
    bench::print_result("wake_timed_condvar_ratio", "x", condvar_ratio, "-", floor);
    bench::print_result("wake_timed_nanosleep_ratio", "x", nanosleep_ratio, "-", floor);
    bench::print_result("wake_timed_timerfd_ratio", "x", timerfd_ratio, "-", floor);
    bench::print_result("wake_timed_condvar_us", "us", condvar_us, "-", floor);
    bench::print_result("wake_thread_woken_us", "us", floor_us, "-", "-");
    bench::print_result("wake_writer_us", "us", writer_us, "-",
                        "the writing thread's own CPU per write (it sleeps by the clock)");
    return 0;
}
