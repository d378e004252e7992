// Speaking to a pty raw, without the SDK: the floors the pty benches measure the SDK against
// open penlink-sim's pty (or one of their own) this way and write frames to it by hand.
// A bench has no one to report a failed system call to, so each of these aborts instead.
#pragma once

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "protocol/frame.hpp"

namespace bench {

/// Puts the terminal fd in raw mode: bytes pass as they come, no echo, no line editing.
inline void make_raw(int fd) {
    termios raw{};
    tcgetattr(fd, &raw);
    cfmakeraw(&raw);
    tcsetattr(fd, TCSANOW, &raw);
}

/// Opens the pty at path for reading and writing, raw, and not as the controlling terminal.
inline int open_raw_pty(const std::string& path) {
    const int fd = open(path.c_str(), O_RDWR | O_NOCTTY);
    if (fd < 0) std::abort();
    make_raw(fd);
    return fd;
}

/// Writes size bytes in one call; anything less is a broken floor.
inline void write_all(int fd, const void* bytes, std::size_t size) {
    if (write(fd, bytes, size) != static_cast<ssize_t>(size)) std::abort();
}

/// Encodes message as one frame under seq and writes it.
inline void write_frame(int fd, std::uint16_t seq, const penlink::protocol::Message& message) {
    const auto frame = penlink::protocol::encode_frame(seq, message);
    if (!frame) std::abort();
    write_all(fd, frame->bytes.data(), frame->size);
}

}  // namespace bench
