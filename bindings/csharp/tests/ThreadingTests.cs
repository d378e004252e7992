// ConnectOptions.Threading: pens on penlink's shared threads or on threads of their own, in
// process (sim://) and against penlink-sim over TCP.
using System;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class ThreadingTests
    {
        [TestCase(Threading.Shared)]
        [TestCase(Threading.Dedicated)]
        public void ACommandAndStatusHandlersWork(Threading threading)
        {
            using (var sim = SimProcess.Start())
            {
                foreach (var url in new[] { "sim://", sim.Url })
                {
                    using (var pen = Pen.Connect(url, new ConnectOptions { Threading = threading }))
                    {
                        var testThread = System.Threading.Thread.CurrentThread.ManagedThreadId;
                        var frames = new System.Threading.CountdownEvent(5);
                        var onTestThread = false;
                        using (pen.OnStatus(s =>
                        {
                            if (System.Threading.Thread.CurrentThread.ManagedThreadId == testThread)
                                onTestThread = true;
                            if (!frames.IsSet) frames.Signal();
                        }, rateHz: 100))
                        {
                            pen.SetDepthMm(1.25);
                            Assert.IsTrue(frames.Wait(TimeSpan.FromSeconds(5)), url);
                        }
                        Assert.AreEqual(1.25, pen.LatestStatus.Value.DepthSetMm, 1e-9);
                        Assert.IsFalse(onTestThread);
                    }
                }
            }
        }

        [Test]
        public void TheDefaultIsShared()
        {
            Assert.AreEqual(Threading.Shared, new ConnectOptions().Threading);
            StringAssert.Contains("Shared threading", new ConnectOptions().ToString());
        }

        [Test]
        public void AnUndefinedThreadingIsRefused()
        {
            var error = Assert.Throws<InvalidArgumentException>(
                () => Pen.Connect("sim://", new ConnectOptions { Threading = (Threading)7 }));
            StringAssert.Contains("Threading 7 is neither Shared (0) nor Dedicated (1)", error.Message);
        }
    }
}
