/// @file recorder.hpp
/// @brief Session recordings: every frame in and out of a pen's link, with a monotonic
/// timestamp, in a compact file (format in docs/records.md). `replay://FILE` plays one back as
/// a pen; summarize_recording() and `penctl report FILE` say what one holds.
///
/// Threads: a Recorder may be used from any thread; the frames are written on the pen's I/O
/// thread into a buffer that goes to disk when full or after a second.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "penlink/export.h"

namespace penlink {

/// Which recording file a treatment run belongs to: what the treatment log stores with a run
/// (RunSummary::recording) so that the run's raw session can be found and plotted again.
struct RecordingFile {
    /// The path as the app gave it (record_path, start_recording, or an explicit option).
    std::string path;
    /// The same file as an absolute path, resolved when the recording started (or, for a path
    /// given explicitly, when the run began), so a later change of directory does not lose it.
    std::string absolute_path;
    /// The file header's start time, ms since 1970: tells this recording from another written
    /// to the same path later (0 when it was not known).
    std::int64_t started_unix_ms = 0;
};

/// The identity of the recording file at path as its header gives it: absolute_path resolved
/// now, started_unix_ms read from the header. Throws InvalidArgumentError naming the file if it
/// cannot be read or is not a penlink recording, NotSupportedError if its format is newer.
PENLINK_EXPORT RecordingFile identify_recording(const std::string& path);

/// A recording in progress (Pen::start_recording). Destroying it, or stop(), ends the
/// recording and closes the file; closing the pen ends it too.
class PENLINK_EXPORT Recorder {
public:
    /// An inactive recorder.
    Recorder();
    /// Stops the recording (see stop()), ignoring a write error.
    ~Recorder();
    /// Takes over other's recording; other becomes inactive.
    Recorder(Recorder&& other) noexcept;
    /// Stops this recording, then takes over other's.
    Recorder& operator=(Recorder&& other) noexcept;
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    /// True until stop() or destruction (closing the pen leaves it true: the file is complete
    /// but no frame comes any more).
    bool active() const;
    /// The file written.
    const std::string& path() const;
    /// Frames recorded so far, both directions.
    std::uint64_t frames() const;
    /// Bytes written to the file so far (the header included; buffered bytes not yet).
    std::uint64_t bytes_written() const;
    /// Writes out what is buffered and closes the file; idempotent. Throws InvalidArgumentError
    /// naming the file if a write failed (a full disk), in which case the recording stopped at
    /// that write.
    void stop();

    struct Impl;
    /// Used by Pen; not for applications.
    explicit Recorder(std::shared_ptr<Impl> impl);

private:
    std::shared_ptr<Impl> impl_;
};

/// What a recording file holds.
struct RecordingSummary {
    std::string path;                   ///< the file read
    std::string description;            ///< what was recorded: the URL and the link
    std::int64_t started_unix_ms = 0;   ///< wall-clock time the recording started (ms since 1970)
    double duration_s = 0.0;            ///< from the start to the last frame
    std::uint64_t frames_to_pen = 0;    ///< frames the host sent
    std::uint64_t frames_from_pen = 0;  ///< frames the pen sent
    std::uint64_t status_frames = 0;    ///< of those, Status
    std::uint64_t event_frames = 0;     ///< of those, Event
    std::uint64_t undecodable_frames = 0;  ///< bytes that were not a valid frame (line noise)
    std::uint64_t sealed_frames = 0;       ///< frames of an authenticated session (not decoded)
    /// Frames per message type ("SetDepth", "Status", ...), both directions, in type order.
    std::vector<std::pair<std::string, std::uint64_t>> frames_by_type;
    /// Empty, or why reading stopped early (a file cut short): what came before is counted.
    std::string warning;
};

/// Reads a recording. Throws InvalidArgumentError naming the file if it cannot be read or is
/// not a penlink recording, NotSupportedError if its format version is newer than this penlink
/// reads. A truncated file is read up to its last whole record and says so in warning.
PENLINK_EXPORT RecordingSummary summarize_recording(const std::string& path);

}  // namespace penlink
