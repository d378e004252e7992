// penlink-sim: one simulated pen on a pseudo-terminal or a TCP port, for development, tests
// and demos without hardware. The first stdout line says where to connect.
#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "control.hpp"
#include "options.hpp"
#include "penlink/errors.hpp"
#include "pty_link.hpp"
#include "sim/module_host.hpp"
#include "tcp_link.hpp"

namespace {

void describe(const penlink::sim::SimConfig& config) {
    const auto& info = config.info;
    std::fprintf(stderr,
                 "penlink-sim: %s %s, depth %.2f-%.2f mm, speed %.0f-%.0f Hz, RF %s, LED %s, "
                 "watchdog %u ms\n",
                 info.model.c_str(), info.serial.c_str(), info.depth_min_um / 1000.0,
                 info.depth_max_um / 1000.0, info.speed_min_chz / 100.0, info.speed_max_chz / 100.0,
                 (info.addons & penlink::protocol::kAddonRf) ? "fitted" : "none",
                 (info.addons & penlink::protocol::kAddonLed) ? "fitted" : "none",
                 static_cast<unsigned>(info.watchdog_ms));
    std::uint8_t slot = 0;
    for (const auto& module : config.modules) {
        std::fprintf(stderr, "penlink-sim: module slot %u: %s (%s) from %s%s\n",
                     static_cast<unsigned>(++slot), module->descriptor.name.c_str(),
                     module->descriptor.key.c_str(), module->origin.c_str(),
                     config.module_store ? "" : ", descriptor not stored on the pen");
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace penlink::simtool;
    ToolOptions options;
    try {
        options = parse_options(argc, argv);
    } catch (const penlink::Error& error) {
        std::fprintf(stderr, "penlink-sim: %s\n", error.what());
        return 2;
    }
    if (options.help) {
        std::fputs(usage(), stdout);
        return 0;
    }
    std::signal(SIGPIPE, SIG_IGN);

    try {
        boost::asio::io_context io;
        boost::asio::signal_set signals(io, SIGINT, SIGTERM);
        std::optional<PtyLink> pty;
        std::optional<TcpLink> tcp;
        std::optional<ControlChannels> control;
        ControlTarget* target = nullptr;
        if (options.use_tcp) {
            tcp.emplace(io, options.config, options.tcp_port, options.quiet);
            std::printf("TCP 127.0.0.1:%u\n", static_cast<unsigned>(tcp->port()));
            tcp->start();
            target = &*tcp;
        } else {
            pty.emplace(io, options.config, options.quiet);
            std::printf("PTY %s\n", pty->slave_path().c_str());
            pty->start([&io] { io.stop(); });
            target = &*pty;
        }
        control.emplace(io, *target, options.quiet);
        if (options.control_port) {
            const std::uint16_t port = control->listen(*options.control_port);
            std::printf("CONTROL 127.0.0.1:%u\n", static_cast<unsigned>(port));
        }
        std::fflush(stdout);
        control->schedule(options.schedule);
        if (options.console) control->read_stdin();
        if (!options.quiet) describe(options.config);

        signals.async_wait([&](const boost::system::error_code& error, int) {
            if (error) return;
            control->stop();
            if (pty) pty->stop();
            if (tcp) tcp->stop();
            io.stop();
        });
        io.run();
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "penlink-sim: %s\n", error.what());
        return 1;
    }
}
