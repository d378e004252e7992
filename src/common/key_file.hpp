// Pen keys in files and hex text, shared by the SDK (ConnectOptions keys) and the simulated pen
// (penlink-sim --key-file). A key is 32 bytes, written as 64 hex digits.
//
// A key file holds one key per line, "SERIAL HEX", or a single line with just HEX (a pen's own
// key file); blank lines and lines starting with '#' are ignored. A file that others may read or
// write (any "other" permission bit, or group write) is refused: chmod 600 it.
//
// No message of this file ever contains key material: errors name the file, the line and what is
// wrong.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

namespace penlink::keys {

using Key = std::array<std::uint8_t, 32>;

/// 64 hex digits (either case, no separators) to a key; throws InvalidArgumentError saying what
/// is wrong (length, a non-hex character at a position) without echoing the text. what names
/// the source in the message ("the key for PL-1", "--key").
Key parse_hex(const std::string& hex, const std::string& what);
/// The 64 lower-case hex digits of a key (for writing a key file; never for logs).
std::string to_hex(const Key& key);

/// The keys of a key file by serial; a line with only a key is stored under "" (any serial).
/// Throws InvalidArgumentError for an unreadable file, one others may read, or a bad line.
std::map<std::string, Key> load_file(const std::string& path);

/// Writes a pen's own key file (one line, mode 0600), replacing it atomically.
/// Throws InvalidArgumentError if it cannot.
void save_pen_key(const std::string& path, const Key& key);

}  // namespace penlink::keys
