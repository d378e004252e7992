// A pen on a serial line (USB CDC-ACM, FTDI, or a pseudo-terminal from penlink-sim): 8N1, no flow
// control, baud from the URL (default 115200).
//
// open() takes the port exclusively (flock, plus TIOCEXCL for other non-root users) so two
// programs never interleave frames on one pen; the second gets "serial port X is busy".
// Threads: see Transport. open() runs on the caller's thread; everything else on the io thread.
#pragma once

#include <atomic>

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <boost/asio/posix/stream_descriptor.hpp>
#include "transport/link_executor.hpp"

#include "transport/reader_mute.hpp"
#include "transport/stream_link.hpp"
#include "transport/transport.hpp"
#include "transport/url.hpp"

namespace penlink::transport {

inline constexpr unsigned kDefaultBaudRate = 115200;

/// The rates open() can set, ascending.
std::span<const unsigned> supported_baud_rates();

class SerialTransport final : public Transport {
public:
    /// Checks the URL (device path, baud, no unknown options) without touching the device.
    /// Throws penlink::InvalidArgumentError naming the bad value and what is accepted.
    SerialTransport(const LinkExecutor& io, const Url& url);
    ~SerialTransport() override;

    void open(ReceiveHandler on_receive, ErrorHandler on_error,
              std::chrono::milliseconds timeout) override;
    void send(std::span<const std::uint8_t> bytes) override;
    void send_urgent(std::span<const std::uint8_t> frame) override;
    bool receive_now() override {
        // A local reference: a failing read calls the ErrorHandler, which may drop link_.
        auto link = link_;
        return link && link->read_available();
    }
    bool input_waiting() const override;
    void mute_reader(bool muted) override { reader_mute_.mute(muted); }
    /// baud / 10; 0 (no limit) on a pseudo-terminal, which carries bytes at memory speed
    /// whatever baud rate is set (a simulator's link).
    std::size_t link_bytes_per_second() const override {
        return pseudo_terminal_ ? 0 : baud_rate_ / 10;
    }
    void close() override;
    std::string description() const override;

private:
    using Link = StreamLink<boost::asio::posix::stream_descriptor>;

    void watch_for_input(int descriptor);

    LinkExecutor io_;
    std::string path_;
    unsigned baud_rate_ = kDefaultBaudRate;
    std::atomic<bool> pseudo_terminal_{false};  // set by open(), read by the session
    std::shared_ptr<Link> link_;
    /// An epoll set watching link_'s tty for input while open (see watch_for_input), else -1:
    /// read by input_waiting() on any thread. The pen's second descriptor.
    std::atomic<int> input_probe_{-1};
    /// Mutes the tty in the I/O loop while a caller takes its reply (mute_reader).
    ReaderMute reader_mute_;
};

}  // namespace penlink::transport
