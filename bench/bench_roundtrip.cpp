// Command round trip: Pen::set_depth until the pen acknowledged, over a pty and TCP against
// penlink-sim and over sim:// in-process, each against its floor measured in the same run:
//   pty      a raw echo of a frame-sized message through a pty by a minimal child process;
//   tcp      the same echo over a loopback TCP connection (TCP_NODELAY both ends);
//   sim://   a two-thread ping-pong in this process (mutex and condition variable each way),
//            the least a hand-off to the simulated pen's thread and back can cost.
// Each run measures every floor and its SDK figure in alternating blocks of 50 round trips, so
// both see the same moments of a busy machine; the ratio is per run (median against median),
// reported as the median and spread over the runs.
//
// Usage: bench_roundtrip [rounds per measurement, 2000] [runs, 5]
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cpu_time.hpp"
#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "protocol/frame.hpp"
#include "raw_pty.hpp"
#include "result_line.hpp"
#include "stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// SetDepth goes out as 12 bytes on the wire (see docs/protocol.md); echo that many.
constexpr std::size_t kFrameBytes = 12;

/// One round trip of 12 bytes through an echo, in microseconds.
void echo_round(int fd, int i, std::vector<double>& samples) {
    unsigned char frame[kFrameBytes] = {};
    frame[0] = static_cast<unsigned char>(i);
    const auto start = Clock::now();
    bench::write_all(fd, frame, sizeof frame);
    std::size_t got = 0;
    unsigned char back[kFrameBytes];
    while (got < sizeof back) {
        const ssize_t n = read(fd, back + got, sizeof back - got);
        if (n <= 0) std::abort();
        got += static_cast<std::size_t>(n);
    }
    samples.push_back(micros(Clock::now() - start));
}

/// The minimal "device" in a child process: echoes whatever arrives on fd.
[[noreturn]] void echo_forever(int fd) {
    char buffer[256];
    for (;;) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) _exit(0);
        if (write(fd, buffer, static_cast<std::size_t>(n)) != n) _exit(1);
    }
}

/// A floor that lives for a whole run, so its rounds can alternate with the SDK's.
class Floor {
public:
    virtual ~Floor() = default;
    virtual void rounds(int count, std::vector<double>& samples) = 0;
    /// The process on the other end, if the floor has one (the echo's child).
    virtual pid_t device() const { return -1; }
};

class PtyEcho final : public Floor {
public:
    PtyEcho() {
        int master = -1;
        if (openpty(&master, &slave_, nullptr, nullptr, nullptr) != 0) std::abort();
        bench::make_raw(slave_);
        child_ = fork();
        if (child_ == 0) {
            close(slave_);
            echo_forever(master);
        }
        close(master);
    }
    ~PtyEcho() override {
        close(slave_);
        waitpid(child_, nullptr, 0);
    }
    void rounds(int count, std::vector<double>& samples) override {
        for (int i = 0; i < count; ++i) echo_round(slave_, i, samples);
    }
    pid_t device() const override { return child_; }

private:
    int slave_ = -1;
    pid_t child_ = -1;
};

class TcpEcho final : public Floor {
public:
    TcpEcho() {
        const int listener = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            listen(listener, 1) != 0 ||
            getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            std::abort();
        const int one = 1;
        child_ = fork();
        if (child_ == 0) {
            const int peer = accept(listener, nullptr, nullptr);
            setsockopt(peer, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            echo_forever(peer);
        }
        close(listener);
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) std::abort();
        setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~TcpEcho() override {
        close(fd_);
        waitpid(child_, nullptr, 0);
    }
    void rounds(int count, std::vector<double>& samples) override {
        for (int i = 0; i < count; ++i) echo_round(fd_, i, samples);
    }
    pid_t device() const override { return child_; }

private:
    int fd_ = -1;
    pid_t child_ = -1;
};

/// Two threads handing a counter to each other (mutex and condition variable each way).
class PingPong final : public Floor {
public:
    PingPong()
        : peer_([this] {
              std::unique_lock lock(mutex_);
              for (;;) {
                  to_peer_.wait(lock, [this] { return done_ || sent_ > answered_; });
                  if (done_) return;
                  answered_ = sent_;
                  to_caller_.notify_one();
              }
          }) {}
    ~PingPong() override {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        to_peer_.notify_one();
        peer_.join();
    }
    void rounds(int count, std::vector<double>& samples) override {
        for (int i = 0; i < count; ++i) {
            const auto start = Clock::now();
            std::unique_lock lock(mutex_);
            ++sent_;
            to_peer_.notify_one();
            to_caller_.wait(lock, [this] { return answered_ == sent_; });
            lock.unlock();
            samples.push_back(micros(Clock::now() - start));
        }
    }

private:
    std::mutex mutex_;
    std::condition_variable to_peer_, to_caller_;
    int sent_ = 0, answered_ = 0;
    bool done_ = false;
    std::thread peer_;  // last: starts once the rest is constructed
};

int connect_tcp(const std::string& url) {  // "tcp://127.0.0.1:PORT"
    const auto colon = url.rfind(':');
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(std::atoi(url.c_str() + colon + 1)));
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) std::abort();
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/// The simulator's own share: SetDepth frames written by hand to a fresh penlink-sim (over its
/// pty, or TCP) and read back until acknowledged, by one thread, without the SDK. Adds the
/// simulator's CPU per round trip to sim_cpu_us.
std::vector<double> raw_frames_to_sim(int rounds, bool tcp, std::vector<double>& sim_cpu_us) {
    const std::vector<std::string> args = tcp ? std::vector<std::string>{"--tcp", "0", "--quiet"}
                                              : std::vector<std::string>{"--pty", "--quiet"};
    penlink::simtool::SimProcess sim(PENLINK_SIM_PATH, args);
    const int fd = tcp ? connect_tcp(sim.url()) : bench::open_raw_pty(sim.pty_path());
    std::vector<double> samples;
    penlink::protocol::FrameDecoder decoder;
    bench::write_frame(fd, 1, penlink::protocol::Hello{});
    constexpr int kWarmUp = 100;
    double sim_cpu_before = 0;
    for (int i = 0; i < rounds + kWarmUp; ++i) {
        if (i == kWarmUp) sim_cpu_before = bench::process_cpu_seconds(sim.pid());
        const auto seq = static_cast<std::uint16_t>(i + 2);
        const auto frame = penlink::protocol::encode_frame(
            seq, penlink::protocol::SetDepth{static_cast<std::uint16_t>(i % 2 ? 1000 : 1050)});
        const auto start = Clock::now();
        bench::write_all(fd, frame->bytes.data(), frame->size);
        bool acked = false;
        while (!acked) {
            std::uint8_t buffer[512];
            const ssize_t n = read(fd, buffer, sizeof buffer);
            if (n <= 0) std::abort();
            decoder.feed(
                std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)),
                [&](const penlink::protocol::DecodedFrame& f) { acked |= f.header.seq == seq; },
                [](penlink::protocol::FrameError) {});
        }
        if (i >= kWarmUp) samples.push_back(micros(Clock::now() - start));
    }
    sim_cpu_us.push_back((bench::process_cpu_seconds(sim.pid()) - sim_cpu_before) * 1e6 /
                         static_cast<double>(rounds));
    close(fd);
    return samples;
}

struct Row {
    const char* name;
    std::vector<double> floor_median, sdk_median, sdk_p99, ratio;
    // CPU this process spent per round trip (all its threads; a child process's not).
    std::vector<double> floor_cpu_us, sdk_cpu_us;
    // CPU the other end spent per round trip: the echo's child, penlink-sim (none for sim://).
    std::vector<double> floor_device_cpu_us, sdk_device_cpu_us;
};

void add(Row& row, const std::vector<double>& floor, const std::vector<double>& sdk,
         double floor_cpu_s, double sdk_cpu_s) {
    row.floor_cpu_us.push_back(floor_cpu_s * 1e6 / static_cast<double>(floor.size()));
    row.sdk_cpu_us.push_back(sdk_cpu_s * 1e6 / static_cast<double>(sdk.size()));
    row.floor_median.push_back(bench::percentile(floor, 0.5));
    row.sdk_median.push_back(bench::percentile(sdk, 0.5));
    row.sdk_p99.push_back(bench::percentile(sdk, 0.99));
    row.ratio.push_back(row.sdk_median.back() / row.floor_median.back());
}

void print(const Row& row, const char* floor_name, const char* result, const char* target) {
    const auto min = [](std::vector<double> v) { return *std::min_element(v.begin(), v.end()); };
    const auto max = [](std::vector<double> v) { return *std::max_element(v.begin(), v.end()); };
    std::printf(
        "  %-7s set_depth median %7.1f us (p99 %7.1f), %s %7.1f us: ratio median %.2fx "
        "(%.2f-%.2fx)\n",
        row.name, bench::percentile(row.sdk_median, 0.5), bench::percentile(row.sdk_p99, 0.5),
        floor_name, bench::percentile(row.floor_median, 0.5), bench::percentile(row.ratio, 0.5),
        min(row.ratio), max(row.ratio));
    char floor[128];
    std::snprintf(floor, sizeof floor, "%s %.1f us (median)", floor_name,
                  bench::percentile(row.floor_median, 0.5));
    bench::print_result(result, "x", row.ratio, target, floor);
    std::printf(
        "  %-7s CPU of this process per round trip: SDK %.1f us (%.1f-%.1f), floor %.1f us\n",
        row.name, bench::percentile(row.sdk_cpu_us, 0.5), min(row.sdk_cpu_us), max(row.sdk_cpu_us),
        bench::percentile(row.floor_cpu_us, 0.5));
    std::snprintf(floor, sizeof floor, "%s: this process %.1f us per round trip (median)",
                  floor_name, bench::percentile(row.floor_cpu_us, 0.5));
    bench::print_result(std::string(result) + "_cpu_us", "us", row.sdk_cpu_us, "-", floor);
    if (row.sdk_device_cpu_us.empty()) return;
    std::printf(
        "  %-7s CPU of the other end per round trip: penlink-sim %.1f us (%.1f-%.1f), "
        "the echo's child %.1f us\n",
        row.name, bench::percentile(row.sdk_device_cpu_us, 0.5), min(row.sdk_device_cpu_us),
        max(row.sdk_device_cpu_us), bench::percentile(row.floor_device_cpu_us, 0.5));
}

void sdk_set_depth(penlink::Pen& pen, int count, std::vector<double>& samples) {
    for (int i = 0; i < count; ++i) {
        const auto depth = penlink::Depth::mm(i % 2 ? 1.0 : 1.05);
        const auto start = Clock::now();
        pen.set_depth(depth);
        samples.push_back(micros(Clock::now() - start));
    }
}

/// Rounds through the floor and the SDK in alternating blocks, so both see the same moments
/// of a busy machine (one after the other, a run's ratio moved with whatever else ran then).
void measure(Row& row, Floor& floor, penlink::Pen& pen, pid_t sim_pid, int rounds) {
    constexpr int kBlock = 50;
    std::vector<double> floor_samples, sdk_samples, warm_up;
    floor.rounds(kBlock, warm_up);
    sdk_set_depth(pen, kBlock, warm_up);
    double floor_cpu = 0, sdk_cpu = 0, floor_device_cpu = 0, sdk_device_cpu = 0;
    const pid_t echo_pid = floor.device();
    for (int done = 0; done < rounds; done += kBlock) {
        const double before_floor = bench::cpu_seconds();
        const double echo_before = echo_pid > 0 ? bench::process_cpu_seconds(echo_pid) : 0;
        floor.rounds(kBlock, floor_samples);
        if (echo_pid > 0) floor_device_cpu += bench::process_cpu_seconds(echo_pid) - echo_before;
        const double before_sdk = bench::cpu_seconds();
        const double sim_before = sim_pid > 0 ? bench::process_cpu_seconds(sim_pid) : 0;
        sdk_set_depth(pen, kBlock, sdk_samples);
        if (sim_pid > 0) sdk_device_cpu += bench::process_cpu_seconds(sim_pid) - sim_before;
        sdk_cpu += bench::cpu_seconds() - before_sdk;
        floor_cpu += before_sdk - before_floor;
    }
    add(row, floor_samples, sdk_samples, floor_cpu, sdk_cpu);
    if (sim_pid > 0) {
        row.floor_device_cpu_us.push_back(floor_device_cpu * 1e6 /
                                          static_cast<double>(floor_samples.size()));
        row.sdk_device_cpu_us.push_back(sdk_device_cpu * 1e6 /
                                        static_cast<double>(sdk_samples.size()));
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    penlink::set_log_level(penlink::LogLevel::Error);
    Row pty{"pty", {}, {}, {}, {}}, tcp{"tcp", {}, {}, {}, {}}, sim{"sim://", {}, {}, {}, {}};
    std::vector<double> device, device_tcp, device_cpu, device_tcp_cpu;
    penlink::simtool::SimProcess pty_sim(PENLINK_SIM_PATH, {"--pty", "--quiet"});
    penlink::simtool::SimProcess tcp_sim(PENLINK_SIM_PATH, {"--tcp", "0", "--quiet"});
    auto pty_pen = penlink::Pen::connect(pty_sim.url());
    auto tcp_pen = penlink::Pen::connect(tcp_sim.url());
    auto sim_pen = penlink::Pen::connect("sim://");
    for (int run = 0; run < runs; ++run) {
        {
            PtyEcho floor;
            measure(pty, floor, *pty_pen, pty_sim.pid(), rounds);
        }
        {
            TcpEcho floor;
            measure(tcp, floor, *tcp_pen, tcp_sim.pid(), rounds);
        }
        {
            PingPong floor;
            measure(sim, floor, *sim_pen, -1, rounds);
        }
        device.push_back(bench::percentile(raw_frames_to_sim(rounds, false, device_cpu), 0.5));
        device_tcp.push_back(
            bench::percentile(raw_frames_to_sim(rounds, true, device_tcp_cpu), 0.5));
    }
    std::printf(
        "command round trip, %d rounds per measurement, %d runs (ratio per run: SDK "
        "median / floor median)\n",
        rounds, runs);
    print(pty, "raw pty echo", "roundtrip_pty_ratio", "<=1.3");
    print(tcp, "raw TCP echo", "roundtrip_tcp_ratio", "<=1.3");
    print(sim, "2-thread ping-pong", "roundtrip_sim_ratio", "<=1.5");
    std::printf(
        "  (a SetDepth frame written by hand to penlink-sim and read back by one thread: "
        "median %.1f us over its pty, %.1f us over TCP;\n   penlink-sim's CPU per round trip "
        "%.1f us over its pty, %.1f us over TCP)\n",
        bench::percentile(device, 0.5), bench::percentile(device_tcp, 0.5),
        bench::percentile(device_cpu, 0.5), bench::percentile(device_tcp_cpu, 0.5));
    // The SDK's share alone: its round trip against the same simulator driven by hand.
    std::vector<double> pty_over_device, tcp_over_device;
    for (std::size_t run = 0; run < device.size(); ++run) {
        pty_over_device.push_back(pty.sdk_median[run] / device[run]);
        tcp_over_device.push_back(tcp.sdk_median[run] / device_tcp[run]);
    }
    char floor[128];
    std::snprintf(floor, sizeof floor, "SetDepth by hand to penlink-sim's pty %.1f us (median)",
                  bench::percentile(device, 0.5));
    bench::print_result("roundtrip_pty_over_sim_by_hand", "x", pty_over_device, "-", floor);
    std::snprintf(floor, sizeof floor, "SetDepth by hand to penlink-sim over TCP %.1f us (median)",
                  bench::percentile(device_tcp, 0.5));
    bench::print_result("roundtrip_tcp_over_sim_by_hand", "x", tcp_over_device, "-", floor);
    return 0;
}
