// Closing from inside a handler, and the SDK log reaching a C# handler.
using System;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class LifecycleTests
    {
        [Test]
        public void HandlerMayCloseItsOwnPen()
        {
            var pen = Pen.Connect("sim://");
            var closed = new TaskCompletionSource<bool>();
            // Armed once OnStatus has returned: a frame can reach the handler before that, and a
            // pen closed then makes OnStatus itself throw (the subscription came too late).
            var armed = new ManualResetEventSlim(false);
            pen.OnStatus(s =>
            {
                if (!armed.IsSet || closed.Task.IsCompleted) return;
                try
                {
                    pen.Close();
                    closed.TrySetResult(true);
                }
                catch (Exception error)
                {
                    closed.TrySetException(error);
                }
            }, 100);
            armed.Set();
            Assert.IsTrue(closed.Task.Wait(TimeSpan.FromSeconds(10)));
            Assert.AreEqual(ConnectionState.Closed, pen.ConnectionState);
        }

        [Test]
        public void SdkLogReachesTheHandler()
        {
            var received = new ManualResetEventSlim();
            string line = null;
            Sdk.SetLogHandler((level, message) =>
            {
                if (level == LogLevel.Error && message.Contains("log test line"))
                {
                    line = message;
                    received.Set();
                }
            });
            try
            {
                penlink_csharp.report_callback_error("log test line");
                Assert.IsTrue(received.Wait(TimeSpan.FromSeconds(5)));
                StringAssert.Contains("log test line", line);
            }
            finally
            {
                Sdk.SetLogHandler(null);
            }
        }
    }
}
