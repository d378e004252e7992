#include "transport/inproc_transport.hpp"

#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/post.hpp>

#include "penlink/errors.hpp"
#include "sim/sim_device.hpp"
#include "transport/handler_slot.hpp"
#include "transport/sim_runtime.hpp"

namespace penlink::transport {

namespace {
constexpr std::size_t kInitialBufferCapacity = 4096;
// Status the host has not taken yet, at most: more is dropped at the device (the pen numbered
// it, so the host sees a gap), so a reply never waits behind a backlog of Status.
constexpr std::size_t kStatusBacklogBytes = 16 * 1024;
constexpr const char* kName = "in-process simulator";
}  // namespace

// Shared between the transport and handlers queued on the host io_context and on the device's
// runtime (which hold a shared_ptr, as they may run after close()). The device itself lives on
// the runtime's thread: created there by open(), destroyed there by close(), which waits for it.
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

    // ---- host side (under the pen's guard: on the I/O thread, a caller's, the runtime's) ----

    void send(std::span<const std::uint8_t> bytes) {
        if (closed || failed || bytes.empty()) return;
        bool was_empty = false;
        {
            std::lock_guard lock(mutex);
            was_empty = to_device.empty();
            to_device.insert(to_device.end(), bytes.begin(), bytes.end());
        }
        if (was_empty) {
            boost::asio::post(runtime->io(),
                              boost::asio::bind_allocator(
                                  SlotAllocator<std::byte>(to_device_slot),
                                  [self = shared_from_this()] { self->drain_to_device(); }));
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

    // ---- device side (the runtime's thread) ---------------------------------------------------

    void start_device(const sim::SimConfig& config) {
        device = std::make_unique<sim::SimDevice>(
            runtime->io(), config,
            [this](std::span<const std::uint8_t> bytes) { from_device(bytes); });
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
        if (!was_empty) return;
        // Delivered by a handler of this same thread, so only once the device's own handler
        // has returned: what the host does with a reply may close the link, which destroys
        // the device. Posting to the thread's own io_context wakes nobody.
        boost::asio::post(runtime->io(), boost::asio::bind_allocator(
                                             SlotAllocator<std::byte>(deliver_slot),
                                             [self = shared_from_this()] { self->deliver(); }));
    }

    // The host side runs right here when the pen's guard is free: a command's caller then wakes
    // straight from this thread, not through the I/O thread (one hand-off each way, as with a
    // pen over a wire), and Status reaches the callback thread the same way. If the guard is
    // busy, the I/O thread delivers, as it always did.
    void deliver() {
        if (!host_io.try_run_here([this] { drain_to_host(); })) post_to_host();
    }

    void post_to_host() {
        // execute(), not post(): post() wraps the handler in a work_dispatcher that hides its
        // allocator, and the slot is what keeps this cross-thread hand-off off the heap.
        host_io.execute(
            boost::asio::bind_allocator(SlotAllocator<std::byte>(to_host_slot),
                                        [self = shared_from_this()] { self->drain_to_host(); }));
    }

    void drain_to_device() {
        {
            std::lock_guard lock(mutex);
            std::swap(to_device, device_scratch);
        }
        try {
            if (device) device->receive(device_scratch);
        } catch (...) {
            report_stopped(std::current_exception());
        }
        device_scratch.clear();
    }

    // A simulator bug must not take the host process down; it is reported like a dead link.
    void report_stopped(std::exception_ptr error) {
        std::string reason = std::string(kName) + " stopped";
        try {
            std::rethrow_exception(std::move(error));
        } catch (const std::exception& what) {
            reason += std::string(": ") + what.what();
        } catch (...) {
        }
        if (device) device->stop();
        boost::asio::post(host_io, [self = shared_from_this(), reason] { self->fail(reason); });
    }

    // Called on the host thread (or the destructor); safe to repeat. Waits until the device is
    // gone from the runtime, so no device code runs after close() returns.
    void stop_device() {
        if (!device_started) return;
        device_started = false;
        const auto teardown = [this] {
            if (device) device->stop();
            device.reset();
        };
        if (runtime->on_runtime_thread()) {
            teardown();
            return;
        }
        std::promise<void> done;
        std::future<void> gone = done.get_future();
        boost::asio::post(runtime->io(), [&teardown, &done] {
            teardown();
            done.set_value();
        });
        gone.wait();
    }

    LinkExecutor host_io;
    Transport::ReceiveHandler on_receive;  // under the pen's guard (host side)
    Transport::ErrorHandler on_error;      // under the pen's guard
    bool closed = false;                   // under the pen's guard
    bool failed = false;                   // under the pen's guard
    std::vector<std::uint8_t> host_scratch;
    std::vector<std::uint8_t> status_scratch;

    bool device_started = false;  // host thread: open() posted the device's start

    std::shared_ptr<SimRuntime> runtime;     // shared, or the pen's own (isolated=1)
    std::unique_ptr<sim::SimDevice> device;  // runtime thread
    std::vector<std::uint8_t> device_scratch;

    // At most one drain per direction is queued at a time (see send and from_device), so each
    // direction reuses one block of handler memory instead of the heap.
    std::shared_ptr<HandlerSlot> to_device_slot = std::make_shared<HandlerSlot>();
    std::shared_ptr<HandlerSlot> to_host_slot = std::make_shared<HandlerSlot>();
    std::shared_ptr<HandlerSlot> deliver_slot = std::make_shared<HandlerSlot>();

    std::mutex mutex;  // guards the four below
    std::vector<std::uint8_t> to_device;
    std::vector<std::uint8_t> to_host;
    std::vector<std::uint8_t> status_to_host;  // at most kStatusBacklogBytes
    bool device_link_up = true;
};

namespace {
// Options of the transport itself, not of the pen: taken out before the pen's options are read.
bool take_isolated(std::map<std::string, std::string>& options) {
    const auto it = options.find("isolated");
    if (it == options.end()) return false;
    const std::string value = it->second;
    options.erase(it);
    if (value == "1") return true;
    if (value == "0") return false;
    throw InvalidArgumentError("sim:// option isolated=" + value +
                               " must be 0 (the shared simulator thread) or 1 (a thread of "
                               "its own)");
}
}  // namespace

InprocTransport::InprocTransport(const LinkExecutor& io, const Url& url)
    : io_(io), config_(sim::default_sim_config()) {
    auto options = url.query;
    isolated_ = take_isolated(options);
    sim::apply_sim_options(config_, options);
}

InprocTransport::~InprocTransport() { close(); }

void InprocTransport::open(ReceiveHandler on_receive, ErrorHandler on_error,
                           std::chrono::milliseconds timeout) {
    close();
    auto link = std::make_shared<Link>(io_);
    link->on_receive = std::move(on_receive);
    link->on_error = std::move(on_error);
    if (isolated_) {
        link->runtime =
            SimRuntime::isolated([weak = std::weak_ptr<Link>(link)](std::exception_ptr error) {
                if (auto self = weak.lock()) self->report_stopped(std::move(error));
            });
    } else {
        link->runtime = SimRuntime::shared();
    }

    // The promise outlives the runtime's use of it: it is held by the posted start.
    auto started = std::make_shared<std::promise<void>>();
    std::future<void> ready = started->get_future();
    link->device_started = true;
    boost::asio::post(link->runtime->io(), [link, started, config = config_] {
        try {
            link->start_device(config);
            started->set_value();
        } catch (...) {
            link->device.reset();
            started->set_exception(std::current_exception());
        }
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

const SimRuntime* InprocTransport::runtime() const {
    return link_ ? link_->runtime.get() : nullptr;
}

}  // namespace penlink::transport
