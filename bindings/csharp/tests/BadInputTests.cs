// Bad arguments are refused with penlink's own exceptions naming the value: NaN and infinity with
// InvalidArgumentException, numbers beyond what the SDK holds with OutOfRangeException, null and
// undefined enum values with InvalidArgumentException. Async twins refuse through their task.
using System;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class BadInputTests
    {
        static readonly double[] NonFinite = { double.NaN, double.PositiveInfinity, double.NegativeInfinity };

        static string Shown(double value) => double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

        static void Refused<T>(string text, TestDelegate call) where T : PenException
        {
            var error = Assert.Throws<T>(call, text);
            StringAssert.Contains(text, error.Message);
        }

        static void RefusedAsync(string text, Func<Task> call)
        {
            Task task = null;
            Assert.DoesNotThrow(() => task = call(), text);
            var failed = Assert.Throws<AggregateException>(() => task.Wait(5000), text);
            Assert.IsInstanceOf<InvalidArgumentException>(failed.InnerException, text);
            StringAssert.Contains(text, failed.InnerException.Message);
        }

        [Test]
        public void NonFiniteValuesAreInvalidArgumentsNamingTheValue()
        {
            using (var pen = Pen.Connect("sim://?rf=1&led=1"))
            {
                foreach (double v in NonFinite)
                {
                    string s = Shown(v);
                    Refused<InvalidArgumentException>("depth " + s + " mm is not a finite number", () => pen.SetDepthMm(v));
                    Refused<InvalidArgumentException>("depth " + s + " mm", () => pen.DepthLimitMm = v);
                    Refused<InvalidArgumentException>("speed " + s + " Hz is not a finite number", () => pen.SetSpeedHz(v));
                    Refused<InvalidArgumentException>("RF power " + s + " W",
                        () => pen.SetRfMode(new RfMode(true, RfPolarity.Bipolar, 1500, v, 100)));
                    Refused<InvalidArgumentException>("LED irradiance at 633 nm " + s + " mW/cm2",
                        () => pen.SetLedMode(new LedMode(true, 633, v, false, 0, 50)));
                    Refused<InvalidArgumentException>("LED pulse rate " + s + " Hz",
                        () => pen.SetLedMode(new LedMode(true, 633, 40, true, v, 50)));
                    Refused<InvalidArgumentException>("LED duty cycle " + s + " %",
                        () => pen.SetLedMode(new LedMode(true, 633, 40, true, 10, v)));
                    RefusedAsync("depth " + s + " mm", () => pen.SetDepthMmAsync(v));
                    RefusedAsync("speed " + s + " Hz", () => pen.SetSpeedHzAsync(v));
                    RefusedAsync("RF power " + s + " W",
                        () => pen.SetRfModeAsync(new RfMode(true, RfPolarity.Bipolar, 1500, v, 100)));
                }
                var status = pen.LatestStatus;
                if (status.HasValue)
                    Assert.IsFalse(status.Value.RfEnabled || status.Value.LedEnabled, status.Value.ToString());
            }
        }

        [Test]
        public void ValuesBeyondWhatTheSdkHoldsAreOutOfRange()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                var error = Assert.Throws<OutOfRangeException>(() => pen.SetDepthMm(1e308));
                Assert.AreEqual("mm", error.Unit);
                Assert.AreEqual(2147483.647, error.Limit, 1e-6);
                Assert.Throws<OutOfRangeException>(() => pen.SetSpeedHz(-1e300));
            }
        }

        [Test]
        public void NullAndUndefinedArgumentsAreInvalidArguments()
        {
            Refused<InvalidArgumentException>("url", () => Pen.Connect(null));
            Refused<InvalidArgumentException>("-5 ms",
                () => Pen.Connect("sim://", new ConnectOptions { CommandTimeoutMs = -5 }));
            Refused<InvalidArgumentException>("log level 9", () => Sdk.SetLogHandler(null, (LogLevel)9));
            using (var pen = Pen.Connect("sim://?rf=1&led=1"))
            {
                Refused<InvalidArgumentException>("RF mode", () => pen.SetRfMode(null));
                Refused<InvalidArgumentException>("LED mode", () => pen.SetLedMode(null));
                Refused<InvalidArgumentException>("RF polarity 7 is not one of monopolar (0), bipolar (1)",
                    () => pen.SetRfMode(new RfMode(true, (RfPolarity)7, 1500, 5, 100)));
                RefusedAsync("RF mode", () => pen.SetRfModeAsync(null));
            }
        }
    }
}
