#include "treatment_display.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "status_display.hpp"

namespace penctl {

namespace {

std::string clock_text(double seconds) {
    const auto total = static_cast<long long>(std::ceil(std::max(0.0, seconds)));
    char text[32];
    std::snprintf(text, sizeof text, "%lld:%02lld", total / 60, total % 60);
    return text;
}

std::string cut(const std::string& text, std::size_t width) {
    return text.size() <= width ? text : text.substr(0, width);
}

}  // namespace

std::string format_progress(const penlink::treatment::RunProgress& progress, std::size_t width) {
    using penlink::treatment::RunState;
    char head[48];
    std::snprintf(head, sizeof head, "step %zu/%zu ", progress.step + 1, progress.step_count);
    std::string line = head;
    if (progress.state == RunState::WaitingForOperator) {
        return cut(line + "waiting for the operator: " + progress.step_name, width);
    }
    char tail[96];
    std::snprintf(tail, sizeof tail, " %s left  %llu strokes",
                  clock_text(progress.time_left_s).c_str(),
                  static_cast<unsigned long long>(progress.total_strokes));
    std::string zone = cut(progress.zone, 12);
    zone.resize(12, ' ');
    line += zone + " ";
    if (progress.state == RunState::Paused) line += "PAUSED ";
    // The bar takes what is left, 10 to 24 columns: "[#####-----] 50%".
    const std::size_t fixed = line.size() + std::string(tail).size() + 7;
    const std::size_t bar = width > fixed + 10 ? std::min<std::size_t>(24, width - fixed) : 0;
    const double done =
        progress.step_duration_s > 0
            ? std::clamp(progress.step_elapsed_s / progress.step_duration_s, 0.0, 1.0)
            : 0.0;
    if (bar > 0) {
        const auto filled = static_cast<std::size_t>(std::lround(done * static_cast<double>(bar)));
        char percent[8];
        std::snprintf(percent, sizeof percent, " %3d%%", static_cast<int>(std::lround(done * 100)));
        line += "[" + std::string(filled, '#') + std::string(bar - filled, '-') + "]" + percent;
    }
    return cut(line + tail, width);
}

ProgressLine::ProgressLine(std::FILE* out) : out_(out), terminal_(isatty(fileno(out)) == 1) {}

void ProgressLine::clear_live_locked() {
    if (live_ && terminal_) std::fputs("\r\x1b[K", out_);
    live_ = false;
}

void ProgressLine::show(const penlink::treatment::RunProgress& progress) {
    std::lock_guard lock(mutex_);
    // A terminal's last column would wrap the line; piped output is held to 80 columns.
    const std::string line = format_progress(progress, terminal_ ? kPlainWidth - 1 : kPlainWidth);
    if (terminal_) {
        std::fputs("\r\x1b[K", out_);
        std::fputs(line.c_str(), out_);
        live_ = true;
    } else {
        const bool changed = progress.step != last_step_ || progress.state != last_state_;
        if (!changed && progress.run_elapsed_s - last_printed_s_ < 1.0) return;
        std::fputs(line.c_str(), out_);
        std::fputc('\n', out_);
        last_printed_s_ = progress.run_elapsed_s;
    }
    last_step_ = progress.step;
    last_state_ = progress.state;
    std::fflush(out_);
}

void ProgressLine::note(const std::string& text) {
    std::lock_guard lock(mutex_);
    clear_live_locked();
    std::fputs(cut(text, kPlainWidth).c_str(), out_);
    std::fputc('\n', out_);
    std::fflush(out_);
}

void ProgressLine::finish() {
    std::lock_guard lock(mutex_);
    if (live_ && terminal_) std::fputc('\n', out_);
    live_ = false;
    std::fflush(out_);
}

}  // namespace penctl
