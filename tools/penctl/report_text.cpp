#include "report_text.hpp"

#include <ctime>

namespace penctl {

std::string fit(const std::string& text, std::size_t width, bool pad) {
    if (text.size() > width) return width == 0 ? std::string() : text.substr(0, width - 1) + "~";
    return pad ? text + std::string(width - text.size(), ' ') : text;
}

std::string short_time(const std::string& iso_utc) {
    std::string out = iso_utc.substr(0, 19);
    if (out.size() > 10 && out[10] == 'T') out[10] = ' ';
    return out;
}

std::string utc_time(std::int64_t unix_ms) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
    return text;
}

}  // namespace penctl
