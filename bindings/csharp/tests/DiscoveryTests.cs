// Discovery answers at once for serial only and refuses bad input (BLE runs in tests/ble).
using System.Diagnostics;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class DiscoveryTests
    {
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
        }
    }
}
