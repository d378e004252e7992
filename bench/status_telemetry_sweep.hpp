// bench_status_stream --telemetry: the earlier sweep, status over a pty at 1-60 kHz, a plain
// Status against one carrying 8 module telemetry values (from a module written at run time),
// the highest zero-drop rate of each per run. Included by bench_status_stream.cpp only (it
// relies on that program's allocation counter and PENLINK_SIM_PATH).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "alloc_counter.hpp"
#include "cpu_time.hpp"
#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "result_line.hpp"

namespace status_sweep {

struct Sample {
    int rate_hz;
    double frames_per_s;
    unsigned long long dropped;
    double cpu_percent;
    double allocations_per_frame;
};

inline Sample measure(penlink::Pen& pen, int rate_hz, double seconds) {
    std::atomic<unsigned long long> delivered{0};
    auto subscription = pen.subscribe_status([&](const penlink::Status&) { ++delivered; }, rate_hz);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // rate change settles
    const auto dropped_before = pen.dropped_status_frames();
    const auto delivered_before = delivered.load();
    const auto allocations_before = bench::allocations.load();
    const double cpu_before = bench::cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = bench::cpu_seconds() - cpu_before;
    const auto frames = delivered.load() - delivered_before;
    const auto allocations = bench::allocations.load() - allocations_before;
    const auto dropped = pen.dropped_status_frames() - dropped_before;
    subscription.unsubscribe();
    return {rate_hz, static_cast<double>(frames) / wall, dropped, 100.0 * cpu / wall,
            frames ? static_cast<double>(allocations) / static_cast<double>(frames) : 0.0};
}

// A module with 8 telemetry channels (written at run time; penlink knows nothing of it).
inline std::string write_telemetry_module() {
    const std::string path = "/tmp/penlink-bench-telemetry-" + std::to_string(::getpid()) + ".json";
    std::string channels, behaviour;
    for (int i = 0; i < 8; ++i) {
        const std::string key = "channel_" + std::to_string(i);
        channels += std::string(i ? "," : "") + R"({"key": ")" + key + R"(", "id": )" +
                    std::to_string(128 + i) +
                    R"(, "unit": "degC", "scale": 0.01, "min": -50, "max": 150})";
        behaviour += std::string(i ? "," : "") + "\"" + key +
                     R"(": {"model": "first_order", "source": "level", "gain": )" +
                     std::to_string(i + 1) + R"(, "tau_s": 0.5})";
    }
    std::ofstream(path) << R"({"schema": "penlink.module/1", "key": "bench", "name": "Bench 8",
  "vendor": {"id": 1, "name": "bench"}, "model": {"id": 1},
  "parameters": [{"key": "level", "id": 32769, "type": "integer", "unit": "count", "min": 0,
                  "max": 10, "default": 3}],
  "telemetry": [)" + channels + R"(], "simulation": {"telemetry": {)" +
                               behaviour + "}}}";
    return path;
}

struct RunResult {
    int best_zero_drop_hz = 0;
    double frames_per_s_at_best = 0;
    double allocations_per_frame = 0;  // at the highest rate measured
};

inline RunResult run_once(const std::vector<std::string>& extra_args, double seconds,
                          bool verbose) {
    std::vector<std::string> args{"--pty", "--quiet", "--max-status-hz", "65535"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    penlink::simtool::SimProcess sim(PENLINK_SIM_PATH, args);
    auto pen = penlink::Pen::connect(sim.url());
    RunResult result;
    for (int rate : {1000, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 40000, 60000}) {
        if (rate > pen->capabilities().max_status_rate_hz) break;
        const Sample s = measure(*pen, rate, seconds);
        if (verbose) {
            std::printf("  %9d %12.0f %9llu %14.1f %18.4f\n", s.rate_hz, s.frames_per_s, s.dropped,
                        s.cpu_percent, s.allocations_per_frame);
        }
        result.allocations_per_frame = s.allocations_per_frame;
        if (s.dropped == 0 && s.frames_per_s > 0.95 * rate) {
            result.best_zero_drop_hz = rate;
            result.frames_per_s_at_best = s.frames_per_s;
        }
    }
    return result;
}

inline int telemetry_sweep(double seconds, int runs) {
    const std::string module = write_telemetry_module();
    std::vector<RunResult> plain, telemetry;
    for (int run = 0; run < runs; ++run) {
        const bool verbose = run == 0;
        if (verbose) {
            std::printf("status streaming over a pty, %.1f s per rate\n", seconds);
            std::printf("  %9s %12s %9s %14s %18s\n", "asked Hz", "got frames/s", "dropped",
                        "SDK CPU % core", "allocs per frame");
            std::printf(" plain Status (57 bytes):\n");
        }
        plain.push_back(run_once({}, seconds, verbose));
        if (verbose) std::printf(" Status with 8 telemetry values (105 bytes):\n");
        telemetry.push_back(run_once({"--module", module}, seconds, verbose));
        std::printf(
            "run %d: highest zero-drop rate %d Hz plain, %d Hz with 8 telemetry values; "
            "allocs/frame %.4f, %.4f\n",
            run + 1, plain.back().best_zero_drop_hz, telemetry.back().best_zero_drop_hz,
            plain.back().allocations_per_frame, telemetry.back().allocations_per_frame);
    }
    std::vector<double> ratios;
    for (int i = 0; i < runs; ++i) {
        if (plain[i].best_zero_drop_hz > 0) {
            ratios.push_back(static_cast<double>(telemetry[i].best_zero_drop_hz) /
                             plain[i].best_zero_drop_hz);
        }
    }
    std::sort(ratios.begin(), ratios.end());
    if (!ratios.empty()) {
        std::printf(
            "zero-drop rate with 8 telemetry values / plain: median %.2f, min %.2f, max "
            "%.2f over %zu runs\n",
            ratios[ratios.size() / 2], ratios.front(), ratios.back(), ratios.size());
    }
    bench::print_result("stream_telemetry_zero_drop_ratio", "x", ratios, "-",
                        "plain Status's highest zero-drop rate");
    std::remove(module.c_str());
    return 0;
}

}  // namespace status_sweep
