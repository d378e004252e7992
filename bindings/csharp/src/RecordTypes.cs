// The values a session recording and the treatment log read back into (Recording.Read,
// TreatmentLog): immutable, copied out of the native proxies, so nothing a user keeps points
// into C++ memory.
using System.Collections.Generic;
using System.Globalization;

namespace Penlink
{
    /// <summary>How a run in the treatment log ended, or that it has not. Numbers match the
    /// C++ enum penlink::RunOutcome of records.hpp; RecordOutcomes.Text gives what the log
    /// stores ("completed").</summary>
    public enum RecordOutcome
    {
        /// <summary>Begun and not finished.</summary>
        Running = 0,
        /// <summary>Every step ran.</summary>
        Completed = 1,
        /// <summary>Stopped by the operator or the app.</summary>
        Aborted = 2,
        /// <summary>Stopped by a fault, an emergency stop, a lost link or a refused
        /// cartridge.</summary>
        Failed = 3,
        /// <summary>The process recording it ended without finishing it.</summary>
        Interrupted = 4,
    }

    /// <summary>The text the treatment log stores for a RecordOutcome.</summary>
    public static class RecordOutcomes
    {
        /// <summary>"running", "completed", "aborted", "failed" or "interrupted".</summary>
        public static string Text(this RecordOutcome outcome) => outcome.ToString().ToLowerInvariant();

        /// <summary>Seconds for ToString(), the same in every culture.</summary>
        internal static string Seconds(double s) => s.ToString("0.000", CultureInfo.InvariantCulture) + " s";

        internal static RecordOutcome FromText(string text)
        {
            foreach (RecordOutcome outcome in System.Enum.GetValues(typeof(RecordOutcome)))
                if (outcome.Text() == text) return outcome;
            throw new RejectedException(ErrorCode.Protocol,
                                        "the treatment log holds an unknown run outcome '" + text + "'");
        }
    }

    /// <summary>One Status frame of a session recording (Recording.Statuses).</summary>
    public sealed class RecordedStatus
    {
        internal RecordedStatus(double timeS, Status status, double rfEnergyJ, double ledDoseJCm2)
        {
            TimeS = timeS;
            Status = status;
            RfEnergyJ = rfEnergyJ;
            LedDoseJCm2 = ledDoseJCm2;
        }

        /// <summary>When it came, s since the recording started.</summary>
        public double TimeS { get; }
        /// <summary>The frame, decoded as a live status handler sees it.</summary>
        public Status Status { get; }
        /// <summary>RF energy delivered since the recording started (built-in add-on and "rf"
        /// modules together), J.</summary>
        public double RfEnergyJ { get; }
        /// <summary>LED dose delivered since the recording started, J/cm2.</summary>
        public double LedDoseJCm2 { get; }

        public override string ToString() => "RecordedStatus(" + RecordOutcomes.Seconds(TimeS) + ", " + Status + ")";
    }

    /// <summary>One Event frame of a session recording (Recording.Events).</summary>
    public sealed class RecordedEvent
    {
        internal RecordedEvent(double timeS, Event @event)
        {
            TimeS = timeS;
            Event = @event;
        }

        /// <summary>When it came, s since the recording started.</summary>
        public double TimeS { get; }
        /// <summary>The frame, decoded.</summary>
        public Event Event { get; }

        public override string ToString() => "RecordedEvent(" + RecordOutcomes.Seconds(TimeS) + ", " + Event + ")";
    }

    /// <summary>One request the host sent (Recording.Commands); heartbeats and resends are
    /// left out.</summary>
    public sealed class RecordedCommand
    {
        internal RecordedCommand(double timeS, string type, string text)
        {
            TimeS = timeS;
            Type = type;
            Text = text;
        }

        /// <summary>When, s since the recording started.</summary>
        public double TimeS { get; }
        /// <summary>The message type, e.g. "SetDepth".</summary>
        public string Type { get; }
        /// <summary>The type with its value, e.g. "SetDepth 1.500 mm".</summary>
        public string Text { get; }

        public override string ToString() => RecordOutcomes.Seconds(TimeS) + " " + Text;
    }

    /// <summary>A module telemetry channel named by a descriptor a recording holds: readings
    /// of this slot and channel are raw * Scale in Unit (Recording.Telemetry).</summary>
    public sealed class TelemetryChannel
    {
        internal TelemetryChannel(int slot, int channel, string module, string key, string unit,
                                  double scale)
        {
            Slot = slot;
            Channel = channel;
            Module = module;
            Key = key;
            Unit = unit;
            Scale = scale;
        }

        /// <summary>The module's slot.</summary>
        public int Slot { get; }
        /// <summary>The channel's id in the descriptor.</summary>
        public int Channel { get; }
        /// <summary>The module's key, e.g. "rf".</summary>
        public string Module { get; }
        /// <summary>The channel's key, e.g. "energy".</summary>
        public string Key { get; }
        /// <summary>e.g. "J".</summary>
        public string Unit { get; }
        /// <summary>The reading in Unit = raw * Scale.</summary>
        public double Scale { get; }

        public override string ToString() => Module + "." + Key + " (" + Unit + ")";
    }

    /// <summary>One reading of a module channel in a recording (Recording.Telemetry).</summary>
    public sealed class TelemetrySample
    {
        internal TelemetrySample(double timeS, double value)
        {
            TimeS = timeS;
            Value = value;
        }

        /// <summary>When its status came, s since the recording started.</summary>
        public double TimeS { get; }
        /// <summary>The reading in the channel's unit (raw * scale).</summary>
        public double Value { get; }

        public override string ToString() =>
            RecordOutcomes.Seconds(TimeS) + " " + Value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A run in the treatment log (TreatmentLog.RecentRuns): when, which pen,
    /// cartridge and recipe, how it ended. Times are UTC as ISO 8601 text.</summary>
    public sealed class LoggedRun
    {
        internal LoggedRun(NativeLoggedRun r)
        {
            Id = r.id;
            StartedUtc = r.started_utc;
            EndedUtc = r.ended_utc;
            PenSerial = r.pen_serial;
            PenModel = r.pen_model;
            PenFirmware = r.pen_firmware;
            CartridgeId = r.cartridge_id;
            RecipeName = r.recipe_name;
            RecipeHash = r.recipe_hash;
            DeviceClass = r.device_class;
            ClientReference = r.client_reference;
            Outcome = RecordOutcomes.FromText(r.outcome);
            FailingStep = r.failing_step < 0 ? (int?)null : r.failing_step;
            Reason = r.reason;
            CartridgeOverrideReason = r.cartridge_override_reason;
            Steps = r.steps;
            RecordingPath = r.recording_path;
            RecordingAbsolutePath = r.recording_absolute_path;
            RecordingStartedUnixMs = r.recording_started_unix_ms;
        }

        /// <summary>The run's id in the log (Runner.RunId).</summary>
        public long Id { get; }
        public string StartedUtc { get; }
        /// <summary>"" while running.</summary>
        public string EndedUtc { get; }
        public string PenSerial { get; }
        public string PenModel { get; }
        public string PenFirmware { get; }
        public string CartridgeId { get; }
        public string RecipeName { get; }
        /// <summary>SHA-256 of the recipe's text, lowercase hex.</summary>
        public string RecipeHash { get; }
        /// <summary>"professional" or "at-home".</summary>
        public string DeviceClass { get; }
        /// <summary>The app's opaque reference to its client, as given.</summary>
        public string ClientReference { get; }
        public RecordOutcome Outcome { get; }
        /// <summary>The step it stopped in, if it did.</summary>
        public int? FailingStep { get; }
        /// <summary>Why it stopped; "" when completed.</summary>
        public string Reason { get; }
        /// <summary>Why a used cartridge was reused; "" if it was not.</summary>
        public string CartridgeOverrideReason { get; }
        /// <summary>Steps recorded.</summary>
        public int Steps { get; }
        /// <summary>The run's session recording as the app named it (Pen.StartRecording,
        /// ConnectOptions.RecordPath); "" when none was made.</summary>
        public string RecordingPath { get; }
        /// <summary>The same file as an absolute path; "" when none was made.</summary>
        public string RecordingAbsolutePath { get; }
        /// <summary>The recording's start time from its header, ms since 1970 (a later file at
        /// the same path has another); 0 when none was made.</summary>
        public long RecordingStartedUnixMs { get; }

        public override string ToString() =>
            "LoggedRun(" + Id + ", " + RecipeName + ", " + Outcome.Text() + ")";
    }

    /// <summary>Something that happened during a logged run (fault, pause, button,
    /// skip).</summary>
    public sealed class LoggedEvent
    {
        internal LoggedEvent(double timeS, string kind, string text)
        {
            TimeS = timeS;
            Kind = kind;
            Text = text;
        }

        /// <summary>When, s since the run began.</summary>
        public double TimeS { get; }
        /// <summary>e.g. "fault", "paused", "resumed", "skipped".</summary>
        public string Kind { get; }
        /// <summary>What happened, in words.</summary>
        public string Text { get; }

        public override string ToString() => RecordOutcomes.Seconds(TimeS) + " " + Kind + ": " + Text;
    }

    /// <summary>One logged run in full (TreatmentLog.Report): the run, its steps in order
    /// (each with the module totals it added, keyed "module.channel") and its events in time
    /// order.</summary>
    public sealed class RunReport
    {
        internal RunReport(LoggedRun run, IReadOnlyList<StepTotals> steps,
                           IReadOnlyList<LoggedEvent> events)
        {
            Run = run;
            Steps = steps;
            Events = events;
        }

        public LoggedRun Run { get; }
        public IReadOnlyList<StepTotals> Steps { get; }
        public IReadOnlyList<LoggedEvent> Events { get; }

        public override string ToString() =>
            "RunReport(" + Run + ", " + Steps.Count + " steps, " + Events.Count + " events)";
    }

    /// <summary>One use of a cartridge in the ledger (TreatmentLog.CartridgeUses).</summary>
    public sealed class CartridgeUse
    {
        internal CartridgeUse(NativeLoggedCartridgeUse u)
        {
            CartridgeId = u.cartridge_id;
            RunId = u.run_id;
            StartedUtc = u.started_utc;
            PenSerial = u.pen_serial;
            Outcome = RecordOutcomes.FromText(u.outcome);
            OverrideReason = u.override_reason;
        }

        public string CartridgeId { get; }
        /// <summary>The run that used it.</summary>
        public long RunId { get; }
        /// <summary>When that run started, UTC as ISO 8601 text.</summary>
        public string StartedUtc { get; }
        public string PenSerial { get; }
        public RecordOutcome Outcome { get; }
        /// <summary>Why a used cartridge was reused; "" if it was not.</summary>
        public string OverrideReason { get; }

        public override string ToString() => "CartridgeUse(" + CartridgeId + ", run " + RunId + ")";
    }
}
