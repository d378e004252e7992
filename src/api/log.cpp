#include "core/log.hpp"
#include "penlink/pen.hpp"

#include <string>

namespace penlink {

namespace {
void check_level(LogLevel level) {
    const auto raw = static_cast<int>(level);
    if (raw < static_cast<int>(LogLevel::Trace) || raw > static_cast<int>(LogLevel::Off))
        throw InvalidArgumentError("log level " + std::to_string(raw) +
                                   " is not one of trace (0) .. off (5)");
}
}  // namespace

void set_log_sink(LogSink sink, LogLevel min_level) {
    check_level(min_level);
    core::set_log_sink(std::move(sink), min_level);
}
void set_log_level(LogLevel min_level) {
    check_level(min_level);
    core::set_log_level(min_level);
}

}  // namespace penlink
