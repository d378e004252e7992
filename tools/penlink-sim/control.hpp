// penlink-sim's runtime control: commands that change the simulated pen's world while it runs
// (reboot, temperature, battery, faults, buttons, cartridge, add-on modules), from a line-based
// console on stdin, a TCP control port on 127.0.0.1, or scheduled on the command line
// (--at MS:COMMAND).
//
// Every command line is answered by exactly one line: "ok" (help: "ok " and the command list;
// module attach: "ok slot N") or "error: " and why. Single-threaded (the io_context's thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "sim/sim_device.hpp"

namespace penlink::simtool {

/// What a command acts on: the pen, and the link it sits behind (for reboot-link-down).
class ControlTarget {
public:
    virtual ~ControlTarget() = default;
    virtual sim::SimDevice& device() = 0;
    /// Reboots the pen with the link down for `down` (see PtyLink and TcpLink).
    virtual void reboot_link_down(std::chrono::milliseconds down) = 0;
};

/// One parsed command.
struct ControlCommand {
    enum class Kind {
        Help,
        Reboot,
        RebootLinkDown,   // milliseconds
        Temperature,      // number: C
        Heat,             // number: C/s
        Battery,          // number: %
        Drain,            // number: %/s
        Charge,           // on
        Fault,            // first: bit
        EstopButton,      //
        Button,           // first: button index
        CartridgeRemove,  //
        CartridgeInsert,  // first: id, second: stroke limit
        Busy,             // first: milliseconds of depth actuator homing
        ModuleAttach,     // text: descriptor file
        ModuleDetach,     // first: slot
        ModuleCorrupt,    // first: slot, second: how many chunks
    };
    Kind kind = Kind::Help;
    double number = 0.0;
    std::uint32_t first = 0;
    std::uint32_t second = 0;
    bool on = false;
    std::string text;
};

/// Parses one command line. Throws penlink::InvalidArgumentError saying what is wrong.
ControlCommand parse_control_command(std::string_view line);

/// Applies a parsed command; returns the answer line (without newline).
std::string apply_control_command(ControlTarget& target, const ControlCommand& command);

/// Parses and applies; never throws. Empty for a blank line (no answer).
std::string run_control_line(ControlTarget& target, std::string_view line);

/// The one-line command list that "help" answers.
const char* control_help();

/// A command scheduled on the command line: run `command` at `at` after start.
struct ScheduledCommand {
    std::chrono::milliseconds at{0};
    std::string command;
};

/// Parses "MS:COMMAND" (for --at). Throws penlink::InvalidArgumentError.
ScheduledCommand parse_scheduled_command(const std::string& text);

/// The control channels of one running sim: TCP port, stdin console and the schedule.
class ControlChannels {
public:
    ControlChannels(boost::asio::io_context& io, ControlTarget& target, bool quiet);
    ~ControlChannels();
    ControlChannels(const ControlChannels&) = delete;
    ControlChannels& operator=(const ControlChannels&) = delete;

    /// Listens on 127.0.0.1:port (0 = any free port) and returns the port. Throws
    /// boost::system::system_error if the port is taken.
    std::uint16_t listen(std::uint16_t port);
    /// Reads commands from stdin, answering on stdout.
    void read_stdin();
    /// Runs each command at its time (from now); results are logged on stderr.
    void schedule(const std::vector<ScheduledCommand>& commands);
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace penlink::simtool
