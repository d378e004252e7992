#include <boost/asio/ip/address_v4.hpp>

#include "host_side.hpp"

namespace penlink::proxytool {

using boost::asio::ip::tcp;

TcpHostSide::TcpHostSide(boost::asio::io_context& io, std::uint16_t port)
    : acceptor_(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), port)) {}

void TcpHostSide::start(OnConnect on_connect) {
    on_connect_ = std::move(on_connect);
    accept_next();
}

void TcpHostSide::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

std::string TcpHostSide::where() const { return std::to_string(acceptor_.local_endpoint().port()); }

void TcpHostSide::accept_next() {
    acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
        if (error == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
        if (!error) {
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            on_connect_(std::make_unique<AsioByteStream<tcp::socket>>(std::move(socket)));
        }
        accept_next();
    });
}

}  // namespace penlink::proxytool
