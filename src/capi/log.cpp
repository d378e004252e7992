// The C log sink. The C++ SDK gets a sink that forwards to the C callback; the C layer's own
// lines (callback failures, misuse of handles) go through the same lock so the sink is never
// called concurrently.
#include <cstdio>
#include <mutex>
#include <string>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "penlink/pen.hpp"

namespace penlink::capi {
namespace {

struct SinkState {
    // Serialises calls into the C sink and guards the fields below.
    std::mutex emit_mutex;
    bool custom = false;  // false: default stderr sink of warnings and errors
    pl_log_cb callback = nullptr;
    void* payload = nullptr;
    LogLevel min_level = LogLevel::Warning;
    // Serialises configuration changes. Never held while the SDK logs, so taking the SDK's own
    // log lock under it cannot deadlock against a line being logged.
    std::mutex configure_mutex;
};

SinkState& sink() {
    static SinkState state;
    return state;
}

thread_local const pl_pen* current_callback_pen = nullptr;

LogLevel to_level(const pl_log_level& requested, const char* function) {
    const int level = raw_enum(requested);
    if (level < PL_LOG_TRACE || level > PL_LOG_OFF) {
        throw InvalidArgumentError(std::string(function) + ": log level " + std::to_string(level) +
                                   " is outside PL_LOG_TRACE (0) to PL_LOG_OFF (5)");
    }
    return static_cast<LogLevel>(level);
}

}  // namespace

void log(LogLevel level, const char* message) {
    auto& state = sink();
    std::lock_guard lock(state.emit_mutex);
    if (level < state.min_level || level == LogLevel::Off) return;
    if (!state.custom) {
        std::fprintf(stderr, "penlink [%s] %s\n", to_string(level), message);
    } else if (state.callback != nullptr) {
        state.callback(static_cast<pl_log_level>(level), message, state.payload);
    }
}

CallbackScope::CallbackScope(const pl_pen* pen) : previous_(current_callback_pen) {
    current_callback_pen = pen;
}
CallbackScope::~CallbackScope() { current_callback_pen = previous_; }

bool in_callback_of(const pl_pen* pen) { return pen != nullptr && current_callback_pen == pen; }

void report_callback_failure(const char* callback, int returned) {
    char line[160];
    std::snprintf(line, sizeof line, "%s callback returned %d (expected 0); it stays registered",
                  callback, returned);
    log(LogLevel::Warning, line);
}

}  // namespace penlink::capi

using namespace penlink;

extern "C" {

int pl_log_set_sink(pl_log_cb cb, pl_log_level min_level, void* payload) {
    return capi::guarded([&] {
        const LogLevel level = capi::to_level(min_level, "pl_log_set_sink");
        auto& state = capi::sink();
        std::lock_guard configure(state.configure_mutex);
        {
            std::lock_guard lock(state.emit_mutex);
            state.custom = true;
            state.callback = cb;
            state.payload = payload;
            state.min_level = level;
        }
        if (cb == nullptr) {
            set_log_sink({}, level);
        } else {
            set_log_sink([](LogLevel line_level,
                            const std::string& message) { capi::log(line_level, message.c_str()); },
                         level);
        }
        return 0;
    });
}

int pl_log_set_level(pl_log_level min_level) {
    return capi::guarded([&] {
        const LogLevel level = capi::to_level(min_level, "pl_log_set_level");
        auto& state = capi::sink();
        std::lock_guard configure(state.configure_mutex);
        {
            std::lock_guard lock(state.emit_mutex);
            state.min_level = level;
        }
        set_log_level(level);
        return 0;
    });
}

}  // extern "C"
