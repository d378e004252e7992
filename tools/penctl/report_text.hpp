// Text helpers for penctl's reports: every line fits 80 columns.
#pragma once

#include <cstdint>
#include <string>

namespace penctl {

/// text cut to width (a cut ends in '~'), or padded with spaces to width if pad.
std::string fit(const std::string& text, std::size_t width, bool pad = true);
/// "2026-11-26T02:00:00.123Z" -> "2026-11-26 02:00:00".
std::string short_time(const std::string& iso_utc);
/// Microseconds since 1970 -> "2026-11-26 02:00:00 UTC".
std::string utc_time(std::int64_t unix_ms);

}  // namespace penctl
