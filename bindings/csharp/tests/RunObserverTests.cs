// The run observer events from C# (Runner.RunStarted, StepStarted, StepFinished, Event,
// RunFinished) against a real penlink-sim process over TCP: every step in order with real
// totals, a skip and an abort event, the result, all on the runner's thread; a throwing handler
// is reported through the log while the run still completes.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class RunObserverTests
    {
        const string ThreeSteps = @"{""schema"": ""penlink.recipe/1"", ""name"": ""three zones"", ""steps"": [
            {""name"": ""Cheek"", ""zone"": ""cheek"", ""depth_mm"": 1.0, ""speed_hz"": 120, ""duration_s"": 0.6},
            {""name"": ""Forehead"", ""zone"": ""forehead"", ""depth_mm"": 0.5, ""speed_hz"": 100, ""duration_s"": 0.6},
            {""name"": ""Chin"", ""zone"": ""chin"", ""depth_mm"": 0.8, ""speed_hz"": 100, ""duration_s"": 0.6}]}";

        /// <summary>Every event a runner raised, in order, with the threads they came on.</summary>
        sealed class Recording
        {
            public readonly List<string> Calls = new List<string>();
            public readonly List<RunInfo> Infos = new List<RunInfo>();
            public readonly List<RecipeStep> Started = new List<RecipeStep>();
            public readonly List<StepTotals> Finished = new List<StepTotals>();
            public readonly List<string> Events = new List<string>();
            public readonly List<RunResult> Results = new List<RunResult>();
            public readonly HashSet<int> Threads = new HashSet<int>();

            public Recording(Runner runner)
            {
                runner.RunStarted += info => Note("RunStarted", () => Infos.Add(info));
                runner.StepStarted += (index, step, t) => Note("StepStarted " + index, () => Started.Add(step));
                runner.StepFinished += totals => Note("StepFinished " + totals.Index, () => Finished.Add(totals));
                runner.Event += (t, kind, text) => { lock (this) Events.Add(kind + ": " + text); };
                runner.RunFinished += result => Note("RunFinished", () => Results.Add(result));
            }

            void Note(string call, Action keep)
            {
                lock (this)
                {
                    Threads.Add(Thread.CurrentThread.ManagedThreadId);
                    Calls.Add(call);
                    keep();
                }
            }
        }

        [Test]
        public void TheEventsFollowEveryStepInOrderWithRealTotals()
        {
            using (var sim = SimProcess.Start())
            using (Pen pen = Pen.Connect(sim.Url))
            using (var runner = new Runner(pen, Recipe.Parse(ThreeSteps)))
            {
                var seen = new Recording(runner);
                runner.Start();
                RunResult result = runner.Wait(TimeSpan.FromSeconds(60));
                Assert.AreEqual(RunOutcome.Completed, result.Outcome, result.Reason);
                CollectionAssert.AreEqual(new[] { "RunStarted", "StepStarted 0", "StepFinished 0",
                    "StepStarted 1", "StepFinished 1", "StepStarted 2", "StepFinished 2", "RunFinished" },
                    seen.Calls);
                Assert.AreEqual(3, seen.Infos[0].StepCount);
                Assert.AreEqual("three zones", seen.Infos[0].RecipeName);
                CollectionAssert.AreEqual(new[] { "cheek", "forehead", "chin" }, seen.Started.Select(s => s.Zone));
                double[] depths = { 1.0, 0.5, 0.8 };
                foreach (StepTotals totals in seen.Finished)
                {
                    Assert.AreEqual("completed", totals.Outcome);
                    Assert.Greater(totals.Strokes, 0UL, totals.ToString());
                    Assert.AreEqual(depths[totals.Index], totals.DepthActualMaxMm, 0.05);
                }
                Assert.AreEqual(RunOutcome.Completed, seen.Results.Single().Outcome);
                Assert.AreEqual(result.Steps.Count, seen.Results[0].Steps.Count);
                Assert.AreEqual(1, seen.Threads.Count);
                Assert.IsFalse(seen.Threads.Contains(Thread.CurrentThread.ManagedThreadId));
            }
        }

        [Test]
        public void ASkipFromStepStartedEndsThatStepWithASkipEvent()
        {
            using (var sim = SimProcess.Start())
            using (Pen pen = Pen.Connect(sim.Url))
            using (var runner = new Runner(pen, Recipe.Parse(ThreeSteps)))
            {
                var seen = new Recording(runner);
                runner.StepStarted += (index, step, t) => { if (index == 1) runner.Skip(); };
                runner.Start();
                RunResult result = runner.Wait(TimeSpan.FromSeconds(60));
                Assert.AreEqual(RunOutcome.Completed, result.Outcome, result.Reason);
                CollectionAssert.AreEqual(new[] { "completed", "skipped", "completed" },
                                          seen.Finished.Select(t => t.Outcome));
                Assert.AreEqual(1, seen.Events.Count(e => e.StartsWith("skip: Forehead")),
                                string.Join("; ", seen.Events));
            }
        }

        [Test]
        public void AnAbortFromStepFinishedEndsTheRunWithAnAbortEvent()
        {
            using (var sim = SimProcess.Start())
            using (Pen pen = Pen.Connect(sim.Url))
            using (var runner = new Runner(pen, Recipe.Parse(ThreeSteps)))
            {
                var seen = new Recording(runner);
                runner.StepFinished += totals => { if (totals.Index == 0) runner.Abort("operator pressed stop"); };
                runner.Start();
                RunResult result = runner.Wait(TimeSpan.FromSeconds(60));
                Assert.AreEqual(RunOutcome.Aborted, result.Outcome);
                Assert.IsTrue(seen.Events.Any(e => e.StartsWith("abort:")), string.Join("; ", seen.Events));
                Assert.AreEqual(RunOutcome.Aborted, seen.Results.Single().Outcome);
                Assert.AreEqual("RunFinished", seen.Calls.Last());
            }
        }

        [Test]
        public void AThrowingHandlerIsReportedAndTheRunStillCompletes()
        {
            var reported = new ManualResetEventSlim();
            Sdk.SetLogHandler((level, message) =>
            {
                if (message.Contains("run observer StepFinished") && message.Contains("handler bug"))
                    reported.Set();
            });
            try
            {
                using (var sim = SimProcess.Start())
                using (Pen pen = Pen.Connect(sim.Url))
                using (var runner = new Runner(pen, Recipe.Parse(ThreeSteps)))
                {
                    var seen = new Recording(runner);
                    runner.StepFinished += totals => throw new InvalidOperationException("handler bug (expected)");
                    runner.Start();
                    RunResult result = runner.Wait(TimeSpan.FromSeconds(60));
                    Assert.AreEqual(RunOutcome.Completed, result.Outcome, result.Reason);
                    Assert.AreEqual(3, seen.Finished.Count);
                    Assert.AreEqual(1, seen.Results.Count);
                    Assert.IsTrue(reported.Wait(TimeSpan.FromSeconds(5)), "the failure reached penlink's log");
                }
            }
            finally
            {
                Sdk.SetLogHandler(null);
            }
        }
    }
}
