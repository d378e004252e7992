// `penctl record`: records a pen's session to a file (docs/records.md); `penctl report FILE`
// on a recording is in report_command.cpp.
#include <cstdio>

#include "command_line.hpp"
#include "commands.hpp"
#include "link_watch.hpp"

namespace penctl {
namespace {

constexpr const char* kRecordUsage =
    "usage: penctl record URL FILE [--seconds S] [--rate-hz N]\n"
    "Records every frame to and from the pen, with its time, into FILE (from the\n"
    "handshake on) while status streams, until S seconds pass or Ctrl-C. Play it\n"
    "back with replay://FILE; 'penctl report FILE' summarises it.\n"
    "  --seconds S             stop after S seconds (default: until Ctrl-C)\n"
    "  --rate-hz N             status frames per second to record (default 50)\n"
    "URL: serial:///dev/ttyUSB0[?baud=115200], tcp://HOST:PORT or sim://[?rf=1&led=1]\n";

}  // namespace

int run_record(const Args& args) {
    const CommandLine line("record", args, {{"--seconds", true}, {"--rate-hz", true}});
    if (line.help()) {
        std::fputs(kRecordUsage, stdout);
        return 0;
    }
    if (line.positionals().size() != 2)
        throw UsageError("record takes a pen URL and a file to record to");
    const std::string& url = line.positionals()[0];
    const std::string& file = line.positionals()[1];
    const auto seconds = line.number("--seconds", Range{0, kLongestWaitS, "s", true});
    const std::int32_t rate_hz =
        line.whole_number("--rate-hz", Range{1, 65'535, "Hz"}).value_or(50);

    const auto pen = connect_pen(url, true, file);
    LinkWatch watch(*pen);
    auto subscription = pen->subscribe_status([](const penlink::Status&) {}, rate_hz);
    bool finished = false;
    try {
        if (seconds) {
            finished = watch.pause(seconds_to_ms(*seconds));
        } else {
            while (watch.pause(std::chrono::hours(1))) {
            }
        }
    } catch (...) {
        pen->close();
        throw;
    }
    pen->close();
    const auto summary = penlink::summarize_recording(file);
    std::printf("%s: recorded %llu frames in %.1f s to %s\n", finished ? "done" : "interrupted",
                static_cast<unsigned long long>(summary.frames_to_pen + summary.frames_from_pen),
                summary.duration_s, file.c_str());
    std::printf("  %llu to the pen, %llu from it (%llu status, %llu events)\n",
                static_cast<unsigned long long>(summary.frames_to_pen),
                static_cast<unsigned long long>(summary.frames_from_pen),
                static_cast<unsigned long long>(summary.status_frames),
                static_cast<unsigned long long>(summary.event_frames));
    return 0;
}

}  // namespace penctl
