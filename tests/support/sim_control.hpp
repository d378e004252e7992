// A connection to a penlink-sim's --control-port, as the tests use it to act on the simulated
// pen the way a real one would be acted on (faults, e-stop, buttons, cartridges, modules,
// reboots): one command line out, one answer line back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

#include <boost/asio.hpp>

namespace penlink::tooltest {

class SimControl {
public:
    /// Connects to 127.0.0.1:port on io (which need not run: every call here blocks).
    SimControl(boost::asio::io_context& io, std::uint16_t port) : socket_(io) {
        socket_.connect({boost::asio::ip::address_v4::loopback(), port});
    }
    /// Connects to the "127.0.0.1:PORT" the sim announced on its CONTROL line.
    SimControl(boost::asio::io_context& io, const std::string& address)
        : SimControl(
              io, static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)))) {}

    /// Sends one command line and returns the sim's answer line ("ok", "error: ..."). Any
    /// thread; one command at a time.
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

private:
    std::mutex mutex_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::streambuf input_;
};

}  // namespace penlink::tooltest
