#include "pty_link.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace penlink::simtool {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// Opens the master and returns its fd; fills path with the slave's name.
int open_master(std::string& path) {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) throw_errno("posix_openpt");
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0) {
        const int saved = errno;
        ::close(master);
        errno = saved;
        throw_errno("grantpt/unlockpt");
    }
    const char* name = ::ptsname(master);
    if (name == nullptr) {
        const int saved = errno;
        ::close(master);
        errno = saved;
        throw_errno("ptsname");
    }
    path = name;
    return master;
}

// Raw mode: no echo, no line editing, no CR/LF translation; the protocol is binary.
int open_raw_slave(const std::string& path) {
    const int slave = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) throw_errno("open " + path);
    termios settings{};
    if (::tcgetattr(slave, &settings) == 0) {
        ::cfmakeraw(&settings);
        ::tcsetattr(slave, TCSANOW, &settings);
    }
    return slave;
}

}  // namespace

PtyLink::PtyLink(boost::asio::io_context& io, sim::SimConfig config, bool quiet)
    : quiet_(quiet),
      master_(io, open_master(slave_path_)),
      output_(master_),
      device_(io, std::move(config), [this](std::span<const std::uint8_t> bytes) {
          if (open_) output_.push(bytes);
      }) {
    ::fcntl(master_.native_handle(), F_SETFD, FD_CLOEXEC);
    slave_fd_ = open_raw_slave(slave_path_);
    master_.non_blocking(true);
}

PtyLink::~PtyLink() { stop(); }

void PtyLink::start(std::function<void()> on_closed) {
    on_closed_ = std::move(on_closed);
    open_ = true;
    device_.on_drop_link([this] { close_link("fault injection dropped the link"); });
    device_.start();
    read_next();
}

void PtyLink::stop() {
    if (!open_ && slave_fd_ < 0) return;
    open_ = false;
    device_.stop();
    if (!quiet_ && output_.dropped_bytes() > 0) {
        std::fprintf(stderr, "penlink-sim: dropped %llu bytes nobody read from %s\n",
                     static_cast<unsigned long long>(output_.dropped_bytes()), slave_path_.c_str());
    }
    boost::system::error_code ignored;
    master_.close(ignored);
    if (slave_fd_ >= 0) ::close(slave_fd_);
    slave_fd_ = -1;
}

void PtyLink::close_link(const std::string& reason) {
    if (!open_) return;
    if (!quiet_)
        std::fprintf(stderr, "penlink-sim: closing %s: %s\n", slave_path_.c_str(), reason.c_str());
    stop();
    if (on_closed_) on_closed_();
}

void PtyLink::read_next() {
    master_.async_read_some(boost::asio::buffer(read_buffer_),
                            [this](const boost::system::error_code& error, std::size_t size) {
                                if (error == boost::asio::error::operation_aborted || !open_)
                                    return;
                                if (error) {
                                    close_link("read failed: " + error.message());
                                    return;
                                }
                                device_.receive({read_buffer_.data(), size});
                                read_next();
                            });
}

}  // namespace penlink::simtool
