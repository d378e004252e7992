// Pen.ReadSettings: the pen's set points read back, in-process (sim://) and over TCP to
// penlink-sim. The two read-back tests need a pen that answers protocol v2 GetSettings.
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class ReadSettingsTests
    {
        SimProcess sim;

        [TestFixtureSetUp]
        public void StartSim() { sim = SimProcess.Start(); }

        [TestFixtureTearDown]
        public void StopSim() { sim?.Dispose(); }

        [Test]
        public void ReadsBackWhatWasSetInProcess() { ReadsBackWhatWasSet("sim://?rf=1&led=1"); }

        [Test]
        public void ReadsBackWhatWasSetOverTcp() { ReadsBackWhatWasSet(sim.Url); }

        static void AssertSameRf(RfMode expected, RfMode actual)
        {
            Assert.AreEqual(expected.Enabled, actual.Enabled, "RF enabled");
            Assert.AreEqual(expected.Polarity, actual.Polarity, "RF polarity");
            Assert.AreEqual(expected.FrequencyKhz, actual.FrequencyKhz, "RF frequency");
            Assert.AreEqual(expected.PowerW, actual.PowerW, "RF power");
            Assert.AreEqual(expected.PulseMs, actual.PulseMs, "RF pulse");
        }

        static void AssertSameLed(LedMode expected, LedMode actual)
        {
            Assert.AreEqual(expected.Enabled, actual.Enabled, "LED enabled");
            Assert.AreEqual(expected.WavelengthNm, actual.WavelengthNm, "LED wavelength");
            Assert.AreEqual(expected.IrradianceMwCm2, actual.IrradianceMwCm2, "LED irradiance");
            Assert.AreEqual(expected.Pulsed, actual.Pulsed, "LED pulsed");
            Assert.AreEqual(expected.PulseRateHz, actual.PulseRateHz, "LED pulse rate");
            Assert.AreEqual(expected.DutyPercent, actual.DutyPercent, "LED duty");
        }

        static void ReadsBackWhatWasSet(string url)
        {
            using (Pen pen = Pen.Connect(url))
            {
                PenSettings fresh = pen.ReadSettings();
                Assert.IsFalse(fresh.Running);
                Assert.IsFalse(fresh.Rf.Enabled);
                Assert.IsFalse(fresh.Led.Enabled);
                Assert.AreEqual(pen.DepthLimitMm, fresh.DepthLimitMm, 1e-9);

                RfMode rf = RfMode.On(RfPolarity.Bipolar, 1500, 5.0, 100);
                LedMode led = LedMode.PulsedAt(633, 40.0, 10.0, 50.0);
                pen.SetDepthMm(1.0);
                pen.SetSpeedHz(100);
                pen.SetRfMode(rf);
                pen.SetLedMode(led);
                pen.Start();

                PenSettings settings = pen.ReadSettings();
                Assert.AreEqual(1.0, settings.DepthSetMm);
                Assert.AreEqual(100.0, settings.SpeedSetHz);
                Assert.IsTrue(settings.Running);
                AssertSameRf(rf, settings.Rf);
                AssertSameLed(led, settings.Led);
                Assert.AreNotEqual(PenState.Fault, settings.State);
                Assert.AreNotEqual(PenState.EmergencyStopped, settings.State);
                Assert.Greater(settings.StatusRateHz, 0);
                Assert.AreEqual(Fault.None, settings.Faults);
                StringAssert.StartsWith("PenSettings(", settings.ToString());
                StringAssert.Contains("running", settings.ToString());

                pen.Stop();
                PenSettings stopped = pen.ReadSettings();
                Assert.IsFalse(stopped.Running);
                Assert.AreEqual(1.0, stopped.DepthSetMm);
                Assert.AreEqual(100.0, stopped.SpeedSetHz);

                pen.DepthLimitMm = 1.5;
                Assert.AreEqual(1.5, pen.ReadSettings().DepthLimitMm);

                // What an app does after an unknown outcome: send a read-back mode as it is.
                pen.SetRfMode(stopped.Rf);
                pen.SetLedMode(stopped.Led);
            }
        }

        [Test]
        public void ClosedPenThrows()
        {
            Pen pen = Pen.Connect("sim://");
            pen.Close();
            Assert.Throws<ConnectionException>(() => pen.ReadSettings());
        }

        [Test]
        public void IsAValueWithToString()
        {
            var settings = new PenSettings(PenState.Idle, 0.5, 3.0, 80.0, false, RfMode.Off,
                                           LedMode.Off, 10, Fault.Watchdog);
            Assert.AreEqual(
                "PenSettings(Idle, stopped, depth 0.50 mm (limit 3.00 mm), speed 80.0 Hz, " +
                "rf off, led off, status 10 Hz, faults Watchdog)",
                settings.ToString());
            PenSettings copy = settings;
            Assert.AreEqual(settings.DepthSetMm, copy.DepthSetMm);
            Assert.AreEqual(PenState.Idle, default(PenSettings).State);
            StringAssert.Contains("rf off", default(PenSettings).ToString());
        }
    }
}
