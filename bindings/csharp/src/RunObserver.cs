// Following a treatment run step by step (docs/treatments.md, "Observing a run"): the values the
// Runner's RunStarted, StepStarted, StepFinished, Event and RunFinished events carry, and the
// director that raises them. Every event is raised on the runner's own thread, one at a time,
// in the order the run happens; a handler may call Pause, Resume, Skip and Abort but not Wait.
// What a handler throws is reported through penlink's log (Sdk.SetLogHandler) and the run goes
// on.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Penlink
{
    /// <summary>One step of a recipe: a treat step over a zone, or a pause for the
    /// operator.</summary>
    public sealed class RecipeStep
    {
        internal RecipeStep(NativeRecipeStep s)
        {
            IsPause = s.kind == 1;
            Name = s.name;
            Zone = s.zone;
            DepthMm = s.depth_mm;
            SpeedHz = s.speed_hz;
            DurationS = s.duration_s;
            Passes = s.passes;
            PassDurationS = s.pass_duration_s;
            Modules = s.modules.ToList().AsReadOnly();
            Message = s.message;
        }

        /// <summary>True for a pause step (waits for the operator), false for a treat
        /// step.</summary>
        public bool IsPause { get; }
        /// <summary>The step's name.</summary>
        public string Name { get; }
        /// <summary>The zone key; "" for a pause step.</summary>
        public string Zone { get; }
        /// <summary>The needle depth, mm.</summary>
        public double DepthMm { get; }
        /// <summary>The needle speed, Hz.</summary>
        public double SpeedHz { get; }
        /// <summary>The needle time, s.</summary>
        public double DurationS { get; }
        /// <summary>Passes when the step is given as passes, else 0.</summary>
        public int Passes { get; }
        /// <summary>The length of one pass, s (0 if given as a duration).</summary>
        public double PassDurationS { get; }
        /// <summary>The modules the step sets, e.g. "rf", "led".</summary>
        public IReadOnlyList<string> Modules { get; }
        /// <summary>A pause step: what the operator is asked to do.</summary>
        public string Message { get; }

        public override string ToString() =>
            "RecipeStep(" + Name + (Zone.Length > 0 ? " [" + Zone + "]" : "") + ")";
    }

    /// <summary>The run about to start: the recipe, the device class, the zone chart and the
    /// pen.</summary>
    public sealed class RunInfo
    {
        internal RunInfo(NativeRunInfo i)
        {
            RecipeName = i.recipe_name;
            RecipeSource = i.recipe_source;
            StepCount = i.step_count;
            PlannedDurationS = i.planned_duration_s;
            DeviceClass = i.device_class == "at-home" ? DeviceClass.AtHome : DeviceClass.Professional;
            ZoneChart = i.zone_chart;
            PenModel = i.pen_model;
            PenSerial = i.pen_serial;
            PenFirmware = i.pen_firmware;
            CartridgeId = i.cartridge_id;
        }

        /// <summary>The recipe's name.</summary>
        public string RecipeName { get; }
        /// <summary>The recipe's JSON text (to hash and store with the run).</summary>
        public string RecipeSource { get; }
        /// <summary>Steps in the recipe.</summary>
        public int StepCount { get; }
        /// <summary>The needle time of the recipe's treat steps, s.</summary>
        public double PlannedDurationS { get; }
        /// <summary>The device class the run is checked against.</summary>
        public DeviceClass DeviceClass { get; }
        /// <summary>The zone chart's name.</summary>
        public string ZoneChart { get; }
        /// <summary>The pen's model.</summary>
        public string PenModel { get; }
        /// <summary>The pen's serial number.</summary>
        public string PenSerial { get; }
        /// <summary>The pen's firmware version.</summary>
        public string PenFirmware { get; }
        /// <summary>The cartridge fitted at start; 0 if the pen does not say.</summary>
        public uint CartridgeId { get; }

        public override string ToString() => "RunInfo(" + RecipeName + ", " + StepCount + " steps)";
    }

    /// <summary>Raises a Runner's observer events from the native RunListener.</summary>
    internal sealed class ObserverBridge : NativeRunListener
    {
        readonly Runner runner;
        long failures;

        internal ObserverBridge(Runner runner) { this.runner = runner; }

        void Tell(string what, Action<Runner> raise)
        {
            try { raise(runner); }
            catch (Exception error) { CallbackErrors.Report("run observer " + what, ref failures, error); }
        }

        public override void run_started(NativeRunInfo info)
        {
            var value = new RunInfo(info);
            Tell("RunStarted", r => r.RaiseRunStarted(value));
        }

        public override void step_started(int index, NativeRecipeStep step, double t_s)
        {
            var value = new RecipeStep(step);
            Tell("StepStarted", r => r.RaiseStepStarted(index, value, t_s));
        }

        public override void step_finished(NativeStepTotals totals)
        {
            var value = new StepTotals(totals);
            Tell("StepFinished", r => r.RaiseStepFinished(value));
        }

        public override void event_(double t_s, string kind, string text)
        {
            Tell("Event", r => r.RaiseEvent(t_s, kind, text));
        }

        public override void run_finished(NativeRunResult result)
        {
            var value = new RunResult(result);
            Tell("RunFinished", r => r.RaiseRunFinished(value));
        }
    }
}
