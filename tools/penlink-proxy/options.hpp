// Command line of penlink-proxy.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace penlink::proxytool {

struct ProxyOptions {
    std::optional<std::uint16_t> listen_port;  // host side on TCP (0 = any free port)
    std::string pty_link;                      // or: host side on a pty symlinked here
    std::string upstream;                      // tcp://IP:PORT or serial:///path
    std::optional<std::uint16_t> control_port;
    bool stdin_control = true;
    bool quiet = false;
    bool help = false;
    /// Control commands to run before the proxy starts ("drop h2p 0.3", "seed 7", ...): the
    /// fault flags are spelt as commands so one parser checks both.
    std::vector<std::string> startup_commands;
};

/// A bad command line; what() is the one-line reason.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

ProxyOptions parse_options(int argc, char** argv);
const char* usage();

}  // namespace penlink::proxytool
