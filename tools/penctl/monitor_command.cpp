// `penctl monitor`: streams live status until the duration ends or Ctrl-C.
#include <cstdio>

#include "command_line.hpp"
#include "commands.hpp"
#include "link_watch.hpp"
#include "status_display.hpp"

namespace penctl {
namespace {

constexpr const char* kMonitorUsage =
    "usage: penctl monitor URL [--rate-hz N] [--duration-s S]\n"
    "Shows live status: state, depth actual/set, speed actual/set, battery,\n"
    "temperature, cartridge strokes, RF impedance and energy, LED dose, faults,\n"
    "dropped frames, and each add-on module's telemetry by key and unit (ALARM beyond\n"
    "its alarm limits). On a terminal the line refreshes in place; otherwise one line\n"
    "per update.\n"
    "  --rate-hz N             status updates per second (default 10)\n"
    "  --duration-s S          stop after S seconds (default: until Ctrl-C)\n"
    "URL: serial:///dev/ttyUSB0[?baud=115200], tcp://HOST:PORT or sim://[?rf=1&led=1]\n";

}  // namespace

int run_monitor(const Args& args) {
    const CommandLine line("monitor", args, {{"--rate-hz", true}, {"--duration-s", true}});
    if (line.help()) {
        std::fputs(kMonitorUsage, stdout);
        return 0;
    }
    const std::string& url = line.url();
    const std::int32_t rate_hz =
        line.whole_number("--rate-hz", Range{1, 65'535, "Hz"}).value_or(10);
    const auto duration_s = line.number("--duration-s", Range{0, kLongestWaitS, "s", true});

    const auto pen = connect_pen(url, true);
    LinkWatch watch(*pen);
    StatusDisplay display(stdout, 0);
    display.set_modules(pen->modules());
    penlink::Pen& pen_ref = *pen;
    auto subscription = pen->subscribe_status(
        [&display, &pen_ref](const penlink::Status& status) {
            display.show(status, pen_ref.dropped_status_frames());
        },
        rate_hz);

    bool finished = false;
    try {
        if (duration_s) {
            finished = watch.pause(seconds_to_ms(*duration_s));
        } else {
            // Until Ctrl-C: wait in long slices so a lost link still ends the run promptly.
            while (watch.pause(std::chrono::hours(1))) {
            }
        }
    } catch (...) {
        pen->close();
        display.finish();
        throw;
    }
    // Closing first joins the pen's threads, so no status line can follow the summary.
    pen->close();
    display.finish();
    std::printf("%s: %llu status frames received, %llu dropped\n",
                finished ? "done" : "interrupted",
                static_cast<unsigned long long>(pen->received_status_frames()),
                static_cast<unsigned long long>(pen->dropped_status_frames()));
    const auto security = pen->security_stats();
    if (security.authenticated) {
        // Two short lines: penctl's output fits 80 columns.
        std::printf("security: rejected %llu forged, %llu replayed, %llu unsealed frames\n",
                    static_cast<unsigned long long>(security.forged),
                    static_cast<unsigned long long>(security.replayed),
                    static_cast<unsigned long long>(security.unauthenticated));
        std::printf("          the pen rejected %u\n",
                    static_cast<unsigned>(security.rejected_by_pen));
    }
    return 0;
}

}  // namespace penctl
