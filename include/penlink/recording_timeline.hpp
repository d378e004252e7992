/// @file recording_timeline.hpp
/// @brief A session recording (recorder.hpp, docs/records.md) read back as a timeline: every
/// Status and Event the pen sent and every command the host sent, decoded, with its time since
/// the recording started, and the module telemetry channels the recorded descriptors name. What
/// a plot or an offline analysis of a session needs; summarize_recording() gives only counts.
///
/// Threads: read_recording_timeline() is a pure function of the file; call it from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "penlink/export.h"
#include "penlink/types.hpp"

namespace penlink {

/// One Status frame of a recording.
struct RecordedStatus {
    double t_s = 0.0;  ///< seconds since the recording started (host's monotonic clock)
    Status status;     ///< the frame, decoded as a live session's status listener sees it
    /// RF energy delivered since the recording started, J: the built-in add-on's counter plus
    /// every telemetry channel of a module of the "rf" profile keyed "energy", summed over
    /// their increases (a counter that restarts adds nothing), as the treatment runner counts.
    double rf_energy_j = 0.0;
    /// LED dose delivered since the recording started, J/cm2: the built-in add-on plus "led"
    /// modules' "dose" channels, counted the same way.
    double led_dose_j_cm2 = 0.0;
};

/// One Event frame of a recording.
struct RecordedEvent {
    double t_s = 0.0;  ///< seconds since the recording started
    Event event;       ///< the frame, decoded
};

/// One request the host sent (heartbeats and resends of a request left out).
struct RecordedCommand {
    double t_s = 0.0;  ///< seconds since the recording started
    std::string type;  ///< the message type, e.g. "SetDepth", "Start", "SetParams"
    /// The type with its value where it has one: "SetDepth 1.500 mm", "SetSpeed 120.00 Hz".
    std::string text;
};

/// A module telemetry channel named by a module descriptor the recording holds (every recording
/// holds the descriptors of the modules its session used). Status::telemetry readings of this
/// slot and channel are raw * scale in unit.
struct RecordedTelemetryChannel {
    std::int32_t slot = 0;     ///< the module's slot
    std::int32_t channel = 0;  ///< the channel's id in the descriptor
    std::string module;        ///< the module's key, e.g. "rf"
    std::string key;           ///< the channel's key, e.g. "energy"
    std::string unit;          ///< e.g. "J", "C"
    double scale = 1.0;        ///< the reading in unit = raw * scale
};

/// Everything decoded from one recording file, in time order.
struct RecordingTimeline {
    std::string path;                  ///< the file read
    std::string description;           ///< what was recorded: the URL and the link
    std::int64_t started_unix_ms = 0;  ///< wall-clock time the recording started (ms since 1970)
    double duration_s = 0.0;           ///< from the start to the last whole record
    std::vector<RecordedStatus> statuses;            ///< every Status frame
    std::vector<RecordedEvent> events;               ///< every Event frame
    std::vector<RecordedCommand> commands;           ///< every request the host sent
    std::vector<RecordedTelemetryChannel> channels;  ///< module channels the descriptors name
    std::uint64_t undecodable_frames = 0;  ///< bytes that were not a valid frame (line noise)
    std::uint64_t sealed_frames = 0;       ///< frames of an authenticated session (not decoded)
    /// Empty, or why reading stopped before the end of the file (cut short, or a record that
    /// breaks the format): everything before it is here.
    std::string warning;
    /// The byte offset in the file where reading stopped; 0 when warning is empty.
    std::uint64_t warning_offset = 0;
};

/// Reads and decodes a recording. Throws InvalidArgumentError naming the file if it cannot be
/// read or is not a penlink recording, NotSupportedError if its format version is newer than
/// this penlink reads. A file cut short is read up to its last whole record and says so in
/// warning and warning_offset.
PENLINK_EXPORT RecordingTimeline read_recording_timeline(const std::string& path);

}  // namespace penlink
