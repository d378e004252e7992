package io.penlink;

/**
 * Keeps a listener registered with a pen. {@link #close()} (or the pen's close) removes it;
 * after close() returns the listener is not running and will not run again (when called from
 * inside that listener: not after it returns). A Subscription keeps its pen reachable, and the
 * pen keeps every open subscription, so a dropped handle stays registered until the pen closes.
 */
public final class Subscription implements AutoCloseable {
    private final Pen pen;
    private final Registration registration;

    Subscription(Pen pen, Registration registration) {
        this.pen = pen;
        this.registration = registration;
    }

    /** True until closed (by this handle or by closing the pen). */
    public boolean isActive() {
        return registration.isActive();
    }

    /**
     * For a status subscription: the rate it asked for, the rate it gets now and what limits it
     * (the link). All zero for other subscriptions and once closed.
     */
    public StatusRate statusRate() {
        NativeStatusRate rate = registration.subscription.status_rate();
        return new StatusRate(rate.getRequested_hz(), rate.getGranted_hz(),
                StatusRateLimit.values()[rate.getLimited_by().swigValue()], rate.getReason());
    }

    /** The pen this subscription belongs to. */
    public Pen pen() {
        return pen;
    }

    /** Unregisters the listener. Idempotent. */
    @Override
    public void close() {
        pen.resources().remove(registration);
    }

    /**
     * The native half of a subscription: the C++ registration and the director it calls. Held
     * by the pen's resources so neither is finalized while C++ may still call the director.
     */
    static final class Registration {
        private final NativeSubscription subscription;
        // Only referenced to keep the director (and so its weak JNI reference) alive.
        @SuppressWarnings("unused")
        private final Object director;

        Registration(NativeSubscription subscription, Object director) {
            this.subscription = subscription;
            this.director = director;
        }

        boolean isActive() {
            return subscription.active();
        }

        /** Blocks until the listener is not running (see the class comment). */
        void unsubscribe() {
            subscription.unsubscribe();
        }
    }
}
