// Shared plumbing of the session tests: a connected session on a fake pen, bounded waits, a
// log capture, and a thread-safe recorder for what callbacks saw.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "core/session.hpp"
#include "fake_pen.hpp"
#include "wait.hpp"

namespace penlink::test {

/// Options that keep the tests quick but not twitchy on a loaded machine.
inline ConnectOptions test_options() {
    ConnectOptions options;
    options.connect_timeout = std::chrono::milliseconds(3000);
    options.command_timeout = std::chrono::milliseconds(250);
    options.command_retries = 2;
    return options;
}

/// A fake pen and a session connected to it. The session is closed before the pen goes.
struct SessionFixture {
    explicit SessionFixture(ConnectOptions options = test_options(), bool connect_now = true)
        : pen(FakePen::create()),
          session(std::make_shared<core::Session>(pen->link_factory(), "fake://pen", options)) {
        if (connect_now) session->connect();
    }
    ~SessionFixture() { session->close(); }
    SessionFixture(const SessionFixture&) = delete;
    SessionFixture& operator=(const SessionFixture&) = delete;

    std::shared_ptr<FakePen> pen;
    std::shared_ptr<core::Session> session;
};

/// Collects values from any thread.
template <typename T>
class Recorder {
public:
    void add(const T& value) {
        std::lock_guard lock(mutex_);
        values_.push_back(value);
    }
    std::vector<T> values() const {
        std::lock_guard lock(mutex_);
        return values_;
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return values_.size();
    }

private:
    mutable std::mutex mutex_;
    std::vector<T> values_;
};

/// Captures the SDK log while alive, then puts a stderr sink for warnings back.
class LogCapture {
public:
    explicit LogCapture(LogLevel level = LogLevel::Warning) {
        core::set_log_sink([this](LogLevel, const std::string& message) { lines_.add(message); },
                           level);
    }
    ~LogCapture() {
        core::set_log_sink(
            [](LogLevel, const std::string& message) {
                std::fprintf(stderr, "penlink: %s\n", message.c_str());
            },
            LogLevel::Warning);
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    bool contains(const std::string& text) const {
        for (const auto& line : lines_.values())
            if (line.find(text) != std::string::npos) return true;
        return false;
    }
    std::vector<std::string> lines() const { return lines_.values(); }

private:
    Recorder<std::string> lines_;
};

}  // namespace penlink::test
