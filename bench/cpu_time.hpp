// The benchmark process's CPU time, user plus system, all threads (getrusage).
#pragma once

#include <sys/resource.h>

namespace bench {

/// Seconds of CPU this process has used so far.
inline double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace bench
