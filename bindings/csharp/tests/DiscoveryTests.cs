// Discovery answers at once for serial only and refuses bad input. The BLE cases need the fake
// BlueZ around the suite (CTest runs it under tests/ble/with_fake_bluez.sh, which sets
// PENLINK_FAKE_BLE_URL) and are ignored, saying so, without it.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class DiscoveryTests
    {
        /// <summary>Reports synchronously, on the thread that calls Report.</summary>
        sealed class Collect : IProgress<DiscoveredPen>
        {
            internal readonly List<DiscoveredPen> Pens = new List<DiscoveredPen>();
            internal readonly List<int> Threads = new List<int>();
            public void Report(DiscoveredPen pen)
            {
                Pens.Add(pen);
                Threads.Add(Thread.CurrentThread.ManagedThreadId);
            }
        }

        sealed class Refuse : IProgress<DiscoveredPen>
        {
            public void Report(DiscoveredPen pen) => throw new InvalidOperationException("seen enough");
        }

        static string FakeBlePen()
        {
            var url = Environment.GetEnvironmentVariable("PENLINK_FAKE_BLE_URL");
            if (url == null) Assert.Ignore("no fake BlueZ: run the suite under tests/ble/with_fake_bluez.sh");
            return url;
        }

        [Test]
        public void SerialOnlyAnswersAtOnce()
        {
            var watch = Stopwatch.StartNew();
            var pens = Sdk.Discover(2000, serial: true, ble: false);
            Assert.Less(watch.ElapsedMilliseconds, 1000);
            foreach (var pen in pens)
            {
                Assert.AreEqual(TransportKind.Serial, pen.Transport);
                StringAssert.StartsWith("serial://", pen.Url);
            }
        }

        [Test]
        public void BadInputIsRefused()
        {
            var negative = Assert.Throws<InvalidArgumentException>(() => Sdk.Discover(-5));
            StringAssert.Contains("-5 ms", negative.Message);
            Assert.Throws<InvalidArgumentException>(() => Sdk.Discover(0, bleAdapter: "usb0"));
            Assert.Throws<InvalidArgumentException>(() => Sdk.Discover(0, namePrefix: null));
            Assert.Throws<InvalidArgumentException>(() => Sdk.Discover(-1, progress: new Collect()));
        }

        [Test]
        public void ProgressReportsEachBlePenAsItIsFound()
        {
            var url = FakeBlePen();
            var progress = new Collect();
            var pens = Sdk.Discover(800, serial: false, progress: progress);
            CollectionAssert.AreEqual(new[] { url }, progress.Pens.Select(pen => pen.Url).ToArray());
            CollectionAssert.AreEqual(pens.Select(pen => pen.Url).ToArray(),
                                      progress.Pens.Select(pen => pen.Url).ToArray());
            Assert.AreEqual(TransportKind.Ble, progress.Pens[0].Transport);
            Assert.AreEqual(Thread.CurrentThread.ManagedThreadId, progress.Threads[0],
                            "Report runs on the calling thread");
        }

        [Test]
        public void WhatProgressThrowsComesOutOfDiscover()
        {
            FakeBlePen();
            var thrown = Assert.Throws<InvalidOperationException>(
                () => Sdk.Discover(800, serial: false, progress: new Refuse()));
            Assert.AreEqual("seen enough", thrown.Message);
        }

        [Test]
        public void StatusRateSaysWhatTheBleLinkGrants()
        {
            var url = FakeBlePen();
            using (var pen = Pen.Connect(url, new ConnectOptions { ConnectTimeoutMs = 10000 }))
            using (var status = pen.OnStatus(frame => { }, 1000))
            {
                var rate = status.StatusRate;
                Assert.AreEqual(1000, rate.RequestedHz);
                Assert.AreEqual(223, rate.GrantedHz);  // 244 * 1000 / 15 bytes/s x 92% / 67 bytes
                Assert.AreEqual(StatusRateLimit.Link, rate.LimitedBy);
                StringAssert.Contains("92%", rate.Reason);
            }
        }

        [Test]
        public void StatusRateOfAnUnlimitedLinkIsWhatWasAsked()
        {
            using (var pen = Pen.Connect("sim://"))
            using (var status = pen.OnStatus(frame => { }, 200))
            using (var events = pen.OnEvent(e => { }))
            {
                Assert.AreEqual(200, status.StatusRate.RequestedHz);
                Assert.AreEqual(200, status.StatusRate.GrantedHz);
                Assert.AreEqual(StatusRateLimit.None, status.StatusRate.LimitedBy);
                Assert.AreEqual("", status.StatusRate.Reason);
                Assert.AreEqual(0, events.StatusRate.RequestedHz);
            }
        }
    }
}
