// The proxy: one host connection at a time, joined to its own connection to the pen, with a
// DirectionPipe each way. An unplug closes both, as pulling a cable would; the next host
// connection (TCP) or the next pty (after a hang-up) opens the pen side afresh.
//
// When the pen side ends on its own (the pen rebooted, the simulator exited), the proxy either
// hangs up the host too (PenLoss::HangUp, the default: a USB pen that reboots drops off the
// bus) or keeps the host connection and reopens the pen side every 100 ms, discarding what the
// host sends meanwhile (PenLoss::KeepHost: a radio or a serial adapter that stays up while the
// pen behind it reboots).
//
// Single-threaded: everything runs on the io_context's one thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "byte_stream.hpp"
#include "deterministic_random.hpp"
#include "direction_pipe.hpp"
#include "fault_settings.hpp"
#include "host_side.hpp"

namespace penlink::proxytool {

enum class PenLoss { HangUp, KeepHost };

class Proxy {
public:
    Proxy(boost::asio::io_context& io, HostSide& host_side, std::string upstream_url, bool quiet);
    ~Proxy();
    Proxy(const Proxy&) = delete;
    Proxy& operator=(const Proxy&) = delete;

    void start();
    void stop();

    /// Live settings of one direction; call settings_changed() after changing them.
    FaultSettings& settings(Direction direction);
    void settings_changed();
    /// All faults off in both directions (stalls end, throttles lift).
    void clear_faults();
    /// Each direction draws from its own stream, so one direction's faults do not shift the
    /// other's.
    void reseed(std::uint64_t seed);
    void set_pen_loss(PenLoss policy) { pen_loss_ = policy; }

    /// Closes the current host connection and its pen side. False if no host is connected.
    bool unplug();
    /// One line of counters: "h2p.frames=N ... p2h.frames=N ... links=N host=0|1 pen=0|1".
    std::string stats_text() const;

private:
    struct Link;

    void on_host(std::unique_ptr<ByteStream> host);
    void open_pen_side(const std::shared_ptr<Link>& link);
    void attach_pen(const std::shared_ptr<Link>& link, std::unique_ptr<ByteStream> pen);
    void read_host(const std::shared_ptr<Link>& link);
    void read_pen(const std::shared_ptr<Link>& link, std::uint64_t generation);
    void pen_lost(const std::shared_ptr<Link>& link, const std::string& reason);
    void end_link(const std::shared_ptr<Link>& link, const std::string& reason, bool hang_up);
    void log(const std::string& text) const;

    boost::asio::io_context& io_;
    HostSide& host_side_;
    std::string upstream_url_;
    bool quiet_;
    PenLoss pen_loss_ = PenLoss::HangUp;
    std::array<FaultSettings, 2> settings_{};
    std::array<DirectionStats, 2> stats_{};
    std::array<DeterministicRandom, 2> random_;
    std::shared_ptr<Link> link_;
    std::uint64_t links_ = 0;
    bool running_ = false;
};

}  // namespace penlink::proxytool
