// The ...Async commands: tasks that complete once the pen answered, fault with the same
// exception classes as the blocking calls, and never hang when the pen goes away.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class AsyncTests
    {
        // A bound, so a broken build fails instead of hanging.
        static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

        static void Complete(Task task)
        {
            Assert.IsTrue(task.Wait(Wait), "the task did not complete in time");
        }

        static T Failure<T>(Task task) where T : Exception
        {
            var error = Assert.Throws<AggregateException>(() => task.Wait(Wait));
            Assert.AreEqual(1, error.InnerExceptions.Count);
            Assert.IsInstanceOf<T>(error.InnerException);
            return (T)error.InnerException;
        }

        [Test]
        public void CommandsCompleteOnceAcknowledged()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                Complete(pen.SetDepthMmAsync(1.0));
                Complete(pen.SetSpeedHzAsync(120));
                Complete(pen.StartAsync());
                Complete(pen.StopAsync());
                Complete(pen.EmergencyStopAsync());
                Complete(pen.ClearEmergencyStopAsync());
            }
        }

        [Test]
        public void OutOfRangeArrivesThroughTheTaskWithValueLimitUnit()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                Task task = pen.SetDepthMmAsync(3.5);  // no throw here
                var error = Failure<OutOfRangeException>(task);
                Assert.AreEqual(ErrorCode.OutOfRange, error.Code);
                Assert.AreEqual(3.5, error.Value, 1e-9);
                Assert.AreEqual(3.0, error.Limit, 1e-9);
                Assert.AreEqual("mm", error.Unit);
                StringAssert.Contains("3.00", error.Message);
                var speed = Failure<OutOfRangeException>(pen.SetSpeedHzAsync(200));
                Assert.AreEqual("Hz", speed.Unit);
                Assert.AreEqual(150.0, speed.Limit, 1e-9);
            }
        }

        [Test]
        public void FailuresKeepTheClassTheBlockingCallThrows()
        {
            using (var pen = Pen.Connect("sim://?rf=0&led=0"))
            {
                Failure<Penlink.NotSupportedException>(pen.SetRfModeAsync(RfMode.On(RfPolarity.Bipolar, 1000, 1.0, 100)));
                Failure<Penlink.NotSupportedException>(pen.SetLedModeAsync(LedMode.Continuous(633, 10)));
                Complete(pen.EmergencyStopAsync());
                var safety = Failure<SafetyException>(pen.StartAsync());
                Assert.AreEqual(ErrorCode.EmergencyStopped, safety.Code);
                Complete(pen.ClearEmergencyStopAsync());
                Complete(pen.StartAsync());
                pen.Stop();
            }
        }

        [Test]
        public void RfAndLedModes()
        {
            using (var pen = Pen.Connect("sim://?rf=1&led=1"))
            {
                int wavelength = pen.Capabilities.Led.Channels[0].WavelengthNm;
                Complete(pen.SetLedModeAsync(LedMode.Continuous(wavelength, 10)));
                Complete(pen.SetRfModeAsync(RfMode.On(RfPolarity.Bipolar, 1000, 1.0, 100)));
                Complete(pen.SetLedModeAsync(LedMode.Off));
                Complete(pen.SetRfModeAsync(RfMode.Off));
            }
        }

        [Test]
        public void ManyConcurrentTasksAllComplete()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                var tasks = new List<Task>();
                var threads = Enumerable.Range(0, 4).Select(offset => new Thread(() =>
                {
                    for (int i = 0; i < 50; i++)
                    {
                        Task task = i % 10 == 9 ? pen.SetDepthMmAsync(9.0)
                                                : pen.SetDepthMmAsync(0.1 * ((offset + i) % 30));
                        lock (tasks) tasks.Add(task);
                    }
                })).ToList();
                threads.ForEach(thread => thread.Start());
                threads.ForEach(thread => Assert.IsTrue(thread.Join(Wait)));
                Assert.AreEqual(200, tasks.Count);
                Assert.Throws<AggregateException>(() => Task.WaitAll(tasks.ToArray(), Wait));
                Assert.IsTrue(tasks.All(task => task.IsCompleted));
                var failed = tasks.Where(task => task.IsFaulted).ToList();
                Assert.AreEqual(20, failed.Count);
                foreach (Task task in failed) Assert.IsInstanceOf<OutOfRangeException>(task.Exception.InnerException);
            }
        }

        [Test]
        public void ContinuationsDoNotRunOnTheCallbackThread()
        {
            using (var pen = Pen.Connect("sim://"))
            {
                int callbackThread = -1;
                var statusSeen = new ManualResetEventSlim();
                using (pen.OnStatus(status =>
                {
                    callbackThread = Thread.CurrentThread.ManagedThreadId;
                    statusSeen.Set();
                }))
                {
                    Assert.IsTrue(statusSeen.Wait(Wait));
                }
                Task<int> continuation = pen.SetDepthMmAsync(1.0).ContinueWith(
                    _ => Thread.CurrentThread.ManagedThreadId, TaskContinuationOptions.ExecuteSynchronously);
                Assert.IsTrue(continuation.Wait(Wait));
                Assert.AreNotEqual(callbackThread, continuation.Result);
            }
        }

        [Test]
        public void ClosingMidBurstCompletesEveryTask()
        {
            using (var sim = SimProcess.Start())
            {
                var pen = Pen.Connect(sim.Url);
                var tasks = Enumerable.Range(0, 200).Select(i => pen.SetDepthMmAsync(0.1 * (i % 30))).ToList();
                pen.Close();
                foreach (Task task in tasks)
                {
                    try { Assert.IsTrue(task.Wait(Wait)); }
                    catch (AggregateException error)
                    {
                        Assert.IsInstanceOf<ConnectionException>(error.InnerException);
                        Assert.AreEqual(ErrorCode.NotConnected, ((PenException)error.InnerException).Code);
                    }
                }
            }
        }

        [Test]
        public void LostLinkFaultsWhatIsInFlight()
        {
            using (var sim = SimProcess.Start("--silent-after-ms 1000"))
            using (var pen = Pen.Connect(sim.Url, new ConnectOptions { CommandTimeoutMs = 30000, LinkTimeoutMs = 2000 }))
            {
                Thread.Sleep(1200);  // past the point where the sim stops answering
                var inFlight = new[] { pen.StartAsync(), pen.SetSpeedHzAsync(100) };
                foreach (Task task in inFlight)
                    Assert.AreEqual(ErrorCode.ConnectionLost, Failure<ConnectionException>(task).Code);
                Assert.AreEqual(ConnectionState.Lost, pen.ConnectionState);
            }
        }

        [Test]
        public void DroppedLinkFaultsCommands()
        {
            using (var sim = SimProcess.Start("--drop-link-after-ms 500"))
            using (var pen = Pen.Connect(sim.Url))
            {
                var lost = new ManualResetEventSlim();
                pen.OnConnectionState((state, reason) => { if (state == ConnectionState.Lost) lost.Set(); });
                Assert.IsTrue(lost.Wait(Wait));
                Failure<ConnectionException>(pen.SetDepthMmAsync(1.0));
            }
        }

        [Test]
        public void CommandsOnAClosedPenFaultThroughTheTask()
        {
            var pen = Pen.Connect("sim://");
            pen.Close();
            Task task = pen.StartAsync();  // no throw here
            Failure<ConnectionException>(task);
        }
    }
}
