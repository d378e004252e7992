#include "transport/url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>

#include "penlink/errors.hpp"

namespace penlink::transport {

namespace {

constexpr std::string_view kSerialForm = "serial:///dev/ttyUSB0?baud=115200";
constexpr std::string_view kTcpForm = "tcp://<host>:<port>, e.g. tcp://127.0.0.1:7878";
constexpr std::string_view kSimForm = "sim:// or sim://?key=value&key=value";
constexpr std::string_view kBleForm = "ble://AA:BB:CC:DD:EE:FF or ble://?name=NAME";
constexpr std::string_view kReplayForm =
    "replay:///path/to/recording or replay://FILE?speed=4&match=lenient";

[[noreturn]] void fail(const std::string& url, const std::string& problem,
                       std::string_view expected) {
    std::string message = "invalid connection URL '" + url + "': " + problem;
    if (!expected.empty()) {
        message += "; expected ";
        message += expected;
    }
    throw InvalidArgumentError(message);
}

std::optional<int> hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return std::nullopt;
}

// RFC 3986 percent-decoding. '+' is left alone: these are URLs, not HTML form bodies.
std::string percent_decode(std::string_view text, const std::string& url, std::string_view what) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        std::optional<int> high = i + 1 < text.size() ? hex_digit(text[i + 1]) : std::nullopt;
        std::optional<int> low = i + 2 < text.size() ? hex_digit(text[i + 2]) : std::nullopt;
        if (!high || !low) {
            fail(url,
                 "bad percent escape '" + std::string(text.substr(i, 3)) + "' in " +
                     std::string(what),
                 "'%' followed by two hex digits, e.g. %20");
        }
        out += static_cast<char>(*high * 16 + *low);
        i += 2;
    }
    return out;
}

std::map<std::string, std::string> parse_query(std::string_view query, const std::string& url) {
    std::map<std::string, std::string> result;
    while (!query.empty()) {
        std::size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;  // tolerate "a=1&&b=2" and a trailing '&'
        std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos) {
            fail(url, "query parameter '" + std::string(pair) + "' has no value", "key=value");
        }
        if (eq == 0)
            fail(url, "query parameter '" + std::string(pair) + "' has no name", "key=value");
        std::string key = percent_decode(pair.substr(0, eq), url, "a query key");
        std::string value = percent_decode(pair.substr(eq + 1), url, "the value of '" + key + "'");
        if (!result.emplace(key, std::move(value)).second) {
            fail(url, "query parameter '" + key + "' is given twice", "each key at most once");
        }
    }
    return result;
}

void parse_serial(std::string_view rest, const std::string& url, Url& out) {
    if (rest.starts_with("//")) {
        rest.remove_prefix(2);
        if (!rest.starts_with('/')) {
            // serial://dev/ttyUSB0 would make "dev" a host name; say how to write it instead.
            fail(url, "the device path must be absolute, after an empty host (three slashes)",
                 kSerialForm);
        }
    } else if (!rest.starts_with('/')) {
        fail(url, "missing device path", kSerialForm);
    }
    out.path = percent_decode(rest, url, "the device path");
    if (out.path == "/") fail(url, "missing device path", kSerialForm);
}

std::uint16_t parse_port(std::string_view text, const std::string& url) {
    if (text.empty()) fail(url, "missing port", kTcpForm);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        fail(url, "port '" + std::string(text) + "' is not a number", kTcpForm);
    }
    if (value < 1 || value > 65535) {
        fail(url, "port " + std::string(text) + " is outside 1-65535", kTcpForm);
    }
    return static_cast<std::uint16_t>(value);
}

void parse_tcp(std::string_view rest, const std::string& url, Url& out) {
    if (!rest.starts_with("//")) fail(url, "missing '//' before the host", kTcpForm);
    rest.remove_prefix(2);
    if (rest.ends_with('/')) rest.remove_suffix(1);
    if (rest.find('/') != std::string_view::npos) {
        fail(url, "a tcp URL has no path", kTcpForm);
    }
    if (rest.find('@') != std::string_view::npos) {
        fail(url, "user names are not supported", kTcpForm);
    }
    std::string_view host;
    std::string_view port;
    if (rest.starts_with('[')) {  // IPv6 literal: [::1]:7878
        std::size_t close = rest.find(']');
        if (close == std::string_view::npos)
            fail(url, "unterminated '[' in the IPv6 address", kTcpForm);
        host = rest.substr(1, close - 1);
        std::string_view after = rest.substr(close + 1);
        if (!after.starts_with(':')) fail(url, "missing port", kTcpForm);
        port = after.substr(1);
    } else {
        std::size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos) {
            fail(url, rest.empty() ? "missing host and port" : "missing port", kTcpForm);
        }
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            fail(url, "IPv6 addresses must be in brackets", "tcp://[::1]:7878");
        }
    }
    if (host.empty()) fail(url, "missing host", kTcpForm);
    out.host = std::string(host);
    out.port = parse_port(port, url);
}

void parse_sim(std::string_view rest, const std::string& url) {
    if (rest.starts_with("//")) rest.remove_prefix(2);
    if (rest == "/") rest = {};
    if (!rest.empty()) {
        fail(url, "unexpected '" + std::string(rest) + "' (the simulator takes only options)",
             kSimForm);
    }
}

// replay:///abs/file, replay://relative/file and replay:file all name a file.
void parse_replay(std::string_view rest, const std::string& url, Url& out) {
    if (rest.starts_with("//")) rest.remove_prefix(2);
    if (rest.empty()) fail(url, "missing the recording file", kReplayForm);
    out.path = percent_decode(rest, url, "the file name");
}

bool is_ble_address(std::string_view text) {
    if (text.size() != 17) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i % 3 == 2 ? text[i] != ':' : !hex_digit(text[i])) return false;
    }
    return true;
}

void parse_ble(std::string_view rest, const std::string& url, Url& out) {
    if (!rest.starts_with("//")) fail(url, "missing '//' before the device address", kBleForm);
    rest.remove_prefix(2);
    if (rest.ends_with('/')) rest.remove_suffix(1);
    if (!rest.empty() && !is_ble_address(rest)) {
        fail(url, "'" + std::string(rest) + "' is not a Bluetooth address", kBleForm);
    }
    out.address = std::string(rest);
    std::transform(out.address.begin(), out.address.end(), out.address.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const bool has_name = out.query.count("name") != 0;
    if (out.address.empty() && !has_name) fail(url, "neither an address nor a name", kBleForm);
    if (!out.address.empty() && has_name) {
        fail(url, "give the address or the name, not both", kBleForm);
    }
    if (has_name && out.query.at("name").empty()) fail(url, "the name is empty", kBleForm);
}

}  // namespace

std::string Url::get(const std::string& key, const std::string& fallback) const {
    auto it = query.find(key);
    return it == query.end() ? fallback : it->second;
}

Url parse_url(const std::string& text) {
    if (text.empty())
        fail(text, "the URL is empty", "serial:///dev/ttyUSB0, tcp://127.0.0.1:7878 or sim://");
    std::size_t colon = text.find(':');
    if (colon == std::string::npos || colon == 0) {
        fail(text, "missing scheme", "serial:///dev/ttyUSB0, tcp://127.0.0.1:7878 or sim://");
    }
    Url url;
    url.scheme = text.substr(0, colon);
    std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });

    std::string_view rest = std::string_view(text).substr(colon + 1);
    std::size_t question = rest.find('?');
    if (question != std::string_view::npos) {
        url.query = parse_query(rest.substr(question + 1), text);
        rest = rest.substr(0, question);
    }
    if (rest.find('#') != std::string_view::npos) {
        fail(text, "fragments ('#') are not supported", {});
    }

    if (url.scheme == "serial") {
        parse_serial(rest, text, url);
    } else if (url.scheme == "tcp") {
        parse_tcp(rest, text, url);
    } else if (url.scheme == "sim") {
        parse_sim(rest, text);
    } else if (url.scheme == "ble") {
        parse_ble(rest, text, url);
    } else if (url.scheme == "replay") {
        parse_replay(rest, text, url);
    } else {
        fail(text, "unknown scheme '" + url.scheme + "'", "serial, tcp, sim, ble or replay");
    }
    return url;
}

}  // namespace penlink::transport
