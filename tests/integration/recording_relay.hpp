// A TCP relay between a Pen and penlink-sim that records every byte the host sends, so a test
// can see the exact frames a call put on the wire (test_stack_profiles.cpp). One host
// connection; POSIX sockets and one pump thread, stopped and joined by the destructor.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace penlink::test {

class RecordingRelay {
public:
    /// Listens on 127.0.0.1 (a free port) and relays to 127.0.0.1:pen_port.
    explicit RecordingRelay(std::uint16_t pen_port) : pen_port_(pen_port) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (listener_ < 0 ||
            ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(listener_, 1) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            throw std::runtime_error("relay: cannot listen on 127.0.0.1");
        }
        url_ = "tcp://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
        pump_ = std::thread([this] { run(); });
    }
    ~RecordingRelay() {
        stop_ = true;
        pump_.join();
        for (int fd : {listener_, host_, pen_}) {
            if (fd >= 0) ::close(fd);
        }
    }
    RecordingRelay(const RecordingRelay&) = delete;
    RecordingRelay& operator=(const RecordingRelay&) = delete;

    /// Where the Pen connects.
    const std::string& url() const { return url_; }
    /// Every byte the host sent since the last clear(), in order.
    std::vector<std::uint8_t> host_bytes() const {
        std::lock_guard lock(mutex_);
        return recorded_;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        recorded_.clear();
    }

private:
    void run() {
        while (!stop_ && host_ < 0) {
            pollfd waiting{listener_, POLLIN, 0};
            if (::poll(&waiting, 1, 50) > 0) host_ = ::accept(listener_, nullptr, nullptr);
        }
        if (stop_) return;
        pen_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(pen_port_);
        if (::connect(pen_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return;
        std::uint8_t buffer[4096];
        while (!stop_) {
            pollfd fds[2] = {{host_, POLLIN, 0}, {pen_, POLLIN, 0}};
            if (::poll(fds, 2, 50) <= 0) continue;
            for (int i = 0; i < 2; ++i) {
                if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                const ssize_t n = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
                if (n <= 0) return;  // one side closed: the relay is done
                if (i == 0) {
                    std::lock_guard lock(mutex_);
                    recorded_.insert(recorded_.end(), buffer, buffer + n);
                }
                const int to = i == 0 ? pen_ : host_;
                for (ssize_t sent = 0; sent < n;) {
                    const ssize_t m =
                        ::send(to, buffer + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
                    if (m <= 0) return;
                    sent += m;
                }
            }
        }
    }

    std::uint16_t pen_port_;
    int listener_ = -1;
    int host_ = -1;
    int pen_ = -1;
    std::string url_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<std::uint8_t> recorded_;
    std::thread pump_;
};

}  // namespace penlink::test
