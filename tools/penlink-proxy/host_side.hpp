// Where the host (the SDK) connects to the proxy: a TCP port on 127.0.0.1, or a new
// pseudo-terminal whose slave path is symlinked at a fixed name, so the host always opens the
// same serial://LINK even after an unplug replaced the pty. Single-threaded.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "byte_stream.hpp"

namespace penlink::proxytool {

class HostSide {
public:
    using OnConnect = std::function<void(std::unique_ptr<ByteStream>)>;
    virtual ~HostSide() = default;
    /// Calls on_connect with each new host stream: every accepted TCP connection, or each new
    /// pty (the first at once, the next after hung_up()).
    virtual void start(OnConnect on_connect) = 0;
    /// The proxy closed the current host stream (unplug, or the pen side went away).
    virtual void hung_up() = 0;
    virtual void stop() = 0;
    /// What the host connects to: the port number, or the pty link path.
    virtual std::string where() const = 0;
};

/// Accepts hosts on 127.0.0.1:PORT (0 = any free port). Throws boost::system::system_error if
/// the port is taken.
class TcpHostSide final : public HostSide {
public:
    TcpHostSide(boost::asio::io_context& io, std::uint16_t port);
    void start(OnConnect on_connect) override;
    void hung_up() override {}
    void stop() override;
    std::string where() const override;

private:
    void accept_next();

    boost::asio::ip::tcp::acceptor acceptor_;
    OnConnect on_connect_;
};

/// A new pty per host connection, its slave path symlinked at link_path (which must not be an
/// existing non-symlink file). The proxy keeps a slave descriptor open, so a host that closes
/// and reopens the port finds the link alive; closing the master hangs up the host.
class PtyHostSide final : public HostSide {
public:
    /// Throws std::system_error if link_path exists and is not a symlink.
    PtyHostSide(boost::asio::io_context& io, std::string link_path);
    ~PtyHostSide() override;
    void start(OnConnect on_connect) override;
    void hung_up() override;
    void stop() override;
    std::string where() const override { return link_path_; }

private:
    void open_pty();
    void reopen_after(std::chrono::milliseconds delay);

    boost::asio::io_context& io_;
    std::string link_path_;
    boost::asio::steady_timer reopen_timer_;
    OnConnect on_connect_;
    bool running_ = false;
};

}  // namespace penlink::proxytool
