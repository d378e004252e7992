#include "transport/inproc_transport.hpp"

#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/post.hpp>

#include "penlink/errors.hpp"
#include "sim/sim_device.hpp"
#include "transport/handler_slot.hpp"

namespace penlink::transport {

namespace {
constexpr std::size_t kInitialBufferCapacity = 4096;
// Status the host has not taken yet, at most: more is dropped at the device (the pen numbered
// it, so the host sees a gap), so a reply never waits behind a backlog of Status.
constexpr std::size_t kStatusBacklogBytes = 16 * 1024;
constexpr const char* kName = "in-process simulator";
}  // namespace

// Shared between the transport, handlers queued on the host io_context (which hold a shared_ptr,
// as they may run after close()), and the device thread (which holds a raw pointer: close() and
// the destructor join it before the Link can go away).
struct InprocTransport::Link : std::enable_shared_from_this<Link> {
    explicit Link(const LinkExecutor& io) : host_io(io) {
        to_device.reserve(kInitialBufferCapacity);
        to_host.reserve(kInitialBufferCapacity);
        device_scratch.reserve(kInitialBufferCapacity);
        host_scratch.reserve(kInitialBufferCapacity);
        status_to_host.reserve(kStatusBacklogBytes);
        status_scratch.reserve(kStatusBacklogBytes);
    }
    ~Link() { stop_device(); }
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;

    // ---- host side (host io thread) ----------------------------------------------------------

    void send(std::span<const std::uint8_t> bytes) {
        if (closed || failed || bytes.empty()) return;
        bool was_empty = false;
        {
            std::lock_guard lock(mutex);
            was_empty = to_device.empty();
            to_device.insert(to_device.end(), bytes.begin(), bytes.end());
        }
        if (was_empty) {
            boost::asio::post(device_io,
                              boost::asio::bind_allocator(SlotAllocator<std::byte>(to_device_slot),
                                                          [this] { drain_to_device(); }));
        }
    }

    void drain_to_host() {
        {
            std::lock_guard lock(mutex);
            std::swap(to_host, host_scratch);
            std::swap(status_to_host, status_scratch);
        }
        // Replies and events first, then Status.
        if (!closed && !failed && on_receive && !host_scratch.empty()) on_receive(host_scratch);
        if (!closed && !failed && on_receive && !status_scratch.empty()) on_receive(status_scratch);
        host_scratch.clear();
        status_scratch.clear();
    }

    void fail(const std::string& reason) {
        if (closed || failed) return;
        failed = true;
        {
            std::lock_guard lock(mutex);
            device_link_up = false;
            to_host.clear();
            status_to_host.clear();
            to_device.clear();
        }
        if (on_error) on_error(reason);
    }

    void close() {
        closed = true;
        stop_device();
    }

    // ---- device side (device thread) ---------------------------------------------------------

    void start_device(const sim::SimConfig& config) {
        device = std::make_unique<sim::SimDevice>(
            device_io, config, [this](std::span<const std::uint8_t> bytes) { from_device(bytes); });
        device->set_status_sink(
            [this](std::span<const std::uint8_t> bytes) { from_device(bytes, true); });
        device->on_drop_link([this] {
            boost::asio::post(host_io, [self = shared_from_this()] {
                self->fail(std::string(kName) + " dropped the link (injected fault)");
            });
        });
        device->start();
    }

    // Status goes into its own bounded buffer, so a slow host never has a reply queued behind
    // Status; whole chunks only, so a drop never tears a frame.
    void from_device(std::span<const std::uint8_t> bytes, bool status = false) {
        bool was_empty = false;
        {
            std::lock_guard lock(mutex);
            if (!device_link_up) return;
            auto& queue = status ? status_to_host : to_host;
            if (status && queue.size() + bytes.size() > kStatusBacklogBytes) return;
            was_empty = to_host.empty() && status_to_host.empty();
            queue.insert(queue.end(), bytes.begin(), bytes.end());
        }
        if (was_empty) {
            boost::asio::post(host_io, boost::asio::bind_allocator(
                                           SlotAllocator<std::byte>(to_host_slot),
                                           [self = shared_from_this()] { self->drain_to_host(); }));
        }
    }

    void drain_to_device() {
        {
            std::lock_guard lock(mutex);
            std::swap(to_device, device_scratch);
        }
        if (device) device->receive(device_scratch);
        device_scratch.clear();
    }

    void run_device_thread(std::promise<void>& started, const sim::SimConfig& config) {
        try {
            start_device(config);
            started.set_value();
        } catch (...) {
            started.set_exception(std::current_exception());
            return;
        }
        try {
            device_io.run();
        } catch (const std::exception& error) {
            // A simulator bug must not take the host process down; report it like a dead link.
            std::string reason = std::string(kName) + " stopped: " + error.what();
            boost::asio::post(host_io, [self = shared_from_this(), reason] { self->fail(reason); });
        }
        device.reset();
    }

    // Called on the host thread (or the destructor); safe to repeat.
    void stop_device() {
        if (!device_thread.joinable()) return;
        boost::asio::post(device_io, [this] {
            if (device) device->stop();
            device.reset();
            device_io.stop();
        });
        device_thread.join();
    }

    LinkExecutor host_io;
    Transport::ReceiveHandler on_receive;  // host thread
    Transport::ErrorHandler on_error;      // host thread
    bool closed = false;                   // host thread
    bool failed = false;                   // host thread
    std::vector<std::uint8_t> host_scratch;
    std::vector<std::uint8_t> status_scratch;

    boost::asio::io_context device_io;
    std::unique_ptr<sim::SimDevice> device;  // device thread
    std::vector<std::uint8_t> device_scratch;
    std::thread device_thread;

    // At most one drain per direction is queued at a time (see send and from_device), so each
    // direction reuses one block of handler memory instead of the heap.
    std::shared_ptr<HandlerSlot> to_device_slot = std::make_shared<HandlerSlot>();
    std::shared_ptr<HandlerSlot> to_host_slot = std::make_shared<HandlerSlot>();

    std::mutex mutex;  // guards the four below
    std::vector<std::uint8_t> to_device;
    std::vector<std::uint8_t> to_host;
    std::vector<std::uint8_t> status_to_host;  // at most kStatusBacklogBytes
    bool device_link_up = true;
};

InprocTransport::InprocTransport(const LinkExecutor& io, const Url& url)
    : io_(io), config_(sim::default_sim_config()) {
    sim::apply_sim_options(config_, url.query);
}

InprocTransport::~InprocTransport() { close(); }

void InprocTransport::open(ReceiveHandler on_receive, ErrorHandler on_error,
                           std::chrono::milliseconds timeout) {
    close();
    auto link = std::make_shared<Link>(io_);
    link->on_receive = std::move(on_receive);
    link->on_error = std::move(on_error);

    // The promise outlives the thread's use of it: we wait on it below, and join on failure.
    auto started = std::make_shared<std::promise<void>>();
    std::future<void> ready = started->get_future();
    link->device_thread = std::thread([raw = link.get(), started, config = config_] {
        raw->run_device_thread(*started, config);
    });
    if (ready.wait_for(timeout) != std::future_status::ready) {
        link->close();
        throw TimeoutError(std::string(kName) + " did not start within " +
                           std::to_string(timeout.count()) + " ms");
    }
    try {
        ready.get();
    } catch (const Error&) {
        link->close();
        throw;
    } catch (const std::exception& error) {
        link->close();
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              std::string("could not start the ") + kName + ": " + error.what());
    }
    link_ = std::move(link);
}

void InprocTransport::send(std::span<const std::uint8_t> bytes) {
    // A local reference: a failing send calls the ErrorHandler, which may close() and drop link_.
    if (auto link = link_) link->send(bytes);
}

void InprocTransport::close() {
    if (!link_) return;
    link_->close();
    link_.reset();
}

std::string InprocTransport::description() const { return kName; }

}  // namespace penlink::transport
