// BLE through the fake BlueZ (tests/ble): a 15 ms connection interval and MTU 247 unless told
// otherwise. Measures
//   1. command round trip (Pen::set_depth until acknowledged) against the model's floor of two
//      connection intervals (the write goes out in one event, the ack comes back in a later one);
//   2. status throughput at the rate the link grants (92% of its estimate), against the link's
//      capacity, with drops counted and commands riding along, over several runs;
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

/// Status at the rate the link grants (92% of its estimate, protocol.md 15.3) for `runs` runs of
/// 2 s, with a set_depth every 200 ms riding along: received frames/s against the link's
/// capacity, drops, and the commands' round trip while the stream fills the link.
void status_throughput(const std::vector<std::string>& link, int mtu, int runs, const char* label) {
    auto args = link;
    args.insert(args.begin(), "--known");
    FakeBluez fake(args);
    auto pen = penlink::Pen::connect(FakeBluez::url(), patient());
    std::atomic<int> frames{0};
    auto subscription = pen->subscribe_status([&](const penlink::Status&) { ++frames; }, 1000);
    const penlink::StatusRate granted = subscription.status_rate();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    // The transport's estimate, bytes/s (integer, as BleTransport computes it).
    const double capacity = static_cast<double>((mtu - 3) * 1000 / 15);
    const double frame_bytes = 67.0;
    std::vector<double> shares;
    std::vector<double> round_trips;
    std::uint64_t dropped = 0;
    for (int run = 0; run < runs; ++run) {
        const int before = frames.load();
        const auto dropped_before = pen->dropped_status_frames();
        const auto start = Clock::now();
        for (int i = 0; i < 10; ++i) {
            const auto sent = Clock::now();
            pen->set_depth(penlink::Depth::mm(0.5 + 0.1 * i));
            round_trips.push_back(ms(Clock::now() - sent));
            std::this_thread::sleep_until(start + std::chrono::milliseconds(200 * (i + 1)));
        }
        const double seconds = ms(Clock::now() - start) / 1000.0;
        const double per_second = (frames.load() - before) / seconds;
        shares.push_back(100.0 * per_second * frame_bytes / capacity);
        dropped += pen->dropped_status_frames() - dropped_before;
    }
    std::printf("status, %s (link estimate %.0f bytes/s), %d runs of 2 s:\n", label, capacity,
                runs);
    std::printf("  asked 1000 Hz, granted %d Hz (%s)\n", granted.granted_hz,
                granted.reason.c_str());
    std::printf(
        "  received: %.1f%% of the link's capacity (median; min %.1f%%, max %.1f%%; target "
        ">= 90%%), %.1f frames/s\n",
        bench::percentile(shares, 0.5), bench::percentile(shares, 0.0),
        bench::percentile(shares, 1.0), bench::percentile(shares, 0.5) * capacity / 100.0 / 67.0);
    std::printf("  dropped frames counted by the host: %llu; Status frames the pen dropped: %llu\n",
                static_cast<unsigned long long>(dropped),
                static_cast<unsigned long long>(fake.stats()["status_dropped_by_pen"]));
    std::printf("  set_depth meanwhile (%zu): p50 %.1f ms  p90 %.1f ms  max %.1f ms\n",
                round_trips.size(), bench::percentile(round_trips, 0.5),
                bench::percentile(round_trips, 0.9), bench::percentile(round_trips, 1.0));
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
    // The replies to 50 commands crowd the pen's notifications: it drops Status frames
    // (replies first, protocol.md 11) and the host counts each as a gap.
    auto counts = fake.stats();
    std::printf(
        "  Status frames: the pen made %llu and dropped %llu; the host received %llu and "
        "counted %llu missing\n",
        static_cast<unsigned long long>(counts["status_from_pen"]),
        static_cast<unsigned long long>(counts["status_dropped_by_pen"]),
        static_cast<unsigned long long>(pen->received_status_frames()),
        static_cast<unsigned long long>(pen->dropped_status_frames()));
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 100;
    penlink::set_log_level(penlink::LogLevel::Error);
    round_trip(rounds);
    status_throughput({"--interval-ms", "15", "--mtu", "247"}, 247, 5,
                      "15 ms interval, MTU 247, 4 packets per event");
    // A link that carries exactly the transport's estimate: one packet each way per event.
    status_throughput({"--interval-ms", "15", "--mtu", "247", "--packets-per-event", "1"}, 247, 5,
                      "15 ms interval, MTU 247, one packet per event");
    status_throughput({"--interval-ms", "15", "--mtu", "23", "--packets-per-event", "1"}, 23, 5,
                      "15 ms interval, MTU 23, one packet per event");
    estop({"--interval-ms", "15", "--mtu", "247"}, 15, "15 ms interval, MTU 247");
    estop({"--interval-ms", "30", "--mtu", "23", "--packets-per-event", "1"}, 30,
          "30 ms interval, MTU 23, one packet per event");
    return 0;
}
