// Session recordings (docs/records.md) from C#: record a pen's link, then read it back decoded.
//
//   using (Recorder recorder = pen.StartRecording("session.plrec")) { ... }
//   Recording recording = Recording.Read("session.plrec");
//   foreach (RecordedStatus s in recording.Statuses)
//       Console.WriteLine(s.TimeS + " " + s.Status.DepthActualMm + " " + s.RfEnergyJ);
//
// Decoding happens in C++ (penlink::read_recording_timeline); this only copies the result
// into immutable C# values.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Penlink
{
    /// <summary>A session recording read back and decoded: its statuses, events and commands
    /// in time order, and what the file says about itself.</summary>
    public sealed class Recording
    {
        /// <summary>Reads and decodes a recording. A file cut short or broken after its header
        /// throws RecordingException naming the file and the byte where it stopped, unless
        /// allowTruncated, which returns what came before (Warning says why it stopped). A file
        /// that cannot be read or is not a penlink recording is an InvalidArgumentException
        /// naming it, a newer format a NotSupportedException.</summary>
        public static Recording Read(string path, bool allowTruncated = false)
        {
            Convert.Require(path, "the recording path");
            using (NativeRecordingTimeline native = NativeRecordingTimeline.read(path))
            {
                string warning = native.warning();
                if (warning.Length > 0 && !allowTruncated)
                {
                    long offset = (long)native.warning_offset();
                    throw new RecordingException(
                        "recording '" + path + "' stops at byte " + offset + ": " + warning +
                            " (Recording.Read(path, allowTruncated: true) returns what came before)",
                        path, offset);
                }
                return new Recording(path, native);
            }
        }

        Recording(string path, NativeRecordingTimeline n)
        {
            Path = path;
            Description = n.description();
            StartedUnixMs = n.started_unix_ms();
            DurationS = n.duration_s();
            var statuses = new RecordedStatus[n.status_count()];
            for (int i = 0; i < statuses.Length; i++)
                using (NativeStatus status = n.status(i))
                    statuses[i] = new RecordedStatus(n.status_time_s(i), Convert.ToStatus(status),
                                                     n.status_rf_energy_j(i),
                                                     n.status_led_dose_j_cm2(i));
            Statuses = statuses;
            var events = new RecordedEvent[n.event_count()];
            for (int i = 0; i < events.Length; i++)
                using (NativeRecordedEvent e = n.event_at(i))
                    events[i] = new RecordedEvent(e.t_s, new Event((EventKind)e.kind, e.detail,
                                                                   e.device_time_ms));
            Events = events;
            var commands = new RecordedCommand[n.command_count()];
            for (int i = 0; i < commands.Length; i++)
                using (NativeRecordedCommand c = n.command(i))
                    commands[i] = new RecordedCommand(c.t_s, c.type, c.text);
            Commands = commands;
            var channels = new List<TelemetryChannel>();
            using (RecordedTelemetryChannelVector all = n.channels())
                foreach (NativeRecordedTelemetryChannel c in all)
                    channels.Add(new TelemetryChannel(c.slot, c.channel, c.module, c.key, c.unit,
                                                      c.scale));
            Channels = channels.AsReadOnly();
            UndecodableFrames = (long)n.undecodable_frames();
            SealedFrames = (long)n.sealed_frames();
            Warning = n.warning();
            WarningOffset = (long)n.warning_offset();
        }

        /// <summary>The file read.</summary>
        public string Path { get; }
        /// <summary>What was recorded: the URL and the link.</summary>
        public string Description { get; }
        /// <summary>Wall-clock time the recording started, ms since 1970.</summary>
        public long StartedUnixMs { get; }
        /// <summary>From the start to the last whole record, s.</summary>
        public double DurationS { get; }
        /// <summary>Every Status frame in time order, with the running RF energy and LED
        /// dose.</summary>
        public IReadOnlyList<RecordedStatus> Statuses { get; }
        /// <summary>Every Event frame in time order.</summary>
        public IReadOnlyList<RecordedEvent> Events { get; }
        /// <summary>Every request the host sent, in time order (heartbeats and resends left
        /// out).</summary>
        public IReadOnlyList<RecordedCommand> Commands { get; }
        /// <summary>The module telemetry channels the recorded descriptors name.</summary>
        public IReadOnlyList<TelemetryChannel> Channels { get; }
        /// <summary>Frames that were not valid (line noise).</summary>
        public long UndecodableFrames { get; }
        /// <summary>Frames of an authenticated session (not decoded).</summary>
        public long SealedFrames { get; }
        /// <summary>Empty, or why reading stopped before the end of the file
        /// (allowTruncated).</summary>
        public string Warning { get; }
        /// <summary>The byte where reading stopped when Warning is set, else 0.</summary>
        public long WarningOffset { get; }

        /// <summary>One module channel over time, e.g. ("rf", "energy"), for every status that
        /// carries it, in the channel's unit. InvalidArgumentException if no recorded
        /// descriptor names it (Channels lists those that do).</summary>
        public IReadOnlyList<TelemetrySample> Telemetry(string module, string key)
        {
            TelemetryChannel channel = Channels.FirstOrDefault(c => c.Module == module && c.Key == key);
            if (channel == null)
            {
                string known = Channels.Count == 0
                    ? "none" : string.Join(", ", Channels.Select(c => c.Module + "." + c.Key));
                throw new InvalidArgumentException("the recording '" + Path +
                                                   "' names no telemetry channel " + module + "." +
                                                   key + " (it names: " + known + ")");
            }
            var samples = new List<TelemetrySample>();
            foreach (RecordedStatus s in Statuses)
                foreach (TelemetryReading reading in s.Status.Telemetry)
                    if (reading.Slot == channel.Slot && reading.Channel == channel.Channel)
                    {
                        samples.Add(new TelemetrySample(s.TimeS, reading.Raw * channel.Scale));
                        break;
                    }
            return samples.AsReadOnly();
        }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture,
                          "Recording({0}, {1:F3} s, {2} statuses, {3} events, {4} commands)", Path,
                          DurationS, Statuses.Count, Events.Count, Commands.Count);
    }

    /// <summary>A session recording in progress (Pen.StartRecording): every frame of the pen's
    /// link, both directions, into a file Recording.Read reads back. Dispose (or Stop) ends
    /// it; so does disposing the pen. Keeps its pen open while it records.</summary>
    public sealed class Recorder : IDisposable
    {
        readonly object gate = new object();
        NativeRecorder native;
        long lastFrames;
        long lastBytes;

        internal Recorder(Pen pen, string path, NativeRecorder native)
        {
            Pen = pen;
            Path = path;
            this.native = native;
        }

        /// <summary>The pen recorded.</summary>
        public Pen Pen { get; }
        /// <summary>The file written.</summary>
        public string Path { get; }

        /// <summary>True until Stop() or Dispose().</summary>
        public bool Active
        {
            get { lock (gate) return native != null && native.active(); }
        }

        /// <summary>Frames recorded so far, both directions.</summary>
        public long Frames
        {
            get { lock (gate) return native == null ? lastFrames : (long)native.frames(); }
        }

        /// <summary>Bytes written to the file so far (bytes still buffered not yet).</summary>
        public long BytesWritten
        {
            get { lock (gate) return native == null ? lastBytes : (long)native.bytes_written(); }
        }

        /// <summary>Writes out what is buffered and closes the file; idempotent.
        /// InvalidArgumentException naming the file if a write failed (a full disk).</summary>
        public void Stop()
        {
            lock (gate)
                if (native != null) native.stop();
        }

        /// <summary>Stops the recording (see Stop) and frees the native recorder;
        /// idempotent.</summary>
        public void Dispose()
        {
            lock (gate)
            {
                NativeRecorder owned = native;
                if (owned == null) return;
                try
                {
                    owned.stop();
                }
                finally
                {
                    lastFrames = (long)owned.frames();
                    lastBytes = (long)owned.bytes_written();
                    native = null;
                    owned.Dispose();
                }
            }
        }

        public override string ToString() =>
            "Recorder(" + Path + ", active=" + Active + ", frames=" + Frames + ")";
    }
}
