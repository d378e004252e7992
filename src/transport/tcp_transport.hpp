// A pen (or penlink-sim) reachable over TCP, e.g. through a Wi-Fi module or a serial-to-TCP
// bridge. TCP_NODELAY is set: frames are small and a command should not wait for Nagle.
//
// open() connects on a private io_context on the caller's thread, bounded by the timeout, and
// then moves the connected socket onto the shared io_context; so open() works whether or not
// that context is already running. Threads otherwise as Transport says.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include "transport/link_executor.hpp"

#include "transport/reader_mute.hpp"
#include "transport/stream_link.hpp"
#include "transport/transport.hpp"
#include "transport/url.hpp"

namespace penlink::transport {

class TcpTransport final : public Transport {
public:
    /// Checks host, port and options. Throws penlink::InvalidArgumentError.
    TcpTransport(const LinkExecutor& io, const Url& url);
    ~TcpTransport() override;

    void open(ReceiveHandler on_receive, ErrorHandler on_error,
              std::chrono::milliseconds timeout) override;
    void send(std::span<const std::uint8_t> bytes) override;
    void send_urgent(std::span<const std::uint8_t> frame) override;
    bool receive_now() override {
        // A local reference: a failing read calls the ErrorHandler, which may drop link_.
        auto link = link_;
        return link && link->read_available();
    }
    bool input_waiting() const override { return bytes_waiting(input_fd_.load()); }
    void mute_reader(bool muted) override { reader_mute_.mute(muted); }
    void close() override;
    std::string description() const override;
    /// Bytes sent but not yet taken by the socket (StreamLink::queued_bytes); same thread rule
    /// as send().
    std::size_t queued_bytes() const;

private:
    using Link = StreamLink<boost::asio::ip::tcp::socket>;

    /// "127.0.0.1:7878" or "[::1]:7878"
    std::string address() const;

    LinkExecutor io_;
    std::string host_;
    std::uint16_t port_ = 0;
    std::shared_ptr<Link> link_;
    /// link_'s descriptor while open, -1 otherwise: read by input_waiting() on any thread.
    std::atomic<int> input_fd_{-1};
    /// Mutes the socket in the I/O loop while a caller takes its reply (mute_reader).
    ReaderMute reader_mute_;
};

}  // namespace penlink::transport
