// Writes a session recording (recording_format.hpp) as bytes cross a link.
//
// Cheap enough to leave on: bytes are cut into frames at their 0x00 delimiters into a fixed
// buffer, and records go into a buffer reserved once and written out when it fills (or after a
// second), so recording a status frame neither allocates nor makes a system call.
//
// Threads: thread-safe. The session writes on its I/O thread; close() may come from the app's
// thread (Recorder::stop) while the link still runs, so one uncontended mutex guards the file.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "recording/recording_format.hpp"

namespace penlink::recording {

class RecordingWriter {
public:
    using Clock = std::chrono::steady_clock;

    /// Creates (or truncates) path and writes the header. description says what was recorded
    /// (the URL, the link). Throws penlink::InvalidArgumentError naming the file and the
    /// system's reason if it cannot be created.
    RecordingWriter(const std::string& path, const std::string& description);
    /// Writes out what is buffered and closes the file.
    ~RecordingWriter();
    RecordingWriter(const RecordingWriter&) = delete;
    RecordingWriter& operator=(const RecordingWriter&) = delete;

    /// Bytes that crossed the link in one direction at time now (split into frames here).
    void bytes(Direction direction, std::span<const std::uint8_t> bytes, Clock::time_point now);
    /// A module descriptor the session uses (its JSON text), written as a descriptor
    /// record unless this file already holds that descriptor for slot: the file then reads
    /// without the process's descriptor cache (timeline, replay://). Text longer than
    /// protocol::kMaxDescriptorSize is left out (no module has one).
    void descriptor(std::uint8_t slot, std::string_view text, Clock::time_point now);
    /// Writes out the buffer (kept short so a crash loses at most about a second).
    void flush();
    /// Flushes and closes; later bytes() calls are ignored. Throws InvalidArgumentError if the
    /// last write failed (disk full), naming the file.
    void close();

    const std::string& path() const { return path_; }
    /// The file as an absolute path, resolved when it was created (a later chdir does not move
    /// it).
    const std::string& absolute_path() const { return absolute_path_; }
    /// The header's started_unix_us: wall-clock start, microseconds since 1970.
    std::uint64_t started_unix_us() const { return started_unix_us_; }
    /// False once closed.
    bool is_open() const;
    std::uint64_t frames() const { return frames_.load(std::memory_order_relaxed); }
    std::uint64_t bytes_written() const { return bytes_written_.load(std::memory_order_relaxed); }
    /// The first write error, if any (recording stops at it; the session goes on).
    std::string error() const;

private:
    struct Pending {
        std::array<std::uint8_t, kMaxRecordBytes> bytes{};
        std::size_t size = 0;
    };
    void emit(Direction direction, Pending& frame, std::uint8_t flags, Clock::time_point now);
    void write_out();  // with mutex_ held
    /// The header's time of a record at now: never before the previous record's.
    std::uint64_t time_us_at(Clock::time_point now);
    void close_locked();

    std::string path_;
    std::string absolute_path_;
    std::uint64_t started_unix_us_ = 0;
    mutable std::mutex mutex_;  // guards everything below but the atomics
    int fd_ = -1;
    Clock::time_point started_;
    Clock::time_point last_flush_;
    std::vector<std::uint8_t> buffer_;  // reserved once; never grows past kBufferSize
    std::array<Pending, 2> pending_;    // per direction: bytes of a frame not yet delimited
    std::uint64_t last_time_us_ = 0;
    std::map<std::uint8_t, std::uint32_t> descriptors_;  // slot -> CRC-32 written
    std::atomic<std::uint64_t> frames_{0};
    std::atomic<std::uint64_t> bytes_written_{0};
    std::atomic<bool> failed_{false};
    std::string error_;  // set once, before failed_
};

}  // namespace penlink::recording
