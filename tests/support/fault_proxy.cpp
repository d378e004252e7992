#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "child_process.hpp"
#include "penlink-sim/launcher.hpp"

namespace penlink::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kReplyTimeout = 5s;

std::uint16_t port_of(const std::string& url) {
    return static_cast<std::uint16_t>(std::stoul(url.substr(url.rfind(':') + 1)));
}

// The value after "name=" in the proxy's ready line.
std::string ready_field(const std::string& line, const std::string& name) {
    const auto at = line.find(name + "=");
    if (at == std::string::npos) throw std::runtime_error("proxy ready line lacks " + name);
    const auto start = at + name.size() + 1;
    return line.substr(start, line.find_first_of(" \n", start) - start);
}

// A path nobody else uses for the proxy's pty symlink; the proxy removes it when it stops.
std::string temporary_link_path() {
    static std::atomic<int> counter{0};
    const char* directory = std::getenv("TMPDIR");
    return std::string(directory && *directory ? directory : "/tmp") + "/penlink-proxy-" +
           std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

ProxyStats::ProxyStats(const std::string& reply) {
    std::istringstream words(reply);
    for (std::string word; words >> word;) {
        const auto eq = word.find('=');
        if (eq == std::string::npos) continue;
        values_[word.substr(0, eq)] = std::stoull(word.substr(eq + 1));
    }
}

std::uint64_t ProxyStats::at(const std::string& key) const {
    const auto it = values_.find(key);
    if (it == values_.end()) throw std::runtime_error("proxy stats have no " + key);
    return it->second;
}

FaultProxy::FaultProxy(FaultProxyOptions options) : options_(std::move(options)) {
    start_pen();
    std::string pty_link;
    std::vector<std::string> args{"--listen-tcp", "0"};
    if (options_.serial_host) {
        pty_link = temporary_link_path();
        args = {"--pty", pty_link};
    }
    const std::string upstream = options_.serial_pen
                                     ? "serial://" + pen_->pty_path()
                                     : "tcp://127.0.0.1:" + std::to_string(pen_port_);
    const std::vector<std::string> common{"--upstream", upstream,     "--control-port",
                                          "0",          "--no-stdin", "--quiet"};
    args.insert(args.end(), common.begin(), common.end());
    args.insert(args.end(), options_.proxy_args.begin(), options_.proxy_args.end());
    proxy_ = std::make_unique<tooltest::ChildProcess>(options_.proxy_executable, args);
    if (!proxy_->wait_for_output("\n", 10s) || proxy_->out().rfind("ready ", 0) != 0) {
        throw std::runtime_error(options_.proxy_executable + " did not print its ready line: '" +
                                 proxy_->out() + "'");
    }
    const std::string& ready = proxy_->out();
    url_ = options_.serial_host ? "serial://" + pty_link
                                : "tcp://127.0.0.1:" + ready_field(ready, "host");
    control_port_ = static_cast<std::uint16_t>(std::stoul(ready_field(ready, "control")));
    connect_control(control_port_);
}

void FaultProxy::reopen_control() {
    if (control_fd_ >= 0) ::close(control_fd_);
    control_fd_ = -1;
    pending_input_.clear();
    connect_control(control_port_);
}

FaultProxy::~FaultProxy() {
    if (control_fd_ >= 0) ::close(control_fd_);
    if (proxy_) {
        proxy_->send_signal(SIGTERM);
        proxy_->finish(5s);
    }
}

void FaultProxy::start_pen() {
    if (options_.serial_pen && proxy_) {
        throw std::logic_error("a simulated pen on a pty cannot reboot behind the proxy");
    }
    std::vector<std::string> args{"--tcp", std::to_string(pen_port_), "--quiet"};
    if (options_.serial_pen) args = {"--pty", "--quiet"};
    args.insert(args.end(), options_.sim_args.begin(), options_.sim_args.end());
    pen_ = std::make_unique<simtool::SimProcess>(options_.sim_executable, args);
    if (!options_.serial_pen) pen_port_ = port_of(pen_->url());
}

void FaultProxy::stop_pen() { pen_.reset(); }

void FaultProxy::connect_control(std::uint16_t port) {
    control_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (control_fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(control_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("cannot connect to the proxy's control port " +
                                 std::to_string(port) + ": " + std::strerror(errno));
    }
    const int on = 1;
    ::setsockopt(control_fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

std::string FaultProxy::command(const std::string& line) {
    const std::string text = line + "\n";
    if (::send(control_fd_, text.data(), text.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(text.size())) {
        throw std::runtime_error("cannot send '" + line + "' to the proxy");
    }
    const auto deadline = std::chrono::steady_clock::now() + kReplyTimeout;
    for (;;) {
        if (const auto newline = pending_input_.find('\n'); newline != std::string::npos) {
            std::string reply = pending_input_.substr(0, newline);
            pending_input_.erase(0, newline + 1);
            if (reply.rfind("ok", 0) == 0) return reply.size() > 3 ? reply.substr(3) : "";
            throw std::runtime_error("proxy refused '" + line + "': " + reply);
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            throw std::runtime_error("no reply from the proxy to '" + line + "'");
        pollfd readable{control_fd_, POLLIN, 0};
        if (::poll(&readable, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[4096];
        const ssize_t got = ::recv(control_fd_, chunk, sizeof chunk, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) throw std::runtime_error("the proxy closed its control connection");
        pending_input_.append(chunk, static_cast<std::size_t>(got));
    }
}

ProxyStats FaultProxy::stats() { return ProxyStats(command("stats")); }

}  // namespace penlink::test
