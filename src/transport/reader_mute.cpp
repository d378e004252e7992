#include "transport/reader_mute.hpp"

#include <dirent.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>

namespace penlink::transport {

namespace {

/// The registration of descriptor in the epoll set at /proc/self/fdinfo/<set>, if it has one.
bool registration_in(const char* set, int descriptor, std::uint32_t& events, std::uint64_t& data) {
    std::FILE* info = std::fopen((std::string("/proc/self/fdinfo/") + set).c_str(), "r");
    if (!info) return false;
    bool found = false;
    char line[256];
    while (!found && std::fgets(line, sizeof line, info)) {
        int target = -1;
        unsigned mask = 0;
        unsigned long long value = 0;
        if (std::sscanf(line, "tfd: %d events: %x data: %llx", &target, &mask, &value) == 3 &&
            target == descriptor) {
            events = mask;
            data = value;
            found = true;
        }
    }
    std::fclose(info);
    return found;
}

}  // namespace

void ReaderMute::find(int descriptor, int own_set) {
    Registration found;
    // Numbers come in ascending order: the I/O loop's set, made with it, comes before the
    // descriptors of pens opened since, so the search ends early.
    if (DIR* fds = ::opendir("/proc/self/fd")) {
        while (const dirent* entry = ::readdir(fds)) {
            const char* const name = entry->d_name;
            int fd = -1;
            if (std::from_chars(name, name + std::strlen(name), fd).ec != std::errc{} ||
                fd == own_set || fd == descriptor)
                continue;
            char target[32] = {};
            const std::string path = std::string("/proc/self/fd/") + name;
            if (::readlink(path.c_str(), target, sizeof target - 1) < 0 ||
                std::strcmp(target, "anon_inode:[eventpoll]") != 0)
                continue;
            if (registration_in(name, descriptor, found.events, found.data)) {
                found.set = fd;
                found.descriptor = descriptor;
                break;
            }
        }
        ::closedir(fds);
    }
    // As expected: waiting for input, not (yet) for room to write.
    if ((found.events & EPOLLIN) == 0 || (found.events & EPOLLOUT) != 0) found = {};
    const std::lock_guard lock(mutex_);
    found_ = found;
    muted_callers_ = 0;
}

void ReaderMute::mute(bool muted) {
    const std::lock_guard lock(mutex_);
    if (found_.set < 0) return;
    if (muted ? muted_callers_++ > 0 : (muted_callers_ == 0 || --muted_callers_ > 0)) return;
    apply(muted ? 0u : found_.events);
}

void ReaderMute::stop() {
    const std::lock_guard lock(mutex_);
    if (found_.set >= 0 && muted_callers_ > 0) apply(found_.events);
    found_ = {};
    muted_callers_ = 0;
}

void ReaderMute::apply(std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = found_.data;
    ::epoll_ctl(found_.set, EPOLL_CTL_MOD, found_.descriptor, &event);
}

}  // namespace penlink::transport
