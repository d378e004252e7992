#include "core/log.hpp"
#include "penlink/pen.hpp"

namespace penlink {

void set_log_sink(LogSink sink, LogLevel min_level) {
    core::set_log_sink(std::move(sink), min_level);
}
void set_log_level(LogLevel min_level) { core::set_log_level(min_level); }

}  // namespace penlink
