// Connection URLs: serial:///dev/ttyUSB0?baud=115200, tcp://127.0.0.1:7878, sim://?rf=1&led=1
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace penlink::transport {

struct Url {
    std::string scheme;                        // "serial", "tcp", "sim" (lower case)
    std::string host;                          // tcp only
    std::uint16_t port = 0;                    // tcp only
    std::string path;                          // serial: device path
    std::map<std::string, std::string> query;  // decoded key=value pairs

    /// query value or fallback
    std::string get(const std::string& key, const std::string& fallback = {}) const;
};

/// Parses a connection URL. Throws penlink::InvalidArgumentError naming the URL and what is
/// wrong ("unknown scheme 'foo' in 'foo://x'; expected serial, tcp or sim").
Url parse_url(const std::string& text);

}  // namespace penlink::transport
