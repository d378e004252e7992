package io.penlink;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The director subclasses that C++ calls on the pen's callback thread. Each copies the native
 * value into its Java record and hands it to the user's listener; whatever the listener throws
 * is reported here and never unwinds into the SDK's thread.
 */
final class Bridges {
    private Bridges() {}

    /**
     * Reports a listener failure through penlink's log (the sink set with
     * {@link Penlink#setLogListener}, stderr by default). A listener that throws on every frame
     * would flood the log at thousands of lines a second, so only the first failure carries a
     * stack trace and later ones are counted, logged at 10, 100, 1000 ... failures.
     */
    static void report(String what, AtomicLong failures, Throwable error) {
        long count = failures.incrementAndGet();
        if (count == 1) {
            java.io.StringWriter trace = new java.io.StringWriter();
            error.printStackTrace(new java.io.PrintWriter(trace));
            PenlinkNative.report_callback_error(what + " listener threw; the SDK carries on: " + trace);
        } else if (isPowerOfTen(count)) {
            PenlinkNative.report_callback_error(what + " listener has thrown " + count
                    + " times, last: " + error);
        }
    }

    private static boolean isPowerOfTen(long value) {
        while (value % 10 == 0) {
            value /= 10;
        }
        return value == 1;
    }

    static final class StatusBridge extends NativeStatusListener {
        private final StatusListener listener;
        private final AtomicLong failures = new AtomicLong();

        StatusBridge(StatusListener listener) {
            this.listener = listener;
        }

        @Override
        public void on_status(NativeStatus status) {
            try {
                listener.onStatus(Convert.status(status));
            } catch (Throwable error) {
                report("status", failures, error);
            }
        }
    }

    static final class EventBridge extends NativeEventListener {
        private final EventListener listener;
        private final AtomicLong failures = new AtomicLong();

        EventBridge(EventListener listener) {
            this.listener = listener;
        }

        @Override
        public void on_event(NativeEvent event) {
            try {
                listener.onEvent(Convert.event(event));
            } catch (Throwable error) {
                report("event", failures, error);
            }
        }
    }

    static final class ConnectionBridge extends NativeConnectionListener {
        private final ConnectionListener listener;
        private final AtomicLong failures = new AtomicLong();

        ConnectionBridge(ConnectionListener listener) {
            this.listener = listener;
        }

        @Override
        public void on_connection_state(NativeConnectionState state, String reason) {
            try {
                listener.onConnectionState(Convert.connectionState(state), reason);
            } catch (Throwable error) {
                report("connection state", failures, error);
            }
        }
    }

    static final class LogBridge extends NativeLogListener {
        private final LogListener listener;

        LogBridge(LogListener listener) {
            this.listener = listener;
        }

        @Override
        public void on_log(NativeLogLevel level, String message) {
            try {
                listener.onLog(LogLevel.values()[level.swigValue()], message);
            } catch (Throwable error) {
                // Reporting through the log would recurse into the failing listener.
                System.err.println("penlink: log listener threw: " + error);
            }
        }
    }
}
