/// @file penlink_bind_log.hpp
/// @brief The SDK's log sent to a host-language LogListener (or to stderr), and the report of a
/// failure inside a user callback, which goes the same way.
///
/// Threads: the listener runs on whichever thread logs, under a recursive mutex, so it may log
/// or replace itself; a listener that throws is reported on stderr. Header-only like
/// penlink_bind.hpp.
#pragma once

#include <cstdio>
#include <exception>
#include <mutex>
#include <string>

#include "penlink/penlink.hpp"
#include "penlink_bind_listeners.hpp"

namespace penlink::bind {

// --- log -------------------------------------------------------------------------------------

#ifndef SWIG  // internals SWIG does not need to see
namespace detail {

struct LogState {
    // Recursive: a log listener may itself cause a log line or replace the listener.
    std::recursive_mutex mutex;
    LogListener* listener = nullptr;
    std::once_flag sink_installed;
};

inline LogState& log_state() {
    static LogState state;
    return state;
}

inline void write_log(LogLevel level, const std::string& message) noexcept {
    LogState& state = log_state();
    std::lock_guard<std::recursive_mutex> lock(state.mutex);
    if (state.listener == nullptr) {
        std::fprintf(stderr, "penlink %s: %s\n", to_string(level), message.c_str());
        return;
    }
    try {
        state.listener->on_log(level, message);
    } catch (const std::exception& error) {
        // The log listener is the place errors go; when it fails, stderr is all that is left.
        std::fprintf(stderr, "penlink: log listener threw (%s) on: %s\n", error.what(),
                     message.c_str());
    } catch (...) {
        std::fprintf(stderr, "penlink: log listener threw on: %s\n", message.c_str());
    }
}

}  // namespace detail
#endif

/// Sends the SDK's log to listener (nullptr: back to stderr). Once this returns, the previous
/// listener is not running (unless this is called from inside it) and may be released.
inline void set_log_listener(LogListener* listener, LogLevel min_level = LogLevel::Warning) {
    detail::LogState& state = detail::log_state();
    // The forwarding sink is installed once and never replaced: swapping the SDK sink while
    // holding our mutex would invert the lock order against a sink call in progress.
    std::call_once(state.sink_installed, [] {
        penlink::set_log_sink(
            [](LogLevel level, const std::string& message) { detail::write_log(level, message); });
    });
    {
        std::lock_guard<std::recursive_mutex> lock(state.mutex);
        state.listener = listener;
    }
    penlink::set_log_level(min_level);
}

/// Reports a failure inside a user callback at Error level through the current log listener.
inline void report_callback_error(const std::string& message) noexcept {
    detail::write_log(LogLevel::Error, message);
}

}  // namespace penlink::bind
