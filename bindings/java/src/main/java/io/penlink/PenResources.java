package io.penlink;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything native a pen owns. Also the cleaner's action, so it must not refer to the Pen:
 * while registered with the cleaner it keeps the proxies and directors strongly reachable,
 * so none is finalized before the subscriptions are gone.
 */
final class PenResources implements Runnable {
    final NativePen pen;
    private final Set<Subscription.Registration> registrations = new LinkedHashSet<>();
    private boolean closed;

    PenResources(NativePen pen) {
        this.pen = pen;
    }

    synchronized boolean add(Subscription.Registration registration) {
        if (closed) {
            return false;
        }
        registrations.add(registration);
        return true;
    }

    void remove(Subscription.Registration registration) {
        // Unsubscribe before letting go of the director; outside the lock, because it waits
        // for a running listener that may itself be subscribing.
        registration.unsubscribe();
        synchronized (this) {
            registrations.remove(registration);
        }
    }

    @Override
    public void run() {
        List<Subscription.Registration> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(registrations);
        }
        for (Subscription.Registration registration : open) {
            registration.unsubscribe();
        }
        pen.close();
        synchronized (this) {
            registrations.clear();
        }
    }
}
