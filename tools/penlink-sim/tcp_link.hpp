// Serves one SimDevice on 127.0.0.1:PORT, to one host at a time.
//
// A new client replaces the old one (as a pen has one radio/cable), unless the old one's host
// holds a live session (docs/protocol.md section 16.6): then the newcomer is kept as a second
// link that may only make the pen safer (EmergencyStop, Stop, outputs off) and is answered
// Nack InUse for everything else; it takes over once the pen has no controller.
// When the host's connection closes, for whatever reason, the pen ends the session at once:
// needle, RF and LED off, no fault latched (a pen must not keep running for a host that is
// gone until its watchdog notices). The device keeps running between clients.
// Single-threaded.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "control.hpp"
#include "output_queue.hpp"
#include "sim/sim_device.hpp"

namespace penlink::simtool {

class TcpLink : public ControlTarget {
public:
    /// Binds and listens. Throws boost::system::system_error if the port is taken.
    TcpLink(boost::asio::io_context& io, sim::SimConfig config, std::uint16_t port, bool quiet);
    ~TcpLink() override;
    TcpLink(const TcpLink&) = delete;
    TcpLink& operator=(const TcpLink&) = delete;

    std::uint16_t port() const { return port_; }
    void start();
    void stop();

    // ControlTarget
    sim::SimDevice& device() override { return device_; }
    /// Closes the host's connection and powers the pen off; connections arriving in the next
    /// `down` are closed at once; then the pen boots and accepts again.
    void reboot_link_down(std::chrono::milliseconds down) override;

private:
    struct Client {
        explicit Client(boost::asio::ip::tcp::socket connected)
            : socket(std::move(connected)), output(socket) {}
        boost::asio::ip::tcp::socket socket;
        OutputQueue<boost::asio::ip::tcp::socket> output;
        std::array<std::uint8_t, 4096> read_buffer{};
        protocol::FrameDecoder other_link_decoder;  // while it is a second link
    };

    void accept_next();
    void read_next(std::shared_ptr<Client> client);
    void drop_client(const char* reason);
    void drop_other(const std::shared_ptr<Client>& client);

    bool quiet_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::shared_ptr<Client> client_;
    std::vector<std::shared_ptr<Client>> others_;  // second links (see above)
    sim::SimDevice device_;
    boost::asio::steady_timer power_timer_;
    bool running_ = false;
};

}  // namespace penlink::simtool
