// What authenticated sessions cost (docs/protocol.md section 16): the same workloads against
// two penlink-sim processes on pseudo-terminals, one with and one without a key, both connected
// for the whole run and measured interleaved (blocks of 25 round trips, streaming windows of
// seconds/4, each side's turn alternating) so a change in the machine's load hits both alike.
// Reports each run's ratio (authenticated / plain) and the spread over runs.
//   - command round trip: Pen::set_depth until acknowledged (median of `rounds` per side);
//   - status streaming at `rate` Hz for `seconds` per side: frames received, drops, and the SDK
//     process's CPU (getrusage) per second of streaming.
// Usage: bench_auth [runs=5] [rounds=1000] [rate=20000] [seconds=2]
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cpu_time.hpp"
#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;
const std::string kSerial = "BENCH-AUTH";
const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct Figures {
    double round_trip_us = 0;  // median
    double frames_per_s = 0;
    std::uint64_t dropped = 0;
    double cpu_percent = 0;  // of one core, while streaming
};

// One pen of each kind, both connected for the whole run, so the interleaved measurements
// below see the same machine: a drift in its load (other processes) hits both alike.
struct Side {
    Side(bool authenticated, const std::string& key_file) {
        std::vector<std::string> args = {"--pty", "--quiet",         "--serial",
                                         kSerial, "--max-status-hz", "65535"};
        penlink::ConnectOptions options;
        if (authenticated) {
            args.insert(args.end(), {"--key-file", key_file});
            options.keys.add_hex(kSerial, kKeyHex);
        }
        sim = std::make_unique<penlink::simtool::SimProcess>(PENLINK_SIM_PATH, args);
        options.idle_status_rate_hz = 0;  // no status unless subscribed: the idle side is quiet
        pen = penlink::Pen::connect(sim->url(), options);
        if (pen->authenticated() != authenticated) std::abort();
    }
    std::unique_ptr<penlink::simtool::SimProcess> sim;
    std::unique_ptr<penlink::Pen> pen;
    Figures figures;
    std::vector<double> samples;
    double cpu_s = 0, wall_s = 0, frames = 0;
};

void round_trips(Side& side, int count, bool keep) {
    for (int i = 0; i < count; ++i) {
        const auto start = Clock::now();
        side.pen->set_depth(penlink::Depth::mm(i % 2 ? 1.0 : 1.05));
        if (keep)
            side.samples.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
}

void stream_window(Side& side, int rate, double seconds) {
    std::atomic<std::uint64_t> frames{0};
    auto subscription = side.pen->subscribe_status([&](const penlink::Status&) { ++frames; }, rate);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the rate takes hold
    const auto dropped_before = side.pen->dropped_status_frames();
    const std::uint64_t frames_before = frames.load();
    const double cpu_before = bench::cpu_seconds();
    const auto wall_before = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    side.wall_s += std::chrono::duration<double>(Clock::now() - wall_before).count();
    side.cpu_s += bench::cpu_seconds() - cpu_before;
    side.frames += static_cast<double>(frames.load() - frames_before);
    side.figures.dropped += side.pen->dropped_status_frames() - dropped_before;
    subscription.unsubscribe();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the stream winds down
}

// One run: round trips in alternating blocks of 25, then streaming in alternating windows
// (4 per side), each side's order swapped every time.
void measure(Side& plain, Side& auth, int rounds, int rate, double seconds) {
    constexpr int kBlock = 25;
    round_trips(plain, 100, false);  // warm-up
    round_trips(auth, 100, false);
    for (int done = 0, block = 0; done < rounds; done += kBlock, ++block) {
        Side& first = block % 2 ? auth : plain;
        Side& second = block % 2 ? plain : auth;
        round_trips(first, kBlock, true);
        round_trips(second, kBlock, true);
    }
    constexpr int kWindows = 4;
    for (int window = 0; window < kWindows; ++window) {
        Side& first = window % 2 ? auth : plain;
        Side& second = window % 2 ? plain : auth;
        stream_window(first, rate, seconds / kWindows);
        stream_window(second, rate, seconds / kWindows);
    }
    for (Side* side : {&plain, &auth}) {
        side->figures.round_trip_us = bench::percentile(side->samples, 0.5);
        side->figures.cpu_percent = 100.0 * side->cpu_s / side->wall_s;
        side->figures.frames_per_s = side->frames / side->wall_s;
    }
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
        Side plain_side(false, key_file);
        Side auth_side(true, key_file);
        measure(plain_side, auth_side, rounds, rate, seconds);
        const Figures& plain = plain_side.figures;
        const Figures& auth = auth_side.figures;
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
