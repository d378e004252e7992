#include "penlink/types.hpp"

namespace penlink {

std::string describe_faults(std::uint32_t fault_bits) {
    static constexpr const char* kNames[] = {
        "over-temperature",  "battery critical", "cartridge exhausted",
        "cartridge missing", "motor stall",      "RF impedance",
        "watchdog",          "emergency stop",   "injected fault",
        "depth actuator"};
    std::string text;
    for (std::uint32_t bit = 0; bit < 32; ++bit) {
        if (!(fault_bits & (1u << bit))) continue;
        if (!text.empty()) text += ", ";
        text += bit < std::size(kNames) ? kNames[bit] : "fault bit " + std::to_string(bit);
    }
    return text;
}

const char* to_string(PenState state) noexcept {
    switch (state) {
        case PenState::Idle:
            return "idle";
        case PenState::Running:
            return "running";
        case PenState::Paused:
            return "paused";
        case PenState::Fault:
            return "fault";
        case PenState::EmergencyStopped:
            return "e-stopped";
    }
    return "unknown";
}

const char* to_string(ConnectionState state) noexcept {
    switch (state) {
        case ConnectionState::Connecting:
            return "connecting";
        case ConnectionState::Connected:
            return "connected";
        case ConnectionState::Lost:
            return "lost";
        case ConnectionState::Closed:
            return "closed";
    }
    return "unknown";
}

const char* to_string(RfPolarity polarity) noexcept {
    return polarity == RfPolarity::Monopolar ? "monopolar" : "bipolar";
}

const char* to_string(LogLevel level) noexcept {
    switch (level) {
        case LogLevel::Trace:
            return "trace";
        case LogLevel::Debug:
            return "debug";
        case LogLevel::Info:
            return "info";
        case LogLevel::Warning:
            return "warning";
        case LogLevel::Error:
            return "error";
        case LogLevel::Off:
            return "off";
    }
    return "unknown";
}

const char* to_string(StatusRateLimit limit) noexcept {
    return limit == StatusRateLimit::Link ? "link" : "none";
}

}  // namespace penlink
