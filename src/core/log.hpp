// The SDK's log: one process-wide sink, set by the embedding app. Thread-safe; the sink is
// never called concurrently. Default: warnings and errors to stderr.
#pragma once

#include <functional>
#include <string>

#include "penlink/types.hpp"

namespace penlink::core {

using LogSink = std::function<void(LogLevel, const std::string&)>;

void set_log_sink(LogSink sink, LogLevel min_level);
void set_log_level(LogLevel min_level);
bool log_enabled(LogLevel level);
void log(LogLevel level, const std::string& message);

}  // namespace penlink::core
