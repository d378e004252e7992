// `penctl estop`, `clear-estop`, `clear-faults`: latch and release the pen's safety stops.
// What they print after a release is the state the pen reports afterwards, read from a status
// frame sent after the pen acknowledged, never an assumption.
#include <cstdio>

#include "command_line.hpp"
#include "commands.hpp"
#include "link_watch.hpp"

namespace penctl {
namespace {

constexpr const char* kEstopUsage =
    "usage: penctl estop URL\n"
    "Emergency stop: stops needle, RF and LED at once and latches until clear-estop.\n";

constexpr const char* kClearEstopUsage =
    "usage: penctl clear-estop URL\n"
    "Releases a latched emergency stop and prints the state the pen is then in. Exit\n"
    "code 1 if the pen is still not ready (another fault latched: see penctl\n"
    "clear-faults).\n";

constexpr const char* kClearFaultsUsage =
    "usage: penctl clear-faults URL\n"
    "Clears latched faults whose cause has gone and prints the state the pen is then\n"
    "in. Exit code 1, naming them, if faults remain (their cause is still there, or\n"
    "the emergency stop is latched: see penctl clear-estop).\n";

constexpr const char* kUrlHelp =
    "URL: serial:///dev/ttyUSB0[?baud=115200], tcp://HOST:PORT or sim://[?rf=1&led=1]\n";

// A pen streams status at 10 Hz or more while idle; a second covers a slow link.
constexpr std::chrono::milliseconds kFreshStatusTimeout{2000};

bool print_help(const CommandLine& line, const char* usage) {
    if (!line.help()) return false;
    std::fputs(usage, stdout);
    std::fputs(kUrlHelp, stdout);
    return true;
}

bool ready(const penlink::Status& status) {
    return status.fault_bits == 0 &&
           (status.state == penlink::PenState::Idle || status.state == penlink::PenState::Running ||
            status.state == penlink::PenState::Paused);
}

/// What to run next for the faults still latched.
std::string hint(const penlink::Status& status, const std::string& url) {
    if (status.state == penlink::PenState::EmergencyStopped ||
        (status.fault_bits & penlink::FaultEmergencyStop) != 0) {
        return " (penctl clear-estop " + url + " releases the emergency stop)";
    }
    return " (penctl clear-faults " + url + " clears faults whose cause has gone)";
}

}  // namespace

int run_estop(const Args& args) {
    const CommandLine line("estop", args, {});
    if (print_help(line, kEstopUsage)) return 0;
    const auto pen = connect_pen(line.url(), false);
    pen->emergency_stop();
    std::puts(
        "emergency stop latched: needle, RF and LED stopped (penctl clear-estop URL releases it)");
    return 0;
}

int run_clear_estop(const Args& args) {
    const CommandLine line("clear-estop", args, {});
    if (print_help(line, kClearEstopUsage)) return 0;
    const auto pen = connect_pen(line.url(), true);
    FreshStatus fresh(*pen);
    pen->clear_emergency_stop();
    fresh.mark();
    const penlink::Status status = fresh.wait(kFreshStatusTimeout);
    if (ready(status)) {
        std::printf("emergency stop cleared: the pen is %s\n", describe_state(status).c_str());
        return 0;
    }
    std::puts("emergency stop cleared");
    throw penlink::SafetyError(
        penlink::ErrorCode::FaultActive,
        "the pen is still not ready: it is " + describe_state(status) + hint(status, line.url()));
}

int run_clear_faults(const Args& args) {
    const CommandLine line("clear-faults", args, {});
    if (print_help(line, kClearFaultsUsage)) return 0;
    const auto pen = connect_pen(line.url(), true);
    FreshStatus fresh(*pen);
    try {
        pen->clear_faults();
    } catch (const penlink::SafetyError&) {
        // The pen refuses while a fault's cause remains; the status below names what is left.
    }
    fresh.mark();
    const penlink::Status status = fresh.wait(kFreshStatusTimeout);
    if (ready(status)) {
        std::printf("faults cleared: the pen is %s\n", describe_state(status).c_str());
        return 0;
    }
    const std::string remaining =
        status.fault_bits != 0 ? penlink::describe_faults(status.fault_bits) : "none";
    throw penlink::SafetyError(penlink::ErrorCode::FaultActive,
                               "faults remain: " + remaining + "; the pen is " +
                                   penlink::to_string(status.state) + hint(status, line.url()));
}

}  // namespace penctl
