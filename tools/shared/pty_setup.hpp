// Opening a pseudo-terminal for a tool that plays the device end of a serial link (penlink-sim,
// penlink-proxy's host side): a new master, and the slave side in raw mode, since the protocol
// is binary (no echo, no line editing, no CR/LF translation). Failures throw std::system_error
// naming the call that failed.
#pragma once

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

namespace penlink::tools {

/// Throws std::system_error for errno, saying what was being done.
[[noreturn]] inline void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

/// Opens a new pty master (O_RDWR | O_NOCTTY | extra_flags, e.g. O_CLOEXEC) and returns its
/// fd; slave_path gets the slave's name. Nothing stays open when it throws.
inline int open_pty_master(std::string& slave_path, int extra_flags = 0) {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | extra_flags);
    if (master < 0) throw_errno("posix_openpt");
    const auto fail = [master](const char* what) {
        const int saved = errno;
        ::close(master);
        errno = saved;
        throw_errno(what);
    };
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0) fail("grantpt/unlockpt");
    const char* name = ::ptsname(master);
    if (name == nullptr) fail("ptsname");
    slave_path = name;
    return master;
}

/// Opens the pty slave at path (close-on-exec, not as the controlling terminal) and puts it in
/// raw mode; returns the fd. The settings stay with the pty after the fd is closed.
inline int open_raw_slave(const std::string& path) {
    const int slave = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) throw_errno("open " + path);
    termios settings{};
    if (::tcgetattr(slave, &settings) == 0) {
        ::cfmakeraw(&settings);
        ::tcsetattr(slave, TCSANOW, &settings);
    }
    return slave;
}

}  // namespace penlink::tools
