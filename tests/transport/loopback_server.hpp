// A real TCP peer on 127.0.0.1 (ephemeral port) served on its own io thread, and a transport
// connected to it; shared by the TCP and allocation tests.
#pragma once

#include <memory>
#include <optional>

#include <catch2/catch.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "io_helpers.hpp"
#include "transport/transport_factory.hpp"

namespace penlink::transport::test {

using boost::asio::ip::tcp;
using namespace std::chrono_literals;

class Server {
public:
    Server() : acceptor_(io_.io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)) {}
    ~Server() {
        io_.run([&] {
            boost::system::error_code ignored;
            if (peer_) peer_->close(ignored);
            acceptor_.close(ignored);
        });
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port()); }

    /// Starts accepting one connection; wait_accepted() waits for it.
    void accept() {
        io_.run([&] {
            acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
                if (!ec) peer_.emplace(std::move(socket));
                accepted_.set_value(!ec);
            });
        });
    }
    bool wait_accepted() {
        auto future = accepted_.get_future();
        return future.wait_for(kWaitLimit) == std::future_status::ready && future.get();
    }

    /// Reads exactly count bytes (or whatever came before an error or the wait limit).
    std::vector<std::uint8_t> read(std::size_t count) {
        auto buffer = std::make_shared<std::vector<std::uint8_t>>(count);
        auto done = std::make_shared<std::promise<std::size_t>>();
        auto future = done->get_future();
        io_.run([&] {
            boost::asio::async_read(*peer_, boost::asio::buffer(*buffer),
                                    [buffer, done](const boost::system::error_code&,
                                                   std::size_t size) { done->set_value(size); });
        });
        if (future.wait_for(kWaitLimit) != std::future_status::ready) {
            io_.run([&] { peer_->cancel(); });
            future.wait();
        }
        buffer->resize(future.get());
        return *buffer;
    }

    void write(const std::vector<std::uint8_t>& bytes) {
        io_.run([&] { boost::asio::write(*peer_, boost::asio::buffer(bytes)); });
    }
    void close_peer() {
        io_.run([&] { peer_->close(); });
    }

private:
    IoThread io_;
    tcp::acceptor acceptor_;
    std::optional<tcp::socket> peer_;
    std::promise<bool> accepted_;
};

struct Connected {
    IoThread io;
    Server server;
    Collector collector;
    std::unique_ptr<Transport> transport;

    Connected() {
        server.accept();
        transport = make_transport(parse_url(server.url()), io.ex);
        transport->open(collector.receiver(), collector.error_handler(), 2s);
        REQUIRE(server.wait_accepted());
    }
    ~Connected() {
        io.run([&] { transport->close(); });
    }
};

}  // namespace penlink::transport::test
