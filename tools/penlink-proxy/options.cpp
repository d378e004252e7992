#include "options.hpp"

#include <charconv>
#include <string_view>

#include "shared/option_cursor.hpp"

namespace penlink::proxytool {
namespace {

std::uint16_t parse_port(const std::string& flag, const std::string& text) {
    unsigned port = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, port);
    if (text.empty() || ec != std::errc() || ptr != end || port > 65535) {
        throw UsageError(flag + " '" + text + "' is not a port number 0-65535 (0 = any free port)");
    }
    return static_cast<std::uint16_t>(port);
}

// "--drop p2h:0.2" -> "drop p2h 0.2"
std::string fault_command(const std::string& flag, const std::string& value) {
    const auto colon = value.find(':');
    if (colon == std::string::npos) {
        throw UsageError(flag + " '" + value + "' is not DIR:VALUE (e.g. " + flag + " p2h:0.1)");
    }
    return flag.substr(2) + " " + value.substr(0, colon) + " " + value.substr(colon + 1);
}

constexpr std::string_view kFaultFlags[] = {"--drop",     "--dup",   "--corrupt",
                                            "--truncate", "--stall", "--throttle"};

}  // namespace

const char* usage() {
    return "usage: penlink-proxy (--listen-tcp PORT | --pty LINK) --upstream URL [options]\n"
           "Sits between a host and a pen and injects faults into whole frames (0x00-delimited).\n"
           "Prints 'ready host=<port or LINK> control=<port or stdin>' once listening.\n"
           "\n"
           "  --listen-tcp PORT      host side on 127.0.0.1:PORT (0 = any free port)\n"
           "  --pty LINK             host side on a new pty, symlinked at LINK (serial://LINK)\n"
           "  --upstream URL         the pen: tcp://127.0.0.1:PORT or serial:///path\n"
           "  --control-port PORT    line-based control on 127.0.0.1:PORT (0 = any free port)\n"
           "  --no-stdin             do not read commands from stdin\n"
           "  --seed N               seed of the fault RNG (default 1)\n"
           "  --drop DIR:P           drop frames with probability P (DIR: h2p, p2h, both)\n"
           "  --dup DIR:P            duplicate frames\n"
           "  --corrupt DIR:P        flip one bit in a frame\n"
           "  --truncate DIR:P       cut a frame short, keeping its delimiter\n"
           "  --stall DIR:MS         hold DIR's bytes for MS ms from the start\n"
           "  --throttle DIR:BPS     pace DIR at BPS bytes/s (11520 = 115200 baud)\n"
           "  --pen-loss hangup|keep when the pen side drops: hang up the host (default) or keep\n"
           "                         the host connected and reopen the pen side\n"
           "  --quiet                no log lines on stderr\n"
           "  --help                 this text\n"
           "\n"
           "Commands (stdin or control port, one per line, each answered 'ok ...' or 'error: "
           "...'):\n"
           "  drop|dup|corrupt|truncate DIR P, stall DIR MS, throttle DIR BPS, unplug,\n"
           "  pen-loss hangup|keep, seed N, clear, stats, help\n";
}

ProxyOptions parse_options(int argc, char** argv) {
    ProxyOptions options;
    for (tools::OptionCursor<UsageError> cursor(argc, argv); cursor.next();) {
        const std::string& arg = cursor.arg();
        auto value = [&] { return cursor.value(); };
        auto no_value = [&] { cursor.no_value(); };

        bool fault_flag = false;
        for (const auto flag : kFaultFlags) fault_flag = fault_flag || arg == flag;
        if (arg == "--help" || arg == "-h") {
            no_value();
            options.help = true;
        } else if (arg == "--quiet" || arg == "-q") {
            no_value();
            options.quiet = true;
        } else if (arg == "--no-stdin") {
            no_value();
            options.stdin_control = false;
        } else if (arg == "--listen-tcp") {
            options.listen_port = parse_port(arg, value());
        } else if (arg == "--pty") {
            options.pty_link = value();
            if (options.pty_link.empty()) throw UsageError("--pty needs a link path");
        } else if (arg == "--upstream") {
            options.upstream = value();
        } else if (arg == "--control-port") {
            options.control_port = parse_port(arg, value());
        } else if (arg == "--seed") {
            options.startup_commands.push_back("seed " + value());
        } else if (arg == "--pen-loss") {
            options.startup_commands.push_back("pen-loss " + value());
        } else if (fault_flag) {
            options.startup_commands.push_back(fault_command(arg, value()));
        } else {
            throw UsageError("unknown option '" + arg + "'; see --help");
        }
    }
    if (options.help) return options;
    if (options.listen_port.has_value() == !options.pty_link.empty()) {
        throw UsageError("give exactly one of --listen-tcp PORT and --pty LINK");
    }
    if (options.upstream.empty()) throw UsageError("--upstream URL is required");
    return options;
}

}  // namespace penlink::proxytool
