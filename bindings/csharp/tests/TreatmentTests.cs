// Treatment recipes from C#: the acne-scars example runs to completion on sim:// (an
// in-process simulated pen) with progress, a bad recipe's report names field, value, limit and
// unit, the at-home class refuses it, and disposing a runner mid-run aborts it.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class TreatmentTests
    {
        static string AcneScars()
        {
            // PENLINK_EXAMPLES_DIR is examples/csharp (ci.sh); recipes are in examples/recipes.
            string examples = Environment.GetEnvironmentVariable("PENLINK_EXAMPLES_DIR") ?? "examples/csharp";
            return Path.Combine(examples, "..", "recipes", "acne-scars.json");
        }

        const string TooDeep = @"{""schema"": ""penlink.recipe/1"", ""name"": ""too deep"",
            ""steps"": [{""name"": ""Eyes"", ""zone"": ""periorbital"", ""depth_mm"": 1.0,
                         ""speed_hz"": 100, ""duration_s"": 1}]}";

        [Test]
        public void TheExampleValidates()
        {
            Recipe recipe = Recipe.Load(AcneScars());
            Assert.AreEqual(4, recipe.StepCount);
            Assert.AreEqual(8.0, recipe.TotalDurationS, 1e-9);
            ValidationReport report = recipe.Validate();
            Assert.IsTrue(report.Ok, report.Text);
        }

        [Test]
        public void AReportNamesTheFieldValueLimitAndUnit()
        {
            ValidationReport report = Recipe.Parse(TooDeep).Validate(DeviceClass.Professional);
            Assert.IsFalse(report.Ok);
            Violation depth = report.Violations.First(v => v.Field == "steps[0].depth_mm");
            Assert.AreEqual(0, depth.Step);
            Assert.AreEqual("mm", depth.Unit);
            Assert.AreEqual(1.0, double.Parse(depth.Value, System.Globalization.CultureInfo.InvariantCulture), 1e-9);
            Assert.AreEqual(0.3, double.Parse(depth.Limit, System.Globalization.CultureInfo.InvariantCulture), 1e-9);
            StringAssert.Contains("periorbital", depth.Message);
        }

        [Test]
        public void BadRecipesAreRefusedWithTheirPlace()
        {
            var missing = Assert.Throws<InvalidArgumentException>(() => Recipe.Load("/nowhere/recipe.json"));
            StringAssert.Contains("/nowhere/recipe.json", missing.Message);
            var negative = Assert.Throws<InvalidArgumentException>(
                () => Recipe.Parse(TooDeep.Replace("1.0", "-0.5")));
            StringAssert.Contains("depth_mm", negative.Message);
        }

        [Test]
        public void AcneScarsRunsToCompletionOnSim()
        {
            var progress = new List<RunProgress>();
            using (Pen pen = Pen.Connect("sim://"))
            using (var runner = new Runner(pen, Recipe.Load(AcneScars()), DeviceClass.Professional,
                                           p => { lock (progress) progress.Add(p); }))
            {
                runner.Start();
                RunResult result = runner.Wait(TimeSpan.FromSeconds(60));
                Assert.AreEqual(RunOutcome.Completed, result.Outcome, result.Reason);
                Assert.IsNull(result.Step);
                CollectionAssert.AreEqual(new[] { "cheek", "forehead", "cheek", "chin" },
                                          result.Steps.Select(s => s.Zone).ToArray());
                Assert.IsTrue(result.Steps.All(s => s.Outcome == "completed" && s.Strokes > 0));
                Assert.LessOrEqual(result.Steps[1].DepthActualMaxMm, 0.5 + 0.02);
                Assert.AreEqual(RunState.Finished, runner.State);
                lock (progress)
                {
                    Assert.IsNotEmpty(progress);
                    CollectionAssert.AreEquivalent(new[] { 0, 1, 2, 3 },
                                                   progress.Select(p => p.Step).Distinct().ToArray());
                    Assert.IsTrue(progress.All(p => p.StepCount == 4));
                }
            }
        }

        [Test]
        public void TheAtHomeClassRefusesToRun()
        {
            using (Pen pen = Pen.Connect("sim://"))
            using (var runner = new Runner(pen, Recipe.Load(AcneScars()), DeviceClass.AtHome))
            {
                var error = Assert.Throws<InvalidArgumentException>(() => runner.Start());
                StringAssert.Contains("depth_mm", error.Message);
                Assert.IsFalse(runner.Validation.Ok);
                Assert.AreEqual(RunState.NotStarted, runner.State);
            }
        }

        [Test]
        public void DisposingARunnerMidRunAbortsIt()
        {
            using (Pen pen = Pen.Connect("sim://"))
            {
                var started = new ManualResetEventSlim();
                var runner = new Runner(pen, Recipe.Load(AcneScars()), DeviceClass.Professional,
                                        p => started.Set());
                runner.Start();
                Assert.IsTrue(started.Wait(TimeSpan.FromSeconds(10)));
                runner.Dispose();
                Assert.Throws<RejectedException>(() => runner.Wait(TimeSpan.FromSeconds(1)));
                runner.Dispose();
            }
        }

        [Test]
        public void ARunIsAbortedFromItsProgressDelegate()
        {
            using (Pen pen = Pen.Connect("sim://"))
            {
                Runner runner = null;
                runner = new Runner(pen, Recipe.Load(AcneScars()), DeviceClass.Professional, p =>
                {
                    if (p.Step == 1) runner.Abort("operator pressed stop");
                });
                using (runner)
                {
                    runner.Start();
                    RunResult result = runner.Wait(TimeSpan.FromSeconds(60));
                    Assert.AreEqual(RunOutcome.Aborted, result.Outcome);
                    Assert.AreEqual(1, result.Step);
                    Assert.AreEqual("operator pressed stop", result.Reason);
                    Assert.AreEqual("aborted", result.Steps.Last().Outcome);
                    StringAssert.Contains("Aborted", result.ToString());
                }
            }
        }
    }
}
