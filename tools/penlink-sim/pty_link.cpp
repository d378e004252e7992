#include "pty_link.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "shared/pty_setup.hpp"

namespace penlink::simtool {
namespace {

// How often the sim looks for a host while none has the port open.
constexpr std::chrono::milliseconds kHostPollInterval{10};

// Raw mode: no echo, no line editing, no CR/LF translation; the protocol is binary. The
// settings stay with the pty after the sim closes its slave descriptor.
void make_slave_raw(const std::string& path) { ::close(tools::open_raw_slave(path)); }

// True while no process has the slave side open (the master then reports a hang-up).
bool slave_closed(int master) {
    pollfd entry{master, POLLIN, 0};
    return ::poll(&entry, 1, 0) == 1 && (entry.revents & POLLHUP) != 0;
}

}  // namespace

PtyLink::PtyLink(boost::asio::io_context& io, sim::SimConfig config, bool quiet)
    : quiet_(quiet),
      master_(io, tools::open_pty_master(slave_path_)),
      output_(master_),
      device_(io, std::move(config),
              [this](std::span<const std::uint8_t> bytes) {
                  if (open_ && host_present_) output_.push(bytes);
              }),
      host_timer_(io),
      power_timer_(io) {
    ::fcntl(master_.native_handle(), F_SETFD, FD_CLOEXEC);
    make_slave_raw(slave_path_);
    master_.non_blocking(true);
    device_.set_status_sink([this](std::span<const std::uint8_t> bytes) {
        if (open_ && host_present_) output_.push_status(bytes);
    });
}

PtyLink::~PtyLink() { stop(); }

void PtyLink::start(std::function<void()> on_closed) {
    on_closed_ = std::move(on_closed);
    open_ = true;
    device_.on_drop_link([this] { close_link("fault injection dropped the link"); });
    device_.start();
    wait_for_host();
}

void PtyLink::stop() {
    if (!open_) return;
    open_ = false;
    device_.stop();
    host_timer_.cancel();
    power_timer_.cancel();
    if (!quiet_ && output_.dropped_bytes() > 0) {
        std::fprintf(stderr, "penlink-sim: dropped %llu bytes nobody read from %s\n",
                     static_cast<unsigned long long>(output_.dropped_bytes()), slave_path_.c_str());
    }
    boost::system::error_code ignored;
    master_.close(ignored);
}

void PtyLink::reboot_link_down(std::chrono::milliseconds down) {
    device_.power_off();  // from now on what the host sends is read and dropped
    discard_output();
    power_timer_.expires_after(down);
    power_timer_.async_wait([this](const boost::system::error_code& error) {
        if (error || !open_) return;
        device_.power_on();
        if (!quiet_) std::fprintf(stderr, "penlink-sim: the pen has rebooted\n");
    });
}

void PtyLink::close_link(const std::string& reason) {
    if (!open_) return;
    if (!quiet_)
        std::fprintf(stderr, "penlink-sim: closing %s: %s\n", slave_path_.c_str(), reason.c_str());
    stop();
    if (on_closed_) on_closed_();
}

void PtyLink::discard_output() {
    // A write waiting for room would hold up the next one behind it: reset() ends the wait
    // (its completion is ignored), cancel() a write queued on the master itself (only when no
    // descriptor was left to wait on, see RoomWaiter), and what the pty still holds for the
    // host is dropped. Input is left alone: a new host may already have written its Hello.
    output_.reset();
    boost::system::error_code ignored;
    master_.cancel(ignored);
    ::tcflush(master_.native_handle(), TCOFLUSH);
}

void PtyLink::on_hang_up() {
    host_present_ = false;
    if (!quiet_) std::fprintf(stderr, "penlink-sim: the host closed %s\n", slave_path_.c_str());
    device_.end_session();
    discard_output();  // nothing stale for the next host
    wait_for_host();
}

// The port has no host until a process opens the slave: the master shows no hang-up then.
void PtyLink::wait_for_host() {
    if (!open_) return;
    if (!slave_closed(master_.native_handle())) {
        host_present_ = true;
        read_next();
        return;
    }
    host_timer_.expires_after(kHostPollInterval);
    host_timer_.async_wait([this](const boost::system::error_code& error) {
        if (!error) wait_for_host();
    });
}

// Waits for the host's bytes, then reads them itself (the master is non-blocking) until a read
// comes back short, so no empty read follows a reply. The bytes go to the device, whose reply
// is written at once (OutputQueue::write_next); only then is the next wait armed, as re-arming
// polls the tty and would hold the reply up.
void PtyLink::read_next() {
    master_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                       [this](const boost::system::error_code& error) {
                           if (!open_) return;
                           // discard_output() cancels a pending write and, with it, this wait:
                           // keep reading.
                           if (error == boost::asio::error::operation_aborted) {
                               if (host_present_) read_next();
                               return;
                           }
                           if (error) {
                               close_link("waiting for the host failed: " + error.message());
                               return;
                           }
                           read_available();
                       });
}

void PtyLink::read_available() {
    for (;;) {
        const ssize_t got =
            ::read(master_.native_handle(), read_buffer_.data(), read_buffer_.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            read_next();
            return;
        }
        if (got <= 0) {
            // EIO: the last host descriptor closed (a host may have reopened the port since);
            // anything else is a broken master.
            const int failure = got < 0 ? errno : 0;
            if (failure == EIO || slave_closed(master_.native_handle())) {
                on_hang_up();
            } else {
                close_link(std::string("read failed: ") +
                           (failure ? std::generic_category().message(failure) : "end of file"));
            }
            return;
        }
        const auto size = static_cast<std::size_t>(got);
        const bool more = size == read_buffer_.size();
        device_.receive({read_buffer_.data(), size});
        // The device may have dropped the link (fault injection) or been cut off meanwhile.
        if (!open_ || !host_present_) return;
        if (!more) {
            read_next();
            return;
        }
    }
}

}  // namespace penlink::simtool
