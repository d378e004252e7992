// Runs one treatment recipe on one pen, once (docs/treatments.md, "The runner"):
//
//   using (var runner = new Runner(pen, recipe, DeviceClass.Professional,
//                                  p => Console.WriteLine(p.Step + " " + p.TimeLeftS)))
//   {
//       runner.Start();
//       RunResult result = runner.Wait(TimeSpan.FromMinutes(5));
//   }
//
// Progress reaches the delegate on the runner's own thread, one call at a time; it may call
// Pause, Resume, Skip and Abort but not Wait. The events RunStarted, StepStarted, StepFinished,
// Event and RunFinished (subscribe before Start) follow the run step by step under the same
// rules (RunObserver.cs). Dispose aborts a run still going.
using System;
using System.Collections.Generic;

namespace Penlink
{
    /// <summary>Progress of a run: the step, its zone, times, strokes and energy so far.</summary>
    public sealed class RunProgress
    {
        internal RunProgress(NativeRunProgress p)
        {
            State = (RunState)p.state;
            Step = p.step;
            StepCount = p.step_count;
            StepName = p.step_name;
            Zone = p.zone;
            CurrentPass = p.current_pass;
            Passes = p.passes;
            StepElapsedS = p.step_elapsed_s;
            StepDurationS = p.step_duration_s;
            RunElapsedS = p.run_elapsed_s;
            TimeLeftS = p.time_left_s;
            StepStrokes = p.step_strokes;
            TotalStrokes = p.total_strokes;
            RfEnergyJ = p.rf_energy_j;
            LedDoseJCm2 = p.led_dose_j_cm2;
            ModuleTotals = ModuleTotalsOf(p.module_totals);
        }

        /// <summary>The native list (sorted by key) as a read-only dictionary.</summary>
        internal static IReadOnlyDictionary<string, double> ModuleTotalsOf(ModuleTotalVector totals)
        {
            var map = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (NativeModuleTotal total in totals) map[total.key] = total.value;
            return new System.Collections.ObjectModel.ReadOnlyDictionary<string, double>(map);
        }

        /// <summary>Running, paused or waiting for the operator.</summary>
        public RunState State { get; }
        /// <summary>Index of the current step.</summary>
        public int Step { get; }
        /// <summary>Steps in the recipe.</summary>
        public int StepCount { get; }
        /// <summary>The current step's name.</summary>
        public string StepName { get; }
        /// <summary>The current zone key; "" in a pause step.</summary>
        public string Zone { get; }
        /// <summary>Current pass (1-based) when the step is given as passes, else 0.</summary>
        public int CurrentPass { get; }
        /// <summary>The step's passes, 0 if given as a duration.</summary>
        public int Passes { get; }
        /// <summary>Needle time in this step so far, s.</summary>
        public double StepElapsedS { get; }
        /// <summary>The step's duration, s.</summary>
        public double StepDurationS { get; }
        /// <summary>Since the run started (pauses included), s.</summary>
        public double RunElapsedS { get; }
        /// <summary>Needle time left in this and later steps, s.</summary>
        public double TimeLeftS { get; }
        /// <summary>Strokes in this step.</summary>
        public ulong StepStrokes { get; }
        /// <summary>Strokes since the run started.</summary>
        public ulong TotalStrokes { get; }
        /// <summary>RF energy since the run started, J.</summary>
        public double RfEnergyJ { get; }
        /// <summary>LED dose since the run started, J/cm2.</summary>
        public double LedDoseJCm2 { get; }
        /// <summary>Run-wide increase of every module telemetry channel, keyed
        /// "module.channel" ("rf.energy" in J, "led.dose" in J/cm2), sorted by key.</summary>
        public IReadOnlyDictionary<string, double> ModuleTotals { get; }

        public override string ToString() =>
            "RunProgress(" + State + ", step " + (Step + 1) + "/" + StepCount + " " + StepName +
            (Zone.Length > 0 ? " [" + Zone + "]" : "") + ", " + TimeLeftS.ToString("0.0") +
            " s left, " + TotalStrokes + " strokes)";
    }

    /// <summary>What one step delivered.</summary>
    public sealed class StepTotals
    {
        internal StepTotals(NativeStepTotals t)
        {
            Index = t.index;
            Name = t.name;
            Zone = t.zone;
            StartedS = t.started_s;
            EndedS = t.ended_s;
            Strokes = t.strokes;
            DepthSetMinMm = t.depth_set_min_mm;
            DepthSetMaxMm = t.depth_set_max_mm;
            DepthActualMinMm = t.depth_actual_min_mm;
            DepthActualMaxMm = t.depth_actual_max_mm;
            RfEnergyJ = t.rf_energy_j;
            LedDoseJCm2 = t.led_dose_j_cm2;
            Outcome = t.outcome;
            ModuleTotals = RunProgress.ModuleTotalsOf(t.module_totals);
        }

        /// <summary>Index into the recipe's steps.</summary>
        public int Index { get; }
        /// <summary>The step's name.</summary>
        public string Name { get; }
        /// <summary>The zone key; "" for a pause step.</summary>
        public string Zone { get; }
        /// <summary>Since the run started, s.</summary>
        public double StartedS { get; }
        /// <summary>Since the run started, s.</summary>
        public double EndedS { get; }
        /// <summary>Needle strokes during the step.</summary>
        public ulong Strokes { get; }
        /// <summary>Shallowest depth set point seen, mm.</summary>
        public double DepthSetMinMm { get; }
        /// <summary>Deepest depth set point seen, mm.</summary>
        public double DepthSetMaxMm { get; }
        /// <summary>Shallowest measured depth while the needle ran, mm.</summary>
        public double DepthActualMinMm { get; }
        /// <summary>Deepest measured depth while the needle ran, mm.</summary>
        public double DepthActualMaxMm { get; }
        /// <summary>RF energy delivered, J.</summary>
        public double RfEnergyJ { get; }
        /// <summary>LED dose delivered, J/cm2.</summary>
        public double LedDoseJCm2 { get; }
        /// <summary>"completed", "skipped", "continued", "aborted" or "failed".</summary>
        public string Outcome { get; }
        /// <summary>The step's increase of every module telemetry channel, keyed
        /// "module.channel" ("rf.energy" in J, "led.dose" in J/cm2), sorted by key.</summary>
        public IReadOnlyDictionary<string, double> ModuleTotals { get; }

        public override string ToString() =>
            "StepTotals(" + Index + " " + Name + (Zone.Length > 0 ? " [" + Zone + "]" : "") + ", " +
            Outcome + ", " + Strokes + " strokes, depth " + DepthActualMinMm.ToString("0.00") + "-" +
            DepthActualMaxMm.ToString("0.00") + " mm)";
    }

    /// <summary>How a run ended.</summary>
    public sealed class RunResult
    {
        internal RunResult(NativeRunResult r)
        {
            Outcome = (RunOutcome)r.outcome;
            Step = r.step < 0 ? (int?)null : r.step;
            Reason = r.reason;
            var steps = new List<StepTotals>();
            foreach (NativeStepTotals t in r.steps) steps.Add(new StepTotals(t));
            Steps = steps.AsReadOnly();
            DurationS = r.duration_s;
            GC.KeepAlive(r);
        }

        /// <summary>Completed, aborted or failed.</summary>
        public RunOutcome Outcome { get; }
        /// <summary>The step that was running when it was aborted or failed; null if
        /// completed.</summary>
        public int? Step { get; }
        /// <summary>Why it was aborted or failed; "" if completed.</summary>
        public string Reason { get; }
        /// <summary>Every step begun, in order.</summary>
        public IReadOnlyList<StepTotals> Steps { get; }
        /// <summary>From start to the end, s.</summary>
        public double DurationS { get; }

        public override string ToString() =>
            "RunResult(" + Outcome + (Step.HasValue ? " in step " + Step.Value + ": " + Reason : "") +
            ", " + Steps.Count + " steps, " + DurationS.ToString("0.0") + " s)";
    }

    internal sealed class ProgressBridge : NativeProgressListener
    {
        readonly Action<RunProgress> handler;
        long failures;

        internal ProgressBridge(Action<RunProgress> handler) { this.handler = handler; }

        public override void on_progress(NativeRunProgress progress)
        {
            try { handler(new RunProgress(progress)); }
            catch (Exception error) { CallbackErrors.Report("progress", ref failures, error); }
        }
    }

    /// <summary>Runs one recipe on one pen, once. Keeps its pen reachable; Dispose aborts a
    /// run still going and waits until everything is off.</summary>
    public sealed class Runner : IDisposable
    {
        readonly object gate = new object();
        // Referenced for as long as C++ may call it (the delegate must not be collected).
        readonly ProgressBridge bridge;
        readonly ObserverBridge observerBridge;  // the same
        NativeRunner native;

        /// <summary>Prepares a run; nothing is sent until Start().</summary>
        public Runner(Pen pen, Recipe recipe, DeviceClass deviceClass = DeviceClass.Professional,
                      Action<RunProgress> onProgress = null)
            : this(pen, recipe, new TreatmentOptions { DeviceClass = deviceClass }, onProgress)
        {
        }

        /// <summary>Prepares a run under options (device class, a clinic's zone chart, the
        /// at-home depth cap); nothing is sent until Start(). Throws InvalidArgumentException
        /// naming the file and the field for a chart that cannot be read or is
        /// malformed.</summary>
        public Runner(Pen pen, Recipe recipe, TreatmentOptions options,
                      Action<RunProgress> onProgress = null)
        {
            if (pen == null) throw new InvalidArgumentException("the pen is null");
            if (recipe == null) throw new InvalidArgumentException("the recipe is null");
            options?.RequireLogForRecordFields();
            Pen = pen;
            bridge = onProgress == null ? null : new ProgressBridge(onProgress);
            observerBridge = new ObserverBridge(this);
            using (NativeTreatmentOptions native_ = Recipe.ToNative(options))
                native = new NativeRunner(pen.NativeResources.Native, recipe.Native, native_, bridge,
                                          observerBridge);
        }

        /// <summary>Before the first step, with the recipe, device class and pen.</summary>
        public event Action<RunInfo> RunStarted;
        /// <summary>As a step begins (before its depth is set): its index, the step and the time
        /// since the run started, s.</summary>
        public event Action<int, RecipeStep, double> StepStarted;
        /// <summary>As a step ends, with what it delivered.</summary>
        public event Action<StepTotals> StepFinished;
        /// <summary>Something worth recording: the time since the run started (s), the kind
        /// ("pause", "resume", "skip", "abort", "fault", "estop", "link", "cartridge",
        /// "operator", "pass", "outputs-off" or "warning") and the text.</summary>
        public event Action<double, string, string> Event;
        /// <summary>After everything is off, with the result.</summary>
        public event Action<RunResult> RunFinished;

        internal void RaiseRunStarted(RunInfo info) => RunStarted?.Invoke(info);
        internal void RaiseStepStarted(int index, RecipeStep step, double tS) =>
            StepStarted?.Invoke(index, step, tS);
        internal void RaiseStepFinished(StepTotals totals) => StepFinished?.Invoke(totals);
        internal void RaiseEvent(double tS, string kind, string text) => Event?.Invoke(tS, kind, text);
        internal void RaiseRunFinished(RunResult result) => RunFinished?.Invoke(result);

        /// <summary>The pen this runner drives.</summary>
        public Pen Pen { get; }

        NativeRunner Native
        {
            get
            {
                lock (gate)
                {
                    if (native == null)
                        throw new RejectedException(ErrorCode.Rejected, "the runner is disposed");
                    return native;
                }
            }
        }

        /// <summary>Validates against the pen and starts; InvalidArgumentException lists every
        /// violation, SafetyException if the pen is in a fault or e-stop.</summary>
        public void Start() => Native.start();
        /// <summary>The report of Start()'s validation (empty before Start()).</summary>
        public ValidationReport Validation => Recipe.ToReport(Native.validation());
        /// <summary>Stops the needle and outputs, keeping the step's place. Between two steps it
        /// holds the next treat step paused before its needle starts (docs/treatments.md,
        /// "Pause and resume").</summary>
        public void Pause() => Native.pause();
        /// <summary>Resumes after Pause(), or continues a pause step; cancels a pause not applied
        /// yet; between two steps it is kept for a pause step that follows; otherwise ignored
        /// (docs/treatments.md, "Pause and resume").</summary>
        public void Resume() => Native.resume();
        /// <summary>Ends one step and goes on with the next: the step under way, or, between
        /// two steps, the next one (docs/treatments.md, "Which step a skip ends"). Each call
        /// ends one step.</summary>
        public void Skip() => Native.skip();
        /// <summary>Ends the run with everything off; outcome Aborted with reason.</summary>
        public void Abort(string reason = "aborted by the app") => Native.abort(reason);
        /// <summary>The run's id in the treatment log (TreatmentOptions.RecordDb) once the run
        /// has claimed its cartridge there (TreatmentLog.Report reads it); null before, without
        /// a log, or when the log refused the cartridge (the run then fails with the reason
        /// naming the cartridge and the run that used it).</summary>
        public long? RunId
        {
            get
            {
                long id = Native.run_id();
                return id == 0 ? (long?)null : id;
            }
        }
        /// <summary>What the runner is doing now.</summary>
        public RunState State => (RunState)Native.state();

        /// <summary>Waits for the run's end, up to timeout (TimeoutException after it).</summary>
        public RunResult Wait(TimeSpan timeout)
        {
            double ms = Math.Max(0, Math.Min(timeout.TotalMilliseconds, int.MaxValue));
            return new RunResult(Native.wait_ms((int)ms));
        }

        /// <summary>Aborts a run still going, waits for everything to be off, frees the native
        /// runner. Idempotent.</summary>
        public void Dispose()
        {
            NativeRunner owned;
            lock (gate)
            {
                owned = native;
                native = null;
            }
            if (owned == null) return;
            var state = (RunState)owned.state();
            if (state != RunState.NotStarted && state != RunState.Finished)
            {
                owned.abort("the runner was disposed");
                // From its own progress callback the run cannot end while we wait: Dispose()
                // then hands the switching off to another thread.
                if (!owned.on_own_thread()) owned.wait_until_done();
            }
            owned.Dispose();
            GC.KeepAlive(bridge);
            GC.KeepAlive(observerBridge);
        }
    }
}
