// Serves one SimDevice on a new pseudo-terminal, as a USB-serial pen would appear.
//
// The sim keeps its own descriptor of the slave side open for its whole life: otherwise a host
// closing the port leaves the master with no slave, reads fail with EIO, and a host reopening
// the same /dev/pts/N would find a dead pen. Single-threaded (the io_context's thread).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "output_queue.hpp"
#include "sim/sim_device.hpp"

namespace penlink::simtool {

class PtyLink {
public:
    /// Opens the pty. Throws std::system_error naming the failing call.
    PtyLink(boost::asio::io_context& io, sim::SimConfig config, bool quiet);
    ~PtyLink();
    PtyLink(const PtyLink&) = delete;
    PtyLink& operator=(const PtyLink&) = delete;

    /// e.g. "/dev/pts/7": what a host opens.
    const std::string& slave_path() const { return slave_path_; }

    /// Starts the device and reading. on_closed runs when the link ends for good (fault
    /// injection dropped it, or the master failed).
    void start(std::function<void()> on_closed);
    void stop();

private:
    void read_next();
    void close_link(const std::string& reason);

    bool quiet_;
    std::string slave_path_;
    int slave_fd_ = -1;
    boost::asio::posix::stream_descriptor master_;
    OutputQueue<boost::asio::posix::stream_descriptor> output_;
    sim::SimDevice device_;
    std::array<std::uint8_t, 4096> read_buffer_{};
    std::function<void()> on_closed_;
    bool open_ = false;
};

}  // namespace penlink::simtool
