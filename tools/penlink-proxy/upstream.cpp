#include "upstream.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

namespace penlink::proxytool {
namespace {

constexpr std::string_view kTcp = "tcp://";
constexpr std::string_view kSerial = "serial://";

struct TcpAddress {
    boost::asio::ip::address address;
    std::uint16_t port = 0;
};

// "tcp://A.B.C.D:PORT"; empty error on success.
std::string parse_tcp(const std::string& url, TcpAddress& out) {
    const std::string rest = url.substr(kTcp.size());
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos) return "upstream '" + url + "' has no port";
    boost::system::error_code error;
    out.address = boost::asio::ip::make_address(rest.substr(0, colon), error);
    if (error) return "upstream '" + url + "' needs a numeric IP address, e.g. 127.0.0.1";
    const std::string port = rest.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
        value > 65535) {
        return "upstream '" + url + "' has no valid port (1-65535)";
    }
    out.port = static_cast<std::uint16_t>(value);
    return {};
}

void open_serial(boost::asio::io_context& io, const std::string& path,
                 const std::function<void(std::unique_ptr<ByteStream>, const std::string&)>& done) {
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        done(nullptr, "cannot open " + path + ": " + std::strerror(errno));
        return;
    }
    termios settings{};
    if (::tcgetattr(fd, &settings) == 0) {
        ::cfmakeraw(&settings);
        ::tcsetattr(fd, TCSANOW, &settings);
    }
    done(std::make_unique<AsioByteStream<boost::asio::posix::stream_descriptor>>(
             boost::asio::posix::stream_descriptor(io, fd)),
         {});
}

}  // namespace

std::string check_upstream_url(const std::string& url) {
    if (url.starts_with(kTcp)) {
        TcpAddress ignored;
        return parse_tcp(url, ignored);
    }
    if (url.starts_with(kSerial)) {
        return url.size() > kSerial.size() ? std::string{}
                                           : "upstream '" + url + "' names no device path";
    }
    return "upstream '" + url + "' is neither tcp://IP:PORT nor serial:///path";
}

void open_upstream(
    boost::asio::io_context& io, const std::string& url,
    std::function<void(std::unique_ptr<ByteStream> stream, const std::string& error)> done) {
    if (const std::string problem = check_upstream_url(url); !problem.empty()) {
        boost::asio::post(io, [done, problem] { done(nullptr, problem); });
        return;
    }
    if (url.starts_with(kSerial)) {
        boost::asio::post(
            io, [&io, path = url.substr(kSerial.size()), done] { open_serial(io, path, done); });
        return;
    }
    TcpAddress target;
    parse_tcp(url, target);
    auto socket = std::make_shared<boost::asio::ip::tcp::socket>(io);
    socket->async_connect(
        {target.address, target.port},
        [socket, url, done = std::move(done)](const boost::system::error_code& error) {
            if (error) {
                done(nullptr, "cannot connect to " + url + ": " + error.message());
                return;
            }
            boost::system::error_code ignored;
            socket->set_option(boost::asio::ip::tcp::no_delay(true), ignored);
            done(std::make_unique<AsioByteStream<boost::asio::ip::tcp::socket>>(std::move(*socket)),
                 {});
        });
}

}  // namespace penlink::proxytool
