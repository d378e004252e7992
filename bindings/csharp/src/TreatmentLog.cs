// The treatment log and cartridge ledger (docs/records.md) from C#, for reading; a Runner
// given TreatmentOptions.RecordDb writes it:
//
//   using (TreatmentLog log = TreatmentLog.Open("clinic.db"))
//       foreach (LoggedRun run in log.RecentRuns(10))
//           Console.WriteLine(run.Id + " " + run.RecipeName + " " + run.Outcome);
using System;
using System.Collections.Generic;

namespace Penlink
{
    /// <summary>The treatment log and cartridge ledger in a SQLite file, for reading. Failures
    /// are TreatmentLogExceptions whose Problem says why and whose message names the file, the
    /// run or the cartridge. May be used from several threads (calls are serialised, and
    /// Dispose waits for a call under way).</summary>
    public sealed class TreatmentLog : IDisposable
    {
        readonly object gate = new object();
        NativeTreatmentLog native;

        TreatmentLog(string path, NativeTreatmentLog native)
        {
            Path = path;
            this.native = native;
        }

        /// <summary>Opens the log in path. A file that does not exist is a
        /// TreatmentLogException Storage unless create; another SQLite file or a corrupt one
        /// NotATreatmentLog; one written by a newer penlink SchemaTooNew. busyTimeout (5 s
        /// unless given) is how long to wait for another process that holds the database
        /// (then Locked). Runs left running by a process that died are marked interrupted
        /// (InterruptedAtOpen).</summary>
        public static TreatmentLog Open(string path, bool create = false, TimeSpan? busyTimeout = null)
        {
            Convert.Require(path, "the treatment log path");
            double ms = (busyTimeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
            if (!(ms >= 0) || ms > int.MaxValue)
                throw new OutOfRangeException("busy timeout " +
                                                  ms.ToString(System.Globalization.CultureInfo.InvariantCulture) +
                                                  " ms is outside 0.." + int.MaxValue + " ms",
                                              ms, ms < 0 ? 0 : int.MaxValue, "ms");
            return new TreatmentLog(path, NativeTreatmentLog.open(path, create, (int)ms));
        }

        /// <summary>The version of the log's schema this penlink writes.</summary>
        public static int SchemaVersion => NativeTreatmentLog.schema_version();

        /// <summary>The file.</summary>
        public string Path { get; }

        /// <summary>The newest runs first, at most limit (at least 1, else
        /// OutOfRangeException).</summary>
        public IReadOnlyList<LoggedRun> RecentRuns(int limit = 20)
        {
            lock (gate)
            {
                var runs = new List<LoggedRun>();
                using (LoggedRunVector all = Native.recent_runs(limit))
                    foreach (NativeLoggedRun r in all) runs.Add(new LoggedRun(r));
                return runs.AsReadOnly();
            }
        }

        /// <summary>One run with its steps (each with its module totals) and events;
        /// TreatmentLogException UnknownRun if there is no such run.</summary>
        public RunReport Report(long runId)
        {
            lock (gate)
            {
                using (NativeLoggedRunReport report = Native.report(runId))
                {
                    var steps = new List<StepTotals>();
                    foreach (NativeStepTotals t in report.steps) steps.Add(new StepTotals(t));
                    var events = new List<LoggedEvent>();
                    foreach (NativeLoggedEvent e in report.events)
                        events.Add(new LoggedEvent(e.t_s, e.kind, e.text));
                    return new RunReport(new LoggedRun(report.run), steps.AsReadOnly(),
                                         events.AsReadOnly());
                }
            }
        }

        /// <summary>Every use of every cartridge, the newest first, at most limit (at least
        /// 1, else OutOfRangeException).</summary>
        public IReadOnlyList<CartridgeUse> CartridgeLedger(int limit = 50)
        {
            lock (gate) return Uses(Native.cartridge_ledger(limit));
        }

        /// <summary>The uses of one cartridge (its id as the pen reports it), the newest
        /// first; empty if it was never used.</summary>
        public IReadOnlyList<CartridgeUse> CartridgeUses(string cartridgeId)
        {
            Convert.Require(cartridgeId, "the cartridge id");
            lock (gate) return Uses(Native.cartridge_uses(cartridgeId));
        }

        /// <summary>The runs Open found left running by a process that died, now marked
        /// interrupted.</summary>
        public IReadOnlyList<long> InterruptedAtOpen
        {
            get
            {
                lock (gate)
                {
                    var runs = new long[Native.interrupted_at_open_count()];
                    for (int i = 0; i < runs.Length; i++) runs[i] = Native.interrupted_at_open(i);
                    return runs;
                }
            }
        }

        /// <summary>Closes the file; idempotent. Later calls throw
        /// InvalidArgumentException.</summary>
        public void Dispose()
        {
            lock (gate)
            {
                if (native == null) return;
                native.close();
                native.Dispose();
                native = null;
            }
        }

        public override string ToString() => "TreatmentLog(" + Path + ")";

        NativeTreatmentLog Native
        {
            get
            {
                if (native == null)
                    throw new InvalidArgumentException("the treatment log " + Path + " is closed");
                return native;
            }
        }

        static IReadOnlyList<CartridgeUse> Uses(LoggedCartridgeUseVector all)
        {
            using (all)
            {
                var uses = new List<CartridgeUse>();
                foreach (NativeLoggedCartridgeUse u in all) uses.Add(new CartridgeUse(u));
                return uses.AsReadOnly();
            }
        }
    }
}
