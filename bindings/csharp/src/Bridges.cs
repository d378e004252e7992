// The director subclasses C++ calls on the pen's callback thread. Each copies the native value
// into its public type and calls the user's delegate. Whatever the delegate throws is reported
// here: an exception must never unwind through native frames (that would end the process).
using System;
using System.Threading;

namespace Penlink
{
    internal static class CallbackErrors
    {
        // Reported through penlink's log (Sdk.SetLogHandler, stderr by default). A delegate that
        // throws on every frame would flood it at thousands of lines a second: the first
        // failure is reported in full, later ones at 10, 100, 1000 ...
        internal static void Report(string what, ref long failures, Exception error)
        {
            long count = Interlocked.Increment(ref failures);
            if (count == 1)
                penlink_csharp.report_callback_error($"{what} handler threw; the SDK carries on: {error}");
            else if (IsPowerOfTen(count))
                penlink_csharp.report_callback_error($"{what} handler has thrown {count} times, last: {error.Message}");
        }

        static bool IsPowerOfTen(long value)
        {
            while (value % 10 == 0) value /= 10;
            return value == 1;
        }
    }

    internal sealed class StatusBridge : NativeStatusListener
    {
        readonly Action<Status> handler;
        long failures;

        internal StatusBridge(Action<Status> handler) { this.handler = handler; }

        public override void on_status(NativeStatus status)
        {
            try { handler(Convert.ToStatus(status)); }
            catch (Exception error) { CallbackErrors.Report("status", ref failures, error); }
        }
    }

    internal sealed class EventBridge : NativeEventListener
    {
        readonly Action<Event> handler;
        long failures;

        internal EventBridge(Action<Event> handler) { this.handler = handler; }

        public override void on_event(NativeEvent nativeEvent)
        {
            try { handler(Convert.ToEvent(nativeEvent)); }
            catch (Exception error) { CallbackErrors.Report("event", ref failures, error); }
        }
    }

    internal sealed class ConnectionBridge : NativeConnectionListener
    {
        readonly Action<ConnectionState, string> handler;
        long failures;

        internal ConnectionBridge(Action<ConnectionState, string> handler) { this.handler = handler; }

        public override void on_connection_state(NativeConnectionState state, string reason)
        {
            try { handler((ConnectionState)(int)state, reason); }
            catch (Exception error) { CallbackErrors.Report("connection state", ref failures, error); }
        }
    }

    internal sealed class LogBridge : NativeLogListener
    {
        readonly Action<LogLevel, string> handler;

        internal LogBridge(Action<LogLevel, string> handler) { this.handler = handler; }

        public override void on_log(NativeLogLevel level, string message)
        {
            try { handler((LogLevel)(int)level, message); }
            catch (Exception error)
            {
                // Reporting through the log would recurse into the failing handler.
                Console.Error.WriteLine($"penlink: log handler threw: {error.Message}");
            }
        }
    }
}
