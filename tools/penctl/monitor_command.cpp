// `penctl monitor`: streams live status until the duration ends or Ctrl-C.
#include <atomic>
#include <cstdio>
#include <sstream>
#include <string>

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
    "per update. First it says the status rate granted, and why if the link\n"
    "carries less than --rate-hz.\n"
    "  --rate-hz N             status updates per second (default 10)\n"
    "  --duration-s S          stop after S seconds (default: until Ctrl-C)\n"
    "URL: serial:///dev/ttyUSB0[?baud=115200], tcp://HOST:PORT or sim://[?rf=1&led=1]\n";

/// Prints text indented by two, broken between words so that no line passes 80 columns.
void print_indented(const std::string& text) {
    std::istringstream words(text);
    std::string line;
    for (std::string word; words >> word;) {
        if (!line.empty() && 2 + line.size() + 1 + word.size() > 80) {
            std::printf("  %s\n", line.c_str());
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) std::printf("  %s\n", line.c_str());
}

/// The rate the subscription gets; when the link holds it below the rate asked, why.
void print_status_rate(const penlink::StatusRate& rate) {
    if (rate.limited_by == penlink::StatusRateLimit::None) {
        std::printf("status: %d Hz\n", static_cast<int>(rate.granted_hz));
        return;
    }
    std::printf("status: %d Hz, not the %d Hz asked: limited by the %s\n",
                static_cast<int>(rate.granted_hz), static_cast<int>(rate.requested_hz),
                penlink::to_string(rate.limited_by));
    print_indented(rate.reason);
}

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
    // Frames wait until the granted rate is printed, so the status lines come after it.
    std::atomic<bool> showing{false};
    auto subscription = pen->subscribe_status(
        [&display, &pen_ref, &showing](const penlink::Status& status) {
            if (showing.load()) display.show(status, pen_ref.dropped_status_frames());
        },
        rate_hz);
    print_status_rate(subscription.status_rate());
    std::fflush(stdout);
    showing = true;

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
