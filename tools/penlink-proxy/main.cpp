// penlink-proxy: a fault-injecting proxy between a host and a pen, for tests. It forwards the
// byte stream frame by frame (frames end at 0x00) and drops, duplicates, corrupts, truncates,
// stalls, throttles or unplugs on command. One io_context thread does everything.
#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "control_channel.hpp"
#include "control_commands.hpp"
#include "host_side.hpp"
#include "options.hpp"
#include "proxy.hpp"
#include "upstream.hpp"

int main(int argc, char** argv) {
    using namespace penlink::proxytool;
    ProxyOptions options;
    try {
        options = parse_options(argc, argv);
        if (!options.help) {
            if (const auto problem = check_upstream_url(options.upstream); !problem.empty())
                throw UsageError(problem);
        }
    } catch (const UsageError& error) {
        std::fprintf(stderr, "penlink-proxy: %s\n", error.what());
        return 2;
    }
    if (options.help) {
        std::fputs(usage(), stdout);
        return 0;
    }
    std::signal(SIGPIPE, SIG_IGN);

    try {
        boost::asio::io_context io;
        std::unique_ptr<HostSide> host_side;
        if (options.listen_port) {
            host_side = std::make_unique<TcpHostSide>(io, *options.listen_port);
        } else {
            host_side = std::make_unique<PtyHostSide>(io, options.pty_link);
        }
        Proxy proxy(io, *host_side, options.upstream, options.quiet);
        for (const auto& command : options.startup_commands) {
            const std::string reply = execute_command(proxy, command);
            if (reply.starts_with("error: ")) {
                std::fprintf(stderr, "penlink-proxy: %s\n", reply.substr(7).c_str());
                return 2;
            }
        }

        std::optional<ControlPort> control_port;
        if (options.control_port) control_port.emplace(io, proxy, *options.control_port);
        StdinControl stdin_control(io, proxy);
        const bool reading_stdin = options.stdin_control && stdin_control.start();
        if (control_port) control_port->start();
        proxy.start();

        const std::string control = control_port    ? std::to_string(control_port->port())
                                    : reading_stdin ? "stdin"
                                                    : "none";
        std::printf("ready host=%s control=%s\n", host_side->where().c_str(), control.c_str());
        std::fflush(stdout);

        boost::asio::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&](const boost::system::error_code& error, int) {
            if (error) return;
            proxy.stop();
            if (control_port) control_port->stop();
            stdin_control.stop();
            io.stop();
        });
        io.run();
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "penlink-proxy: %s\n", error.what());
        return 1;
    }
}
