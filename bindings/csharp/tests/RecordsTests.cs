// Session recordings and the treatment log from C#, against real pens (penlink-sim over TCP
// with RF as a descriptor module, and sim://), real recording files and a real SQLite log: the
// runner writes its run into the log and TreatmentLog reads it back with its steps, module
// totals and the cartridge ledger; a used cartridge is refused and an override is stored; a
// session recorded during the run reads back decoded; damaged files and logs are typed errors
// naming the file (and the byte).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class RecordsTests
    {
        // Two RF steps of 0.6 s each on the jawline and the cheeks.
        const string RfRecipe = @"{""schema"": ""penlink.recipe/1"", ""name"": ""short rf"",
            ""concern"": ""laxity"", ""steps"": [
              {""name"": ""Jawline"", ""zone"": ""jawline"", ""depth_mm"": 1.0, ""speed_hz"": 100,
               ""duration_s"": 0.6,
               ""modules"": {""rf"": {""enabled"": true, ""polarity"": ""bipolar"",
                                      ""frequency"": 1000, ""power"": 8, ""pulse"": 100}}},
              {""name"": ""Cheeks"", ""zone"": ""cheek"", ""depth_mm"": 0.5, ""speed_hz"": 80,
               ""duration_s"": 0.6, ""modules"": {""rf"": {""enabled"": true, ""power"": 10}}}]}";

        const string OneStep = @"{""schema"": ""penlink.recipe/1"", ""name"": ""one step"",
            ""steps"": [{""name"": ""Forehead"", ""zone"": ""forehead"", ""depth_mm"": 0.5,
                         ""speed_hz"": 100, ""duration_s"": 0.6}]}";

        string dir;
        SimProcess sim;
        string recording;
        string database;
        RunResult result;
        long runId;

        // RfRecipe run once on penlink-sim with the session recorded and the run logged.
        [TestFixtureSetUp]
        public void RunTheRecipeOnce()
        {
            dir = Path.Combine(Path.GetTempPath(), "penlink-records-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string examples = Environment.GetEnvironmentVariable("PENLINK_EXAMPLES_DIR") ?? "examples/csharp";
            sim = SimProcess.Start("--no-rf --module " + Path.Combine(examples, "..", "..", "modules", "rf.json"));
            recording = Path.Combine(dir, "session.plrec");
            database = Path.Combine(dir, "clinic.db");
            var options = new TreatmentOptions { RecordDb = database, ClientReference = "c-7f3a" };
            using (Pen pen = Pen.Connect(sim.Url, new ConnectOptions { RecordPath = recording }))
            using (var runner = new Runner(pen, Recipe.Parse(RfRecipe), options))
            {
                Assert.IsNull(runner.RunId, "no run id before the start");
                runner.Start();
                result = runner.Wait(TimeSpan.FromSeconds(30));
                Assert.IsNotNull(runner.RunId, result.Reason);
                runId = runner.RunId.Value;
            }
        }

        [TestFixtureTearDown]
        public void StopTheSim()
        {
            sim?.Dispose();
            if (dir != null) Directory.Delete(dir, true);
        }

        [Test]
        public void TheRunnerWritesTheRunAndTheLogReadsItBack()
        {
            Assert.AreEqual(RunOutcome.Completed, result.Outcome, result.Reason);
            Assert.Greater(runId, 0);
            using (TreatmentLog log = TreatmentLog.Open(database))
            {
                Assert.AreEqual(database, log.Path);
                IReadOnlyList<LoggedRun> runs = log.RecentRuns();
                CollectionAssert.AreEqual(new[] { runId }, runs.Select(r => r.Id).ToArray());
                LoggedRun run = runs[0];
                Assert.AreEqual(RecordOutcome.Completed, run.Outcome);
                Assert.IsNull(run.FailingStep);
                Assert.AreEqual("short rf", run.RecipeName);
                Assert.AreEqual("c-7f3a", run.ClientReference);
                // The pen was recording: the log names the file, whole and as the app named it.
                Assert.AreEqual(recording, run.RecordingPath);
                Assert.AreEqual(Path.GetFullPath(recording), run.RecordingAbsolutePath);
                Assert.Greater(run.RecordingStartedUnixMs, 1600000000000L);
                Assert.AreEqual("professional", run.DeviceClass);
                Assert.AreEqual(2, run.Steps);
                Assert.AreEqual("", run.Reason);
                Assert.AreEqual("", run.CartridgeOverrideReason);
                Assert.IsNotEmpty(run.PenSerial);
                Assert.IsNotEmpty(run.EndedUtc);
                Assert.IsFalse(run.CartridgeId == "" || run.CartridgeId == "0", run.CartridgeId);
                StringAssert.IsMatch("^[0-9a-f]{64}$", run.RecipeHash);

                RunReport report = log.Report(runId);
                Assert.AreEqual(runId, report.Run.Id);
                Assert.AreEqual(run.CartridgeId, report.Run.CartridgeId);
                CollectionAssert.AreEqual(new[] { "Jawline", "Cheeks" },
                                          report.Steps.Select(s => s.Name).ToArray());
                for (int i = 0; i < 2; i++)
                {
                    StepTotals logged = report.Steps[i];
                    StepTotals reported = result.Steps[i];
                    Assert.Greater(reported.RfEnergyJ, 0);
                    Assert.AreEqual(reported.RfEnergyJ, logged.RfEnergyJ, 1e-9);
                    Assert.AreEqual(reported.Strokes, logged.Strokes);
                    Assert.AreEqual("completed", logged.Outcome);
                    Assert.AreEqual(reported.RfEnergyJ, logged.ModuleTotals["rf.energy"], 1e-9);
                }
                Assert.AreEqual(0.5, report.Steps[1].DepthSetMaxMm, 1e-9);

                IReadOnlyList<CartridgeUse> ledger = log.CartridgeLedger();
                Assert.AreEqual(1, ledger.Count);
                Assert.AreEqual(run.CartridgeId, ledger[0].CartridgeId);
                Assert.AreEqual(runId, ledger[0].RunId);
                Assert.AreEqual(RecordOutcome.Completed, ledger[0].Outcome);
                Assert.AreEqual(run.PenSerial, ledger[0].PenSerial);
                IReadOnlyList<CartridgeUse> uses = log.CartridgeUses(run.CartridgeId);
                Assert.AreEqual(1, uses.Count);
                Assert.AreEqual(runId, uses[0].RunId);
                Assert.AreEqual(0, log.CartridgeUses("999999").Count);
                Assert.AreEqual(0, log.InterruptedAtOpen.Count);
            }
        }

        [Test]
        public void AUsedCartridgeIsRefusedAndAnOverrideIsStored()
        {
            // A copy of the log, so this test does not change what the others read.
            string copy = Path.Combine(dir, "reuse.db");
            File.Copy(database, copy, true);
            string cartridge;
            using (TreatmentLog log = TreatmentLog.Open(copy))
                cartridge = log.RecentRuns(1)[0].CartridgeId;
            Recipe recipe = Recipe.Parse(RfRecipe);
            long reusedId;
            using (Pen pen = Pen.Connect(sim.Url))
            {
                using (var refused = new Runner(pen, recipe, new TreatmentOptions { RecordDb = copy }))
                {
                    refused.Start();
                    RunResult outcome = refused.Wait(TimeSpan.FromSeconds(30));
                    Assert.AreEqual(RunOutcome.Failed, outcome.Outcome);
                    StringAssert.Contains("cartridge " + cartridge + " was already used by run " + runId,
                                          outcome.Reason);
                    Assert.AreEqual(0, outcome.Steps.Count, "nothing ran");
                    Assert.IsNull(refused.RunId);
                }
                var reuse = new TreatmentOptions
                {
                    RecordDb = copy,
                    CartridgeOverrideReason = "test: same simulated cartridge",
                };
                using (var reused = new Runner(pen, recipe, reuse))
                {
                    reused.Start();
                    RunResult outcome = reused.Wait(TimeSpan.FromSeconds(30));
                    Assert.AreEqual(RunOutcome.Completed, outcome.Outcome, outcome.Reason);
                    reusedId = reused.RunId.Value;
                }
            }
            using (TreatmentLog log = TreatmentLog.Open(copy))
            {
                LoggedRun newest = log.RecentRuns(1)[0];
                Assert.AreEqual(reusedId, newest.Id);
                Assert.Greater(newest.Id, runId);
                Assert.AreEqual("test: same simulated cartridge", newest.CartridgeOverrideReason);
                Assert.AreEqual(cartridge, newest.CartridgeId);
                IReadOnlyList<CartridgeUse> uses = log.CartridgeUses(cartridge);
                CollectionAssert.AreEqual(new[] { reusedId, runId }, uses.Select(u => u.RunId).ToArray());
                Assert.AreEqual("test: same simulated cartridge", uses[0].OverrideReason);
                Assert.AreEqual("", uses[1].OverrideReason);
            }
        }

        [Test]
        public void TheSessionRecordedDuringTheRunReadsBackDecoded()
        {
            Recording r = Recording.Read(recording);
            Assert.AreEqual(recording, r.Path);
            StringAssert.Contains(sim.Url.Replace("tcp://", ""), r.Description);
            Assert.AreEqual("", r.Warning);
            Assert.AreEqual(0, r.WarningOffset);
            Assert.Greater(r.StartedUnixMs, 1600000000000L);
            Assert.Greater(r.Statuses.Count, 5);
            double previous = 0;
            foreach (RecordedStatus s in r.Statuses)
            {
                Assert.GreaterOrEqual(s.TimeS, previous, "time goes forward");
                previous = s.TimeS;
            }
            Assert.LessOrEqual(previous, r.DurationS + 1e-9);
            Assert.Greater(r.Statuses[r.Statuses.Count - 1].TimeS, r.Statuses[0].TimeS);
            Assert.IsTrue(r.Statuses.Any(s => s.Status.DepthActualMm > 0.99));
            // The same frames, counted the same way: what the run delivered.
            double delivered = result.Steps.Sum(s => s.RfEnergyJ);
            Assert.Greater(delivered, 0);
            Assert.AreEqual(delivered, r.Statuses[r.Statuses.Count - 1].RfEnergyJ, delivered * 0.02);

            List<string> texts = r.Commands.Select(c => c.Text).ToList();
            Assert.AreEqual("Hello", texts[0]);
            CollectionAssert.Contains(texts, "SetDepth 1.000 mm");
            CollectionAssert.Contains(texts, "SetDepth 0.500 mm");
            Assert.AreEqual(2, r.Commands.Count(c => c.Type == "Start"));
            Assert.IsFalse(r.Commands.Any(c => c.Type == "Heartbeat"));

            TelemetryChannel energy = r.Channels.First(c => c.Module == "rf" && c.Key == "energy");
            Assert.AreEqual("J", energy.Unit);
            IReadOnlyList<TelemetrySample> samples = r.Telemetry("rf", "energy");
            Assert.IsNotEmpty(samples.ToList());
            for (int i = 1; i < samples.Count; i++)
                Assert.GreaterOrEqual(samples[i].Value, samples[i - 1].Value, "energy only grows");
            var unknown = Assert.Throws<InvalidArgumentException>(() => r.Telemetry("rf", "nothing"));
            StringAssert.Contains("no telemetry channel rf.nothing", unknown.Message);
        }

        [Test]
        public void ARecordingStartedDuringARunHoldsWhatCameAfter()
        {
            string path = Path.Combine(dir, "later.plrec");
            using (Pen pen = Pen.Connect("sim://"))
            using (Recorder recorder = pen.StartRecording(path))
            using (var runner = new Runner(pen, Recipe.Parse(OneStep)))
            {
                Assert.IsTrue(recorder.Active);
                Assert.AreEqual(path, recorder.Path);
                var twice = Assert.Throws<InvalidArgumentException>(
                    () => pen.StartRecording(Path.Combine(dir, "second.plrec")));
                StringAssert.Contains("already recording to '" + path + "'", twice.Message);
                runner.Start();
                Assert.AreEqual(RunOutcome.Completed, runner.Wait(TimeSpan.FromSeconds(30)).Outcome);
                Assert.Greater(recorder.Frames, 0);
                recorder.Stop();
                Assert.IsFalse(recorder.Active);
                recorder.Stop();  // idempotent
                Assert.Greater(recorder.BytesWritten, 0);
            }
            Recording r = Recording.Read(path);
            List<string> texts = r.Commands.Select(c => c.Text).ToList();
            Assert.IsNotEmpty(texts);
            Assert.AreNotEqual("Hello", texts[0], "no handshake in a mid-session recording");
            CollectionAssert.Contains(texts, "SetDepth 0.500 mm");
            CollectionAssert.Contains(texts, "Start");
            CollectionAssert.Contains(texts, "Stop");
            Assert.Greater(r.Statuses.Count, 5);
            Assert.Greater(r.Statuses[r.Statuses.Count - 1].TimeS, r.Statuses[0].TimeS);
            Assert.IsTrue(r.Statuses.Any(s => s.Status.State == PenState.Running));
        }

        [Test]
        public void ATruncatedRecordingNamesTheFileAndTheByte()
        {
            byte[] data = File.ReadAllBytes(recording);
            string cut = Path.Combine(dir, "cut.plrec");
            File.WriteAllBytes(cut, data.Take(data.Length - 5).ToArray());
            var error = Assert.Throws<RecordingException>(() => Recording.Read(cut));
            Assert.IsInstanceOf<InvalidArgumentException>(error);
            Assert.AreEqual(ErrorCode.InvalidArgument, error.Code);
            Assert.AreEqual(cut, error.Path);
            Assert.Greater(error.Offset, 0);
            Assert.Less(error.Offset, data.Length - 5);
            StringAssert.Contains(cut, error.Message);
            StringAssert.Contains("byte " + error.Offset, error.Message);
            StringAssert.Contains("cut short", error.Message);
            Recording partial = Recording.Read(cut, allowTruncated: true);
            Assert.IsNotEmpty(partial.Warning);
            Assert.AreEqual(error.Offset, partial.WarningOffset);
            Assert.Greater(partial.Statuses.Count, 0);
            Assert.LessOrEqual(partial.Statuses.Count, Recording.Read(recording).Statuses.Count);
        }

        [Test]
        public void ABrokenRecordAForeignFileAndAMissingOneAreRefused()
        {
            byte[] data = File.ReadAllBytes(recording);
            int headerSize = data[10] | (data[11] << 8);
            data[headerSize] = 7;  // a direction that is neither 1 nor 2
            string broken = Path.Combine(dir, "broken.plrec");
            File.WriteAllBytes(broken, data);
            var error = Assert.Throws<RecordingException>(() => Recording.Read(broken));
            Assert.AreEqual(headerSize, error.Offset);
            StringAssert.Contains("byte " + headerSize, error.Message);

            string foreign = Path.Combine(dir, "notes.txt");
            File.WriteAllText(foreign, "not a recording");
            var notOne = Assert.Throws<InvalidArgumentException>(() => Recording.Read(foreign));
            StringAssert.Contains("notes.txt", notOne.Message);
            StringAssert.Contains("PLREC", notOne.Message);

            var missing = Assert.Throws<InvalidArgumentException>(
                () => Recording.Read(Path.Combine(dir, "missing.plrec")));
            StringAssert.Contains("missing.plrec", missing.Message);
        }

        [Test]
        public void TreatmentLogErrorsAreTypedAndNameTheFile()
        {
            string missing = Path.Combine(dir, "none.db");
            var absent = Assert.Throws<TreatmentLogException>(() => TreatmentLog.Open(missing));
            Assert.AreEqual(TreatmentLogProblem.Storage, absent.Problem);
            Assert.AreEqual(ErrorCode.ConnectionFailed, absent.Code);
            StringAssert.Contains(missing, absent.Message);
            Assert.IsFalse(File.Exists(missing), "open without create makes no file");

            string corrupt = Path.Combine(dir, "corrupt.db");
            File.WriteAllBytes(corrupt, Encoding.ASCII.GetBytes(
                string.Concat(Enumerable.Repeat("this is not a database", 100))));
            var garbage = Assert.Throws<TreatmentLogException>(() => TreatmentLog.Open(corrupt));
            Assert.AreEqual(TreatmentLogProblem.NotATreatmentLog, garbage.Problem);
            Assert.AreEqual(ErrorCode.InvalidArgument, garbage.Code);
            StringAssert.Contains(corrupt, garbage.Message);

            // A runner given the corrupt file as its log refuses before anything is sent.
            using (Pen pen = Pen.Connect("sim://"))
            {
                var refused = Assert.Throws<TreatmentLogException>(
                    () => new Runner(pen, Recipe.Parse(OneStep), new TreatmentOptions { RecordDb = corrupt }));
                Assert.AreEqual(TreatmentLogProblem.NotATreatmentLog, refused.Problem);
                StringAssert.Contains(corrupt, refused.Message);
                var noLog = Assert.Throws<InvalidArgumentException>(
                    () => new Runner(pen, Recipe.Parse(OneStep), new TreatmentOptions { ClientReference = "c-1" }));
                StringAssert.Contains("set RecordDb", noLog.Message);
            }

            TreatmentLog log = TreatmentLog.Open(Path.Combine(dir, "new.db"), create: true);
            Assert.AreEqual(0, log.RecentRuns().Count);
            Assert.AreEqual(0, log.CartridgeLedger().Count);
            var unknown = Assert.Throws<TreatmentLogException>(() => log.Report(42));
            Assert.AreEqual(TreatmentLogProblem.UnknownRun, unknown.Problem);
            StringAssert.Contains("run 42", unknown.Message);
            var limit = Assert.Throws<OutOfRangeException>(() => log.RecentRuns(0));
            StringAssert.Contains("limit 0", limit.Message);
            Assert.AreEqual(0.0, limit.Value, 0.0);
            var negative = Assert.Throws<OutOfRangeException>(
                () => TreatmentLog.Open(Path.Combine(dir, "new.db"), false, TimeSpan.FromMilliseconds(-1)));
            StringAssert.Contains("busy timeout -1 ms", negative.Message);
            var forever = Assert.Throws<OutOfRangeException>(
                () => TreatmentLog.Open(Path.Combine(dir, "new.db"), false, TimeSpan.MaxValue));
            Assert.AreEqual(int.MaxValue, forever.Limit, 0.0);
            Assert.AreEqual("ms", forever.Unit);
            log.Dispose();
            log.Dispose();  // idempotent
            var closed = Assert.Throws<InvalidArgumentException>(() => log.RecentRuns());
            StringAssert.Contains("closed", closed.Message);
            Assert.GreaterOrEqual(TreatmentLog.SchemaVersion, 1);
            Assert.Throws<InvalidArgumentException>(() => TreatmentLog.Open(null));
            Assert.Throws<InvalidArgumentException>(() => Recording.Read(null));
        }

        [Test]
        public void TheOutcomeNamesAreTheLogsOwn()
        {
            // One source of truth: penlink::to_string(RunOutcome), in the C++ enum's order.
            var outcomes = (RecordOutcome[])Enum.GetValues(typeof(RecordOutcome));
            for (int i = 0; i < outcomes.Length; i++)
            {
                Assert.AreEqual(i, (int)outcomes[i]);
                Assert.AreEqual(penlink_csharp.run_outcome_text(i), outcomes[i].Text());
            }
            var past = Assert.Throws<OutOfRangeException>(() => penlink_csharp.run_outcome_text(outcomes.Length));
            StringAssert.Contains("run outcome " + outcomes.Length, past.Message);
        }
    }
}
