// sim:// — a simulated pen inside this process, behind the same byte pipe as a real one.
//
// The SimDevice runs on its own thread and io_context, as a real pen runs on its own MCU: the
// host's io thread never executes device code, and a slow host cannot stall the device's timers
// (watchdog, status stream). Bytes cross between the threads through one mutex-guarded buffer per
// direction; a drain is posted to the other side only when a buffer goes from empty to non-empty,
// and each side swaps the buffer with a reserved scratch vector, so steady-state traffic does not
// allocate.
//
// Threads: as Transport. The device thread is started by open() and joined by close().
#pragma once

#include <memory>
#include <string>

#include "transport/link_executor.hpp"

#include "sim/sim_config.hpp"
#include "transport/transport.hpp"
#include "transport/url.hpp"

namespace penlink::transport {

class InprocTransport final : public Transport {
public:
    /// Builds the pen from default_sim_config() plus the URL's options. Throws
    /// penlink::InvalidArgumentError naming a bad option.
    InprocTransport(const LinkExecutor& io, const Url& url);
    ~InprocTransport() override;

    /// Starts the device thread and waits (up to timeout) until the device runs.
    void open(ReceiveHandler on_receive, ErrorHandler on_error,
              std::chrono::milliseconds timeout) override;
    void send(std::span<const std::uint8_t> bytes) override;
    void close() override;
    std::string description() const override;

    const sim::SimConfig& config() const { return config_; }

private:
    struct Link;

    LinkExecutor io_;
    sim::SimConfig config_;
    std::shared_ptr<Link> link_;
};

}  // namespace penlink::transport
