#include "tcp_link.hpp"

#include <algorithm>
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
    for (auto& other : others_) other->socket.close(ignored);
    others_.clear();
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
        socket.set_option(tcp::no_delay(true), ignored);
        socket.set_option(boost::asio::socket_base::send_buffer_size(kSendBufferBytes), ignored);
        const unsigned port = socket.remote_endpoint(ignored).port();
        auto client = std::make_shared<Client>(std::move(socket));
        if (client_ && device_.controller_active()) {
            // Another host holds a live session: this one may only make the pen safer.
            if (!quiet_)
                std::fprintf(
                    stderr, "penlink-sim: second host connected from port %u (pen in use)\n", port);
            others_.push_back(client);
            read_next(client);
            accept_next();
            return;
        }
        if (client_) drop_client("a new client connected");
        if (!quiet_) std::fprintf(stderr, "penlink-sim: host connected from port %u\n", port);
        client_ = client;
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
            if (!running_) return;
            if (client != client_) {
                const auto other = std::find(others_.begin(), others_.end(), client);
                if (other == others_.end()) return;  // replaced or shut down meanwhile
                if (error) {
                    drop_other(client);
                    return;
                }
                if (client_ && device_.controller_active()) {
                    device_.receive_other_link({client->read_buffer.data(), size},
                                               client->other_link_decoder,
                                               [&client](std::span<const std::uint8_t> bytes) {
                                                   client->output.push(bytes);
                                               });
                    read_next(client);
                    return;
                }
                // Nobody holds the pen any more: this link takes over.
                others_.erase(other);
                if (client_) drop_client("a waiting client took over");
                client_ = client;
                device_.reset_link();
            }
            if (error) {
                drop_client(error == boost::asio::error::eof ? "host disconnected" : "read failed");
                return;
            }
            device_.receive({client->read_buffer.data(), size});
            read_next(client);
        });
}

void TcpLink::drop_other(const std::shared_ptr<Client>& client) {
    boost::system::error_code ignored;
    client->socket.close(ignored);
    others_.erase(std::remove(others_.begin(), others_.end(), client), others_.end());
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
