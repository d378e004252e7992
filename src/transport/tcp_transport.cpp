#include "transport/tcp_transport.hpp"

#include <optional>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "penlink/errors.hpp"

namespace penlink::transport {

namespace {

using boost::asio::ip::tcp;

std::string describe_tcp_error(const std::string& name, const boost::system::error_code& ec,
                               bool while_writing) {
    if (ec == boost::asio::error::eof) return name + " was closed by the other end";
    if (ec == boost::asio::error::connection_reset) return name + " was reset by the other end";
    return name + (while_writing ? " failed while writing: " : " failed while reading: ") +
           ec.message();
}

}  // namespace

TcpTransport::TcpTransport(const LinkExecutor& io, const Url& url)
    : io_(io), host_(url.host), port_(url.port) {
    if (host_.empty() || port_ == 0) {
        throw InvalidArgumentError(
            "tcp URL needs a host and a port; expected tcp://127.0.0.1:7878");
    }
    if (!url.query.empty()) {
        throw InvalidArgumentError("unknown option '" + url.query.begin()->first + "' for tcp " +
                                   address() + "; the tcp transport takes no options");
    }
}

TcpTransport::~TcpTransport() { close(); }

std::string TcpTransport::address() const {
    bool ipv6 = host_.find(':') != std::string::npos;
    return (ipv6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

void TcpTransport::open(ReceiveHandler on_receive, ErrorHandler on_error,
                        std::chrono::milliseconds timeout) {
    close();
    // A private context lets open() block on the caller's thread with a deadline, without
    // depending on (or stalling) the shared io thread.
    boost::asio::io_context connect_io;
    tcp::resolver resolver(connect_io);
    tcp::socket socket(connect_io);
    boost::asio::steady_timer deadline(connect_io);
    std::optional<boost::system::error_code> resolve_error;
    std::optional<boost::system::error_code> connect_error;
    bool timed_out = false;

    resolver.async_resolve(
        host_, std::to_string(port_),
        [&](const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
            if (timed_out) return;
            if (ec) {
                resolve_error = ec;
                deadline.cancel();
                return;
            }
            boost::asio::async_connect(
                socket, results, [&](const boost::system::error_code& error, const tcp::endpoint&) {
                    if (timed_out) return;
                    connect_error = error;
                    deadline.cancel();
                });
        });
    deadline.expires_after(timeout);
    deadline.async_wait([&](const boost::system::error_code& ec) {
        if (ec) return;  // cancelled: the attempt finished first
        timed_out = true;
        resolver.cancel();
        boost::system::error_code ignored;
        socket.close(ignored);
    });
    connect_io.run();

    if (timed_out) {
        throw TimeoutError("connecting to tcp " + address() + " timed out after " +
                           std::to_string(timeout.count()) + " ms");
    }
    if (resolve_error) {
        throw ConnectionError(ErrorCode::ConnectionFailed, "could not resolve host '" + host_ +
                                                               "' for tcp " + address() + ": " +
                                                               resolve_error->message());
    }
    if (!connect_error || *connect_error) {
        std::string reason = connect_error ? connect_error->message() : "no address to connect to";
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "could not connect to tcp " + address() + ": " + reason);
    }

    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    tcp::endpoint local = socket.local_endpoint(ec);
    if (ec) {
        throw ConnectionError(
            ErrorCode::ConnectionFailed,
            "connection to tcp " + address() + " failed right after connecting: " + ec.message());
    }
    tcp::socket shared_socket(io_, local.protocol(), socket.release());

    link_ = std::make_shared<Link>(std::move(shared_socket), "tcp connection to " + address(),
                                   &describe_tcp_error, std::move(on_receive), std::move(on_error));
    input_fd_ = link_->descriptor();
    reader_mute_.find(link_->descriptor());
    link_->set_registration_fence([this] { reader_mute_.stop(); });
    // Reading starts on the io thread, where every later use of the link happens.
    boost::asio::post(io_, [link = link_] { link->start(); });
}

void TcpTransport::send(std::span<const std::uint8_t> bytes) {
    // A local reference: a failing send calls the ErrorHandler, which may close() and drop link_.
    if (auto link = link_) link->send(bytes);
}

std::size_t TcpTransport::queued_bytes() const { return link_ ? link_->queued_bytes() : 0; }

void TcpTransport::send_urgent(std::span<const std::uint8_t> frame) {
    if (auto link = link_) link->send_urgent(frame);
}

void TcpTransport::close() {
    if (!link_) return;
    input_fd_ = -1;
    link_->close();
    link_.reset();
}

std::string TcpTransport::description() const { return "tcp " + address(); }

}  // namespace penlink::transport
