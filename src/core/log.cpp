#include "core/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace penlink::core {
namespace {

void stderr_sink(LogLevel level, const std::string& message) {
    std::fprintf(stderr, "penlink %s: %s\n", to_string(level), message.c_str());
}

struct LogState {
    std::mutex mutex;
    LogSink sink = stderr_sink;
    std::atomic<int> min_level{static_cast<int>(LogLevel::Warning)};
};

LogState& state() {
    static LogState instance;
    return instance;
}

}  // namespace

void set_log_sink(LogSink sink, LogLevel min_level) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    s.sink = std::move(sink);
    s.min_level = static_cast<int>(min_level);
}

void set_log_level(LogLevel min_level) { state().min_level = static_cast<int>(min_level); }

bool log_enabled(LogLevel level) {
    return level != LogLevel::Off && static_cast<int>(level) >= state().min_level.load();
}

void log(LogLevel level, const std::string& message) {
    if (!log_enabled(level)) return;
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (!s.sink) return;
    try {
        s.sink(level, message);
    } catch (...) {
        // A sink that throws must not take down the SDK thread that logged.
    }
}

}  // namespace penlink::core
