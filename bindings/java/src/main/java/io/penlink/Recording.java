package io.penlink;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A session recording read back and decoded (docs/records.md): its statuses, events and
 * commands in time order, and what the file says about itself. Decoding happens in C++
 * (penlink::read_recording_timeline); this class only copies the result into immutable Java
 * values, so nothing it holds points into C++ memory.
 *
 * <pre>{@code
 * Recording recording = Recording.read(Path.of("session.plrec"));
 * for (RecordedStatus s : recording.statuses()) {
 *     System.out.println(s.timeS() + " " + s.status().depthActualMm() + " " + s.rfEnergyJ());
 * }
 * }</pre>
 *
 * A recording is made with {@link Pen#startRecording(Path)}.
 */
public final class Recording {
    private final Path path;
    private final String description;
    private final long startedUnixMs;
    private final double durationS;
    private final List<RecordedStatus> statuses;
    private final List<RecordedEvent> events;
    private final List<RecordedCommand> commands;
    private final List<TelemetryChannel> channels;
    private final long undecodableFrames;
    private final long sealedFrames;
    private final String warning;
    private final long warningOffset;

    /**
     * Reads and decodes a recording. A file cut short or broken after its header throws
     * {@link RecordingException} naming the file and the byte where it stopped; a file that
     * cannot be read or is not a penlink recording an {@link InvalidArgumentException} naming
     * it; a newer format a {@link NotSupportedException}.
     *
     * @param path the recording file
     * @return the decoded recording
     */
    public static Recording read(Path path) {
        return read(path, false);
    }

    /**
     * The same; with {@code allowTruncated}, a file cut short or broken after its header gives
     * what came before it, and {@link #warning()} says why reading stopped.
     *
     * @param path the recording file
     * @param allowTruncated return the readable part of a damaged file instead of throwing
     * @return the decoded recording
     */
    public static Recording read(Path path, boolean allowTruncated) {
        Convert.require(path, "the recording path");
        NativeRecordingTimeline native_ = NativeRecordingTimeline.read(path.toString());
        try {
            String warning = native_.warning();
            if (!warning.isEmpty() && !allowTruncated) {
                long offset = native_.warning_offset().longValue();
                throw new RecordingException("recording '" + path + "' stops at byte " + offset
                        + ": " + warning
                        + " (Recording.read(path, true) returns what came before)", path,
                        offset);
            }
            return new Recording(path, native_);
        } finally {
            native_.delete();
        }
    }

    private Recording(Path path, NativeRecordingTimeline n) {
        this.path = path;
        description = n.description();
        startedUnixMs = n.started_unix_ms();
        durationS = n.duration_s();
        int statusCount = n.status_count();
        List<RecordedStatus> statusList = new ArrayList<>(statusCount);
        for (int i = 0; i < statusCount; i++) {
            NativeStatus status = n.status(i);
            try {
                statusList.add(new RecordedStatus(n.status_time_s(i), Convert.status(status),
                        n.status_rf_energy_j(i), n.status_led_dose_j_cm2(i)));
            } finally {
                status.delete();
            }
        }
        statuses = List.copyOf(statusList);
        int eventCount = n.event_count();
        List<RecordedEvent> eventList = new ArrayList<>(eventCount);
        for (int i = 0; i < eventCount; i++) {
            NativeRecordedEvent e = n.event(i);
            try {
                eventList.add(new RecordedEvent(e.getT_s(), new Event(
                        EventKind.fromValue(e.getKind()), e.getDetail(), e.getDevice_time_ms())));
            } finally {
                e.delete();
            }
        }
        events = List.copyOf(eventList);
        int commandCount = n.command_count();
        List<RecordedCommand> commandList = new ArrayList<>(commandCount);
        for (int i = 0; i < commandCount; i++) {
            NativeRecordedCommand c = n.command(i);
            try {
                commandList.add(new RecordedCommand(c.getT_s(), c.getType(), c.getText()));
            } finally {
                c.delete();
            }
        }
        commands = List.copyOf(commandList);
        RecordedTelemetryChannelVector nativeChannels = n.channels();
        try {
            List<TelemetryChannel> channelList = new ArrayList<>();
            for (int i = 0; i < nativeChannels.size(); i++) {
                NativeRecordedTelemetryChannel c = nativeChannels.get(i);
                channelList.add(new TelemetryChannel(c.getSlot(), c.getChannel(), c.getModule(),
                        c.getKey(), c.getUnit(), c.getScale()));
            }
            channels = List.copyOf(channelList);
        } finally {
            nativeChannels.delete();
        }
        undecodableFrames = n.undecodable_frames().longValue();
        sealedFrames = n.sealed_frames().longValue();
        warning = n.warning();
        warningOffset = n.warning_offset().longValue();
    }

    /** The file read. */
    public Path path() {
        return path;
    }

    /** What was recorded: the URL and the link. */
    public String description() {
        return description;
    }

    /** Wall-clock time the recording started, ms since 1970. */
    public long startedUnixMs() {
        return startedUnixMs;
    }

    /** From the start to the last whole record, s. */
    public double durationS() {
        return durationS;
    }

    /** Every Status frame in time order, with the running RF energy and LED dose. */
    public List<RecordedStatus> statuses() {
        return statuses;
    }

    /** Every Event frame in time order. */
    public List<RecordedEvent> events() {
        return events;
    }

    /** Every request the host sent, in time order (heartbeats and resends left out). */
    public List<RecordedCommand> commands() {
        return commands;
    }

    /** The module telemetry channels the recorded descriptors name. */
    public List<TelemetryChannel> channels() {
        return channels;
    }

    /** Frames that were not valid (line noise). */
    public long undecodableFrames() {
        return undecodableFrames;
    }

    /** Frames of an authenticated session (not decoded). */
    public long sealedFrames() {
        return sealedFrames;
    }

    /** Empty, or why reading stopped before the end of the file (allowTruncated). */
    public String warning() {
        return warning;
    }

    /** The byte where reading stopped when {@link #warning()} is set, else 0. */
    public long warningOffset() {
        return warningOffset;
    }

    /**
     * One module channel over time, e.g. ("rf", "energy"), for every status that carries it.
     * {@link InvalidArgumentException} if no recorded descriptor names it ({@link #channels()}
     * lists those that do).
     *
     * @param module the module's key
     * @param key the channel's key
     * @return the readings in the channel's unit, in time order
     */
    public List<TelemetrySample> telemetry(String module, String key) {
        TelemetryChannel channel = null;
        for (TelemetryChannel c : channels) {
            if (c.module().equals(module) && c.key().equals(key)) {
                channel = c;
                break;
            }
        }
        if (channel == null) {
            String known = channels.isEmpty() ? "none" : channels.stream()
                    .map(c -> c.module() + "." + c.key()).collect(Collectors.joining(", "));
            throw new InvalidArgumentException("the recording '" + path
                    + "' names no telemetry channel " + module + "." + key + " (it names: "
                    + known + ")");
        }
        List<TelemetrySample> samples = new ArrayList<>();
        for (RecordedStatus s : statuses) {
            for (TelemetryReading reading : s.status().telemetry()) {
                if (reading.slot() == channel.slot() && reading.channel() == channel.channel()) {
                    samples.add(new TelemetrySample(s.timeS(), reading.raw() * channel.scale()));
                    break;
                }
            }
        }
        return List.copyOf(samples);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "Recording(%s, %.3f s, %d statuses, %d events, %d commands)", path, durationS,
                statuses.size(), events.size(), commands.size());
    }
}
