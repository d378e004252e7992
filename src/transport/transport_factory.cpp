#include "transport/transport_factory.hpp"

#include "penlink/errors.hpp"
#include "transport/inproc_transport.hpp"
#include "transport/replay_transport.hpp"
#include "transport/serial_transport.hpp"
#include "transport/tcp_transport.hpp"
#ifdef PENLINK_WITH_BLE
#include "transport/ble/ble_transport.hpp"
#endif

namespace penlink::transport {

std::unique_ptr<Transport> make_transport(const Url& url, const LinkExecutor& io) {
    if (url.scheme == "serial") return std::make_unique<SerialTransport>(io, url);
    if (url.scheme == "tcp") return std::make_unique<TcpTransport>(io, url);
    if (url.scheme == "sim") return std::make_unique<InprocTransport>(io, url);
    if (url.scheme == "replay") return std::make_unique<ReplayTransport>(io, url);
    if (url.scheme == "ble") {
#ifdef PENLINK_WITH_BLE
        return std::make_unique<BleTransport>(io, url);
#else
        throw NotSupportedError(
            "this penlink was built without Bluetooth LE (PENLINK_WITH_BLE=OFF), so it cannot "
            "open ble://" +
            (url.address.empty() ? "?name=" + url.get("name") : url.address));
#endif
    }
    throw InvalidArgumentError("unknown transport scheme '" + url.scheme +
                               "'; expected serial, tcp, sim, ble or replay");
}

}  // namespace penlink::transport
