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

/// Formats one status frame into `buffer` (no allocation); returns the text length.
std::size_t format_status_line(const penlink::Status& status, std::uint64_t dropped_frames,
                               const char* fault_names, char* buffer, std::size_t size);

/// Appends each module telemetry reading of status ("  cooling.plate_c 14.8 degC", ALARM
/// beyond its alarm limits) to buffer (no allocation); returns the text length.
std::size_t format_telemetry(const penlink::Status& status,
                             const std::vector<penlink::Module>& modules, char* buffer,
                             std::size_t size);

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
    /// Prints a message on its own line without mangling the live status line.
    void note(const std::string& text);
    /// Ends the refreshing line so later output starts on a fresh one.
    void finish();
    StatusFigures figures() const;

private:
    void end_live_line_locked();

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
