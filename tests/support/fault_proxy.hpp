// A simulated pen behind penlink-proxy, for the fault-matrix tests: starts penlink-sim on TCP
// and penlink-proxy in front of it as child processes, and talks to the proxy's control port
// so a test can change faults while a Pen is connected and read the proxy's counters.
//
// Uses no Catch2 and no libpenlink: failures are std::runtime_error naming what went wrong.
// Not thread-safe: one test thread drives it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace penlink::simtool {
class SimProcess;
}

namespace penlink::tooltest {
class ChildProcess;
}

namespace penlink::test {

/// The proxy's counters from "stats", e.g. at("p2h.status_lost"), at("links").
class ProxyStats {
public:
    explicit ProxyStats(const std::string& reply);
    /// Throws std::runtime_error if the proxy did not report key.
    std::uint64_t at(const std::string& key) const;

private:
    std::map<std::string, std::uint64_t> values_;
};

struct FaultProxyOptions {
    std::string sim_executable;
    std::string proxy_executable;
    std::vector<std::string> sim_args;    ///< added to "--tcp 0 --quiet"
    std::vector<std::string> proxy_args;  ///< added to the listen/upstream/control flags
    /// Serve the host on a pty (url() is serial://LINK, LINK a fresh path in $TMPDIR or /tmp)
    /// instead of TCP.
    bool serial_host = false;
    /// Run the simulated pen on a pty and have the proxy open it as serial:///dev/pts/N
    /// instead of TCP. Such a pen cannot reboot (stop_pen/start_pen): its path would change.
    bool serial_pen = false;
};

class FaultProxy {
public:
    /// Starts both processes and connects to the control port. Throws std::runtime_error.
    explicit FaultProxy(FaultProxyOptions options);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    /// Where a Pen connects: "tcp://127.0.0.1:PORT" or "serial://LINK" of the proxy's host side.
    const std::string& url() const { return url_; }

    /// Sends one control line and returns the reply without "ok "; throws std::runtime_error
    /// with the proxy's reason on "error: ..." or when no reply comes within a few seconds.
    std::string command(const std::string& line);
    ProxyStats stats();
    /// A new control connection (the proxy hangs up on a client that sends an over-long line).
    void reopen_control();

    /// Stops the simulated pen (SIGTERM) and leaves it down: a pen that switched off.
    void stop_pen();
    /// Starts a fresh simulated pen on the same port: the pen rebooted (its state is new).
    void start_pen();

private:
    void connect_control(std::uint16_t port);

    FaultProxyOptions options_;
    std::uint16_t pen_port_ = 0;
    std::uint16_t control_port_ = 0;
    std::unique_ptr<simtool::SimProcess> pen_;
    std::unique_ptr<tooltest::ChildProcess> proxy_;
    std::string url_;
    int control_fd_ = -1;
    std::string pending_input_;
};

}  // namespace penlink::test
