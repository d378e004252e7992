#include "common/key_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "penlink/errors.hpp"

namespace penlink::keys {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string octal(unsigned mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode & 07777u);
    return text;
}

}  // namespace

Key parse_hex(const std::string& hex, const std::string& what) {
    if (hex.size() != 64) {
        throw InvalidArgumentError(what + " must be 64 hex digits (32 bytes); it has " +
                                   std::to_string(hex.size()) + " characters");
    }
    Key key{};
    for (std::size_t i = 0; i < key.size(); ++i) {
        const int high = hex_value(hex[2 * i]), low = hex_value(hex[2 * i + 1]);
        if (high < 0 || low < 0) {
            key.fill(0);
            throw InvalidArgumentError(what + " must be 64 hex digits; character " +
                                       std::to_string(2 * i + (high < 0 ? 1 : 2)) +
                                       " is not a hex digit");
        }
        key[i] = static_cast<std::uint8_t>(high << 4 | low);
    }
    return key;
}

std::string to_hex(const Key& key) {
    static const char digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(64);
    for (auto b : key) {
        text.push_back(digits[b >> 4]);
        text.push_back(digits[b & 15]);
    }
    return text;
}

std::map<std::string, Key> load_file(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        throw InvalidArgumentError("cannot read key file " + path + ": " + std::strerror(errno));
    }
    if (!S_ISREG(info.st_mode)) {
        throw InvalidArgumentError("key file " + path + " is not a regular file");
    }
    if ((info.st_mode & (S_IRWXO | S_IWGRP)) != 0) {
        throw InvalidArgumentError("key file " + path + " has mode " + octal(info.st_mode) +
                                   ": others may read or change it; run chmod 600 " + path);
    }
    std::ifstream in(path);
    if (!in) throw InvalidArgumentError("cannot open key file " + path);
    std::map<std::string, Key> keys;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        std::istringstream fields(line);
        std::string first, second, extra;
        fields >> first >> second >> extra;
        if (first.empty() || first[0] == '#') continue;
        const std::string where = "key file " + path + " line " + std::to_string(number);
        if (!extra.empty()) {
            throw InvalidArgumentError(where + " has more than two fields (expected SERIAL KEY)");
        }
        const std::string serial = second.empty() ? std::string() : first;
        const std::string hex = second.empty() ? first : second;
        if (keys.count(serial) != 0) {
            throw InvalidArgumentError(where + " repeats the key for " +
                                       (serial.empty() ? std::string("any serial") : serial));
        }
        keys.emplace(serial, parse_hex(hex, "the key on " + where));
    }
    if (keys.empty()) throw InvalidArgumentError("key file " + path + " holds no key");
    return keys;
}

void save_pen_key(const std::string& path, const Key& key) {
    const std::string temporary = path + ".new";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        throw InvalidArgumentError("cannot write key file " + temporary + ": " +
                                   std::strerror(errno));
    }
    const std::string text = to_hex(key) + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced || ::rename(temporary.c_str(), path.c_str()) != 0) {
        ::unlink(temporary.c_str());
        throw InvalidArgumentError("cannot write key file " + path);
    }
}

}  // namespace penlink::keys
