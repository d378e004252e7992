// Module totals in a run's progress and step totals: RF as a standard-profile module on sim://
// (laxity-rf.json), so "rf.energy" comes from the module's telemetry, as in C++.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class ModuleTotalsTests
    {
        static string Examples() =>
            Environment.GetEnvironmentVariable("PENLINK_EXAMPLES_DIR") ?? "examples/csharp";

        [Test]
        public void ProgressAndStepTotalsCarryModuleTotals()
        {
            string laxity = Path.Combine(Examples(), "..", "recipes", "laxity-rf.json");
            string rf = Path.GetFullPath(Path.Combine(Examples(), "..", "..", "modules", "rf.json"));
            var progress = new List<RunProgress>();
            using (Pen pen = Pen.Connect("sim://?rf=0&module=" + rf))
            using (var runner = new Runner(pen, Recipe.Load(laxity), DeviceClass.Professional,
                                           p => { lock (progress) progress.Add(p); }))
            {
                runner.Start();
                RunResult result = runner.Wait(TimeSpan.FromSeconds(60));
                Assert.AreEqual(RunOutcome.Completed, result.Outcome, result.Reason);
                foreach (StepTotals step in result.Steps)
                {
                    Assert.Greater(step.RfEnergyJ, 0, step.ToString());
                    Assert.AreEqual(step.RfEnergyJ, step.ModuleTotals["rf.energy"], 1e-9);
                }
                lock (progress)
                {
                    var withEnergy = progress.Where(p => p.ModuleTotals.TryGetValue("rf.energy", out double e) && e > 0)
                                             .ToList();
                    Assert.IsNotEmpty(withEnergy, "no progress report carried rf.energy");
                    RunProgress last = withEnergy.Last();
                    Assert.AreEqual(last.RfEnergyJ, last.ModuleTotals["rf.energy"], 1e-9);
                    double previous = 0;
                    foreach (RunProgress p in progress)
                    {
                        double energy = p.ModuleTotals.TryGetValue("rf.energy", out double e) ? e : 0;
                        Assert.GreaterOrEqual(energy, previous, "run-wide totals only grow");
                        previous = energy;
                    }
                }
            }
        }
    }
}
