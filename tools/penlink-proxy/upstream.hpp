// The pen side of the proxy: tcp://127.0.0.1:PORT or serial:///path (opened raw).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "byte_stream.hpp"

namespace penlink::proxytool {

/// Checks an upstream URL; returns an empty string if usable, else why not.
std::string check_upstream_url(const std::string& url);

/// Opens url and calls done with the stream, or with nullptr and the reason. done runs on the
/// io_context's thread, never before open_upstream returns.
void open_upstream(
    boost::asio::io_context& io, const std::string& url,
    std::function<void(std::unique_ptr<ByteStream> stream, const std::string& error)> done);

}  // namespace penlink::proxytool
