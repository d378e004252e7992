// A byte pipe to a pen: serial, TCP, in-process simulator, Bluetooth LE.
//
// Transports know nothing of the protocol. Core owns the boost::asio::io_context and runs it on
// its own thread; a transport does all its I/O on that context, so its handlers are called on
// that one thread, never concurrently.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "transport/link_executor.hpp"

namespace penlink::transport {

class Transport {
public:
    /// Bytes as they arrived; the span is valid only during the call.
    using ReceiveHandler = std::function<void(std::span<const std::uint8_t>)>;
    /// The link failed or was closed by the peer; called at most once per open().
    using ErrorHandler = std::function<void(const std::string& reason)>;

    virtual ~Transport() = default;

    /// Opens the link and starts reading. Blocks the calling thread (not the io thread) for at
    /// most timeout. Throws penlink::Error (ConnectionError / InvalidArgumentError / TimeoutError)
    /// with a message naming the port or address on failure. After return, handlers run on the
    /// io_context thread.
    virtual void open(ReceiveHandler on_receive, ErrorHandler on_error,
                      std::chrono::milliseconds timeout) = 0;

    /// Queues bytes for sending. Must be called on the io_context thread. Writes happen in
    /// call order; a write failure is reported through the ErrorHandler.
    virtual void send(std::span<const std::uint8_t> bytes) = 0;

    /// Queues one whole frame ahead of everything queued and not yet written, at the next frame
    /// boundary (an emergency stop). Same thread rule as send(). A transport without a queue of
    /// its own sends it like any other.
    virtual void send_urgent(std::span<const std::uint8_t> frame) { send(frame); }

    /// Reads what has arrived and hands it to the ReceiveHandler now, on the calling thread,
    /// without waiting: a caller waiting for a reply takes it without waiting for the I/O
    /// thread to be woken. Same thread rule as send() (the pen's guard). Returns whether any
    /// bytes came; a transport that cannot (its reads happen elsewhere) returns false.
    virtual bool receive_now() { return false; }

    /// Whether bytes wait to be read: a hint for deciding to call receive_now(), on any
    /// thread, without the pen's guard (so a caller watching for its reply holds the guard
    /// only when there is something to take). False for a transport without receive_now().
    virtual bool input_waiting() const { return false; }

    /// A caller about to watch for its reply and take it itself (receive_now) may spare the
    /// I/O thread the wake-up that would find the reply gone: mute_reader(true) before it
    /// watches, mute_reader(false) once it stops (it has its reply, or it is about to sleep
    /// and leave the reading to the I/O thread). Any thread, without the pen's guard; calls
    /// nest. Bytes that came meanwhile and are still unread wake the I/O thread when the last
    /// caller unmutes; a hang-up or an error wakes it even while muted. A no-op by default.
    virtual void mute_reader(bool muted) { (void)muted; }

    /// Roughly how many bytes per second the link carries (serial: baud / 10), or 0 if it is
    /// not a bottleneck (TCP, in-process). The session requests no more status than fits.
    virtual std::size_t link_bytes_per_second() const { return 0; }

    /// The largest write the link carries in one piece (BLE: MTU - 3), or 0 if unbounded.
    virtual std::size_t link_payload_size() const { return 0; }

    /// How much of link_bytes_per_second() the status stream may take, in percent, with
    /// requests, replies and events still getting through (protocol.md 11). Half by default: on
    /// a byte stream such as serial, replies share the pen's output with Status frames.
    virtual unsigned status_share_percent() const { return kDefaultStatusSharePercent; }

    /// The time between the link's chances to carry bytes (BLE: the connection interval), or 0
    /// if bytes go out as soon as they are written. The session scales its default command
    /// timeout, heartbeat and link supervision by it (protocol.md 11.1).
    virtual std::chrono::milliseconds link_interval() const { return {}; }

    /// status_share_percent() of a link that says nothing else (protocol.md 11).
    static constexpr unsigned kDefaultStatusSharePercent = 50;

    /// Closes the link. Call on the io_context thread. Idempotent. After it returns no handler
    /// is called again.
    virtual void close() = 0;

    /// e.g. "serial /dev/ttyUSB0 at 115200 baud", "tcp 127.0.0.1:7878", "in-process simulator".
    virtual std::string description() const = 0;
};

}  // namespace penlink::transport
