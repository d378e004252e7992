#include "tcp_link.hpp"

#include <cstdio>

namespace penlink::simtool {

using boost::asio::ip::tcp;

namespace {
// Keeps the kernel's share of the output small, so what waits to be sent waits in the
// OutputQueue, where replies overtake Status (the kernel doubles this value).
constexpr int kSendBufferBytes = 16 * 1024;
}  // namespace

TcpLink::TcpLink(boost::asio::io_context& io, sim::SimConfig config, std::uint16_t port, bool quiet)
    : quiet_(quiet),
      acceptor_(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), port)),
      port_(acceptor_.local_endpoint().port()),
      device_(io, std::move(config),
              [this](std::span<const std::uint8_t> bytes) {
                  if (client_) client_->output.push(bytes);
              }),
      power_timer_(io) {
    device_.set_status_sink([this](std::span<const std::uint8_t> bytes) {
        if (client_) client_->output.push_status(bytes);
    });
}

TcpLink::~TcpLink() { stop(); }

void TcpLink::start() {
    running_ = true;
    device_.on_drop_link([this] { drop_client("fault injection dropped the link"); });
    device_.start();
    accept_next();
}

void TcpLink::stop() {
    if (!running_) return;
    running_ = false;
    device_.stop();
    power_timer_.cancel();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (client_) client_->socket.close(ignored);
    client_.reset();
}

void TcpLink::reboot_link_down(std::chrono::milliseconds down) {
    device_.power_off();
    drop_client("the pen reboots");
    power_timer_.expires_after(down);
    power_timer_.async_wait([this](const boost::system::error_code& error) {
        if (error || !running_) return;
        device_.power_on();
        if (!quiet_) std::fprintf(stderr, "penlink-sim: the pen has rebooted\n");
    });
}

void TcpLink::accept_next() {
    acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
        if (!running_) return;
        if (error) {
            if (!quiet_)
                std::fprintf(stderr, "penlink-sim: accept failed: %s\n", error.message().c_str());
            accept_next();
            return;
        }
        boost::system::error_code ignored;
        if (!device_.powered()) {  // nobody home while the pen reboots
            socket.close(ignored);
            accept_next();
            return;
        }
        if (client_) drop_client("a new client connected");
        socket.set_option(tcp::no_delay(true), ignored);
        socket.set_option(boost::asio::socket_base::send_buffer_size(kSendBufferBytes), ignored);
        if (!quiet_) {
            std::fprintf(stderr, "penlink-sim: host connected from port %u\n",
                         static_cast<unsigned>(socket.remote_endpoint(ignored).port()));
        }
        client_ = std::make_shared<Client>(std::move(socket));
        device_.reset_link();
        read_next(client_);
        accept_next();
    });
}

void TcpLink::read_next(std::shared_ptr<Client> client) {
    auto& buffer = client->read_buffer;
    client->socket.async_read_some(
        boost::asio::buffer(buffer), [this, client = std::move(client)](
                                         const boost::system::error_code& error, std::size_t size) {
            if (!running_ || client != client_) return;  // replaced or shut down meanwhile
            if (error) {
                drop_client(error == boost::asio::error::eof ? "host disconnected" : "read failed");
                return;
            }
            device_.receive({client->read_buffer.data(), size});
            read_next(client);
        });
}

void TcpLink::drop_client(const char* reason) {
    if (!client_) return;
    if (!quiet_) {
        std::fprintf(stderr, "penlink-sim: closing client: %s (%llu bytes dropped unread)\n",
                     reason, static_cast<unsigned long long>(client_->output.dropped_bytes()));
    }
    boost::system::error_code ignored;
    client_->socket.shutdown(tcp::socket::shutdown_both, ignored);
    client_->socket.close(ignored);
    client_.reset();
    // The host is gone: the session ends with it, outputs off, no fault.
    device_.end_session();
}

}  // namespace penlink::simtool
