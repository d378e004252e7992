#include "control_channel.hpp"

#include <unistd.h>

#include <cstdio>
#include <istream>
#include <string>

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include "control_commands.hpp"

namespace penlink::proxytool {
namespace {

constexpr std::size_t kMaxLine = 4096;

std::string take_line(boost::asio::streambuf& buffer) {
    std::istream stream(&buffer);
    std::string line;
    std::getline(stream, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace

using boost::asio::ip::tcp;

struct ControlPort::Client {
    explicit Client(tcp::socket connected) : socket(std::move(connected)), input(kMaxLine) {}
    tcp::socket socket;
    boost::asio::streambuf input;
    std::string reply;  // kept alive until its write completes
};

ControlPort::ControlPort(boost::asio::io_context& io, Proxy& proxy, std::uint16_t port)
    : proxy_(proxy),
      acceptor_(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), port)),
      port_(acceptor_.local_endpoint().port()) {}

void ControlPort::start() { accept_next(); }

void ControlPort::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

void ControlPort::accept_next() {
    acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
        if (error == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
        if (!error) {
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            read_line(std::make_shared<Client>(std::move(socket)));
        }
        accept_next();
    });
}

void ControlPort::read_line(const std::shared_ptr<Client>& client) {
    boost::asio::async_read_until(
        client->socket, client->input, '\n',
        [this, client](const boost::system::error_code& error, std::size_t) {
            if (error == boost::asio::error::not_found) {
                // A line longer than kMaxLine: say why, then hang up (no line boundary to
                // resynchronise on).
                client->reply = "error: line longer than " + std::to_string(kMaxLine) + " bytes\n";
                boost::asio::async_write(client->socket, boost::asio::buffer(client->reply),
                                         [client](const boost::system::error_code&, std::size_t) {
                                             boost::system::error_code ignored;
                                             client->socket.close(ignored);
                                         });
                return;
            }
            if (error) return;  // the client left
            client->reply = execute_command(proxy_, take_line(client->input));
            if (client->reply.empty()) {
                read_line(client);
                return;
            }
            client->reply += '\n';
            boost::asio::async_write(
                client->socket, boost::asio::buffer(client->reply),
                [this, client](const boost::system::error_code& write_error, std::size_t) {
                    if (!write_error) read_line(client);
                });
        });
}

StdinControl::StdinControl(boost::asio::io_context& io, Proxy& proxy)
    : io_(io), proxy_(proxy), buffer_(kMaxLine) {}

bool StdinControl::start() {
    const int fd = ::dup(STDIN_FILENO);
    if (fd < 0) return false;
    try {
        input_ = std::make_unique<boost::asio::posix::stream_descriptor>(io_, fd);
    } catch (const boost::system::system_error&) {
        input_.reset();
        ::close(fd);
        return false;
    }
    read_line();
    return true;
}

void StdinControl::stop() {
    if (!input_) return;
    boost::system::error_code ignored;
    input_->close(ignored);
}

void StdinControl::read_line() {
    boost::asio::async_read_until(
        *input_, buffer_, '\n', [this](const boost::system::error_code& error, std::size_t) {
            if (error == boost::asio::error::not_found) {
                std::printf("error: line longer than %zu bytes; stdin control stopped\n", kMaxLine);
                std::fflush(stdout);
                return;
            }
            if (error) return;  // end of input: the proxy keeps running
            const std::string reply = execute_command(proxy_, take_line(buffer_));
            if (!reply.empty()) {
                std::printf("%s\n", reply.c_str());
                std::fflush(stdout);
            }
            read_line();
        });
}

}  // namespace penlink::proxytool
