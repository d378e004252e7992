// Serves one SimDevice on a new pseudo-terminal, as a USB-serial pen would appear.
//
// The sim keeps no descriptor of the slave side open, so it sees the host closing the port:
// the master then reads EIO (hang-up). The pen ends the session at once (needle, RF and LED
// off, no fault latched), forgets what it had queued for that host, and checks every few
// milliseconds whether a host opened the port again; the same /dev/pts/N keeps working for the
// next host. Single-threaded (the io_context's thread).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "control.hpp"
#include "output_queue.hpp"
#include "sim/sim_device.hpp"

namespace penlink::simtool {

class PtyLink : public ControlTarget {
public:
    /// Opens the pty. Throws std::system_error naming the failing call.
    PtyLink(boost::asio::io_context& io, sim::SimConfig config, bool quiet);
    ~PtyLink() override;
    PtyLink(const PtyLink&) = delete;
    PtyLink& operator=(const PtyLink&) = delete;

    /// e.g. "/dev/pts/7": what a host opens.
    const std::string& slave_path() const { return slave_path_; }

    /// Starts the device and reading. on_closed runs when the link ends for good (fault
    /// injection dropped it, or the master failed).
    void start(std::function<void()> on_closed);
    void stop();

    // ControlTarget
    sim::SimDevice& device() override { return device_; }
    /// A pty cannot vanish and come back under the same name, so the port stays while the pen
    /// behind it is off for `down`: it neither answers nor sends, and what the host sends
    /// meanwhile is lost. Then it boots.
    void reboot_link_down(std::chrono::milliseconds down) override;

private:
    void read_next();
    void read_available();
    void on_hang_up();
    void wait_for_host();
    void close_link(const std::string& reason);
    void discard_output();

    bool quiet_;
    std::string slave_path_;
    boost::asio::posix::stream_descriptor master_;
    OutputQueue<boost::asio::posix::stream_descriptor> output_;
    sim::SimDevice device_;
    boost::asio::steady_timer host_timer_;
    boost::asio::steady_timer power_timer_;
    std::array<std::uint8_t, 4096> read_buffer_{};
    std::function<void()> on_closed_;
    bool open_ = false;
    bool host_present_ = false;
};

}  // namespace penlink::simtool
