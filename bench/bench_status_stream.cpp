// Status streaming over a pseudo-terminal: for each requested rate, how many frames reached the
// callback, how many were lost, what the SDK's process spent in CPU, and how many heap
// allocations the whole process made per status frame while streaming.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "alloc_counter.hpp"
#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"

namespace {

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Sample {
    int rate_hz;
    double frames_per_s;
    unsigned long long dropped;
    double cpu_percent;
    double allocations_per_frame;
};

Sample measure(penlink::Pen& pen, int rate_hz, double seconds) {
    std::atomic<unsigned long long> delivered{0};
    auto subscription = pen.subscribe_status([&](const penlink::Status&) { ++delivered; }, rate_hz);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // rate change settles
    const auto dropped_before = pen.dropped_status_frames();
    const auto delivered_before = delivered.load();
    const auto allocations_before = bench::allocations.load();
    const double cpu_before = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = cpu_seconds() - cpu_before;
    const auto frames = delivered.load() - delivered_before;
    const auto allocations = bench::allocations.load() - allocations_before;
    const auto dropped = pen.dropped_status_frames() - dropped_before;
    subscription.unsubscribe();
    return {rate_hz, static_cast<double>(frames) / wall, dropped, 100.0 * cpu / wall,
            frames ? static_cast<double>(allocations) / static_cast<double>(frames) : 0.0};
}

}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    penlink::set_log_level(penlink::LogLevel::Error);
    penlink::simtool::SimProcess sim(PENLINK_SIM_PATH,
                                     {"--pty", "--quiet", "--max-status-hz", "65535"});
    auto pen = penlink::Pen::connect(sim.url());
    std::printf("status streaming over a pty (%s), %.1f s per rate\n", sim.pty_path().c_str(),
                seconds);
    std::printf("  %9s %12s %9s %14s %18s\n", "asked Hz", "got frames/s", "dropped",
                "SDK CPU % core", "allocs per frame");
    int best = 0;
    for (int rate : {1000, 2000, 5000, 10000, 20000, 40000, 60000}) {
        if (rate > pen->capabilities().max_status_rate_hz) break;
        const Sample s = measure(*pen, rate, seconds);
        std::printf("  %9d %12.0f %9llu %14.1f %18.4f\n", s.rate_hz, s.frames_per_s, s.dropped,
                    s.cpu_percent, s.allocations_per_frame);
        if (s.dropped == 0 && s.frames_per_s > 0.95 * rate) best = rate;
    }
    std::printf("  highest rate sustained with zero drops: %d Hz\n", best);
    return 0;
}
