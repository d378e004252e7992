#include "status_display.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

namespace penctl {

std::size_t format_status_line(const penlink::Status& status, std::uint64_t dropped_frames,
                               const char* fault_names, char* buffer, std::size_t size) {
    const int length = std::snprintf(
        buffer, size,
        "%-9s depth %.2f/%.2f mm  speed %5.1f/%5.1f Hz  battery %3d%%  %.1f C  strokes %u  "
        "RF %s %d ohm %.2f J  LED %s %.3f J/cm2  faults %s  dropped %llu",
        penlink::to_string(status.state), status.depth_actual_mm, status.depth_set_mm,
        status.speed_actual_hz, status.speed_set_hz, static_cast<int>(status.battery_percent),
        status.temperature_c, static_cast<unsigned>(status.cartridge_strokes),
        status.rf_delivering ? "on " : (status.rf_enabled ? "arm" : "off"),
        static_cast<int>(status.rf_impedance_ohm), status.rf_energy_j,
        status.led_emitting ? "on " : "off", status.led_dose_j_cm2, fault_names,
        static_cast<unsigned long long>(dropped_frames));
    if (length < 0) return 0;
    return std::min(static_cast<std::size_t>(length), size - 1);
}

std::size_t format_telemetry(const penlink::Status& status,
                             const std::vector<penlink::Module>& modules, char* buffer,
                             std::size_t size) {
    std::size_t length = 0;
    const auto count = static_cast<std::size_t>(std::max(0, status.telemetry_count));
    for (std::size_t i = 0; i < count && i < status.telemetry.size(); ++i) {
        const penlink::TelemetryReading& reading = status.telemetry[i];
        for (const penlink::Module& module : modules) {
            if (module.slot() != reading.slot) continue;
            for (const penlink::TelemetrySpec& channel : module.descriptor().telemetry) {
                if (channel.id != reading.channel || length + 1 >= size) continue;
                const double value = reading.raw * channel.scale;
                const bool alarm = (channel.has_alarm_low && value < channel.alarm_low) ||
                                   (channel.has_alarm_high && value > channel.alarm_high);
                const int written = std::snprintf(
                    buffer + length, size - length, "  %s.%s %g%s%s%s", module.key().c_str(),
                    channel.key.c_str(), value, channel.unit.empty() ? "" : " ",
                    channel.unit.c_str(), alarm ? " ALARM" : "");
                if (written > 0)
                    length = std::min(size - 1, length + static_cast<std::size_t>(written));
            }
        }
    }
    return length;
}

void StatusDisplay::set_modules(std::vector<penlink::Module> modules) {
    const std::lock_guard lock(mutex_);
    modules_ = std::move(modules);
}

StatusDisplay::StatusDisplay(std::FILE* out, double max_updates_per_s)
    : out_(out),
      terminal_(isatty(fileno(out)) == 1),
      min_interval_(max_updates_per_s > 0
                        ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(1.0 / max_updates_per_s))
                        : std::chrono::steady_clock::duration::zero()) {}

void StatusDisplay::show(const penlink::Status& status, std::uint64_t dropped_frames) {
    const std::lock_guard lock(mutex_);
    if (figures_.frames == 0) {
        figures_.first = status;
        figures_.temperature_min_c = figures_.temperature_max_c = status.temperature_c;
    }
    ++figures_.frames;
    figures_.last = status;
    figures_.temperature_min_c = std::min(figures_.temperature_min_c, status.temperature_c);
    figures_.temperature_max_c = std::max(figures_.temperature_max_c, status.temperature_c);

    const auto now = std::chrono::steady_clock::now();
    if (figures_.frames > 1 && now - last_print_ < min_interval_) return;
    last_print_ = now;

    // Faults change rarely; naming them allocates, so only redo it when the bits change.
    if (status.fault_bits != named_fault_bits_) {
        named_fault_bits_ = status.fault_bits;
        fault_names_ = status.fault_bits ? penlink::describe_faults(status.fault_bits) : "none";
    }
    char line[1024];
    std::size_t length =
        format_status_line(status, dropped_frames, fault_names_.c_str(), line, sizeof line);
    length += format_telemetry(status, modules_, line + length, sizeof line - length);
    if (terminal_) {
        // A line wider than the terminal would wrap, and \r would then redraw only its last
        // part; cut it to the current width (asked each time, so resizing just works).
        winsize size{};
        if (ioctl(fileno(out_), TIOCGWINSZ, &size) == 0 && size.ws_col > 1) {
            length = std::min(length, static_cast<std::size_t>(size.ws_col - 1));
        }
        // \r returns to the line start, ESC[K clears what a longer previous line left behind.
        std::fputc('\r', out_);
        std::fwrite(line, 1, length, out_);
        std::fputs("\x1b[K", out_);
        live_line_open_ = true;
    } else {
        std::fwrite(line, 1, length, out_);
        std::fputc('\n', out_);
    }
    std::fflush(out_);
}

void StatusDisplay::end_live_line_locked() {
    if (live_line_open_) {
        std::fputc('\n', out_);
        live_line_open_ = false;
    }
}

void StatusDisplay::note(const std::string& text) {
    const std::lock_guard lock(mutex_);
    if (terminal_ && live_line_open_) {
        // Overwrite the live line with the message; the next frame redraws status below it.
        std::fputs("\r\x1b[K", out_);
        live_line_open_ = false;
    }
    std::fputs(text.c_str(), out_);
    std::fputc('\n', out_);
    std::fflush(out_);
}

void StatusDisplay::finish() {
    const std::lock_guard lock(mutex_);
    end_live_line_locked();
    std::fflush(out_);
}

StatusFigures StatusDisplay::figures() const {
    const std::lock_guard lock(mutex_);
    return figures_;
}

}  // namespace penctl
