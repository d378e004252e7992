// penlink-sim as a real child process on TCP 127.0.0.1 with its control channel, for the
// runner tests: faults, e-stop, buttons, cartridges and reboots are raised the way a real pen
// would raise them, over the sim's control port.
#pragma once

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "penlink/pen.hpp"
#include "sim_control.hpp"

namespace penlink::treatment_test {

/// penlink-sim's stdout line starting with prefix, without it (waits up to 10 s for it).
inline std::string announced(tooltest::ChildProcess& sim, const std::string& prefix) {
    const auto line = sim.announced(prefix, std::chrono::seconds(10));
    if (!line) FAIL("no complete '" << prefix << "' line from penlink-sim");
    return *line;
}

class SimPen {
public:
    explicit SimPen(std::vector<std::string> extra = {})
        : sim_(PENLINK_SIM_EXE, args(std::move(extra))),
          url_("tcp://" + announced(sim_, "TCP ")),
          control_(io_, announced(sim_, "CONTROL ")) {}

    const std::string& url() const { return url_; }

    /// One control command; returns the sim's answer line ("ok", "error: ...").
    std::string command(const std::string& line) { return control_.command(line); }

    static ConnectOptions options() {
        ConnectOptions options;
        options.connect_timeout = std::chrono::milliseconds(5000);
        options.command_timeout = std::chrono::milliseconds(400);
        options.command_retries = 3;
        return options;
    }

private:
    static std::vector<std::string> args(std::vector<std::string> extra) {
        // A 2 s watchdog, as the fault matrix uses: on a loaded test machine heartbeats can be
        // late, and these tests are about the runner (the watchdog has tests of its own).
        std::vector<std::string> all{"--tcp",         "0",   "--control-port", "0", "--quiet",
                                     "--watchdog-ms", "2000"};
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    }

    tooltest::ChildProcess sim_;
    std::string url_;
    boost::asio::io_context io_;
    tooltest::SimControl control_;
};

}  // namespace penlink::treatment_test
