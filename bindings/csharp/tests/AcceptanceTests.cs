// The acceptance scenario, once in-process (sim://) and once over TCP to penlink-sim.
using System;
using System.Threading;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class AcceptanceTests
    {
        SimProcess sim;

        [TestFixtureSetUp]
        public void StartSim() { sim = SimProcess.Start(); }

        [TestFixtureTearDown]
        public void StopSim() { sim?.Dispose(); }

        [Test]
        public void InProcessSimulator() { FullSession("sim://?rf=1&led=1"); }

        [Test]
        public void PenlinkSimOverTcp() { FullSession(sim.Url); }

        static void FullSession(string url)
        {
            using (Pen pen = Pen.Connect(url))
            {
                Assert.AreEqual(ConnectionState.Connected, pen.ConnectionState);
                Assert.IsNotEmpty(pen.Info.Model);
                Capabilities caps = pen.Capabilities;
                Assert.Greater(caps.DepthMaxMm, caps.DepthMinMm);
                Assert.Greater(caps.SpeedMaxHz, caps.SpeedMinHz);
                Assert.IsTrue(caps.Rf.Fitted, "the default sim has RF");
                Assert.IsTrue(caps.Led.Fitted, "the default sim has LED");
                Assert.IsNotEmpty(caps.Led.Channels);

                pen.SetDepthMm(1.0);
                pen.SetSpeedHz(100);
                LedChannel channel = caps.Led.Channels[0];
                pen.SetLedMode(LedMode.Continuous(channel.WavelengthNm, channel.MaxIrradianceMwCm2 / 2));
                RfCapabilities rf = caps.Rf;
                pen.SetRfMode(RfMode.On(rf.Bipolar ? RfPolarity.Bipolar : RfPolarity.Monopolar,
                                        rf.FrequencyMinKhz, rf.PowerMaxW / 2, rf.PulseMinMs));

                // >= 200 frames through the handler, bounded wait.
                var frames = new CountdownEvent(200);
                Status last = default(Status);
                int rate = Math.Min(1000, caps.MaxStatusRateHz);
                using (Subscription sub = pen.OnStatus(s =>
                {
                    last = s;
                    if (!frames.IsSet) frames.Signal();
                }, rate))
                {
                    pen.Start();
                    Assert.IsTrue(frames.Wait(TimeSpan.FromSeconds(20)), "200 status frames arrived");
                    Assert.IsTrue(sub.IsActive);
                    Helpers.WaitForStatus(pen, s => s.State == PenState.Running, "running");
                    pen.Stop();
                }
                Assert.AreEqual(1.0, last.DepthSetMm, 1e-9);
                Assert.AreEqual(100.0, last.SpeedSetHz, 1e-9);

                // Out of range: typed, with value, limit and unit, and a message naming them.
                double tooDeep = caps.DepthMaxMm + 0.2;
                var range = Assert.Throws<OutOfRangeException>(() => pen.SetDepthMm(tooDeep));
                Assert.AreEqual(ErrorCode.OutOfRange, range.Code);
                Assert.AreEqual(tooDeep, range.Value, 1e-6);
                Assert.AreEqual(caps.DepthMaxMm, range.Limit, 1e-6);
                Assert.AreEqual("mm", range.Unit);
                StringAssert.Contains(tooDeep.ToString("F2"), range.Message);
                StringAssert.Contains("mm", range.Message);
                Assert.Throws<OutOfRangeException>(() => pen.SetSpeedHz(caps.SpeedMaxHz + 10));

                // Emergency stop latches: start is refused for safety until cleared.
                pen.EmergencyStop();
                Helpers.WaitForStatus(pen, s => s.State == PenState.EmergencyStopped, "e-stopped");
                var refused = Assert.Throws<SafetyException>(() => pen.Start());
                Assert.AreEqual(ErrorCode.EmergencyStopped, refused.Code);
                Assert.IsTrue((pen.LatestStatus.Value.Faults & Fault.EmergencyStop) != 0);
                pen.ClearEmergencyStop();
                Helpers.WaitForStatus(pen, s => s.State == PenState.Idle, "idle after clear");
                pen.Start();
                pen.Stop();

                pen.Close();
                Assert.AreEqual(ConnectionState.Closed, pen.ConnectionState);
                Assert.Throws<ConnectionException>(() => pen.SetDepthMm(1.0));
                pen.Close();  // idempotent
            }
        }
    }

    internal static class Helpers
    {
        /// <summary>Waits (bounded) until a status frame satisfies want.</summary>
        internal static Status WaitForStatus(Pen pen, Func<Status, bool> want, string what)
        {
            var seen = new ManualResetEventSlim();
            Status match = default(Status);
            using (pen.OnStatus(s =>
            {
                if (!seen.IsSet && want(s))
                {
                    match = s;
                    seen.Set();
                }
            }, 200))
            {
                Assert.IsTrue(seen.Wait(TimeSpan.FromSeconds(10)), "a status frame showing " + what);
            }
            return match;
        }
    }
}
