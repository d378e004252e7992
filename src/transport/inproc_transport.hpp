// sim:// — a simulated pen inside this process, behind the same byte pipe as a real one.
//
// The SimDevice runs on a simulator runtime (transport/sim_runtime.hpp), never on the host's io
// thread: by default the one thread every sim:// pen of the process shares, with
// `sim://?isolated=1` a thread of the pen's own, as a real pen runs on its own MCU. Either way a
// slow host cannot stall the device's timers (watchdog, status stream). Bytes cross between the
// threads through one mutex-guarded buffer per direction; a drain is posted to the other side
// only when a buffer goes from empty to non-empty, and each side swaps the buffer with a reserved
// scratch vector, so steady-state traffic does not allocate. No file descriptor is used.
//
// Threads: as Transport. open() starts the device on its runtime and waits until it runs;
// close() waits until it is gone from it.
#pragma once

#include <memory>
#include <string>

#include "transport/link_executor.hpp"

#include "sim/sim_config.hpp"
#include "transport/transport.hpp"
#include "transport/url.hpp"

namespace penlink::transport {

class SimRuntime;

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
    /// True for `sim://?isolated=1`: the pen gets a thread of its own.
    bool isolated() const { return isolated_; }
    /// The runtime the open device runs on (nullptr when closed): one object for every
    /// non-isolated pen of the process.
    const SimRuntime* runtime() const;

private:
    struct Link;

    LinkExecutor io_;
    sim::SimConfig config_;
    bool isolated_ = false;
    std::shared_ptr<Link> link_;
};

}  // namespace penlink::transport
