// CPU time: the benchmark process's own or one of its threads', user plus system (getrusage), and
// another process's, such as a device it talks to (the sum of its threads' schedstat).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace bench {

/// Seconds of CPU used so far, user plus system: `who` is RUSAGE_SELF (the whole process) or
/// RUSAGE_THREAD (the calling thread).
inline double rusage_cpu_seconds(int who) {
    rusage usage{};
    getrusage(who, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// Seconds of CPU this process has used so far.
inline double cpu_seconds() { return rusage_cpu_seconds(RUSAGE_SELF); }

/// Seconds of CPU the calling thread has used so far.
inline double thread_cpu_seconds() { return rusage_cpu_seconds(RUSAGE_THREAD); }

/// Seconds one task (a thread: /proc/<pid>/task/<tid>) has spent on a CPU so far: its
/// schedstat's first field, in ns; 0 once it is gone.
inline double task_cpu_seconds(const std::filesystem::path& task) {
    std::ifstream in(task / "schedstat");
    unsigned long long ns = 0;
    in >> ns;
    return static_cast<double>(ns) / 1e9;
}

/// Seconds of CPU another process (all its threads) has used so far, to the nanosecond; 0 once
/// it is gone.
inline double process_cpu_seconds(pid_t pid) {
    double total = 0;
    std::error_code ignored;
    const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
    for (const auto& task : std::filesystem::directory_iterator(tasks, ignored))
        total += task_cpu_seconds(task.path());
    return total;
}

}  // namespace bench
