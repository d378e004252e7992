// BLE through the fake BlueZ (tests/ble): a 15 ms connection interval and MTU 247 unless told
// otherwise. Measures
//   1. command round trip (Pen::set_depth until acknowledged) against the model's floor of two
//      connection intervals (the write goes out in one event, the ack comes back in a later one);
//   2. status throughput at the rate the session clamps to, with drops counted;
//   3. emergency-stop latency (call to acknowledgement) with 50 commands queued ahead of it,
//      at MTU 247 / 15 ms and on a slow link (MTU 23 / 30 ms, one packet per event).
// Usage: bench_ble [rounds]   (default 100)
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "fake_bluez_harness.hpp"
#include "penlink/penlink.hpp"
#include "stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using penlink::test::FakeBluez;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

penlink::ConnectOptions patient() {
    penlink::ConnectOptions options;
    options.connect_timeout = std::chrono::milliseconds(10000);
    options.command_timeout = std::chrono::milliseconds(5000);
    options.command_retries = 0;
    return options;
}

void round_trip(int rounds) {
    FakeBluez fake({"--known", "--interval-ms", "15", "--mtu", "247"});
    auto pen = penlink::Pen::connect(FakeBluez::url(), patient());
    std::vector<double> samples;
    for (int i = 0; i < rounds; ++i) {
        const auto start = Clock::now();
        pen->set_depth(penlink::Depth::mm(0.5 + 0.05 * (i % 20)));
        samples.push_back(ms(Clock::now() - start));
    }
    const double floor = 2 * 15.0;
    const double p50 = bench::percentile(samples, 0.5);
    std::printf("round trip, %d x set_depth, 15 ms interval, MTU 247:\n", rounds);
    std::printf("  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms\n", p50,
                bench::percentile(samples, 0.9), bench::percentile(samples, 0.99),
                bench::percentile(samples, 1.0));
    std::printf(
        "  floor (two connection intervals) %.1f ms: p50 is %.2fx the floor (target "
        "<= 1.5x)\n",
        floor, p50 / floor);
}

void status_throughput() {
    FakeBluez fake({"--known", "--interval-ms", "15", "--mtu", "247"});
    auto pen = penlink::Pen::connect(FakeBluez::url(), patient());
    std::atomic<int> frames{0};
    auto subscription = pen->subscribe_status([&](const penlink::Status&) { ++frames; }, 1000);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const int rate = pen->read_settings().status_rate_hz;
    const int before = frames.load();
    const auto dropped_before = pen->dropped_status_frames();
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const double seconds = ms(Clock::now() - start) / 1000.0;
    const double got = (frames.load() - before) / seconds;
    const double link = 244.0 * 1000.0 / 15.0;
    std::printf("status, 15 ms interval, MTU 247 (link estimate %.0f bytes/s):\n", link);
    std::printf(
        "  asked 1000 Hz, pen streams at the clamped %d Hz; received %.1f frames/s "
        "(%.0f%% of the clamped rate), %.0f bytes/s of status (%.0f%% of the link)\n",
        rate, got, 100.0 * got / rate, got * 67, 100.0 * got * 67 / link);
    std::printf("  dropped frames counted: %llu\n",
                static_cast<unsigned long long>(pen->dropped_status_frames() - dropped_before));
}

void estop(const std::vector<std::string>& link, int interval_ms, const char* label) {
    auto args = link;
    args.insert(args.begin(), "--known");
    FakeBluez fake(args);
    auto pen = penlink::Pen::connect(FakeBluez::url("?interval_ms=" + std::to_string(interval_ms)),
                                     patient());
    std::vector<double> samples;
    std::vector<double> applied;
    for (int round = 0; round < 10; ++round) {
        std::atomic<int> answered{0};
        for (int i = 0; i < 50; ++i) {
            pen->set_speed_async(penlink::Speed::hz(60 + i),
                                 [&](const penlink::Result&) { ++answered; });
        }
        std::promise<void> done;
        auto acknowledged = done.get_future();
        const auto start = Clock::now();
        Clock::time_point at;
        pen->emergency_stop_async([&](const penlink::Result&) {
            at = Clock::now();
            done.set_value();
        });
        acknowledged.wait();
        samples.push_back(ms(at - start));
        // When the EmergencyStop frame reached the pen: the fake notes it (CLOCK_MONOTONIC, as
        // steady_clock on Linux).
        const auto delivered_ns = static_cast<std::int64_t>(fake.stats()["last_estop_ns"]);
        const auto start_ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
        applied.push_back(static_cast<double>(delivered_ns - start_ns) / 1e6);
        while (answered.load() < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        pen->clear_emergency_stop();
    }
    std::printf("e-stop with 50 commands queued, %s (10 rounds):\n", label);
    std::printf(
        "  call to the pen having it: p50 %.1f ms  max %.1f ms (target: one interval + one "
        "frame, %d ms)\n",
        bench::percentile(applied, 0.5), bench::percentile(applied, 1.0), 2 * interval_ms);
    std::printf("  call to acknowledgement:  p50 %.1f ms  max %.1f ms\n",
                bench::percentile(samples, 0.5), bench::percentile(samples, 1.0));
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 100;
    penlink::set_log_level(penlink::LogLevel::Error);
    round_trip(rounds);
    status_throughput();
    estop({"--interval-ms", "15", "--mtu", "247"}, 15, "15 ms interval, MTU 247");
    estop({"--interval-ms", "30", "--mtu", "23", "--packets-per-event", "1"}, 30,
          "30 ms interval, MTU 23, one packet per event");
    return 0;
}
