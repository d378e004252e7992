#include "transport/transport_factory.hpp"

#include "penlink/errors.hpp"
#include "transport/inproc_transport.hpp"
#include "transport/serial_transport.hpp"
#include "transport/tcp_transport.hpp"

namespace penlink::transport {

std::unique_ptr<Transport> make_transport(const Url& url, boost::asio::io_context& io) {
    if (url.scheme == "serial") return std::make_unique<SerialTransport>(io, url);
    if (url.scheme == "tcp") return std::make_unique<TcpTransport>(io, url);
    if (url.scheme == "sim") return std::make_unique<InprocTransport>(io, url);
    throw InvalidArgumentError("unknown transport scheme '" + url.scheme +
                               "'; expected serial, tcp or sim");
}

}  // namespace penlink::transport
