// Live status output shared by `monitor` and `demo`: one refreshing line on a terminal, one
// line per update when stdout is a pipe or file, plus the running figures the demo summarises.
//
// Threads: show() runs on the pen's callback thread, note()/finish()/figures() on the main
// thread; a mutex keeps their output lines whole. show() does not allocate (fixed buffer),
// except when the fault bits change and their names are looked up again.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include <vector>

#include "penlink/module.hpp"
#include "penlink/types.hpp"

namespace penctl {

/// What the status stream showed over a run.
struct StatusFigures {
    std::uint64_t frames = 0;  ///< frames that reached show()
    penlink::Status first;
    penlink::Status last;
    double temperature_min_c = 0;
    double temperature_max_c = 0;
};

/// Output lines fit this many columns when stdout is not a terminal (on a terminal, its width).
constexpr std::size_t kPlainWidth = 80;

/// Formats one status frame into `buffer` (no allocation) as "  "-separated columns no wider
/// than `width`: state, faults (their names, or their count when the names do not fit), depth,
/// speed, battery, temperature, RF, LED, strokes, dropped frames, then each module telemetry
/// reading ("cooling.plate_c 14.8 degC", ALARM beyond its limits). Columns that do not fit
/// continue on lines indented by two when `wrap`, else are left out from the right. Returns
/// the text length.
std::size_t format_status_line(const penlink::Status& status, std::uint64_t dropped_frames,
                               const char* fault_names, const std::vector<penlink::Module>& modules,
                               char* buffer, std::size_t size, std::size_t width, bool wrap);

class StatusDisplay {
public:
    /// Writes to `out`; refreshes a single line if `out` is a terminal. At most
    /// `max_updates_per_s` lines are printed (0 = every frame); figures count every frame.
    StatusDisplay(std::FILE* out, double max_updates_per_s);

    bool is_terminal() const { return terminal_; }
    /// The modules whose telemetry show() appends, by key and unit.
    void set_modules(std::vector<penlink::Module> modules);
    /// Callback thread: records the frame and prints it if the rate allows.
    void show(const penlink::Status& status, std::uint64_t dropped_frames);
    /// Prints a message on its own line without mangling the live status line; a message
    /// longer than 80 columns is wrapped after a ", ".
    void note(const std::string& text);
    /// Ends the refreshing line so later output starts on a fresh one.
    void finish();
    StatusFigures figures() const;

private:
    void end_live_line_locked();
    void note_locked(const std::string& text);

    std::FILE* out_;
    bool terminal_;
    std::chrono::steady_clock::duration min_interval_;
    mutable std::mutex mutex_;
    bool live_line_open_ = false;
    std::chrono::steady_clock::time_point last_print_{};
    StatusFigures figures_;
    std::uint32_t named_fault_bits_ = 0;
    std::string fault_names_ = "none";
    std::vector<penlink::Module> modules_;
};

}  // namespace penctl
