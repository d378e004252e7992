// Line-based control of a running proxy: from stdin (replies on stdout) and from any number of
// clients of a TCP control port on 127.0.0.1 (replies on their socket). Each line runs through
// execute_command. Single-threaded (the io_context's thread).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/streambuf.hpp>

#include "proxy.hpp"

namespace penlink::proxytool {

class ControlPort {
public:
    /// Listens on 127.0.0.1:port (0 = any free port). Throws boost::system::system_error.
    ControlPort(boost::asio::io_context& io, Proxy& proxy, std::uint16_t port);
    std::uint16_t port() const { return port_; }
    void start();
    void stop();

private:
    struct Client;
    void accept_next();
    void read_line(const std::shared_ptr<Client>& client);

    Proxy& proxy_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_;
};

/// Reads commands from standard input until it ends. stdin that Asio cannot watch (a regular
/// file) is read neither; start() then returns false.
class StdinControl {
public:
    StdinControl(boost::asio::io_context& io, Proxy& proxy);
    bool start();
    void stop();

private:
    void read_line();

    boost::asio::io_context& io_;
    Proxy& proxy_;
    std::unique_ptr<boost::asio::posix::stream_descriptor> input_;
    boost::asio::streambuf buffer_;
};

}  // namespace penlink::proxytool
