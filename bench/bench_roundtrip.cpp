// Command round trip: Pen::set_depth until the pen acknowledged, against penlink-sim on a
// pseudo-terminal, compared with the floor: a raw echo of a frame-sized message through a pty
// by a minimal child process, measured in the same run.
#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "protocol/frame.hpp"
#include "stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// SetDepth goes out as 12 bytes on the wire (see docs/protocol.md); echo that many.
constexpr std::size_t kFrameBytes = 12;

std::vector<double> raw_pty_echo(int rounds) {
    int master = -1, slave = -1;
    if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) std::abort();
    termios raw{};
    tcgetattr(slave, &raw);
    cfmakeraw(&raw);
    tcsetattr(slave, TCSANOW, &raw);
    const pid_t child = fork();
    if (child == 0) {  // the minimal "device": echo whatever arrives
        close(slave);
        char buffer[256];
        for (;;) {
            const ssize_t n = read(master, buffer, sizeof buffer);
            if (n <= 0) _exit(0);
            if (write(master, buffer, static_cast<std::size_t>(n)) != n) _exit(1);
        }
    }
    close(master);
    std::vector<double> samples;
    unsigned char frame[kFrameBytes] = {};
    for (int i = 0; i < rounds; ++i) {
        frame[0] = static_cast<unsigned char>(i);
        const auto start = Clock::now();
        if (write(slave, frame, sizeof frame) != static_cast<ssize_t>(sizeof frame)) std::abort();
        std::size_t got = 0;
        unsigned char back[kFrameBytes];
        while (got < sizeof back) {
            const ssize_t n = read(slave, back + got, sizeof back - got);
            if (n <= 0) std::abort();
            got += static_cast<std::size_t>(n);
        }
        samples.push_back(micros(Clock::now() - start));
    }
    close(slave);
    waitpid(child, nullptr, 0);
    return samples;
}

// The same request as set_depth, written by hand straight to penlink-sim's pty: what the
// simulated device itself costs, without the SDK.
std::vector<double> raw_frames_to_sim(int rounds) {
    penlink::simtool::SimProcess sim(PENLINK_SIM_PATH, {"--pty", "--quiet"});
    const int fd = open(sim.pty_path().c_str(), O_RDWR | O_NOCTTY);
    if (fd < 0) std::abort();
    termios raw{};
    tcgetattr(fd, &raw);
    cfmakeraw(&raw);
    tcsetattr(fd, TCSANOW, &raw);
    std::vector<double> samples;
    penlink::protocol::FrameDecoder decoder;
    const auto hello = penlink::protocol::encode_frame(1, penlink::protocol::Hello{});
    if (write(fd, hello->bytes.data(), hello->size) < 0) std::abort();
    for (int i = 0; i < rounds + 100; ++i) {
        const auto seq = static_cast<std::uint16_t>(i + 2);
        const auto frame = penlink::protocol::encode_frame(
            seq, penlink::protocol::SetDepth{static_cast<std::uint16_t>(i % 2 ? 1000 : 1050)});
        const auto start = Clock::now();
        if (write(fd, frame->bytes.data(), frame->size) < 0) std::abort();
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
        if (i >= 100) samples.push_back(micros(Clock::now() - start));
    }
    close(fd);
    return samples;
}

std::vector<double> sdk_set_depth(int rounds) {
    penlink::simtool::SimProcess sim(PENLINK_SIM_PATH, {"--pty", "--quiet"});
    auto pen = penlink::Pen::connect(sim.url());
    std::vector<double> samples;
    for (int i = 0; i < rounds + 100; ++i) {
        const auto depth = penlink::Depth::mm(i % 2 ? 1.0 : 1.05);
        const auto start = Clock::now();
        pen->set_depth(depth);
        if (i >= 100) samples.push_back(micros(Clock::now() - start));  // first 100 warm up
    }
    return samples;
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 2000;
    penlink::set_log_level(penlink::LogLevel::Error);
    const auto echo = raw_pty_echo(rounds);
    const auto device = raw_frames_to_sim(rounds);
    const auto sdk = sdk_set_depth(rounds);
    const double echo_median = bench::percentile(echo, 0.5),
                 echo_p99 = bench::percentile(echo, 0.99);
    const double sdk_median = bench::percentile(sdk, 0.5), sdk_p99 = bench::percentile(sdk, 0.99);
    std::printf("command round trip over a pty, %d rounds each\n", rounds);
    std::printf("  raw pty echo (12 bytes):    median %8.1f us   p99 %8.1f us\n", echo_median,
                echo_p99);
    std::printf("  raw SetDepth to penlink-sim: median %7.1f us   p99 %8.1f us\n",
                bench::percentile(device, 0.5), bench::percentile(device, 0.99));
    std::printf("  set_depth acknowledged:     median %8.1f us   p99 %8.1f us\n", sdk_median,
                sdk_p99);
    std::printf("  ratio set_depth/raw echo:   median %8.2fx     p99 %8.2fx\n",
                sdk_median / echo_median, sdk_p99 / echo_p99);
    return 0;
}
