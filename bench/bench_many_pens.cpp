// A clinic's worth of pens in one process: how many threads, file descriptors and how much
// memory each pen costs, whether connecting the last pen takes as long as the first, and the
// CPU of the whole while every pen streams status at 100 Hz.
//
// Pens: `tcp` of them over TCP to penlink-sim processes (started before the baseline, so the
// simulators' own cost is not counted), the rest sim:// (whose simulated device lives in this
// process, so its memory counts). Floor: the same process before the first pen. Threading::
// Shared is measured with every pen; Threading::Dedicated (the model in which each pen has its
// own threads) with `dedicated` pens, as far as the file descriptor limit lets it.
//
// One invocation is one run: its RESULT lines (Threading::Shared only) carry one value each, and
// scripts/bench.sh runs it five times, each in a fresh process (RSS does not shrink back after
// a run, so runs within one process would not measure the same thing), for the spread.
//
// Usage: bench_many_pens [pens, 200] [tcp, 20] [seconds, 3] [dedicated, 40]
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
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
#include "result_line.hpp"
#include "stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;

long proc_status_kb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(key) + ":";
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0) return std::atol(line.c_str() + prefix.size());
    return -1;
}

long open_fds() {
    long count = 0;
    if (DIR* dir = opendir("/proc/self/fd")) {
        while (readdir(dir)) ++count;
        closedir(dir);
    }
    return count - 3;  // ".", ".." and the directory's own descriptor
}

struct Snapshot {
    long threads, fds, rss_kb;
};
Snapshot snapshot() { return {proc_status_kb("Threads"), open_fds(), proc_status_kb("VmRSS")}; }

/// One pen's callback bookkeeping: frames counted, and whether two callbacks ever overlapped.
struct Counter {
    std::atomic<std::uint64_t> frames{0};
    std::atomic<int> inside{0};
    std::atomic<std::uint64_t> overlaps{0};
};

struct Fleet {
    std::vector<std::unique_ptr<penlink::Pen>> pens;
    std::vector<std::unique_ptr<Counter>> counters;
    std::vector<penlink::Subscription> subscriptions;
    std::vector<double> connect_ms;
    std::string error;
};

void connect_pen(Fleet& fleet, const std::string& url, penlink::Threading threading) {
    penlink::ConnectOptions options;
    options.threading = threading;
    const auto start = Clock::now();
    auto pen = penlink::Pen::connect(url, options);
    fleet.connect_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    auto counter = std::make_unique<Counter>();
    auto* c = counter.get();
    fleet.subscriptions.push_back(pen->subscribe_status(
        [c](const penlink::Status&) {
            if (c->inside.fetch_add(1) != 0) c->overlaps.fetch_add(1);
            c->frames.fetch_add(1, std::memory_order_relaxed);
            c->inside.fetch_sub(1);
        },
        100));
    fleet.counters.push_back(std::move(counter));
    fleet.pens.push_back(std::move(pen));
}

void run(const char* title, penlink::Threading threading, int pens, int tcp_pens,
         const std::vector<std::unique_ptr<penlink::simtool::SimProcess>>& sims, double seconds,
         bool results) {
    Fleet fleet;
    const auto floor = snapshot();
    Snapshot after_tcp = floor, after_first = floor;
    try {
        for (int i = 0; i < pens; ++i) {
            if (i == 1) after_first = snapshot();
            if (i == tcp_pens) after_tcp = snapshot();
            connect_pen(fleet, i < tcp_pens ? sims[static_cast<std::size_t>(i)]->url() : "sim://",
                        threading);
        }
    } catch (const std::exception& error) {
        fleet.error = error.what();
    }
    const int connected = static_cast<int>(fleet.pens.size());
    if (connected <= tcp_pens) after_tcp = snapshot();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // streams settle
    const auto full = snapshot();
    std::uint64_t frames_before = 0;
    for (const auto& c : fleet.counters) frames_before += c->frames.load();
    const double cpu_before = bench::cpu_seconds();
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = (bench::cpu_seconds() - cpu_before) / elapsed * 100.0;
    std::uint64_t frames = 0, overlaps = 0;
    for (const auto& c : fleet.counters) {
        frames += c->frames.load();
        overlaps += c->overlaps.load();
    }
    frames -= frames_before;

    const int tcp_connected = std::min(connected, tcp_pens);
    const int sim_connected = connected - tcp_connected;
    const auto per = [](long total, int n) { return n > 0 ? double(total) / n : 0.0; };
    std::printf("%s: %d pens connected (%d tcp, %d sim://) of %d\n", title, connected,
                tcp_connected, sim_connected, pens);
    if (!fleet.error.empty()) std::printf("  stopped at: %s\n", fleet.error.c_str());
    std::printf("  threads: %ld before, %ld with every pen (+%ld)\n", floor.threads, full.threads,
                full.threads - floor.threads);
    std::printf("  fds per pen: tcp %.2f, sim:// %.2f\n",
                per(after_tcp.fds - floor.fds, tcp_connected),
                per(full.fds - after_tcp.fds, sim_connected));
    std::printf(
        "  memory: the first pen %ld KB (starts the shared threads), all pens %.1f KB each\n",
        after_first.rss_kb - floor.rss_kb, per(full.rss_kb - floor.rss_kb, connected));
    std::printf(
        "  memory per pen (RSS): tcp %.1f KB (the first included), sim:// %.1f KB (device "
        "model included)\n",
        per(after_tcp.rss_kb - floor.rss_kb, tcp_connected),
        per(full.rss_kb - after_tcp.rss_kb, sim_connected));
    // Connect time, first 10 against last 10 of the same kind: the sim:// pens after the TCP
    // ones when there are 20 of them (a TCP connect and a sim:// one cost different amounts),
    // else all pens.
    const int same_kind = sim_connected >= 20 ? tcp_connected : 0;
    if (connected - same_kind >= 20) {
        const std::vector<double> first(fleet.connect_ms.begin() + same_kind,
                                        fleet.connect_ms.begin() + same_kind + 10);
        const std::vector<double> last(fleet.connect_ms.end() - 10, fleet.connect_ms.end());
        std::printf(
            "  connect (%s): first 10 median %.2f ms, last 10 median %.2f ms (ratio %.2f)\n",
            same_kind ? "sim:// pens" : "all pens", bench::percentile(first, 0.5),
            bench::percentile(last, 0.5),
            bench::percentile(last, 0.5) / bench::percentile(first, 0.5));
    }
    std::printf(
        "  status: %.0f frames/s received (%.0f%% of %d x 100 Hz), CPU %.1f%% of a core, "
        "callbacks overlapping within a pen: %llu\n",
        double(frames) / elapsed, double(frames) / elapsed / (connected * 100.0) * 100.0, connected,
        cpu, static_cast<unsigned long long>(overlaps));
    if (results && connected == pens) {
        // Targets from the performance issue: <=100 KB and <=2 fds per pen, a number of threads
        // that does not grow with the pens (the shared model needs 4), connecting flat.
        char before[96];
        std::snprintf(before, sizeof before, "this process before the first pen (%ld KB RSS)",
                      floor.rss_kb);
        const auto one = [](double v) { return std::vector<double>{v}; };
        if (tcp_connected > 0) {
            // Each TCP pen after the first (which also started the shared threads, below).
            if (tcp_connected > 1) {
                char after[96];
                std::snprintf(after, sizeof after, "this process after the first pen (%ld KB RSS)",
                              after_first.rss_kb);
                bench::print_result(
                    "many_pens_tcp_kb_per_pen", "KB",
                    one(per(after_tcp.rss_kb - after_first.rss_kb, tcp_connected - 1)), "<=100",
                    after);
            }
            bench::print_result("many_pens_tcp_fds_per_pen", "fds",
                                one(per(after_tcp.fds - floor.fds, tcp_connected)), "<=2", before);
        }
        // The first pen also starts the shared threads (their stacks, the allocator's arenas):
        // a one-time cost, here on its own and spread over all pens in the next figure.
        bench::print_result("many_pens_first_pen_kb", "KB",
                            one(static_cast<double>(after_first.rss_kb - floor.rss_kb)), "-",
                            before);
        bench::print_result("many_pens_kb_per_pen", "KB",
                            one(per(full.rss_kb - floor.rss_kb, connected)), "<=100", before);
        if (sim_connected > 0) {
            bench::print_result("many_pens_sim_kb_per_pen", "KB",
                                one(per(full.rss_kb - after_tcp.rss_kb, sim_connected)), "<=100",
                                before);
            bench::print_result("many_pens_sim_fds_per_pen", "fds",
                                one(per(full.fds - after_tcp.fds, sim_connected)), "<=2", before);
        }
        bench::print_result("many_pens_threads_added", "threads",
                            one(static_cast<double>(full.threads - floor.threads)), "<=8", before);
        if (connected - same_kind >= 20) {
            const std::vector<double> first(fleet.connect_ms.begin() + same_kind,
                                            fleet.connect_ms.begin() + same_kind + 10);
            const std::vector<double> last(fleet.connect_ms.end() - 10, fleet.connect_ms.end());
            char first_text[96];
            std::snprintf(first_text, sizeof first_text,
                          "first 10 %spens' connect %.2f ms (median)", same_kind ? "sim:// " : "",
                          bench::percentile(first, 0.5));
            bench::print_result("many_pens_connect_last_first", "x",
                                one(bench::percentile(last, 0.5) / bench::percentile(first, 0.5)),
                                "<=1.5", first_text);
        }
    }
    fleet.subscriptions.clear();
    for (auto& pen : fleet.pens) pen->close();
}

}  // namespace

int main(int argc, char** argv) {
    const int pens = argc > 1 ? std::atoi(argv[1]) : 200;
    const int tcp_pens = std::min(pens, argc > 2 ? std::atoi(argv[2]) : 20);
    const double seconds = argc > 3 ? std::atof(argv[3]) : 3.0;
    const int dedicated = argc > 4 ? std::atoi(argv[4]) : 40;
    penlink::set_log_level(penlink::LogLevel::Error);
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    std::printf("bench_many_pens: %d pens (%d over TCP to penlink-sim), %.1f s, fd limit %llu\n",
                pens, tcp_pens, seconds, static_cast<unsigned long long>(files.rlim_cur));
    std::vector<std::unique_ptr<penlink::simtool::SimProcess>> sims;
    for (int i = 0; i < tcp_pens; ++i)
        sims.push_back(std::make_unique<penlink::simtool::SimProcess>(
            PENLINK_SIM_PATH, std::vector<std::string>{"--tcp", "0", "--quiet"}));
    run("Threading::Shared", penlink::Threading::Shared, pens, tcp_pens, sims, seconds, true);
    if (dedicated > 0)
        run("Threading::Dedicated", penlink::Threading::Dedicated, dedicated,
            std::min(dedicated, tcp_pens), sims, seconds, false);
    return 0;
}
