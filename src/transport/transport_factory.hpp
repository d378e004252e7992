// Picks the transport for a URL.
#pragma once

#include <memory>

#include "transport/link_executor.hpp"

#include "transport/transport.hpp"
#include "transport/url.hpp"

namespace penlink::transport {

/// serial -> SerialTransport, tcp -> TcpTransport, sim -> InprocTransport, ble -> BleTransport,
/// replay -> ReplayTransport
/// (NotSupportedError when built without PENLINK_WITH_BLE).
/// Throws penlink::InvalidArgumentError for an unusable URL (bad baud rate, missing port).
std::unique_ptr<Transport> make_transport(const Url& url, const LinkExecutor& io);

}  // namespace penlink::transport
