// What a pen owns natively, kept apart from the Pen so that it can be rooted while the pen is
// open and closed in order when an undisposed pen is finalized.
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Penlink
{
    /// <summary>Everything native a pen owns. While the pen is open a GCHandle roots it, so
    /// none of the proxies, directors or delegates is finalized while C++ may still use them,
    /// whatever order the collector would pick. Must not refer to the Pen, or the pen could
    /// never become unreachable.</summary>
    internal sealed class Resources
    {
        internal readonly NativePen Native;
        readonly HashSet<Registration> registrations = new HashSet<Registration>();
        GCHandle root;
        bool closed;

        internal Resources(NativePen native)
        {
            Native = native;
            root = GCHandle.Alloc(this);
        }

        internal bool Add(Registration registration)
        {
            lock (registrations)
            {
                if (closed) return false;
                registrations.Add(registration);
                return true;
            }
        }

        internal void Remove(Registration registration)
        {
            // Outside the lock: unsubscribe waits for a running handler that may be subscribing.
            registration.Unsubscribe();
            lock (registrations) registrations.Remove(registration);
        }

        internal void Close()
        {
            List<Registration> open;
            lock (registrations)
            {
                if (closed) return;
                closed = true;
                open = new List<Registration>(registrations);
            }
            foreach (Registration registration in open) registration.Unsubscribe();
            Native.close();
            lock (registrations) registrations.Clear();
            // Later commands still reach the closed native pen (and throw ConnectionException)
            // through the Pen, which keeps this object reachable; nothing else needs rooting.
            root.Free();
        }
    }
}
