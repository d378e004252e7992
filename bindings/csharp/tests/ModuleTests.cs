// Add-on modules from C#: descriptor parsing and value conversions (no pen needed), then a
// module no penlink source knows, written here at test time, driven through sim://?module=FILE.
// The end-to-end tests are ignored (only) while the simulator does not know the module option.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class ModuleTests
    {
        static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

        // A suction head: nothing in penlink's sources mentions it.
        const string Suction = @"
            {""schema"": ""penlink.module/1"", ""key"": ""suction"", ""name"": ""VacuHead V2"",
             ""vendor"": {""id"": 4660, ""name"": ""Test Vendor""}, ""model"": {""id"": 7},
             ""parameters"": [
               {""key"": ""enabled"", ""id"": 32769, ""type"": ""bool"", ""default"": false},
               {""key"": ""pressure_kpa"", ""id"": 32770, ""type"": ""fixed"", ""unit"": ""kPa"",
                ""scale"": 0.1, ""min"": MIN, ""max"": 60.0, ""step"": 0.5, ""default"": 20.0},
               {""key"": ""pattern"", ""id"": 32771, ""type"": ""enum"",
                ""labels"": [""steady"", ""pulse"", ""wave""], ""default"": ""steady""},
               {""key"": ""runtime_s"", ""id"": 32772, ""type"": ""integer"", ""unit"": ""s"", ""min"": 0,
                ""max"": 3600, ""default"": 0, ""access"": ""read""}],
             ""telemetry"": [
               {""key"": ""vacuum_kpa"", ""id"": 128, ""unit"": ""kPa"", ""scale"": 0.01, ""min"": 0.0,
                ""max"": 100.0, ""alarm_high"": 70.0}],
             ""interlocks"": [{""key"": ""cartridge"", ""condition"": ""cartridge_fitted"",
               ""guards"": [""enabled""], ""description"": ""Suction only with a cartridge fitted""}],
             ""simulation"": {""telemetry"": {""vacuum_kpa"": {""model"": ""first_order"",
               ""source"": ""pressure_kpa"", ""when"": ""enabled"", ""idle"": 0.0, ""tau_s"": 0.2}}}}";

        static string SuctionJson => Suction.Replace("MIN", "10.0");

        static string Example()
        {
            // PENLINK_EXAMPLES_DIR is examples/csharp (ci.sh); the descriptor is in examples/modules.
            string examples = Environment.GetEnvironmentVariable("PENLINK_EXAMPLES_DIR") ?? "examples/csharp";
            return Path.Combine(examples, "..", "modules", "cooling_tip.json");
        }

        // --- no pen needed ----------------------------------------------------------------

        [Test]
        public void ParsesTheExampleDescriptor()
        {
            ModuleDescriptor d = Sdk.ParseModuleDescriptor(File.ReadAllText(Example()));
            Assert.AreEqual("cooling", d.Key);
            Assert.AreEqual(19233, d.VendorId);
            CollectionAssert.AreEqual(new[] { "enabled", "setpoint_c", "fan", "hold_s" },
                                      d.Parameters.Select(p => p.Key).ToArray());
            ParamSpec setpoint = d.Parameter("setpoint_c");
            Assert.AreEqual(ParamType.Fixed, setpoint.Type);
            Assert.AreEqual("degC", setpoint.Unit);
            Assert.AreEqual(4.0, setpoint.Min);
            Assert.AreEqual(20.0, setpoint.Max);
            Assert.AreEqual(0.5, setpoint.Step);
            Assert.AreEqual(15.0, setpoint.Default);
            ParamSpec fan = d.Parameter("fan");
            CollectionAssert.AreEqual(new[] { "quiet", "normal", "boost" }, fan.Labels.ToArray());
            Assert.AreEqual("normal", fan.Default);
            Assert.AreEqual(false, d.Parameter("enabled").Default);
            Assert.AreEqual(ParamAccess.Read, d.Parameter("hold_s").Access);
            Assert.IsFalse(d.Parameter("hold_s").Writable);
            Assert.AreEqual(SafetyClass.None, setpoint.Safety);
            TelemetrySpec plate = d.Channel("plate_c");
            Assert.IsTrue(plate.HasAlarmHigh);
            Assert.AreEqual(42.0, plate.AlarmHigh);
            CollectionAssert.AreEqual(new[] { "enabled" }, d.Interlocks[0].Guards.ToArray());
            Assert.IsNull(d.Parameter("nope"));
        }

        [Test]
        public void RefusesAMalformedDescriptorNamingTheField()
        {
            var error = Assert.Throws<InvalidArgumentException>(
                () => Sdk.ParseModuleDescriptor(Suction.Replace("MIN", "70.0")));
            StringAssert.Contains("pressure_kpa", error.Message);
            StringAssert.Contains("min", error.Message);
            Assert.Throws<InvalidArgumentException>(() => Sdk.ParseModuleDescriptor("{"));
            Assert.Throws<InvalidArgumentException>(() => Sdk.ParseModuleDescriptor(null));
        }

        [Test]
        public void ParamValuesCrossAsBoolDoubleAndString()
        {
            Assert.AreEqual(true, RoundTrip(true));
            Assert.AreEqual(12.5, RoundTrip(12.5));
            Assert.AreEqual(3.0, RoundTrip(3));
            Assert.AreEqual(2.0, RoundTrip(2.0f));
            Assert.AreEqual(7.0, RoundTrip(7L));
            Assert.AreEqual("boost", RoundTrip("boost"));
            Assert.IsInstanceOf<double>(RoundTrip(3));
            foreach (object bad in new object[] { null, new List<int>(), 'x', double.NaN, double.PositiveInfinity })
            {
                var error = Assert.Throws<InvalidArgumentException>(
                    () => Convert.ToParamValue("cooling.setpoint_c", bad).Dispose());
                StringAssert.Contains("cooling.setpoint_c", error.Message);
            }
        }

        static object RoundTrip(object value)
        {
            using (var native = Convert.ToParamValue("m.k", value)) return Convert.FromParamValue(native);
        }

        static Status StatusWith(params TelemetryReading[] readings)
        {
            return new Status(0, 0, PenState.Idle, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, false, 0, 0, false, false,
                              0, 0, Fault.None, readings.Length, readings);
        }

        [Test]
        public void ModuleTelemetryReadsItsOwnSlotAndChannel()
        {
            var module = new Module(null, 2, 4660, 7, "1.2.3", Sdk.ParseModuleDescriptor(SuctionJson));
            Status status = StatusWith(new TelemetryReading(1, 128, 9999), new TelemetryReading(2, 128, 4250));
            Assert.AreEqual(42.5, module.Telemetry(status, "vacuum_kpa").Value, 1e-9);
            Assert.IsNull(module.Telemetry(StatusWith(), "vacuum_kpa"));
            Assert.IsNull(module.Telemetry(default(Status), "vacuum_kpa"));
            Assert.IsFalse(module.TelemetryAlarm(status, "vacuum_kpa"));
            Assert.IsTrue(module.TelemetryAlarm(StatusWith(new TelemetryReading(2, 128, 7100)), "vacuum_kpa"));
            var error = Assert.Throws<InvalidArgumentException>(() => module.Telemetry(status, "pressure"));
            StringAssert.Contains("vacuum_kpa", error.Message);
            Assert.AreEqual("suction@2", module.Selector);
            Assert.AreEqual(9, (int)EventKind.ModuleAttached);
            Assert.AreEqual(10, (int)EventKind.ModuleDetached);
        }

        [Test]
        public void ConnectOptionsCarryModulePaths()
        {
            var options = new ConnectOptions { ModulePaths = new List<string> { "/a", "/b" } };
            using (var native = Convert.ToNative(options))
                CollectionAssert.AreEqual(new[] { "/a", "/b" }, native.module_paths.ToArray());
            Assert.AreEqual(0, new ConnectOptions().ModulePaths.Count);
            var bad = new ConnectOptions { ModulePaths = new List<string> { null } };
            Assert.Throws<InvalidArgumentException>(() => Convert.ToNative(bad));
        }

        // --- against a simulated pen with the suction head -----------------------------------

        string dir;

        [SetUp]
        public void MakeDirectory()
        {
            dir = Path.Combine(Path.GetTempPath(), "penlink-module-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
        }

        [TearDown]
        public void RemoveDirectory() => Directory.Delete(dir, true);

        Pen Connect(string options = "")
        {
            string descriptor = Path.Combine(dir, "suction_head.json");
            File.WriteAllText(descriptor, SuctionJson);
            try
            {
                return Pen.Connect("sim://?" + options + "module=" + descriptor);
            }
            catch (InvalidArgumentException error) when (error.Message.Contains("module"))
            {
                Assert.Ignore("this simulator cannot host modules yet: " + error.Message);
                throw;
            }
        }

        [Test]
        public void Discovery()
        {
            using (Pen pen = Connect())
            {
                IReadOnlyList<Module> modules = pen.Modules;
                Assert.AreEqual(1, modules.Count);
                Module suction = modules[0];
                Assert.AreEqual("suction", suction.Key);
                Assert.AreEqual("VacuHead V2", suction.Name);
                Assert.AreEqual(4660, suction.VendorId);
                Assert.AreEqual(7, suction.ModelId);
                Assert.AreEqual("kPa", suction.Descriptor.Parameter("pressure_kpa").Unit);
                Assert.AreEqual(suction.Slot, pen.Module("suction").Slot);
                Assert.AreEqual(suction.Slot, pen.Module(suction.Selector).Slot);
                var error = Assert.Throws<NotSupportedException>(() => pen.Module("cooling"));
                StringAssert.Contains("suction", error.Message);
            }
        }

        [Test]
        public void ModulePathsFindADescriptorKeptOffThePen()
        {
            if (Environment.GetEnvironmentVariable("PENLINK_MODULE_PATH") != null)
                Assert.Ignore("PENLINK_MODULE_PATH is set");
            string descriptor = Path.Combine(dir, "suction_head.json");
            File.WriteAllText(descriptor, SuctionJson);
            string url = "sim://?module_store=0&module=" + descriptor;
            var error = Assert.Throws<NotSupportedException>(() => Pen.Connect(url).Dispose());
            StringAssert.Contains("module path", error.Message);
            using (Pen pen = Pen.Connect(url, new ConnectOptions { ModulePaths = { dir } }))
                Assert.AreEqual("suction", pen.Modules[0].Key);
        }

        [Test]
        public void SetAndGet()
        {
            using (Pen pen = Connect())
            {
                Module suction = pen.Module("suction");
                Assert.AreEqual(20.0, suction.Get("pressure_kpa"));
                Assert.AreEqual("steady", suction.Get("pattern"));
                Assert.AreEqual(false, suction.Get("enabled"));
                suction.Set("pressure_kpa", 35.5);
                Assert.AreEqual(35.5, suction.Get("pressure_kpa"));
                pen.SetParam("suction", "pattern", "wave");
                Assert.AreEqual("wave", pen.GetParam("suction", "pattern"));
                IReadOnlyDictionary<string, object> all = suction.GetAll();
                CollectionAssert.AreEqual(new[] { "enabled", "pressure_kpa", "pattern", "runtime_s" },
                                          all.Keys.ToArray());
                Assert.AreEqual("wave", all["pattern"]);
            }
        }

        [Test]
        public void OutOfRangeNamesTheKeyAndTheUnit()
        {
            using (Pen pen = Connect())
            {
                Module suction = pen.Module("suction");
                var error = Assert.Throws<OutOfRangeException>(() => suction.Set("pressure_kpa", 80));
                StringAssert.Contains("suction.pressure_kpa", error.Message);
                StringAssert.Contains("kPa", error.Message);
                Assert.AreEqual(80.0, error.Value);
                Assert.AreEqual(60.0, error.Limit);
                Assert.AreEqual("kPa", error.Unit);
                var label = Assert.Throws<InvalidArgumentException>(() => suction.Set("pattern", "vortex"));
                StringAssert.Contains("suction.pattern", label.Message);
                Assert.Throws<InvalidArgumentException>(() => suction.Set("enabled", "yes"));
                var readOnly = Assert.Catch<PenException>(() => suction.Set("runtime_s", 5));
                StringAssert.Contains("runtime_s", readOnly.Message);
                Assert.AreEqual(20.0, suction.Get("pressure_kpa"));
            }
        }

        [Test]
        public void MultiSetIsAtomic()
        {
            using (Pen pen = Connect())
            {
                Module suction = pen.Module("suction");
                suction.Set(new Dictionary<string, object> { ["pattern"] = "pulse", ["pressure_kpa"] = 30 });
                Assert.AreEqual("pulse", suction.Get("pattern"));
                Assert.AreEqual(30.0, suction.Get("pressure_kpa"));
                var values = new Dictionary<string, object> { ["pattern"] = "wave", ["pressure_kpa"] = 99 };
                var error = Assert.Throws<OutOfRangeException>(() => pen.SetParams("suction", values));
                StringAssert.Contains("suction.pressure_kpa", error.Message);
                Assert.AreEqual("pulse", suction.Get("pattern"));
            }
        }

        [Test]
        public void ARefusalByThePenAppliesNothingEither()
        {
            // Without a cartridge the pen's interlock refuses enabled=true: the whole request goes.
            using (Pen pen = Connect("cartridge_id=0&"))
            {
                Module suction = pen.Module("suction");
                var values = new Dictionary<string, object> { ["pattern"] = "wave", ["enabled"] = true };
                var error = Assert.Throws<RejectedException>(() => suction.Set(values));
                StringAssert.Contains("suction.enabled", error.Message);
                StringAssert.Contains("cartridge", error.Message);
                Assert.AreEqual("steady", suction.Get("pattern"));
            }
        }

        [Test]
        public void EveryBadValueIsAPenExceptionNamingTheParameter()
        {
            object[] bad = { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e308, -1e308,
                             long.MaxValue, -1, "1", null, new byte[] { 1 }, new List<int> { 1 }, 1.5, 7,
                             "yes", true, new object(), 'x' };
            using (Pen pen = Connect())
            {
                Module suction = pen.Module("suction");
                IReadOnlyDictionary<string, object> before = suction.GetAll();
                var escaped = new List<string>();
                foreach (string key in new[] { "enabled", "pressure_kpa", "pattern", "runtime_s" })
                {
                    foreach (object value in bad)
                    {
                        if (key == "enabled" && Equals(value, true)) continue;  // a fine value
                        var values = new Dictionary<string, object> { ["pattern"] = "wave", [key] = value };
                        var setters = new Action[]
                        {
                            () => suction.Set(key, value),
                            () => suction.Set(values),
                            () => pen.SetParam("suction", key, value),
                            () => suction.SetAsync(values).Wait(Wait),
                        };
                        foreach (Action setter in setters)
                        {
                            try
                            {
                                setter();
                                escaped.Add(key + "=" + value + ": accepted");
                            }
                            catch (Exception error)
                            {
                                Exception inner = error is AggregateException ? error.InnerException : error;
                                if (!(inner is PenException) || !inner.Message.Contains("suction." + key))
                                    escaped.Add(key + "=" + value + ": " + inner);
                            }
                        }
                    }
                }
                CollectionAssert.IsEmpty(escaped);
                CollectionAssert.AreEqual(before, suction.GetAll());
                Assert.Throws<InvalidArgumentException>(() => pen.SetParams("suction", null));
                Assert.Throws<InvalidArgumentException>(() => pen.GetParam("suction", null));
                Assert.Throws<InvalidArgumentException>(() => pen.GetParam(null, "pattern"));
                var refused = Assert.Throws<AggregateException>(
                    () => pen.SetParamsAsync(null, new Dictionary<string, object>()).Wait(Wait));
                Assert.IsInstanceOf<InvalidArgumentException>(refused.InnerException);
            }
        }

        [Test]
        public void AModuleKeepsItsPenReachable()
        {
            Module suction = Connect().Module("suction");  // the Pen itself is dropped
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            suction.Set("pattern", "wave");
            Assert.AreEqual("wave", suction.Get("pattern"));
            suction.Pen.Dispose();
            Assert.Catch<ConnectionException>(() => suction.Get("pattern"));
        }

        [Test]
        public void AsyncMultiSet()
        {
            using (Pen pen = Connect())
            {
                Module suction = pen.Module("suction");
                Assert.IsTrue(suction.SetAsync(new Dictionary<string, object> { ["pressure_kpa"] = 40.5 }).Wait(Wait));
                Assert.AreEqual(40.5, suction.Get("pressure_kpa"));
                var refused = Assert.Throws<AggregateException>(
                    () => pen.SetParamsAsync("suction", new Dictionary<string, object> { ["pressure_kpa"] = 61 }).Wait(Wait));
                Assert.IsInstanceOf<OutOfRangeException>(refused.InnerException);
                var bad = Assert.Throws<AggregateException>(
                    () => pen.SetParamsAsync("suction", new Dictionary<string, object> { ["pressure_kpa"] = new object() }).Wait(Wait));
                Assert.IsInstanceOf<InvalidArgumentException>(bad.InnerException);
            }
        }

        [Test]
        public void TelemetryInStatus()
        {
            using (Pen pen = Connect())
            {
                Module suction = pen.Module("suction");
                suction.Set(new Dictionary<string, object> { ["enabled"] = true, ["pressure_kpa"] = 30 });
                DateTime deadline = DateTime.UtcNow + Wait;
                double vacuum = 0;
                while (DateTime.UtcNow < deadline && vacuum < 25.0)
                {
                    Thread.Sleep(20);
                    Status? status = pen.LatestStatus;
                    if (status.HasValue) vacuum = suction.Telemetry(status.Value, "vacuum_kpa") ?? 0.0;
                }
                Assert.AreEqual(30.0, vacuum, 5.0);
                Status latest = pen.LatestStatus.Value;
                Assert.AreEqual(latest.TelemetryCount, latest.Telemetry.Count);
                Assert.GreaterOrEqual(latest.TelemetryCount, 1);
            }
        }
    }
}
