#include "transport/serial_transport.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <utility>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <boost/asio/post.hpp>

#include "penlink/errors.hpp"

namespace penlink::transport {

namespace {

struct BaudRate {
    unsigned rate;
    speed_t constant;
};

constexpr std::array<BaudRate, 8> kBaudRates{{
    {9600, B9600},
    {19200, B19200},
    {38400, B38400},
    {57600, B57600},
    {115200, B115200},
    {230400, B230400},
    {460800, B460800},
    {921600, B921600},
}};

constexpr std::array<unsigned, kBaudRates.size()> kBaudRateValues = [] {
    std::array<unsigned, kBaudRates.size()> values{};
    for (std::size_t i = 0; i < kBaudRates.size(); ++i) values[i] = kBaudRates[i].rate;
    return values;
}();

std::string supported_list() {
    std::string text;
    for (unsigned rate : kBaudRateValues) {
        if (!text.empty()) text += ", ";
        text += std::to_string(rate);
    }
    return text;
}

speed_t speed_constant(unsigned rate) {
    for (const BaudRate& baud : kBaudRates) {
        if (baud.rate == rate) return baud.constant;
    }
    return B0;  // unreachable: the constructor validated the rate
}

// Owns a file descriptor until it is handed to the serial_port.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

[[noreturn]] void throw_busy(const std::string& path) {
    throw ConnectionError(ErrorCode::ConnectionFailed,
                          "serial port " + path + " is busy (opened by another program)");
}

[[noreturn]] void throw_open_error(const std::string& path, int error) {
    switch (error) {
        case ENOENT:
        case ENODEV:
        case ENXIO:
            throw ConnectionError(ErrorCode::ConnectionFailed,
                                  "serial port " + path + " does not exist");
        case EACCES:
        case EPERM:
            throw ConnectionError(ErrorCode::ConnectionFailed,
                                  "permission denied opening serial port " + path +
                                      "; add your user to the group that owns it (often 'dialout') "
                                      "and log in again");
        case EBUSY:
            throw_busy(path);
        default:
            throw ConnectionError(
                ErrorCode::ConnectionFailed,
                "could not open serial port " + path + ": " + std::strerror(error));
    }
}

// Raw 8N1 with no flow control: the protocol is binary and must pass every byte untouched.
void configure_line(int fd, const std::string& path, unsigned baud_rate) {
    termios tty{};
    if (::tcgetattr(fd, &tty) != 0) {
        int error = errno;
        if (error == ENOTTY || error == EINVAL) {
            throw ConnectionError(ErrorCode::ConnectionFailed, path + " is not a serial port");
        }
        throw ConnectionError(
            ErrorCode::ConnectionFailed,
            "could not read the settings of serial port " + path + ": " + std::strerror(error));
    }
    ::cfmakeraw(&tty);
    tty.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | CSTOPB | CRTSCTS);
    tty.c_cflag |= CS8 | CLOCAL | CREAD;
    tty.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    speed_t speed = speed_constant(baud_rate);
    if (::cfsetispeed(&tty, speed) != 0 || ::cfsetospeed(&tty, speed) != 0 ||
        ::tcsetattr(fd, TCSANOW, &tty) != 0) {
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "could not set serial port " + path + " to " +
                                  std::to_string(baud_rate) + " baud 8N1: " + std::strerror(errno));
    }
}

std::string describe_serial_error(const std::string& name, const boost::system::error_code& ec,
                                  bool while_writing) {
    if (ec == boost::asio::error::eof) return name + " was closed by the other end";
    if (ec == boost::system::errc::io_error || ec == boost::system::errc::no_such_device) {
        return name + " was disconnected (" + ec.message() + "); was the pen unplugged?";
    }
    return name + (while_writing ? " failed while writing: " : " failed while reading: ") +
           ec.message();
}

}  // namespace

std::span<const unsigned> supported_baud_rates() { return kBaudRateValues; }

SerialTransport::SerialTransport(const LinkExecutor& io, const Url& url)
    : io_(io), path_(url.path) {
    if (path_.empty()) {
        throw InvalidArgumentError("serial URL has no device path; expected serial:///dev/ttyUSB0");
    }
    for (const auto& [key, value] : url.query) {
        if (key != "baud") {
            throw InvalidArgumentError("unknown option '" + key + "' for serial port " + path_ +
                                       "; the serial transport accepts only 'baud'");
        }
    }
    if (auto it = url.query.find("baud"); it != url.query.end()) {
        const std::string& text = it->second;
        unsigned rate = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rate);
        if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
            throw InvalidArgumentError("baud rate '" + text + "' for serial port " + path_ +
                                       " is not a number; supported rates: " + supported_list());
        }
        bool supported = false;
        for (unsigned candidate : kBaudRateValues) supported = supported || candidate == rate;
        if (!supported) {
            throw InvalidArgumentError("baud rate " + text + " is not supported for serial port " +
                                       path_ + "; supported rates: " + supported_list());
        }
        baud_rate_ = rate;
    }
}

SerialTransport::~SerialTransport() { close(); }

void SerialTransport::open(ReceiveHandler on_receive, ErrorHandler on_error,
                           std::chrono::milliseconds) {
    // Opening a tty with O_NONBLOCK never waits for carrier, so the timeout has nothing to bound.
    close();
    FileDescriptor fd(::open(path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0) throw_open_error(path_, errno);

    // flock excludes everyone, root included, who also locks (penlink, libserialport, minicom);
    // TIOCEXCL additionally refuses plain open() by other non-root programs.
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) throw_busy(path_);
        throw_open_error(path_, errno);
    }
    configure_line(fd.get(), path_, baud_rate_);
    // Unix98 pseudo-terminal slaves have majors 136-143: no baud rate limits them.
    struct stat info {};
    pseudo_terminal_ = ::fstat(fd.get(), &info) == 0 && S_ISCHR(info.st_mode) &&
                       major(info.st_rdev) >= 136 && major(info.st_rdev) <= 143;
    ::ioctl(fd.get(), TIOCEXCL);  // best effort: not every tty driver supports it

    boost::asio::posix::stream_descriptor port(io_);
    boost::system::error_code ec;
    port.assign(fd.get(), ec);
    if (ec) {
        throw ConnectionError(
            ErrorCode::ConnectionFailed,
            "could not register serial port " + path_ + " with the I/O loop: " + ec.message());
    }
    fd.release();

    link_ = std::make_shared<Link>(std::move(port), "serial port " + path_, &describe_serial_error,
                                   std::move(on_receive), std::move(on_error));
    watch_for_input(link_->descriptor());
    reader_mute_.find(link_->descriptor(), input_probe_.load());
    link_->set_registration_fence([this] { reader_mute_.stop(); });
    // Reading starts on the io thread, where every later use of the link happens.
    boost::asio::post(io_, [link = link_] { link->start(); });
}

void SerialTransport::send(std::span<const std::uint8_t> bytes) {
    // A local reference: a failing send calls the ErrorHandler, which may close() and drop link_.
    if (auto link = link_) link->send(bytes);
}

void SerialTransport::send_urgent(std::span<const std::uint8_t> frame) {
    if (auto link = link_) link->send_urgent(frame);
}

void SerialTransport::close() {
    if (!link_) return;
    if (const int probe = input_probe_.exchange(-1); probe >= 0) ::close(probe);
    link_->close();
    link_.reset();
}

// A tty cannot be asked whether bytes wait without risking a sleep: FIONREAD takes the tty's
// termios lock for writing, which its input work holds while it hands bytes over, and poll() or
// a read that finds nothing first waits for that work. An epoll set of its own, edge-triggered,
// is woken by the tty as bytes land and is then asked without waiting (epoll_wait, timeout 0).
// Best effort: without it a caller does not take its reply itself, and the I/O thread does.
void SerialTransport::watch_for_input(int descriptor) {
    const int probe = ::epoll_create1(EPOLL_CLOEXEC);
    if (probe < 0) return;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLET;
    if (::epoll_ctl(probe, EPOLL_CTL_ADD, descriptor, &event) != 0) {
        ::close(probe);
        return;
    }
    input_probe_ = probe;
}

bool SerialTransport::input_waiting() const {
    // A probe closed meanwhile, or its number since reused, answers wrongly and harmlessly:
    // the read itself happens under the pen's guard, on a link that knows it is closed.
    const int probe = input_probe_.load();
    epoll_event event{};
    return probe >= 0 && ::epoll_wait(probe, &event, 1, 0) > 0;
}

std::string SerialTransport::description() const {
    return "serial " + path_ + " at " + std::to_string(baud_rate_) + " baud";
}

}  // namespace penlink::transport
