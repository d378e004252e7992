// Emergency-stop latency with a full command queue on a slow link: penlink-sim over TCP behind
// penlink-proxy, both directions throttled to 115200 baud (11520 bytes/s). Each cycle queues 50
// set_speed_async and at once calls emergency_stop(), timing it until the pen acknowledged, and
// counts the SetSpeed the pen applied ahead of it. The host keeps at most 16 requests in flight
// and writes the e-stop at the next frame boundary ahead of its queue (docs/protocol.md 5.1,
// 5.4), so at most what was already written can go ahead: never all 50.
//
// Floors in the same run, on the same link: a lone emergency_stop() with nothing queued, and a
// hand-encoded EmergencyStop frame written to a raw socket until its Ack arrives. And what the
// audit saw, on the same link: an EmergencyStop written FIFO behind 50 SetSpeed on a raw socket.
// The proxy's throttle lets about 20 ms of traffic (230 bytes) through at once after a quiet
// spell, so a lone frame pays no wire time; everything past that burst is paced at 11520 bytes/s.
//
// Usage: bench_estop [cycles=20] [runs=3]; each run starts a fresh simulator and proxy.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "fault_proxy.hpp"
#include "penlink/penlink.hpp"
#include "protocol/frame.hpp"
#include "stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kQueuedCommands = 50;
constexpr int kWarmupCycles = 2;
// Quiet time before each timed e-stop, the same for every variant.
constexpr auto kSettle = std::chrono::milliseconds(30);
constexpr std::uint32_t kLinkBytesPerSecond = 11520;  // 115200 baud, 8N1
const penlink::Speed kSpeeds[2] = {penlink::Speed::hz(100), penlink::Speed::hz(120)};

double millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// A raw TCP connection to the proxy, speaking frames written by hand: the link's own cost.
class RawLink {
public:
    explicit RawLink(const std::string& url) {
        const auto port = static_cast<std::uint16_t>(std::stoul(url.substr(url.rfind(':') + 1)));
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 ||
            ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            throw std::runtime_error("cannot connect a raw socket to " + url);
        }
        const int on = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    ~RawLink() { ::close(fd_); }
    RawLink(const RawLink&) = delete;
    RawLink& operator=(const RawLink&) = delete;

    // Writes the requests in one go, in order, and reads until the last one is answered.
    // Returns how many of the others were acknowledged (applied) before that reply.
    int exchange(std::uint16_t first_seq, const std::vector<penlink::protocol::Message>& messages) {
        std::vector<std::uint8_t> bytes;
        for (std::size_t i = 0; i < messages.size(); ++i) {
            const auto frame = penlink::protocol::encode_frame(
                static_cast<std::uint16_t>(first_seq + i), messages[i]);
            bytes.insert(bytes.end(), frame->bytes.begin(),
                         frame->bytes.begin() + static_cast<std::ptrdiff_t>(frame->size));
        }
        if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(bytes.size())) {
            throw std::runtime_error("raw socket: send failed");
        }
        const auto last_seq = static_cast<std::uint16_t>(first_seq + messages.size() - 1);
        bool answered = false;
        int acknowledged_before = 0;
        while (!answered) {
            std::uint8_t buffer[512];
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) throw std::runtime_error("raw socket: the proxy hung up");
            decoder_.feed(
                std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)),
                [&](const penlink::protocol::DecodedFrame& f) {
                    if (f.header.seq == last_seq) {
                        answered = true;
                    } else if (!answered &&
                               std::holds_alternative<penlink::protocol::Ack>(f.message)) {
                        ++acknowledged_before;
                    }
                },
                [](penlink::protocol::FrameError) {});
        }
        return acknowledged_before;
    }

private:
    int fd_ = -1;
    penlink::protocol::FrameDecoder decoder_;
};

struct RawResult {
    std::vector<double> lone_ms;  // one EmergencyStop frame until its Ack
    std::vector<double> fifo_ms;  // EmergencyStop written behind 50 SetSpeed: the audit's case
    std::vector<int> fifo_applied_ahead;
};

// Hand-encoded frames on a raw socket, after a ClearEmergencyStop so every EmergencyStop
// latches afresh as in the SDK cycles: the link's own floor, and what a host that queues the
// e-stop FIFO behind 50 commands gets on the same link.
RawResult raw_baselines(const std::string& url, int cycles) {
    RawLink link(url);
    std::uint16_t seq = 1;
    link.exchange(seq++, {penlink::protocol::Hello{}});
    RawResult raw;
    for (int i = 0; i < cycles + kWarmupCycles; ++i) {
        const bool counted = i >= kWarmupCycles;
        link.exchange(seq++, {penlink::protocol::ClearEmergencyStop{}});
        std::this_thread::sleep_for(kSettle);
        auto start = Clock::now();
        link.exchange(seq++, {penlink::protocol::EmergencyStop{}});
        if (counted) raw.lone_ms.push_back(millis(Clock::now() - start));

        link.exchange(seq++, {penlink::protocol::ClearEmergencyStop{}});
        std::this_thread::sleep_for(kSettle);
        std::vector<penlink::protocol::Message> fifo;
        for (int k = 0; k < kQueuedCommands; ++k) {
            fifo.emplace_back(
                penlink::protocol::SetSpeed{static_cast<std::uint16_t>(kSpeeds[k % 2].in_chz())});
        }
        fifo.emplace_back(penlink::protocol::EmergencyStop{});
        start = Clock::now();
        const int applied = link.exchange(seq, fifo);
        seq = static_cast<std::uint16_t>(seq + fifo.size());
        if (counted) {
            raw.fifo_ms.push_back(millis(Clock::now() - start));
            raw.fifo_applied_ahead.push_back(applied);
        }
    }
    return raw;
}

// Counts the outcomes of one cycle's SetSpeed commands; the e-stop's caller waits on it.
struct QueuedOutcomes {
    std::mutex mutex;
    std::condition_variable all_done;
    int completed = 0;
    int applied = 0;           // acknowledged: the pen applied it, necessarily ahead of the e-stop
    int refused_latched = 0;   // refused with EmergencyStopped: arrived after the e-stop
    int other = 0;             // e.g. superseded by the e-stop's barrier
    int highest_applied = -1;  // index of the last one applied
    bool applied_in_order = true;
    std::string other_example;
    std::atomic<int> applied_seen{0};  // read right after emergency_stop() returned

    void record(int index, const penlink::Result& result) {
        std::lock_guard lock(mutex);
        if (result.ok()) {
            applied_in_order &= index == highest_applied + 1;
            highest_applied = index;
            ++applied;
            applied_seen.fetch_add(1);
        } else if (result.code == penlink::ErrorCode::EmergencyStopped) {
            ++refused_latched;
        } else {
            ++other;
            if (other_example.empty()) other_example = result.message;
        }
        if (++completed == kQueuedCommands) all_done.notify_all();
    }
};

struct RunResult {
    RawResult raw;
    std::vector<double> lone_ms, queued_ms;
    std::vector<int> applied_ahead, applied_seen;
    int refused_latched = 0, other = 0, not_estopped = 0, out_of_order = 0, speed_mismatch = 0;
    std::string other_example;
};

void verify_estopped(penlink::Pen& pen, const QueuedOutcomes& outcomes, RunResult& run) {
    const auto settings = pen.read_settings();
    if (settings.state != penlink::PenState::EmergencyStopped) ++run.not_estopped;
    if (outcomes.highest_applied >= 0) {
        const double expected = kSpeeds[outcomes.highest_applied % 2].in_hz();
        if (settings.speed_set_hz != expected) ++run.speed_mismatch;
    }
}

RunResult run_once(int cycles) {
    penlink::test::FaultProxyOptions proxy_options;
    proxy_options.sim_executable = PENLINK_SIM_PATH;
    proxy_options.proxy_executable = PENLINK_PROXY_PATH;
    proxy_options.proxy_args = {"--throttle", "both:" + std::to_string(kLinkBytesPerSecond)};
    penlink::test::FaultProxy proxy(std::move(proxy_options));
    RunResult run;
    // The proxy serves one host at a time: the raw floor goes first, on its own connection.
    run.raw = raw_baselines(proxy.url(), cycles);

    penlink::ConnectOptions options;
    options.command_timeout = 1000ms;  // nothing is resent during a measurement
    options.idle_status_rate_hz = 1;   // each status frame takes this link several ms
    auto pen = penlink::Pen::connect(proxy.url(), options);

    for (int cycle = 0; cycle < cycles + kWarmupCycles; ++cycle) {
        const bool counted = cycle >= kWarmupCycles;
        // Lone: nothing queued.
        std::this_thread::sleep_for(kSettle);
        auto start = Clock::now();
        pen->emergency_stop();
        const double lone = millis(Clock::now() - start);
        pen->clear_emergency_stop();

        // Queued: 50 commands, then the e-stop at once.
        std::this_thread::sleep_for(kSettle);
        // Shared with the callbacks: they may outlive this cycle if it throws.
        const auto outcomes = std::make_shared<QueuedOutcomes>();
        for (int i = 0; i < kQueuedCommands; ++i) {
            pen->set_speed_async(kSpeeds[i % 2], [outcomes, i](const penlink::Result& r) {
                outcomes->record(i, r);
            });
        }
        start = Clock::now();
        pen->emergency_stop();
        const double queued = millis(Clock::now() - start);
        const int seen = outcomes->applied_seen.load();
        {
            std::unique_lock lock(outcomes->mutex);
            if (!outcomes->all_done.wait_for(
                    lock, 10s, [&] { return outcomes->completed == kQueuedCommands; })) {
                throw std::runtime_error("the 50 SetSpeed did not all complete within 10 s");
            }
        }
        verify_estopped(*pen, *outcomes, run);
        pen->clear_emergency_stop();
        if (!counted) continue;
        run.lone_ms.push_back(lone);
        run.queued_ms.push_back(queued);
        run.applied_ahead.push_back(outcomes->applied);
        run.applied_seen.push_back(seen);
        run.refused_latched += outcomes->refused_latched;
        run.other += outcomes->other;
        if (run.other_example.empty()) run.other_example = outcomes->other_example;
        run.out_of_order += outcomes->applied_in_order ? 0 : 1;
    }
    return run;
}

std::vector<double> as_doubles(const std::vector<int>& values) {
    return {values.begin(), values.end()};
}

}  // namespace

int main(int argc, char** argv) {
    const int cycles = argc > 1 ? std::atoi(argv[1]) : 20;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    if (cycles < 1 || runs < 1) {
        std::fprintf(stderr, "usage: %s [cycles=20] [runs=3]\n", argv[0]);
        return 2;
    }
    penlink::set_log_level(penlink::LogLevel::Error);

    const auto estop = penlink::protocol::encode_frame(1, penlink::protocol::EmergencyStop{});
    const auto ack = penlink::protocol::encode_frame(
        1, penlink::protocol::Ack{penlink::protocol::MessageType::EmergencyStop});
    std::printf(
        "emergency stop behind %d queued set_speed, penlink-sim via penlink-proxy over "
        "TCP, both directions %u bytes/s; %d cycles x %d runs\n",
        kQueuedCommands, kLinkBytesPerSecond, cycles, runs);
    std::printf("  EmergencyStop %zu bytes + Ack %zu bytes = %.2f ms on the wire at %u bytes/s\n",
                estop->size, ack->size,
                1000.0 * static_cast<double>(estop->size + ack->size) / kLinkBytesPerSecond,
                kLinkBytesPerSecond);

    // Per run: the medians and the p90 of the queued e-stop, for the spread over runs.
    std::vector<double> queued_medians, queued_p90s, lone_medians, ratios, raw_medians,
        fifo_medians;
    int most_ahead = 0, problems = 0;
    for (int r = 0; r < runs; ++r) {
        RunResult run;
        try {
            run = run_once(cycles);
        } catch (const std::exception& error) {
            std::fprintf(stderr, "run %d failed: %s\n", r + 1, error.what());
            return 1;
        }
        const double lone_median = bench::percentile(run.lone_ms, 0.5);
        const double lone_p90 = bench::percentile(run.lone_ms, 0.9);
        const double queued_median = bench::percentile(run.queued_ms, 0.5);
        const double queued_p90 = bench::percentile(run.queued_ms, 0.9);
        const int run_most = *std::max_element(run.applied_ahead.begin(), run.applied_ahead.end());
        most_ahead = std::max(most_ahead, run_most);
        std::printf("run %d\n", r + 1);
        std::printf("  raw EmergencyStop frame:          median %7.2f ms   p90 %7.2f ms\n",
                    bench::percentile(run.raw.lone_ms, 0.5),
                    bench::percentile(run.raw.lone_ms, 0.9));
        std::printf(
            "  raw, FIFO behind 50 SetSpeed:     median %7.2f ms   p90 %7.2f ms   "
            "(%.0f applied ahead)\n",
            bench::percentile(run.raw.fifo_ms, 0.5), bench::percentile(run.raw.fifo_ms, 0.9),
            bench::percentile(as_doubles(run.raw.fifo_applied_ahead), 0.5));
        std::printf("  lone emergency_stop():            median %7.2f ms   p90 %7.2f ms\n",
                    lone_median, lone_p90);
        std::printf("  emergency_stop() behind 50 async: median %7.2f ms   p90 %7.2f ms\n",
                    queued_median, queued_p90);
        std::printf("  ratio queued/lone:                median %7.2fx     p90 %7.2fx\n",
                    queued_median / lone_median, queued_p90 / lone_p90);
        std::printf(
            "  set_speed applied ahead of the e-stop: median %.0f, min %d, max %d of %d "
            "(completions run by its return: median %.0f)\n",
            bench::percentile(as_doubles(run.applied_ahead), 0.5),
            *std::min_element(run.applied_ahead.begin(), run.applied_ahead.end()), run_most,
            kQueuedCommands, bench::percentile(as_doubles(run.applied_seen), 0.5));
        const auto several_ahead = std::count_if(run.applied_ahead.begin(), run.applied_ahead.end(),
                                                 [](int applied) { return applied > 1; });
        std::printf("  cycles with more than one applied ahead: %td of %d\n", several_ahead,
                    cycles);
        std::printf("  the rest: %d refused as e-stopped, %d otherwise refused%s%s\n",
                    run.refused_latched, run.other, run.other_example.empty() ? "" : ", e.g. ",
                    run.other_example.c_str());
        const int run_problems =
            run.not_estopped + run.out_of_order + run.speed_mismatch + (run_most > 16 ? 1 : 0);
        if (run_problems > 0) {
            std::printf(
                "  PROBLEM: %d cycles not e-stopped afterwards, %d applied out of order, "
                "%d with the wrong speed set, most applied ahead %d (> 16 is a bug)\n",
                run.not_estopped, run.out_of_order, run.speed_mismatch, run_most);
        }
        problems += run_problems;
        queued_medians.push_back(queued_median);
        queued_p90s.push_back(queued_p90);
        lone_medians.push_back(lone_median);
        raw_medians.push_back(bench::percentile(run.raw.lone_ms, 0.5));
        fifo_medians.push_back(bench::percentile(run.raw.fifo_ms, 0.5));
        ratios.push_back(queued_median / lone_median);
    }
    const auto print_spread = [](const char* what, const std::vector<double>& values,
                                 const char* unit) {
        std::printf("  %-34s %7.2f - %7.2f %s\n", what,
                    *std::min_element(values.begin(), values.end()),
                    *std::max_element(values.begin(), values.end()), unit);
    };
    std::printf("spread over %d runs (lowest - highest)\n", runs);
    print_spread("raw EmergencyStop frame, median:", raw_medians, "ms");
    print_spread("raw FIFO behind 50 SetSpeed, median:", fifo_medians, "ms");
    print_spread("lone emergency_stop(), median:", lone_medians, "ms");
    print_spread("behind 50 async, median:", queued_medians, "ms");
    print_spread("behind 50 async, p90:", queued_p90s, "ms");
    print_spread("ratio queued/lone, median:", ratios, "x");
    std::printf("  most set_speed applied ahead of an e-stop in any cycle: %d (bound: 16)\n",
                most_ahead);
    return problems == 0 ? 0 : 1;
}
