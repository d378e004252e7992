// `penctl run`'s output: a live progress line (step i of n, zone, a bar, time left, strokes)
// that fits 80 columns, refreshed in place on a terminal and printed at most once a second (and
// at every step change) when stdout is a pipe; step and event lines in between.
//
// Threads: show() and note() run on the runner's thread, finish() on the main thread; a mutex
// keeps lines whole.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "penlink/treatment_runner.hpp"

namespace penctl {

/// One progress line, at most `width` columns (no newline).
std::string format_progress(const penlink::treatment::RunProgress& progress, std::size_t width);

class ProgressLine {
public:
    explicit ProgressLine(std::FILE* out);
    void show(const penlink::treatment::RunProgress& progress);
    /// A line of its own, not mangling the live line; cut to 80 columns.
    void note(const std::string& text);
    /// Ends the live line.
    void finish();

private:
    void clear_live_locked();

    std::FILE* out_;
    bool terminal_;
    std::mutex mutex_;
    bool live_ = false;
    std::size_t last_step_ = static_cast<std::size_t>(-1);
    double last_printed_s_ = -1.0;
    penlink::treatment::RunState last_state_ = penlink::treatment::RunState::NotStarted;
};

}  // namespace penctl
