// Status streaming over a pseudo-terminal at the wire's highest rate (65,535 Hz), against its
// floor measured in the same run: a single-thread raw reader of penlink-sim's pty.
//
//   floor  this process's main thread opens a fresh penlink-sim's pty raw, writes Hello and
//          SubscribeStatus(65535) by hand (and a Heartbeat every 100 ms, as the SDK does),
//          then read()s in a loop and decodes with protocol::FrameDecoder, counting Status
//          frames and the gaps in their status_seq. Its CPU is that thread's (RUSAGE_THREAD).
//   SDK    Pen::connect to another fresh penlink-sim pty, subscribe_status at 65535 Hz, count
//          the frames reaching the callback and dropped_status_frames(); its CPU is the whole
//          process's (every SDK thread).
//
// Wake-ups: the raw reader's batches are its read() calls (frames per read). For the SDK the
// callback thread's voluntary context switches (/proc/self/task/<tid>/status) count how often
// it went to sleep and was woken again, i.e. its callback "runs" (a shared pool has two such
// threads: both are counted). The batching figure is callback wake-ups per batch received,
// the batches being the raw reader's reads of the same stream (frames/s over frames per read);
// the issue asks for at most one per received batch. The SDK's other threads' wake-ups (the
// I/O thread's) are printed too: fewer than its batches when it reads on without sleeping.
// Process-wide voluntary context switches per second (ru_nvcsw) are printed for both sides.
//
// Usage: bench_status_stream [seconds per side, 2] [runs, 5]
//        bench_status_stream --telemetry [seconds per rate, 1] [runs, 3]
//   --telemetry: the earlier sweep (1-60 kHz), plain Status against one carrying 8 module
//   telemetry values from a module written at run time; highest zero-drop rate of each.

#include <dirent.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "alloc_counter.hpp"
#include "cpu_time.hpp"
#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "protocol/frame.hpp"
#include "raw_pty.hpp"
#include "result_line.hpp"
#include "stats.hpp"
#include "status_telemetry_sweep.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kRate = 65535;

double seconds_of(const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

struct Usage {
    double cpu_s;
    long voluntary_switches;
};
Usage usage_of(int who) {
    rusage r{};
    getrusage(who, &r);
    return {seconds_of(r.ru_utime) + seconds_of(r.ru_stime), r.ru_nvcsw};
}

// ---- the floor: one thread reading the pty raw ------------------------------------------

struct RawResult {
    double frames_per_s, cpu_percent, reads_per_s, frames_per_read, switches_per_s;
    unsigned long long gaps;
};

RawResult raw_reader(double seconds) {
    penlink::simtool::SimProcess sim(PENLINK_SIM_PATH,
                                     {"--pty", "--quiet", "--max-status-hz", "65535"});
    const int fd = bench::open_raw_pty(sim.pty_path());
    std::uint16_t seq = 1;
    bench::write_frame(fd, seq++, penlink::protocol::Hello{});
    bench::write_frame(fd, seq++,
                       penlink::protocol::SubscribeStatus{static_cast<std::uint16_t>(kRate)});

    penlink::protocol::FrameDecoder decoder;
    unsigned long long frames = 0, reads = 0, gaps = 0;
    std::uint32_t last_seq = 0;
    bool have_last = false;
    const auto on_frame = [&](const penlink::protocol::DecodedFrame& f) {
        if (const auto* s = std::get_if<penlink::protocol::Status>(&f.message)) {
            if (have_last) gaps += s->status_seq - last_seq - 1;
            last_seq = s->status_seq;
            have_last = true;
            ++frames;
        }
    };
    // Reads until `until`, writing a Heartbeat every 100 ms (the watchdog is 500 ms).
    auto heartbeat_due = Clock::now();
    const auto read_until = [&](Clock::time_point until) {
        std::uint8_t buffer[4096];
        for (auto now = Clock::now(); now < until; now = Clock::now()) {
            if (now >= heartbeat_due) {
                bench::write_frame(fd, seq++, penlink::protocol::Heartbeat{});
                heartbeat_due = now + std::chrono::milliseconds(100);
            }
            const ssize_t n = read(fd, buffer, sizeof buffer);
            if (n <= 0) std::abort();
            ++reads;
            decoder.feed(std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)),
                         on_frame, [](penlink::protocol::FrameError) {});
        }
    };
    read_until(Clock::now() + std::chrono::milliseconds(300));  // the stream settles
    frames = reads = gaps = 0;
    const Usage before = usage_of(RUSAGE_THREAD);
    const auto start = Clock::now();
    read_until(start +
               std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    const Usage after = usage_of(RUSAGE_THREAD);
    bench::write_frame(fd, seq++, penlink::protocol::SubscribeStatus{0});
    close(fd);
    return {static_cast<double>(frames) / wall,
            100.0 * (after.cpu_s - before.cpu_s) / wall,
            static_cast<double>(reads) / wall,
            reads ? static_cast<double>(frames) / static_cast<double>(reads) : 0.0,
            static_cast<double>(after.voluntary_switches - before.voluntary_switches) / wall,
            gaps};
}

// ---- the SDK -----------------------------------------------------------------------------

std::set<long> task_ids() {
    std::set<long> ids;
    if (DIR* dir = opendir("/proc/self/task")) {
        while (const dirent* entry = readdir(dir))
            if (entry->d_name[0] != '.') ids.insert(std::atol(entry->d_name));
        closedir(dir);
    }
    return ids;
}

// A thread's voluntary context switches: each is one time it slept and was woken.
long thread_wakeups(long tid) {
    std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("voluntary_ctxt_switches:", 0) == 0) return std::atol(line.c_str() + 24);
    return 0;
}

// A thread of this process's time on a CPU so far, in seconds.
double thread_cpu_s(long tid) {
    return bench::task_cpu_seconds("/proc/self/task/" + std::to_string(tid));
}

// The sum of per_thread(tid) over tids.
template <typename PerThread>
auto sum_over(const std::vector<long>& tids, PerThread per_thread) {
    decltype(per_thread(0L)) sum{};
    for (long tid : tids) sum += per_thread(tid);
    return sum;
}

struct SdkResult {
    double frames_per_s, cpu_percent, switches_per_s, callback_wakeups_per_s, io_wakeups_per_s,
        allocations_per_frame, callback_cpu_percent, io_cpu_percent;
    unsigned long long dropped;
};

SdkResult sdk_reader(double seconds) {
    penlink::simtool::SimProcess sim(PENLINK_SIM_PATH,
                                     {"--pty", "--quiet", "--max-status-hz", "65535"});
    const std::set<long> before_connect = task_ids();
    auto pen = penlink::Pen::connect(sim.url());
    std::atomic<unsigned long long> delivered{0};
    // The threads that ran the callback (a shared pool may use either of its threads). Each
    // thread registers once: a gettid() per frame would bill the bench's own syscall to the SDK.
    std::mutex callback_tids_mutex;
    std::set<long> callback_tids;
    auto subscription = pen->subscribe_status(
        [&](const penlink::Status&) {
            delivered.fetch_add(1, std::memory_order_relaxed);
            thread_local bool registered = false;
            if (!registered) {
                registered = true;
                const std::lock_guard<std::mutex> lock(callback_tids_mutex);
                callback_tids.insert(static_cast<long>(syscall(SYS_gettid)));
            }
        },
        kRate);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the stream settles
    std::vector<long> callbacks, others;  // the SDK's threads: callback ones, the rest
    {
        const std::lock_guard<std::mutex> lock(callback_tids_mutex);
        for (long tid : task_ids())
            if (!before_connect.count(tid))
                (callback_tids.count(tid) ? callbacks : others).push_back(tid);
    }
    const auto wakeups_of = [](const std::vector<long>& tids) {
        return sum_over(tids, thread_wakeups);
    };
    const auto cpu_of = [](const std::vector<long>& tids) { return sum_over(tids, thread_cpu_s); };

    const auto dropped_before = pen->dropped_status_frames();
    const auto delivered_before = delivered.load();
    const auto allocations_before = bench::allocations.load();
    const long callback_before = wakeups_of(callbacks), others_before = wakeups_of(others);
    const double callback_cpu_before = cpu_of(callbacks), others_cpu_before = cpu_of(others);
    const Usage usage_before = usage_of(RUSAGE_SELF);
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    const Usage usage_after = usage_of(RUSAGE_SELF);
    const long callback_after = wakeups_of(callbacks), others_after = wakeups_of(others);
    const double callback_cpu = cpu_of(callbacks) - callback_cpu_before;
    const double others_cpu = cpu_of(others) - others_cpu_before;
    const auto frames = delivered.load() - delivered_before;
    const auto allocations = bench::allocations.load() - allocations_before;
    const auto dropped = pen->dropped_status_frames() - dropped_before;
    subscription.unsubscribe();
    // The main thread slept through the window: one voluntary switch of the process is its own.
    return {static_cast<double>(frames) / wall,
            100.0 * (usage_after.cpu_s - usage_before.cpu_s) / wall,
            static_cast<double>(usage_after.voluntary_switches - usage_before.voluntary_switches) /
                wall,
            static_cast<double>(callback_after - callback_before) / wall,
            static_cast<double>(others_after - others_before) / wall,
            frames ? static_cast<double>(allocations) / static_cast<double>(frames) : 0.0,
            100.0 * callback_cpu / wall,
            100.0 * others_cpu / wall,
            dropped};
}

}  // namespace

int main(int argc, char** argv) {
    penlink::set_log_level(penlink::LogLevel::Error);
    if (argc > 1 && std::strcmp(argv[1], "--telemetry") == 0) {
        return status_sweep::telemetry_sweep(argc > 2 ? std::atof(argv[2]) : 1.0,
                                             std::max(1, argc > 3 ? std::atoi(argv[3]) : 3));
    }
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    const int runs = std::max(1, argc > 2 ? std::atoi(argv[2]) : 5);
    if (seconds <= 0) {
        std::fprintf(stderr, "usage: bench_status_stream [seconds > 0] [runs >= 1]\n");
        return 2;
    }
    std::printf(
        "status streaming at %d Hz over a pty, %.1f s per side, %d runs; floor: one thread "
        "reading penlink-sim's pty raw in the same run\n",
        kRate, seconds, runs);
    std::printf("%4s | %-29s | %-69s | %s\n", "run", "raw reader (floor)", "SDK", "SDK/raw");
    std::printf("%4s | %8s %6s %6s %6s | %8s %5s %6s %6s %6s %6s %7s %7s %7s | %5s\n", "",
                "frames/s", "CPU %", "fr/rd", "csw/s", "frames/s", "drops", "CPU %", "io %", "cb %",
                "csw/s", "cb wk/s", "io wk/s", "alloc/f", "CPU");
    std::vector<double> io_ratio, callback_ratio;
    std::vector<double> cpu_ratio, raw_cpu, sdk_cpu, sdk_fps, raw_fps, drops, per_batch, per_read,
        allocations, switch_ratio, raw_gaps;
    for (int run = 0; run < runs; ++run) {
        const RawResult raw = raw_reader(seconds);
        const SdkResult sdk = sdk_reader(seconds);
        const double ratio = raw.cpu_percent > 0 ? sdk.cpu_percent / raw.cpu_percent : 0.0;
        std::printf(
            "%4d | %8.0f %6.1f %6.2f %6.0f | %8.0f %5llu %6.1f %6.1f %6.1f %6.0f %7.0f %7.0f "
            "%7.4f | %4.2fx\n",
            run + 1, raw.frames_per_s, raw.cpu_percent, raw.frames_per_read, raw.switches_per_s,
            sdk.frames_per_s, sdk.dropped, sdk.cpu_percent, sdk.io_cpu_percent,
            sdk.callback_cpu_percent, sdk.switches_per_s, sdk.callback_wakeups_per_s,
            sdk.io_wakeups_per_s, sdk.allocations_per_frame, ratio);
        if (raw.cpu_percent > 0) {
            io_ratio.push_back(sdk.io_cpu_percent / raw.cpu_percent);
            callback_ratio.push_back(sdk.callback_cpu_percent / raw.cpu_percent);
        }
        if (raw.gaps) std::printf("       (the raw reader saw %llu frames missing)\n", raw.gaps);
        cpu_ratio.push_back(ratio);
        raw_cpu.push_back(raw.cpu_percent);
        sdk_cpu.push_back(sdk.cpu_percent);
        raw_fps.push_back(raw.frames_per_s);
        sdk_fps.push_back(sdk.frames_per_s);
        drops.push_back(static_cast<double>(sdk.dropped));
        raw_gaps.push_back(static_cast<double>(raw.gaps));
        per_read.push_back(raw.frames_per_read);
        // Batches as the floor receives them: the same stream from the same simulator comes
        // in reads of raw.frames_per_read frames. (The I/O thread's own wake-ups undercount
        // its batches: when the next one is already there, it reads on without sleeping.)
        if (raw.frames_per_read > 0 && raw.frames_per_s > 0)
            per_batch.push_back(sdk.callback_wakeups_per_s /
                                (raw.frames_per_s / raw.frames_per_read));
        allocations.push_back(sdk.allocations_per_frame);
        if (raw.switches_per_s > 0) switch_ratio.push_back(sdk.switches_per_s / raw.switches_per_s);
    }
    std::printf(
        "columns: fr/rd frames per read(); csw/s voluntary context switches of the process per "
        "second; io %%, cb %% the CPU of the SDK's I/O (and other) threads and of its callback "
        "threads (/proc/self/task/*/schedstat); cb wk/s wake-ups of the callback threads; io wk/s "
        "wake-ups of the SDK's other "
        "threads (the I/O thread: one per batch received); alloc/f heap allocations per frame "
        "(whole process)\n");
    const auto median = [](const std::vector<double>& v) {
        return v.empty() ? 0.0 : bench::percentile(v, 0.5);
    };
    char floor[160];
    std::snprintf(floor, sizeof floor, "raw pty reader %.1f%% of a core (median)", median(raw_cpu));
    bench::print_result("stream_cpu_ratio", "x", cpu_ratio, "<=1.3", floor);
    std::snprintf(floor, sizeof floor, "raw pty reader %.0f frames/s (median)", median(raw_fps));
    bench::print_result("stream_frames_per_s", "Hz", sdk_fps, ">=64880", floor);
    std::snprintf(floor, sizeof floor, "raw pty reader saw %.0f missing (median)",
                  median(raw_gaps));
    bench::print_result("stream_drops", "frames", drops, "==0", floor);
    std::snprintf(floor, sizeof floor, "raw pty reader's reads, %.2f frames per read (median)",
                  median(per_read));
    bench::print_result("stream_callback_wakeups_per_batch", "x", per_batch, "<=1", floor);
    bench::print_result("stream_io_thread_cpu_ratio", "x", io_ratio, "-",
                        "raw pty reader's CPU (the SDK's I/O and other threads against it)");
    bench::print_result("stream_callback_cpu_ratio", "x", callback_ratio, "-",
                        "raw pty reader's CPU (the SDK's callback threads against it)");
    bench::print_result("stream_switches_ratio", "x", switch_ratio, "-",
                        "raw pty reader's voluntary context switches per second");
    bench::print_result("stream_allocations_per_frame", "allocs", allocations, "<=0.01",
                        "none per frame (heartbeats and timers only)");
    return 0;
}
