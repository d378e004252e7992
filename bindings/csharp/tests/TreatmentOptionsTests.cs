// A clinic's own zone chart and another at-home depth cap through TreatmentOptions, as
// Python's zone_chart and at_home_depth_cap_mm: both change what validation and the runner
// allow, and a bad chart is refused naming the file and the field.
using System;
using System.Globalization;
using System.IO;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class TreatmentOptionsTests
    {
        string dir;

        [SetUp]
        public void MakeDirectory()
        {
            dir = Path.Combine(Path.GetTempPath(), "penlink-treatment-options-" + Guid.NewGuid());
            Directory.CreateDirectory(dir);
        }

        [TearDown]
        public void RemoveDirectory() => Directory.Delete(dir, true);

        static string RecipeText(string zone, double depthMm) =>
            @"{""schema"": ""penlink.recipe/1"", ""name"": ""opts"", ""steps"": [{""name"": ""S"", ""zone"": """ +
            zone + @""", ""depth_mm"": " + depthMm.ToString(CultureInfo.InvariantCulture) +
            @", ""speed_hz"": 100, ""duration_s"": 0.5}]}";

        string Chart(string name, string zones)
        {
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, @"{""schema"": ""penlink.zones/1"", ""name"": ""clinic"", ""zones"": [" +
                                    zones + "]}");
            return path;
        }

        static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

        const string Cheek08 =
            @"{""key"": ""cheek"", ""name"": ""Cheek"", ""depth_min_mm"": 0.2, ""depth_max_mm"": 0.8}";

        [Test]
        public void TheDefaultsAreTheSdks()
        {
            var options = new TreatmentOptions();
            Assert.AreEqual(DeviceClass.Professional, options.DeviceClass);
            Assert.IsNull(options.ZoneChart);
            Assert.AreEqual(0.25, options.AtHomeDepthCapMm, 1e-12);
            StringAssert.Contains("standard", options.ToString());
        }

        [Test]
        public void AClinicChartReplacesTheStandardOne()
        {
            Recipe cheek = Recipe.Parse(RecipeText("cheek", 1.0));
            Assert.IsTrue(cheek.Validate(new TreatmentOptions()).Ok);
            var clinic = new TreatmentOptions { ZoneChart = Chart("clinic.json", Cheek08) };
            ValidationReport report = cheek.Validate(clinic);
            Assert.AreEqual(1, report.Violations.Count, report.Text);
            Assert.AreEqual("steps[0].depth_mm", report.Violations[0].Field);
            Assert.AreEqual(0.8, Number(report.Violations[0].Limit), 1e-9);
            // A zone the clinic's chart does not have is refused as unknown.
            ValidationReport forehead = Recipe.Parse(RecipeText("forehead", 0.3)).Validate(clinic);
            Assert.AreEqual("steps[0].zone", forehead.Violations[0].Field);
        }

        [Test]
        public void AnotherAtHomeCapMovesTheLimit()
        {
            Recipe forehead = Recipe.Parse(RecipeText("forehead", 0.4));
            ValidationReport capped = forehead.Validate(new TreatmentOptions { DeviceClass = DeviceClass.AtHome });
            Assert.IsFalse(capped.Ok);
            Assert.AreEqual(0.25, Number(capped.Violations[0].Limit), 1e-9);
            Assert.IsTrue(forehead.Validate(new TreatmentOptions
                                            { DeviceClass = DeviceClass.AtHome, AtHomeDepthCapMm = 0.45 }).Ok);
            ValidationReport lower = forehead.Validate(new TreatmentOptions
                                                       { DeviceClass = DeviceClass.AtHome, AtHomeDepthCapMm = 0.3 });
            Assert.AreEqual(0.3, Number(lower.Violations[0].Limit), 1e-9);
            var negative = Assert.Throws<InvalidArgumentException>(() => forehead.Validate(
                new TreatmentOptions { DeviceClass = DeviceClass.AtHome, AtHomeDepthCapMm = -1 }));
            StringAssert.Contains("at-home depth cap -1 mm", negative.Message);
            Assert.Throws<InvalidArgumentException>(() => forehead.Validate((TreatmentOptions)null));
        }

        [Test]
        public void ABadChartIsRefusedNamingTheFileAndTheField()
        {
            Recipe cheek = Recipe.Parse(RecipeText("cheek", 1.0));
            string inverted = Chart("inverted.json",
                @"{""key"": ""cheek"", ""name"": ""Cheek"", ""depth_min_mm"": 0.9, ""depth_max_mm"": 0.5}");
            var bad = Assert.Throws<InvalidArgumentException>(
                () => cheek.Validate(new TreatmentOptions { ZoneChart = inverted }));
            StringAssert.Contains("inverted.json", bad.Message);
            StringAssert.Contains("zones[0].depth_min_mm", bad.Message);
            string missing = Path.Combine(dir, "missing.json");
            var absent = Assert.Throws<InvalidArgumentException>(
                () => cheek.Validate(new TreatmentOptions { ZoneChart = missing }));
            StringAssert.Contains("missing.json", absent.Message);
            using (Pen pen = Pen.Connect("sim://"))
            {
                var runner = Assert.Throws<InvalidArgumentException>(
                    () => new Runner(pen, cheek, new TreatmentOptions { ZoneChart = inverted }));
                StringAssert.Contains("zones[0].depth_min_mm", runner.Message);
            }
        }

        [Test]
        public void TheRunnerRunsUnderTheClinicsChartAndCap()
        {
            string clinic = Chart("clinic.json", Cheek08);
            using (Pen pen = Pen.Connect("sim://"))
            {
                // 1.0 mm on the cheek: fine by the standard chart, over this clinic's 0.8 mm.
                using (var refused = new Runner(pen, Recipe.Parse(RecipeText("cheek", 1.0)),
                                                new TreatmentOptions { ZoneChart = clinic }))
                {
                    var error = Assert.Throws<InvalidArgumentException>(() => refused.Start());
                    StringAssert.Contains("0.8 mm", error.Message);
                }
                // At home with a 0.5 mm cap, 0.4 mm on the cheek runs to its end.
                var atHome = new TreatmentOptions
                    { ZoneChart = clinic, DeviceClass = DeviceClass.AtHome, AtHomeDepthCapMm = 0.5 };
                using (var runner = new Runner(pen, Recipe.Parse(RecipeText("cheek", 0.4)), atHome))
                {
                    runner.Start();
                    RunResult result = runner.Wait(TimeSpan.FromSeconds(30));
                    Assert.AreEqual(RunOutcome.Completed, result.Outcome, result.Reason);
                    Assert.LessOrEqual(result.Steps[0].DepthSetMaxMm, 0.4 + 1e-9);
                }
            }
        }
    }
}
