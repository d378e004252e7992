// Connection URLs: serial:///dev/ttyUSB0?baud=115200, tcp://127.0.0.1:7878, sim://?rf=1&led=1
//
// Accepted forms (the scheme is case-insensitive):
//   serial:///dev/ttyUSB0[?baud=N]   empty authority, absolute device path
//   serial:/dev/ttyUSB0[?baud=N]     short form, same meaning
//   tcp://HOST:PORT[/][?...]         HOST a name, IPv4 or [IPv6]; PORT 1-65535, both required
//   sim://[?key=value&...]           also "sim:" with no slashes
//   ble://AA:BB:CC:DD:EE:FF[?...]    a Bluetooth LE pen by address (any case, stored upper case)
//   ble://?name=NAME[&...]           ... or by its advertised name
//   replay:///path/file[?speed=N]    a recorded session played back (also replay://relative/file)
// The query is key=value pairs separated by '&'; %XX escapes are decoded in keys, values and the
// serial path ('+' stays a literal plus). A key without '=', a repeated key or a bad escape is an
// error. Which keys a scheme accepts is checked by its transport, not here.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace penlink::transport {

struct Url {
    std::string scheme;                        // "serial", "tcp", "sim", "ble" (lower case)
    std::string host;                          // tcp only
    std::uint16_t port = 0;                    // tcp only
    std::string path;                          // serial: device path; replay: the file
    std::string address;                       // ble: "AA:BB:CC:DD:EE:FF", or empty
    std::map<std::string, std::string> query;  // decoded key=value pairs

    /// query value or fallback
    std::string get(const std::string& key, const std::string& fallback = {}) const;
};

/// Parses a connection URL. Throws penlink::InvalidArgumentError naming the URL and what is
/// wrong ("unknown scheme 'foo' in 'foo://x'; expected serial, tcp, sim or ble").
Url parse_url(const std::string& text);

}  // namespace penlink::transport
