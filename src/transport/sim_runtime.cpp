#include "transport/sim_runtime.hpp"

#include <pthread.h>

#include <atomic>
#include <mutex>
#include <utility>

namespace penlink::transport {

namespace {
std::mutex shared_mutex;
std::weak_ptr<SimRuntime> shared_instance;  // guarded by shared_mutex
std::atomic<int> shared_count{0};
}  // namespace

SimRuntime::SimRuntime(ErrorHandler on_error)
    : io_(std::make_shared<boost::asio::io_context>(1)),
      work_(boost::asio::make_work_guard(*io_)),
      on_error_(std::move(on_error)) {
    thread_ = std::thread([io = io_, on_error = on_error_] { run(io, on_error); });
}

void SimRuntime::run(const std::shared_ptr<boost::asio::io_context>& io,
                     const ErrorHandler& on_error) {
    // Named, so a profiler, top -H or bench_idle_sims can tell the simulator's CPU apart.
    pthread_setname_np(pthread_self(), "penlink-sim");
    for (;;) {
        try {
            io->run();
            return;
        } catch (...) {
            // One simulator's bug must not stop the others on this thread, nor the host.
            if (on_error) on_error(std::current_exception());
        }
    }
}

std::shared_ptr<SimRuntime> SimRuntime::shared() {
    std::lock_guard lock(shared_mutex);
    if (auto runtime = shared_instance.lock()) return runtime;
    // The last holder's release destroys it (stop, join) outside this lock; a new one may
    // start meanwhile, which is harmless: they share nothing.
    std::shared_ptr<SimRuntime> runtime(new SimRuntime(nullptr), [](SimRuntime* dying) {
        shared_count.fetch_sub(1);
        delete dying;
    });
    shared_count.fetch_add(1);
    shared_instance = runtime;
    return runtime;
}

std::shared_ptr<SimRuntime> SimRuntime::isolated(ErrorHandler on_error) {
    return std::shared_ptr<SimRuntime>(new SimRuntime(std::move(on_error)));
}

int SimRuntime::shared_running() { return shared_count.load(); }

SimRuntime::~SimRuntime() {
    work_.reset();
    io_->stop();
    if (!thread_.joinable()) return;
    if (on_runtime_thread()) {
        // The last holder let go inside one of our own handlers: run() is still on the stack.
        // The thread holds the io_context itself, and frees it as it ends, right after this
        // handler (stop() makes run() return).
        thread_.detach();
        return;
    }
    thread_.join();
}

}  // namespace penlink::transport
