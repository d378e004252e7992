// The pty is opened as penlink-sim opens its own (tools/shared/pty_setup.hpp), and a slave
// descriptor is held open so a host closing the port does not leave the master reading EIO.
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include <boost/asio/posix/stream_descriptor.hpp>

#include "host_side.hpp"
#include "shared/pty_setup.hpp"

namespace penlink::proxytool {
namespace {

using tools::open_pty_master;
using tools::open_raw_slave;
using tools::throw_errno;

// Points link_path at target atomically (a host never finds the name missing).
void replace_symlink(const std::string& target, const std::string& link_path) {
    const std::string temporary = link_path + ".new";
    ::unlink(temporary.c_str());
    if (::symlink(target.c_str(), temporary.c_str()) != 0) throw_errno("symlink " + temporary);
    if (::rename(temporary.c_str(), link_path.c_str()) != 0) throw_errno("rename " + link_path);
}

}  // namespace

PtyHostSide::PtyHostSide(boost::asio::io_context& io, std::string link_path)
    : io_(io), link_path_(std::move(link_path)), reopen_timer_(io) {
    struct stat existing {};
    if (::lstat(link_path_.c_str(), &existing) == 0 && !S_ISLNK(existing.st_mode)) {
        errno = EEXIST;
        throw_errno(link_path_ + " exists and is not a symlink; refusing to replace it");
    }
}

PtyHostSide::~PtyHostSide() { stop(); }

void PtyHostSide::start(OnConnect on_connect) {
    on_connect_ = std::move(on_connect);
    running_ = true;
    open_pty();
}

void PtyHostSide::hung_up() {
    if (!running_) return;
    // A short pause, as a cable is replugged, and so a pen that keeps failing does not spin.
    reopen_after(std::chrono::milliseconds(100));
}

void PtyHostSide::reopen_after(std::chrono::milliseconds delay) {
    reopen_timer_.expires_after(delay);
    reopen_timer_.async_wait([this](const boost::system::error_code& error) {
        if (error || !running_) return;
        try {
            open_pty();
        } catch (const std::system_error& failure) {
            // Out of ptys, or the link path taken meanwhile: keep trying, the host waits.
            std::fprintf(stderr, "penlink-proxy: cannot open a new pty: %s\n", failure.what());
            reopen_after(std::chrono::seconds(1));
        }
    });
}

void PtyHostSide::stop() {
    if (!running_) return;
    running_ = false;
    reopen_timer_.cancel();
    ::unlink(link_path_.c_str());
}

void PtyHostSide::open_pty() {
    std::string slave_path;
    boost::asio::posix::stream_descriptor master(io_, open_pty_master(slave_path, O_CLOEXEC));
    master.non_blocking(true);
    const int slave = open_raw_slave(slave_path);
    replace_symlink(slave_path, link_path_);
    on_connect_(std::make_unique<AsioByteStream<boost::asio::posix::stream_descriptor>>(
        std::move(master), [slave] { ::close(slave); }));
}

}  // namespace penlink::proxytool
