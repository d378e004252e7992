// A subscription: the handle users dispose to remove a handler (Subscription), and its native
// half, the C++ registration with the director it calls (Registration). The pen's resources
// (PenResources.cs) keep every open registration until the pen closes.
using System;

namespace Penlink
{
    /// <summary>The native half of a subscription: the C++ registration and the director
    /// (with the delegates) it calls.</summary>
    internal sealed class Registration
    {
        readonly NativeSubscription subscription;
        // Kept only so the collector never frees the director while C++ may call it.
        readonly object bridge;

        internal Registration(NativeSubscription subscription, object bridge)
        {
            this.subscription = subscription;
            this.bridge = bridge;
        }

        internal bool IsActive => subscription.active();

        internal StatusRate ReadStatusRate()
        {
            using (NativeStatusRate rate = subscription.status_rate())
                return new StatusRate(rate.requested_hz, rate.granted_hz,
                                      (StatusRateLimit)(int)rate.limited_by, rate.reason);
        }

        /// <summary>Blocks until the handler is not running (unless called from inside it).</summary>
        internal void Unsubscribe() => subscription.unsubscribe();

        public override string ToString() => $"Registration({bridge.GetType().Name})";
    }

    /// <summary>Keeps a handler registered; Dispose removes it. After Dispose returns the
    /// handler is not running and will not run again (from inside the handler: not after it
    /// returns). Keeps its pen reachable.</summary>
    public sealed class Subscription : IDisposable
    {
        readonly Pen pen;
        readonly Registration registration;

        internal Subscription(Pen pen, Registration registration)
        {
            this.pen = pen;
            this.registration = registration;
        }

        /// <summary>True until disposed (by this handle or by closing the pen).</summary>
        public bool IsActive => registration.IsActive;

        /// <summary>For a status subscription: the rate it asked for, the rate it gets now and
        /// what limits it (the link). All zero for other subscriptions and once disposed.</summary>
        public StatusRate StatusRate => registration.ReadStatusRate();

        public Pen Pen => pen;

        public void Dispose() => pen.NativeResources.Remove(registration);
    }
}
