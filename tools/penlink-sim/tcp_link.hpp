// Serves one SimDevice on 127.0.0.1:PORT, to one host at a time.
//
// A new client replaces the old one (as a pen has one radio/cable): the old socket is closed
// and the device forgets partial frames and remembered replies. The device keeps running
// between clients, so its watchdog sees a vanished host. Single-threaded.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "output_queue.hpp"
#include "sim/sim_device.hpp"

namespace penlink::simtool {

class TcpLink {
public:
    /// Binds and listens. Throws boost::system::system_error if the port is taken.
    TcpLink(boost::asio::io_context& io, sim::SimConfig config, std::uint16_t port, bool quiet);
    ~TcpLink();
    TcpLink(const TcpLink&) = delete;
    TcpLink& operator=(const TcpLink&) = delete;

    std::uint16_t port() const { return port_; }
    void start();
    void stop();

private:
    struct Client {
        explicit Client(boost::asio::ip::tcp::socket connected)
            : socket(std::move(connected)), output(socket) {}
        boost::asio::ip::tcp::socket socket;
        OutputQueue<boost::asio::ip::tcp::socket> output;
        std::array<std::uint8_t, 4096> read_buffer{};
    };

    void accept_next();
    void read_next(std::shared_ptr<Client> client);
    void drop_client(const char* reason);

    bool quiet_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::shared_ptr<Client> client_;
    sim::SimDevice device_;
    bool running_ = false;
};

}  // namespace penlink::simtool
