// What recording a session costs (Recorder / ConnectOptions::record_path): status streaming
// from penlink-sim over TCP at a fixed rate, with and without recording, alternating within one
// run. For each: status frames delivered per second, this process's CPU time per frame (all of
// it is the SDK's: the simulator is another process), heap allocations per frame while
// streaming, and the recording's bytes per frame. The figure is the ratio of CPU per frame
// recording / not recording (the floor, measured in the same run), median and spread over runs.

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "alloc_counter.hpp"
#include "cpu_time.hpp"
#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"

namespace {

struct Sample {
    double frames_per_s = 0;
    double cpu_us_per_frame = 0;
    double allocations_per_frame = 0;
    double file_bytes_per_frame = 0;
};

Sample measure(const std::string& url, int rate_hz, double seconds, const std::string& record) {
    penlink::ConnectOptions options;
    options.record_path = record;
    auto pen = penlink::Pen::connect(url, options);
    std::atomic<unsigned long long> delivered{0};
    auto subscription =
        pen->subscribe_status([&](const penlink::Status&) { ++delivered; }, rate_hz);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // rate change settles
    const auto delivered_before = delivered.load();
    const auto allocations_before = bench::allocations.load();
    const auto file_before = record.empty() ? 0 : std::filesystem::file_size(record);
    const double cpu_before = bench::cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = bench::cpu_seconds() - cpu_before;
    const auto frames = static_cast<double>(delivered.load() - delivered_before);
    const auto allocations = static_cast<double>(bench::allocations.load() - allocations_before);
    const auto file_after = record.empty() ? 0 : std::filesystem::file_size(record);
    subscription.unsubscribe();
    pen->close();
    Sample sample;
    sample.frames_per_s = frames / wall;
    sample.cpu_us_per_frame = frames > 0 ? 1e6 * cpu / frames : 0;
    sample.allocations_per_frame = frames > 0 ? allocations / frames : 0;
    // The file grows in 64 KiB writes: an estimate that the summary below makes exact.
    sample.file_bytes_per_frame =
        frames > 0 ? static_cast<double>(file_after - file_before) / frames : 0;
    return sample;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

}  // namespace

// Usage: bench_recording [seconds per measurement (default 2)] [runs (default 5)] [rate Hz
// (default 2000)]
int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    const int rate_hz = argc > 3 ? std::atoi(argv[3]) : 2000;
    penlink::set_log_level(penlink::LogLevel::Error);
    penlink::simtool::SimProcess sim(PENLINK_SIM_PATH,
                                     {"--tcp", "0", "--quiet", "--max-status-hz", "65535"});
    const std::string file = "/tmp/penlink-bench-recording-" + std::to_string(::getpid());
    std::printf("status streaming at %d Hz from penlink-sim over TCP, %.1f s per measurement\n",
                rate_hz, seconds);
    std::printf("  %3s %-10s %12s %14s %16s %14s\n", "run", "recording", "frames/s", "CPU us/frame",
                "allocs/frame", "file B/frame");
    std::vector<double> ratios;
    double worst_allocations = 0;
    for (int run = 0; run < runs; ++run) {
        // Alternate which goes first, so a drift of the machine does not favour one side.
        Sample floor, recording;
        if (run % 2 == 0) {
            floor = measure(sim.url(), rate_hz, seconds, {});
            recording = measure(sim.url(), rate_hz, seconds, file);
        } else {
            recording = measure(sim.url(), rate_hz, seconds, file);
            floor = measure(sim.url(), rate_hz, seconds, {});
        }
        for (const auto* sample : {&floor, &recording}) {
            std::printf("  %3d %-10s %12.0f %14.2f %16.4f %14.1f\n", run + 1,
                        sample == &floor ? "off" : "on", sample->frames_per_s,
                        sample->cpu_us_per_frame, sample->allocations_per_frame,
                        sample->file_bytes_per_frame);
        }
        if (floor.cpu_us_per_frame > 0)
            ratios.push_back(recording.cpu_us_per_frame / floor.cpu_us_per_frame);
        worst_allocations = std::max(worst_allocations, recording.allocations_per_frame);
    }
    const auto summary = penlink::summarize_recording(file);
    std::filesystem::remove(file);
    if (!ratios.empty()) {
        std::printf(
            "CPU per status frame, recording / not recording: median %.2f, min %.2f, max %.2f "
            "over %zu runs\n",
            median(ratios), *std::min_element(ratios.begin(), ratios.end()),
            *std::max_element(ratios.begin(), ratios.end()), ratios.size());
    }
    std::printf("allocations per status frame while recording: at most %.4f\n", worst_allocations);
    std::printf("last recording: %llu frames from the pen, %.1f s\n",
                static_cast<unsigned long long>(summary.frames_from_pen), summary.duration_s);
    return 0;
}
