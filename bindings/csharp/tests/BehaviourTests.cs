// Errors, handlers and lifetimes of the C# binding against the in-process simulator.
using System;
using System.Threading;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class BehaviourTests
    {
        [Test]
        public void BadUrlIsAnInvalidArgument()
        {
            var error = Assert.Throws<InvalidArgumentException>(() => Pen.Connect("foo://x"));
            StringAssert.Contains("foo", error.Message);
            Assert.IsInstanceOf<PenException>(error);
        }

        [Test]
        public void ReconnectIsANoOpWhileConnectedAndFailsOnceClosed()
        {
            var pen = Pen.Connect("sim://");
            pen.Reconnect();
            Assert.AreEqual(ConnectionState.Connected, pen.ConnectionState);
            pen.SetDepthMm(1.0);
            pen.Close();
            Assert.Throws<ConnectionException>(() => pen.Reconnect());
        }

        [Test]
        public void RefusedTcpConnectionIsAConnectionError()
        {
            // Port 1 on loopback: nothing listens there, so the connect is refused at once.
            var error = Assert.Throws<ConnectionException>(
                () => Pen.Connect("tcp://127.0.0.1:1", new ConnectOptions { ConnectTimeoutMs = 2000 }));
            Assert.AreEqual(ErrorCode.ConnectionFailed, error.Code);
        }

        [Test]
        public void AddOnsThatAreNotFittedAreNotSupported()
        {
            using (var pen = Pen.Connect("sim://?rf=0&led=0"))
            {
                Assert.IsFalse(pen.Capabilities.Rf.Fitted);
                Assert.Throws<Penlink.NotSupportedException>(
                    () => pen.SetRfMode(RfMode.On(RfPolarity.Bipolar, 1000, 1.0, 100)));
                Assert.Throws<Penlink.NotSupportedException>(
                    () => pen.SetLedMode(LedMode.Continuous(633, 10)));
            }
        }

        [Test]
        public void HostDepthLimitIsEnforced()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                pen.DepthLimitMm = 1.5;
                Assert.AreEqual(1.5, pen.DepthLimitMm, 1e-9);
                var error = Assert.Throws<OutOfRangeException>(() => pen.SetDepthMm(2.0));
                Assert.AreEqual(2.0, error.Value, 1e-9);
                Assert.AreEqual(1.5, error.Limit, 1e-9);
                pen.SetDepthMm(1.5);
            }
        }

        [Test]
        public void ThrowingHandlerDoesNotStopTheSdk()
        {
            var reported = new ManualResetEventSlim();
            Sdk.SetLogHandler((level, message) =>
            {
                if (level == LogLevel.Error && message.Contains("status handler threw") &&
                    message.Contains("handler bug"))
                    reported.Set();
            });
            try
            {
                ThrowingHandlerScenario();
                Assert.IsTrue(reported.Wait(TimeSpan.FromSeconds(5)), "the failure reached penlink's log");
            }
            finally
            {
                Sdk.SetLogHandler(null);
            }
        }

        static void ThrowingHandlerScenario()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                var healthy = new CountdownEvent(100);
                int thrown = 0;
                using (pen.OnStatus(s =>
                {
                    Interlocked.Increment(ref thrown);
                    throw new InvalidOperationException("handler bug (expected by the test)");
                }, 500))
                using (pen.OnStatus(s => { if (!healthy.IsSet) healthy.Signal(); }, 500))
                {
                    Assert.IsTrue(healthy.Wait(TimeSpan.FromSeconds(10)));
                }
                Assert.Greater(thrown, 0);
                pen.SetDepthMm(0.5);  // the pen still answers
            }
        }

        [Test]
        public void NoCallbackAfterDisposeReturns()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                int calls = 0;
                var some = new CountdownEvent(20);
                Subscription sub = pen.OnStatus(s =>
                {
                    Interlocked.Increment(ref calls);
                    if (!some.IsSet) some.Signal();
                }, 1000);
                Assert.IsTrue(some.Wait(TimeSpan.FromSeconds(10)));
                sub.Dispose();
                Assert.IsFalse(sub.IsActive);
                int after = Volatile.Read(ref calls);
                // Let more frames stream; the disposed subscription must not see any of them.
                var more = new CountdownEvent(20);
                using (pen.OnStatus(s => { if (!more.IsSet) more.Signal(); }, 1000))
                    Assert.IsTrue(more.Wait(TimeSpan.FromSeconds(10)));
                Assert.AreEqual(after, Volatile.Read(ref calls));
                sub.Dispose();  // idempotent
            }
        }

        [Test]
        public void HandlerMayCallThePen()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                var done = new ManualResetEventSlim();
                int failures = 0;
                using (pen.OnStatus(s =>
                {
                    if (done.IsSet) return;
                    try { pen.SetDepthMm(0.25); }  // a blocking command from the callback thread
                    catch (PenException) { Interlocked.Increment(ref failures); }
                    done.Set();
                }, 100))
                {
                    Assert.IsTrue(done.Wait(TimeSpan.FromSeconds(10)));
                }
                Assert.AreEqual(0, failures);
            }
        }

        [Test]
        public void EventsReachHandlers()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                var stopped = new ManualResetEventSlim();
                pen.OnEvent(e => { if (e.Kind == EventKind.EmergencyStopped) stopped.Set(); });
                pen.OnConnectionState((state, reason) => { });
                pen.EmergencyStop();
                Assert.IsTrue(stopped.Wait(TimeSpan.FromSeconds(10)), "EmergencyStopped event");
                pen.ClearEmergencyStop();
            }
        }

        [Test]
        public void UndisposedPensAreCollectedSafely()
        {
            WeakReference weak = OpenAndForget();
            for (int i = 0; i < 50 && weak.IsAlive; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            Assert.IsFalse(weak.IsAlive, "an unreachable pen is collectable");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            // The SDK is still healthy: a new pen streams as usual.
            using (var pen = Pen.Connect("sim://"))
            {
                var frames = new CountdownEvent(10);
                using (pen.OnStatus(s => { if (!frames.IsSet) frames.Signal(); }, 500))
                    Assert.IsTrue(frames.Wait(TimeSpan.FromSeconds(10)));
            }
        }

        /// <summary>Opens a streaming pen with handlers and drops every reference undisposed.</summary>
        static WeakReference OpenAndForget()
        {
            var pen = Pen.Connect("sim://");
            var streaming = new CountdownEvent(5);
            pen.OnStatus(s => { if (!streaming.IsSet) streaming.Signal(); }, 1000);
            pen.OnEvent(e => { });
            Assert.IsTrue(streaming.Wait(TimeSpan.FromSeconds(10)));
            return new WeakReference(pen);
        }

        [Test]
        public void ClosingThePenFirstLeavesSubscriptionsInert()
        {
            var pen = Pen.Connect("sim://");
            Subscription sub = pen.OnStatus(s => { }, 100);
            pen.Dispose();
            Assert.IsFalse(sub.IsActive);
            sub.Dispose();
            Assert.Throws<ConnectionException>(() => pen.OnStatus(s => { }));
        }

        [Test]
        public void VersionAndFaultNames()
        {
            StringAssert.IsMatch(@"^\d+\.\d+\.\d+$", Sdk.Version);
            StringAssert.Contains("watchdog", Sdk.DescribeFaults(Fault.Watchdog));
        }
    }
}
