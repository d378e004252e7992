#include "status_display.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace penctl {

namespace {

/// Builds "  "-separated pieces into lines no wider than `width`. A piece that does not fit
/// starts a continuation line (indented by two) when wrapping, else ends the text: later pieces
/// are dropped too, so columns keep their order.
class FittedLine {
public:
    FittedLine(char* buffer, std::size_t size, std::size_t width, bool wrap)
        : buffer_(buffer), size_(size), width_(std::min(width, size - 1)), wrap_(wrap) {
        buffer_[0] = '\0';
    }

    bool add(const char* piece) {
        if (full_) return false;
        const std::size_t piece_length = std::strlen(piece);
        std::size_t separator = column() == 0 ? 0 : 2;
        if (column() + separator + piece_length > width_) {
            if (!wrap_ || column() <= 2 || length_ + 3 + piece_length >= size_) {
                full_ = true;
                return false;
            }
            append("\n  ", 3);
            line_start_ = length_ - 2;
            separator = 0;
        }
        append("  ", separator);
        append(piece, piece_length);
        return true;
    }

    std::size_t length() const { return length_; }
    /// Columns left on the current line for a piece after a separator.
    std::size_t room() const { return width_ > column() + 2 ? width_ - column() - 2 : 0; }

private:
    std::size_t column() const { return length_ - line_start_; }
    void append(const char* text, std::size_t count) {
        std::memcpy(buffer_ + length_, text, count);
        length_ += count;
        buffer_[length_] = '\0';
    }

    char* buffer_;
    std::size_t size_;
    std::size_t width_;
    bool wrap_;
    std::size_t length_ = 0;
    std::size_t line_start_ = 0;
    bool full_ = false;
};

int count_faults(std::uint32_t bits) {
    int count = 0;
    for (; bits != 0; bits &= bits - 1) ++count;
    return count;
}

}  // namespace

std::size_t format_status_line(const penlink::Status& status, std::uint64_t dropped_frames,
                               const char* fault_names, const std::vector<penlink::Module>& modules,
                               char* buffer, std::size_t size, std::size_t width, bool wrap) {
    FittedLine line(buffer, size, width, wrap);
    char piece[160];
    line.add(penlink::to_string(status.state));
    // Faults come right after the state and always show: by name when they fit, else as a
    // count (show() prints the names on a line of their own whenever they change).
    std::snprintf(piece, sizeof piece, "faults %s", fault_names);
    if (std::strlen(piece) > line.room()) {
        std::snprintf(piece, sizeof piece, "faults %d", count_faults(status.fault_bits));
    }
    line.add(piece);
    std::snprintf(piece, sizeof piece, "depth %.2f/%.2f mm", status.depth_actual_mm,
                  status.depth_set_mm);
    line.add(piece);
    std::snprintf(piece, sizeof piece, "speed %.1f/%.1f Hz", status.speed_actual_hz,
                  status.speed_set_hz);
    line.add(piece);
    std::snprintf(piece, sizeof piece, "battery %d%%", static_cast<int>(status.battery_percent));
    line.add(piece);
    std::snprintf(piece, sizeof piece, "%.1f C", status.temperature_c);
    line.add(piece);
    std::snprintf(piece, sizeof piece, "RF %s %d ohm %.2f J",
                  status.rf_delivering ? "on" : (status.rf_enabled ? "arm" : "off"),
                  static_cast<int>(status.rf_impedance_ohm), status.rf_energy_j);
    line.add(piece);
    std::snprintf(piece, sizeof piece, "LED %s %.3f J/cm2", status.led_emitting ? "on" : "off",
                  status.led_dose_j_cm2);
    line.add(piece);
    std::snprintf(piece, sizeof piece, "strokes %u",
                  static_cast<unsigned>(status.cartridge_strokes));
    line.add(piece);
    std::snprintf(piece, sizeof piece, "dropped %llu",
                  static_cast<unsigned long long>(dropped_frames));
    line.add(piece);
    const auto count = static_cast<std::size_t>(std::max(0, status.telemetry_count));
    for (std::size_t i = 0; i < count && i < status.telemetry.size(); ++i) {
        const penlink::TelemetryReading& reading = status.telemetry[i];
        for (const penlink::Module& module : modules) {
            if (module.slot() != reading.slot) continue;
            for (const penlink::TelemetrySpec& channel : module.descriptor().telemetry) {
                if (channel.id != reading.channel) continue;
                const double value = reading.raw * channel.scale;
                const bool alarm = (channel.has_alarm_low && value < channel.alarm_low) ||
                                   (channel.has_alarm_high && value > channel.alarm_high);
                std::snprintf(piece, sizeof piece, "%s.%s %g%s%s%s", module.key().c_str(),
                              channel.key.c_str(), value, channel.unit.empty() ? "" : " ",
                              channel.unit.c_str(), alarm ? " ALARM" : "");
                line.add(piece);
            }
        }
    }
    return line.length();
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

    // Faults change rarely; naming them allocates, so only redo it when the bits change. The
    // names also go on a line of their own, so a status line too narrow for them loses nothing.
    if (status.fault_bits != named_fault_bits_) {
        named_fault_bits_ = status.fault_bits;
        fault_names_ = status.fault_bits ? penlink::describe_faults(status.fault_bits) : "none";
        note_locked(status.fault_bits ? "faults: " + fault_names_ : std::string("faults cleared"));
    }
    // Fits the terminal (asked each time, so resizing just works; a line as wide as the
    // terminal would wrap and \r would then redraw only its last part), else 80 columns.
    std::size_t width = kPlainWidth;
    if (terminal_) {
        winsize size{};
        if (ioctl(fileno(out_), TIOCGWINSZ, &size) == 0 && size.ws_col > 1) {
            width = static_cast<std::size_t>(size.ws_col - 1);
        }
    }
    char line[1024];
    // A terminal's live line is one line (\r redraws it): what does not fit is left out. Piped
    // or written to a file, the rest continues on indented lines.
    const std::size_t length = format_status_line(status, dropped_frames, fault_names_.c_str(),
                                                  modules_, line, sizeof line, width, !terminal_);
    if (terminal_) {
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
    note_locked(text);
}

void StatusDisplay::note_locked(const std::string& text) {
    if (terminal_ && live_line_open_) {
        // Overwrite the live line with the message; the next frame redraws status below it.
        std::fputs("\r\x1b[K", out_);
        live_line_open_ = false;
    }
    // Wrapped after a ", " so a long list of faults stays within 80 columns too; continuation
    // lines are indented by two.
    std::size_t start = 0;
    std::size_t indent = 0;
    for (;;) {
        const std::size_t room = kPlainWidth - indent;
        std::fputs(indent ? "  " : "", out_);
        if (text.size() - start <= room) {
            std::fputs(text.c_str() + start, out_);
            break;
        }
        std::size_t cut = text.rfind(", ", start + room - 1);  // the comma ends this line
        std::size_t next = cut + 2;
        if (cut == std::string::npos || cut < start) {
            cut = start + room - 1;
            next = cut + 1;
        }
        std::fwrite(text.data() + start, 1, cut + 1 - start, out_);
        std::fputc('\n', out_);
        start = next;
        indent = 2;
    }
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
