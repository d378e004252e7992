// penlink-sim as a real child process on TCP 127.0.0.1 with its control channel, for the
// runner tests: faults, e-stop, buttons, cartridges and reboots are raised the way a real pen
// would raise them, over the sim's control port.
#pragma once

#include <catch2/catch.hpp>

#include <boost/asio.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "penlink/pen.hpp"

namespace penlink::treatment_test {

inline std::string announced(tooltest::ChildProcess& sim, const std::string& prefix) {
    REQUIRE(sim.wait_for_output(prefix, std::chrono::seconds(10)));
    for (int tries = 0; tries < 100; ++tries) {
        const std::string& out = sim.out();
        const auto at = out.find(prefix);
        const auto end = out.find('\n', at);
        if (end != std::string::npos)
            return out.substr(at + prefix.size(), end - at - prefix.size());
        sim.wait_for_output("\n\n", std::chrono::milliseconds(50));  // reads more
    }
    FAIL("no complete '" << prefix << "' line from penlink-sim");
    return {};
}

class SimPen {
public:
    explicit SimPen(std::vector<std::string> extra = {})
        : sim_(PENLINK_SIM_EXE, args(std::move(extra))), socket_(io_) {
        url_ = "tcp://" + announced(sim_, "TCP ");
        const std::string control = announced(sim_, "CONTROL ");
        socket_.connect(
            {boost::asio::ip::address_v4::loopback(),
             static_cast<unsigned short>(std::stoi(control.substr(control.rfind(':') + 1)))});
    }

    const std::string& url() const { return url_; }

    /// One control command; returns the sim's answer line ("ok", "error: ...").
    std::string command(const std::string& line) {
        std::lock_guard lock(mutex_);
        boost::asio::write(socket_, boost::asio::buffer(line + "\n"));
        const std::size_t size = boost::asio::read_until(socket_, input_, '\n');
        std::string answer(
            boost::asio::buffers_begin(input_.data()),
            boost::asio::buffers_begin(input_.data()) + static_cast<std::ptrdiff_t>(size) - 1);
        input_.consume(size);
        return answer;
    }

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
    std::mutex mutex_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::streambuf input_;
};

}  // namespace penlink::treatment_test
