// What authenticated sessions cost (docs/protocol.md section 16): the same workloads against
// penlink-sim on a pseudo-terminal with and without a key, alternating in one run so both see
// the same machine. Reports each run's ratio (authenticated / plain) and the spread over runs.
//   - command round trip: Pen::set_depth until acknowledged (median of `rounds`);
//   - status streaming at `rate` Hz for `seconds`: frames received, drops, and the SDK process's
//     CPU (getrusage) per second of streaming.
// Usage: bench_auth [runs=5] [rounds=1000] [rate=20000] [seconds=2]
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;
const std::string kSerial = "BENCH-AUTH";
const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Figures {
    double round_trip_us = 0;  // median
    double frames_per_s = 0;
    std::uint64_t dropped = 0;
    double cpu_percent = 0;  // of one core, while streaming
};

Figures measure(bool authenticated, const std::string& key_file, int rounds, int rate,
                double seconds) {
    std::vector<std::string> args = {"--pty", "--quiet",         "--serial",
                                     kSerial, "--max-status-hz", "65535"};
    penlink::ConnectOptions options;
    if (authenticated) {
        args.insert(args.end(), {"--key-file", key_file});
        options.keys.add_hex(kSerial, kKeyHex);
    }
    penlink::simtool::SimProcess sim(PENLINK_SIM_PATH, args);
    options.idle_status_rate_hz = 0;
    auto pen = penlink::Pen::connect(sim.url(), options);
    if (pen->authenticated() != authenticated) std::abort();

    Figures figures;
    std::vector<double> samples;
    for (int i = 0; i < rounds + 100; ++i) {
        const auto start = Clock::now();
        pen->set_depth(penlink::Depth::mm(i % 2 ? 1.0 : 1.05));
        if (i >= 100)
            samples.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    figures.round_trip_us = bench::percentile(samples, 0.5);

    std::atomic<std::uint64_t> frames{0};
    auto subscription = pen->subscribe_status([&](const penlink::Status&) { ++frames; }, rate);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the rate takes hold
    const auto dropped_before = pen->dropped_status_frames();
    const std::uint64_t frames_before = frames.load();
    const double cpu_before = cpu_seconds();
    const auto wall_before = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double wall = std::chrono::duration<double>(Clock::now() - wall_before).count();
    figures.cpu_percent = 100.0 * (cpu_seconds() - cpu_before) / wall;
    figures.frames_per_s = static_cast<double>(frames.load() - frames_before) / wall;
    figures.dropped = pen->dropped_status_frames() - dropped_before;
    subscription.unsubscribe();
    pen->close();
    return figures;
}

void spread(const char* what, const std::vector<double>& ratios) {
    std::printf("  %-34s median %.2fx  (min %.2fx, max %.2fx, %zu runs)\n", what,
                bench::percentile(ratios, 0.5), bench::percentile(ratios, 0.0),
                bench::percentile(ratios, 1.0), ratios.size());
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 1000;
    const int rate = argc > 3 ? std::atoi(argv[3]) : 20000;
    const double seconds = argc > 4 ? std::atof(argv[4]) : 2.0;
    penlink::set_log_level(penlink::LogLevel::Error);

    const std::string key_file = "/tmp/penlink-bench-auth-" + std::to_string(::getpid()) + ".key";
    std::ofstream(key_file) << kKeyHex << "\n";
    ::chmod(key_file.c_str(), 0600);

    std::printf(
        "authenticated vs plain sessions over a pty to penlink-sim: %d runs, %d round "
        "trips, status at %d Hz for %.1f s\n",
        runs, rounds, rate, seconds);
    std::printf(
        "  run   round trip us (plain/auth)   frames/s (plain/auth)   drops   CPU %% "
        "(plain/auth)\n");
    std::vector<double> round_trip_ratio, cpu_ratio;
    for (int run = 0; run < runs; ++run) {
        // Alternate which goes first, so a drift in the machine's load favours neither.
        const bool auth_first = run % 2 == 1;
        Figures plain, auth;
        if (auth_first) {
            auth = measure(true, key_file, rounds, rate, seconds);
            plain = measure(false, key_file, rounds, rate, seconds);
        } else {
            plain = measure(false, key_file, rounds, rate, seconds);
            auth = measure(true, key_file, rounds, rate, seconds);
        }
        std::printf("  %3d   %8.1f / %8.1f         %8.0f / %8.0f    %llu/%llu   %5.1f / %5.1f\n",
                    run + 1, plain.round_trip_us, auth.round_trip_us, plain.frames_per_s,
                    auth.frames_per_s, static_cast<unsigned long long>(plain.dropped),
                    static_cast<unsigned long long>(auth.dropped), plain.cpu_percent,
                    auth.cpu_percent);
        round_trip_ratio.push_back(auth.round_trip_us / plain.round_trip_us);
        if (plain.cpu_percent > 0) cpu_ratio.push_back(auth.cpu_percent / plain.cpu_percent);
    }
    std::printf("ratios, authenticated / plain:\n");
    spread("round trip (median per run)", round_trip_ratio);
    spread("SDK CPU while streaming", cpu_ratio);
    ::unlink(key_file.c_str());
    return 0;
}
