// A penlink pen over Bluetooth LE, through BlueZ on the system D-Bus (protocol.md 15):
//   ble://AA:BB:CC:DD:EE:FF[?adapter=hci1]   ble://?name=NAME[&adapter=hci1]
// and interval_ms=N, the connection interval to assume for rate estimates (default 15).
//
// The COBS byte stream goes host to pen as writes without response of at most MTU - 3 bytes on
// the service's write characteristic, and pen to host as notifications, fed to the receive
// handler as they come. Writes are paced by BlueZ's replies (a few in flight) from a bounded
// queue; a producer that outruns the link gets a clear error instead of growing lag.
//
// Nothing touches D-Bus until open(): an app that never opens a ble:// URL needs no bus.
// Threads: open() blocks the caller; BlueZ's signals and replies arrive on sdbus-c++'s event
// loop thread and are posted to the io_context, so every handler runs on the io thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "transport/link_executor.hpp"

#include "transport/transport.hpp"
#include "transport/url.hpp"

namespace penlink::transport {

class BleTransport final : public Transport {
public:
    /// Checks the URL's options. Throws penlink::InvalidArgumentError naming a bad one.
    BleTransport(const LinkExecutor& io, const Url& url);
    ~BleTransport() override;

    /// Finds the adapter and the device (scanning up to the timeout if BlueZ does not know it
    /// yet), connects, checks the penlink service, reads the MTU and subscribes to
    /// notifications. Throws ConnectionError (no adapter, adapter off, device not found,
    /// BlueZ's own refusal such as pairing, with its text), NotSupportedError (not a penlink
    /// pen) or TimeoutError.
    void open(ReceiveHandler on_receive, ErrorHandler on_error,
              std::chrono::milliseconds timeout) override;
    void send(std::span<const std::uint8_t> bytes) override;
    void send_urgent(std::span<const std::uint8_t> frame) override;
    std::size_t link_bytes_per_second() const override;
    std::size_t link_payload_size() const override;
    /// gatt::kStatusSharePercent: status and commands travel in different packets.
    unsigned status_share_percent() const override;
    /// The assumed connection interval (interval_ms=, 15 ms by default).
    std::chrono::milliseconds link_interval() const override;
    void close() override;
    std::string description() const override;

private:
    struct Link;

    LinkExecutor io_;
    std::string address_;  // or empty, and then name_
    std::string name_;
    std::string adapter_;
    int interval_ms_;
    std::size_t payload_size_;  // of the last open link, MTU - 3
    std::shared_ptr<Link> link_;
};

}  // namespace penlink::transport
