// The thread simulated pens (sim://) run on: one io_context and one thread shared by every
// in-process simulator of the process, so 200 simulated pens cost one thread, not 200.
//
// A SimDevice's handlers are serialized because the context has exactly one thread; a device
// at rest schedules nothing (sim/sim_device.cpp), so idle pens cost no CPU on it. The shared
// runtime starts on first use and stops, its thread joined, when the last holder lets go: no
// thread outlives the last simulated pen, and nothing is left running at process exit. A pen
// may still have a thread of its own (`sim://?isolated=1`, SimRuntime::isolated()), as a real
// pen has its own MCU: then a busy neighbour cannot delay its watchdog or status timers.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace penlink::transport {

class SimRuntime {
public:
    /// Called on the runtime thread when a handler throws; the runtime keeps running.
    using ErrorHandler = std::function<void(std::exception_ptr)>;

    /// The process-wide runtime, started if no one holds it.
    static std::shared_ptr<SimRuntime> shared();
    /// A runtime with a thread of its own; on_error hears of what its handlers throw.
    static std::shared_ptr<SimRuntime> isolated(ErrorHandler on_error);

    /// Stops the io_context and joins the thread (never from the runtime's own thread: then the
    /// thread is detached and its io_context left to it, as it is still inside run()).
    ~SimRuntime();
    SimRuntime(const SimRuntime&) = delete;
    SimRuntime& operator=(const SimRuntime&) = delete;

    boost::asio::io_context& io() { return *io_; }
    /// True on the thread that runs io().
    bool on_runtime_thread() const { return std::this_thread::get_id() == thread_.get_id(); }
    /// How many shared runtimes are running in the process now (0 or 1), for tests.
    static int shared_running();

private:
    explicit SimRuntime(ErrorHandler on_error);
    /// The thread's loop; it holds the io_context and handler itself, so they outlive a
    /// runtime destroyed from inside one of its own handlers until run() returns.
    static void run(const std::shared_ptr<boost::asio::io_context>& io,
                    const ErrorHandler& on_error);

    std::shared_ptr<boost::asio::io_context> io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    ErrorHandler on_error_;
    std::thread thread_;
};

}  // namespace penlink::transport
