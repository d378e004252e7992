// Hex text as docs/protocol.md writes its vectors: two-digit bytes separated by spaces, 16 to a
// line, continuation lines indented. Shared by the doc-vector tests.
#pragma once

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "frame_test_util.hpp"

namespace penlink::protocol::test {

/// "01 0a ff" -> bytes; any token that is not two hex digits fails the test.
inline Bytes parse_hex(const std::string& text) {
    Bytes bytes;
    std::istringstream in(text);
    std::string token;
    while (in >> token) {
        REQUIRE(token.size() == 2);
        bytes.push_back(static_cast<std::uint8_t>(std::stoul(token, nullptr, 16)));
    }
    return bytes;
}

/// bytes -> "01 0a ff", a new line (indented by indent) after every 16.
inline std::string hex_lines(const Bytes& bytes, std::size_t indent) {
    static const char* digits = "0123456789abcdef";
    std::ostringstream out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i > 0) out << ((i % 16 == 0) ? "\n" + std::string(indent, ' ') : " ");
        out << digits[bytes[i] >> 4] << digits[bytes[i] & 0xF];
    }
    return out.str();
}

}  // namespace penlink::protocol::test
