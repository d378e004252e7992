// The part of a byte-stream transport that does not care what the stream is: a read loop into a
// fixed buffer, an ordered send queue, and "report the first failure once". SerialTransport and
// TcpTransport each open their stream their own way and then hand it to a StreamLink.
//
// Thread rule: it is built on the thread that opens; from then on every member is used under
// the pen's LinkGuard, one thread at a time: in an I/O handler, or on a caller's thread that
// holds the guard (a command written at once). The handlers are installed at construction, so a
// send that fails before reading has started is still reported. The link lives in a shared_ptr that
// its pending handlers share, so a transport may drop its reference in close() while completions
// are still queued; they then find the link closed and return without touching the user's handlers.
//
// Send queue: two byte vectors, reserved up front. send() appends to `pending_`; when no write is
// in flight, `pending_` and `in_flight_` swap and one async_write drains `in_flight_`. Swapping
// keeps both capacities, so steady-state sends never allocate, and bytes go out in call order.
//
// Reading: the link waits for the stream to become readable (async_wait) and then reads it
// itself, under the pen's guard, until a read comes back short (a tty's reads are full at
// kTtyReadMax, a socket's at the buffer's size) or kMaxReadsAtOnce reads; it does not let
// Asio's reactor read for it. So every read of the stream happens under the guard, in order with
// the bytes' handling, and a caller's thread holding the guard may read too: read_available() takes
// what has arrived now, on that thread. A caller waiting for its reply does so (ReplyWaiter) and
// takes the reply itself, while the I/O thread still waits to be woken. Waiting again re-arms
// the stream's registration (EPOLL_CTL_MOD), which reports bytes that came meanwhile at once,
// so a short read need not be followed by one that finds nothing.
//
// Written at once: when nothing is queued or in flight, send() first offers the bytes (one frame,
// at most kMaxWriteChunk) to the stream with a non-blocking write on the calling thread, which
// holds the pen's guard. The usual command leaves that way, and no completion is queued for the
// I/O thread: an async_write would wake it once per command to run a handler that has nothing
// to do. Whatever the stream does not take (full, or an error) goes the queued way, which also
// reports an error through the ErrorHandler on the I/O thread, as before.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <type_traits>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>

#include "transport/transport.hpp"

namespace penlink::transport {

/// Bytes a link may hold unsent before it declares the peer stuck. Far above what a pen session
/// queues (a few hundred bytes of commands), low enough to stop a runaway producer.
inline constexpr std::size_t kMaxQueuedBytes = 2 << 20;
inline constexpr std::size_t kInitialQueueCapacity = 4096;
inline constexpr std::size_t kReadBufferSize = 4096;
/// The most one read of a tty hands over: its line discipline's buffer (4 KB) less one byte
/// (Linux n_tty keeps that byte free). A read this long may have left more behind; a shorter
/// one took everything the tty held.
inline constexpr std::size_t kTtyReadMax = 4095;
/// Reads at most per drain (256 KB): a peer that sends faster than the link is read does not
/// keep the reading thread from handling what it read (the stream's registration reports the
/// rest at once).
inline constexpr int kMaxReadsAtOnce = 64;
/// Largest single write: what an emergency stop may have to wait behind (protocol.md 5.4).
inline constexpr std::size_t kMaxWriteChunk = 256;

/// Whether a socket holds bytes to read, without reading or waiting (FIONREAD). A descriptor
/// closed meanwhile, or since reused, gives a wrong answer and no harm: it is only a hint.
/// (Not for a tty: there FIONREAD may sleep, see SerialTransport::watch_for_input.)
inline bool bytes_waiting(int fd) {
    int queued = 0;
    return fd >= 0 && ::ioctl(fd, FIONREAD, &queued) == 0 && queued > 0;
}

template <typename Stream>
class StreamLink : public std::enable_shared_from_this<StreamLink<Stream>> {
public:
    /// describe_error turns a read/write failure into the text given to the ErrorHandler,
    /// e.g. "serial port /dev/ttyUSB0 was disconnected".
    using ErrorDescriber = std::string (*)(const std::string& name,
                                           const boost::system::error_code& ec, bool while_writing);

    StreamLink(Stream stream, std::string name, ErrorDescriber describe_error,
               Transport::ReceiveHandler on_receive, Transport::ErrorHandler on_error)
        : stream_(std::move(stream)),
          name_(std::move(name)),
          describe_error_(describe_error),
          on_receive_(std::move(on_receive)),
          on_error_(std::move(on_error)) {
        pending_.reserve(kInitialQueueCapacity);
        in_flight_.reserve(kInitialQueueCapacity);
        if constexpr (!kIsSocket) {
            // A write on the caller's thread must never block: the descriptor is non-blocking
            // from the start (Asio makes it so too, but only once its first operation starts).
            const int fd = stream_.native_handle();
            const int flags = ::fcntl(fd, F_GETFL);
            if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        }
    }

    Stream& stream() { return stream_; }

    /// Runs once, on the link's thread, before the link starts its first queued (asynchronous)
    /// write or closes its stream, whichever comes first: from then on the I/O loop may change
    /// the stream's registration (a write adds EPOLLOUT) or drop it, so an owner that changes
    /// that registration itself (ReaderMute) must stop. Set before start().
    void set_registration_fence(std::function<void()> fence) { fence_ = std::move(fence); }

    /// Starts reading. Call on the io thread.
    void start() {
        if (closed_ || failed_) return;
        wait_readable();
    }

    /// Reads what the stream holds now and hands it to the ReceiveHandler, on the calling
    /// thread, which holds the pen's guard. Returns whether any bytes came. Call it when bytes
    /// wait (Transport::input_waiting): on a tty, a read that finds nothing first waits for the
    /// tty's queued input work. A tty's full buffer takes one call, not one per 4 KB, and no
    /// read that finds nothing follows a short one.
    bool read_available() { return drain() > 0; }

    /// The descriptor, for a transport to ask whether bytes wait without the guard.
    int descriptor() { return stream_.native_handle(); }

    void send(std::span<const std::uint8_t> bytes) {
        if (closed_ || failed_ || bytes.empty()) return;
        if (pending_.size() - pending_begin_ + bytes.size() > kMaxQueuedBytes) {
            fail("the send queue of " + name_ + " exceeded " + std::to_string(kMaxQueuedBytes) +
                 " bytes; the peer is not reading");
            return;
        }
        if (!writing_ && pending_.size() == pending_begin_ && bytes.size() <= kMaxWriteChunk) {
            const std::size_t taken = write_now(bytes);
            if (taken == bytes.size()) return;
            bytes = bytes.subspan(taken);
        }
        pending_.insert(pending_.end(), bytes.begin(), bytes.end());
        if (!writing_) write_next();
    }

    /// Puts a whole frame (ending in 0x00) ahead of every queued byte, at the first frame
    /// boundary not yet handed to the stream.
    void send_urgent(std::span<const std::uint8_t> frame) {
        if (closed_ || failed_ || frame.empty()) return;
        if (!writing_) {
            send(frame);
            return;
        }
        // The write in flight may have cut a frame; its tail opens pending_ and must go first.
        std::size_t at = pending_begin_;
        if (!in_flight_ends_frame_) {
            const auto from = pending_.begin() + static_cast<std::ptrdiff_t>(pending_begin_);
            const auto end = std::find(from, pending_.end(), std::uint8_t{0});
            at = end == pending_.end() ? pending_.size()
                                       : static_cast<std::size_t>(end - pending_.begin()) + 1;
        }
        pending_.insert(pending_.begin() + static_cast<std::ptrdiff_t>(at), frame.begin(),
                        frame.end());
    }

    /// Stops everything; no handler is called afterwards. Idempotent.
    void close() {
        if (closed_) return;
        // The handlers are kept, not reset: close() may be called from inside one of them.
        closed_ = true;
        pass_fence();
        boost::system::error_code ignored;
        stream_.close(ignored);
    }

    bool is_open() const { return !closed_ && !failed_; }

    /// Bytes send() accepted that the stream has not yet taken (queued, or in a write not yet
    /// complete): 0 while every send is written at once.
    std::size_t queued_bytes() const {
        return (writing_ ? in_flight_.size() : 0) + pending_.size() - pending_begin_;
    }

private:
    static constexpr bool kIsSocket = std::is_same_v<Stream, boost::asio::ip::tcp::socket>;

    /// Writes what the stream takes now without waiting; returns how many bytes it took (0 when
    /// it is full or failed: the queued write then finds out which).
    std::size_t write_now(std::span<const std::uint8_t> bytes) {
        const int fd = stream_.native_handle();
        for (;;) {
            ssize_t written;
            if constexpr (kIsSocket)
                written = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            else
                written = ::write(fd, bytes.data(), bytes.size());
            if (written >= 0) return static_cast<std::size_t>(written);
            if (errno != EINTR) return 0;
        }
    }

    void wait_readable() {
        auto self = this->shared_from_this();
        stream_.async_wait(Stream::wait_read,
                           [self](const boost::system::error_code& ec) { self->on_readable(ec); });
    }

    void on_readable(const boost::system::error_code& ec) {
        if (closed_ || failed_) return;
        if (ec) {
            fail(describe_error_(name_, ec, false));
            return;
        }
        drain();
        // The receive handler may have closed the link.
        if (!closed_ && !failed_) wait_readable();
    }

    /// Reads until a read comes back short (the stream is empty for now), would block, or
    /// fails, at most kMaxReadsAtOnce times; hands each read's bytes to the ReceiveHandler.
    /// Returns the bytes read.
    std::size_t drain() {
        constexpr std::size_t kFullRead = kIsSocket ? kReadBufferSize : kTtyReadMax;
        std::size_t total = 0;
        for (int reads = 0; reads < kMaxReadsAtOnce && !closed_ && !failed_; ++reads) {
            const int fd = stream_.native_handle();
            ssize_t got;
            if constexpr (kIsSocket)
                got = ::recv(fd, read_buffer_.data(), read_buffer_.size(), MSG_DONTWAIT);
            else
                got = ::read(fd, read_buffer_.data(), read_buffer_.size());
            if (got < 0) {
                if (errno == EINTR) continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    fail(describe_error_(name_, {errno, boost::system::system_category()}, false));
                break;
            }
            if (got == 0) {  // the other end closed
                fail(describe_error_(name_, boost::asio::error::eof, false));
                break;
            }
            const auto size = static_cast<std::size_t>(got);
            total += size;
            if (on_receive_) on_receive_(std::span<const std::uint8_t>(read_buffer_.data(), size));
            if (size < kFullRead) break;
        }
        return total;
    }

    void write_next() {
        // Small writes, so an urgent frame waits behind at most kMaxWriteChunk bytes that the
        // stream already took.
        // pending_begin_ marks what earlier chunks took, so a long queue is not shifted per
        // chunk; it is compacted once most of it has gone.
        const std::size_t queued = pending_.size() - pending_begin_;
        if (pending_begin_ == 0 && queued <= kMaxWriteChunk) {
            std::swap(pending_, in_flight_);
        } else {
            const std::size_t take = std::min(queued, kMaxWriteChunk);
            const auto from = pending_.begin() + static_cast<std::ptrdiff_t>(pending_begin_);
            in_flight_.assign(from, from + static_cast<std::ptrdiff_t>(take));
            pending_begin_ += take;
            if (pending_begin_ == pending_.size()) {
                pending_.clear();
                pending_begin_ = 0;
            } else if (pending_begin_ > pending_.size() / 2) {
                pending_.erase(pending_.begin(),
                               pending_.begin() + static_cast<std::ptrdiff_t>(pending_begin_));
                pending_begin_ = 0;
            }
        }
        in_flight_ends_frame_ = in_flight_.back() == 0x00;
        writing_ = true;
        pass_fence();
        auto self = this->shared_from_this();
        boost::asio::async_write(
            stream_, boost::asio::buffer(in_flight_),
            [self](const boost::system::error_code& ec, std::size_t) { self->on_written(ec); });
    }

    void on_written(const boost::system::error_code& ec) {
        writing_ = false;
        in_flight_.clear();
        if (closed_ || failed_) return;
        if (ec) {
            fail(describe_error_(name_, ec, true));
            return;
        }
        if (pending_.size() > pending_begin_) write_next();
    }

    // The first failure wins; the stream is closed so the other direction stops too, and the
    // ErrorHandler runs exactly once.
    void fail(const std::string& reason) {
        if (closed_ || failed_) return;
        failed_ = true;
        pass_fence();
        boost::system::error_code ignored;
        stream_.close(ignored);
        pending_.clear();
        pending_begin_ = 0;
        if (on_error_) on_error_(reason);
    }

    void pass_fence() {
        if (fence_) std::exchange(fence_, nullptr)();
    }

    Stream stream_;
    std::function<void()> fence_;
    std::string name_;
    ErrorDescriber describe_error_;
    Transport::ReceiveHandler on_receive_;
    Transport::ErrorHandler on_error_;
    std::array<std::uint8_t, kReadBufferSize> read_buffer_{};
    std::vector<std::uint8_t> pending_;
    std::vector<std::uint8_t> in_flight_;
    bool writing_ = false;
    std::size_t pending_begin_ = 0;  // bytes of pending_ already handed to a write
    bool in_flight_ends_frame_ = true;
    bool failed_ = false;
    bool closed_ = false;
};

}  // namespace penlink::transport
