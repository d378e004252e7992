// Asynchronous commands: one Task per command, completed by a director that C++ owns (and
// deletes) once it has told it the outcome, exactly once, whatever happens to the pen.
//
// Why the static table: C++ holds the director, but only native function pointers into its
// delegates, which the collector cannot see. The bridge stays rooted here until on_done ran.
// Why RunContinuationsAsynchronously: on_done runs on the pen's callback thread; user code
// awaiting the task must not run there and stall status delivery.
using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;

namespace Penlink
{
    internal sealed class CompletionBridge : NativeCompletionListener
    {
        static readonly ConcurrentDictionary<CompletionBridge, bool> InFlight =
            new ConcurrentDictionary<CompletionBridge, bool>();
        static long failures;

        readonly TaskCompletionSource<bool> completion =
            new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        CompletionBridge()
        {
            // C++ deletes the director after on_done; the proxy must never delete it too.
            swigCMemOwn = false;
            InFlight.TryAdd(this, true);
        }

        /// <summary>Calls send with a fresh bridge, which must reach one native *_async
        /// method, and returns the task that bridge completes.</summary>
        internal static Task Submit(Action<NativeCompletionListener> send)
        {
            var bridge = new CompletionBridge();
            send(bridge);
            return bridge.completion.Task;
        }

        public override void on_done(NativeCommandOutcome outcome)
        {
            // outcome points into C++ memory valid only during this call: copy it out here.
            try
            {
                if (outcome.ok())
                    completion.TrySetResult(true);
                else
                    completion.TrySetException(Errors.FromNative((int)outcome.code, outcome.message,
                                                                 outcome.value, outcome.limit, outcome.unit));
            }
            catch (Exception error)
            {
                CallbackErrors.Report("completion", ref failures, error);
            }
            finally
            {
                InFlight.TryRemove(this, out bool _);
            }
        }
    }
}
