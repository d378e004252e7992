// Command line of penlink-sim.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "control.hpp"
#include "sim/sim_config.hpp"

namespace penlink::simtool {

struct ToolOptions {
    bool use_tcp = false;        // otherwise a pseudo-terminal
    std::uint16_t tcp_port = 0;  // 0 = ephemeral
    bool quiet = false;
    bool help = false;
    std::optional<std::uint16_t> control_port;  // --control-port (0 = any free port)
    bool console = false;                       // --console: commands on stdin
    std::vector<ScheduledCommand> schedule;     // --at MS:COMMAND
    sim::SimConfig config;
};

/// Parses argv. Throws penlink::InvalidArgumentError with a one-line reason on a bad option.
ToolOptions parse_options(int argc, char** argv);

/// The --help text.
const char* usage();

}  // namespace penlink::simtool
