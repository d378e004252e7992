// A TCP relay between a Pen and penlink-sim that records every byte each side sends, so a test
// can see the exact frames a call put on the wire (test_stack_profiles.cpp), and can inject
// bytes towards either side as a man in the middle would (test_stack_auth.cpp). One host
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
    /// Every byte the pen sent since the last clear(), in order.
    std::vector<std::uint8_t> pen_bytes() const {
        std::lock_guard lock(mutex_);
        return from_pen_;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        recorded_.clear();
        from_pen_.clear();
    }
    /// Sends bytes to the pen (or to the host) between the relayed ones, at the next chance.
    void inject_to_pen(const std::vector<std::uint8_t>& bytes) {
        std::lock_guard lock(mutex_);
        to_pen_.insert(to_pen_.end(), bytes.begin(), bytes.end());
    }
    void inject_to_host(const std::vector<std::uint8_t>& bytes) {
        std::lock_guard lock(mutex_);
        to_host_.insert(to_host_.end(), bytes.begin(), bytes.end());
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
            std::vector<std::uint8_t> to_pen, to_host;
            {
                std::lock_guard lock(mutex_);
                to_pen.swap(to_pen_);
                to_host.swap(to_host_);
            }
            // Injected bytes go out whole, between two relayed reads (whole frames of their own).
            if (!send_all(pen_, to_pen.data(), to_pen.size()) ||
                !send_all(host_, to_host.data(), to_host.size()))
                return;
            pollfd fds[2] = {{host_, POLLIN, 0}, {pen_, POLLIN, 0}};
            if (::poll(fds, 2, 10) <= 0) continue;
            for (int i = 0; i < 2; ++i) {
                if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                const ssize_t n = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
                if (n <= 0) return;  // one side closed: the relay is done
                {
                    std::lock_guard lock(mutex_);
                    auto& record = i == 0 ? recorded_ : from_pen_;
                    record.insert(record.end(), buffer, buffer + n);
                }
                if (!send_all(i == 0 ? pen_ : host_, buffer, static_cast<std::size_t>(n))) return;
            }
        }
    }

    static bool send_all(int to, const std::uint8_t* bytes, std::size_t size) {
        for (std::size_t sent = 0; sent < size;) {
            const ssize_t m = ::send(to, bytes + sent, size - sent, MSG_NOSIGNAL);
            if (m <= 0) return false;
            sent += static_cast<std::size_t>(m);
        }
        return true;
    }

    std::uint16_t pen_port_;
    int listener_ = -1;
    int host_ = -1;
    int pen_ = -1;
    std::string url_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<std::uint8_t> recorded_;
    std::vector<std::uint8_t> from_pen_;
    std::vector<std::uint8_t> to_pen_, to_host_;
    std::thread pump_;
};

}  // namespace penlink::test
