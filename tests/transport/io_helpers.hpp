// Test plumbing: an io_context on its own thread (as core runs it), running code on that thread,
// and a thread-safe collector of what the transport's handlers saw, with bounded waits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "transport/transport.hpp"

namespace penlink::transport::test {

// Every wait in these tests is bounded by this, so a broken transport fails instead of hanging.
inline constexpr std::chrono::seconds kWaitLimit{5};

class IoThread {
public:
    IoThread() : work_(io.get_executor()), thread_([this] { io.run(); }) {}
    ~IoThread() {
        work_.reset();
        io.stop();
        thread_.join();
    }
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;

    /// Runs fn on the io thread and waits for it (rethrowing what it throws).
    template <typename Fn>
    auto run(Fn fn) -> decltype(fn()) {
        std::packaged_task<decltype(fn())()> task(std::move(fn));
        auto result = task.get_future();
        boost::asio::post(ex, [&task] { task(); });
        if (result.wait_for(kWaitLimit) != std::future_status::ready) {
            throw std::runtime_error("io thread did not run the task in time");
        }
        return result.get();
    }

    std::thread::id thread_id() const { return thread_.get_id(); }

    boost::asio::io_context io;
    /// The pen's guard: a caller's thread holds it to act on the link itself.
    std::shared_ptr<LinkGuard> guard = std::make_shared<LinkGuard>();
    /// What a transport is built with: handlers on io, under a guard of their own, as a pen's.
    LinkExecutor ex{io, guard};

private:
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::thread thread_;
};

/// Calls take() until it returns true or the wait limit passes; returns whether it did.
template <typename Take>
bool keep_trying(Take take) {
    const auto until = std::chrono::steady_clock::now() + kWaitLimit;
    while (std::chrono::steady_clock::now() < until) {
        if (take()) return true;
    }
    return false;
}

/// Records received bytes and errors from any thread; waits are bounded by kWaitLimit.
class Collector {
public:
    Transport::ReceiveHandler receiver() {
        return [this](std::span<const std::uint8_t> bytes) {
            std::lock_guard lock(mutex_);
            bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
            if (std::this_thread::get_id() != io_thread_) bytes_elsewhere_ += bytes.size();
            changed_.notify_all();
        };
    }
    Transport::ErrorHandler error_handler() {
        return [this](const std::string& reason) {
            std::lock_guard lock(mutex_);
            errors_.push_back(reason);
            changed_.notify_all();
        };
    }

    /// Waits until at least count bytes arrived; returns what arrived.
    std::vector<std::uint8_t> wait_for_bytes(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, kWaitLimit, [&] { return bytes_.size() >= count; });
        return bytes_;
    }
    /// Waits until pred(bytes) holds or the limit passes; returns the bytes.
    std::vector<std::uint8_t> wait_until(
        const std::function<bool(const std::vector<std::uint8_t>&)>& pred) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, kWaitLimit, [&] { return pred(bytes_); });
        return bytes_;
    }
    /// What arrived so far, without waiting.
    std::vector<std::uint8_t> bytes() {
        std::lock_guard lock(mutex_);
        return bytes_;
    }
    std::vector<std::string> wait_for_error() {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, kWaitLimit, [&] { return !errors_.empty(); });
        return errors_;
    }
    std::vector<std::string> errors() {
        std::lock_guard lock(mutex_);
        return errors_;
    }
    /// Names the I/O thread; bytes_elsewhere() then counts the bytes handled on any other.
    void set_io_thread(std::thread::id id) {
        std::lock_guard lock(mutex_);
        io_thread_ = id;
    }
    std::size_t bytes_elsewhere() {
        std::lock_guard lock(mutex_);
        return bytes_elsewhere_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::uint8_t> bytes_;
    std::vector<std::string> errors_;
    std::thread::id io_thread_{};
    std::size_t bytes_elsewhere_ = 0;
};

}  // namespace penlink::transport::test
