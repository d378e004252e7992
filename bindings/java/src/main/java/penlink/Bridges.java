package penlink;

/**
 * The director subclasses that C++ calls on the pen's callback thread. Each copies the native
 * value into its Java record and hands it to the user's listener; whatever the listener throws
 * is reported here and never unwinds into the SDK's thread.
 */
final class Bridges {
    private Bridges() {}

    private static final System.Logger LOG = System.getLogger("penlink");

    static void report(String what, Throwable error) {
        LOG.log(System.Logger.Level.ERROR, what + " listener threw; the SDK carries on", error);
    }

    static final class StatusBridge extends NativeStatusListener {
        private final StatusListener listener;

        StatusBridge(StatusListener listener) {
            this.listener = listener;
        }

        @Override
        public void on_status(NativeStatus status) {
            try {
                listener.onStatus(Convert.status(status));
            } catch (Throwable error) {
                report("status", error);
            }
        }
    }

    static final class EventBridge extends NativeEventListener {
        private final EventListener listener;

        EventBridge(EventListener listener) {
            this.listener = listener;
        }

        @Override
        public void on_event(NativeEvent event) {
            try {
                listener.onEvent(Convert.event(event));
            } catch (Throwable error) {
                report("event", error);
            }
        }
    }

    static final class ConnectionBridge extends NativeConnectionListener {
        private final ConnectionListener listener;

        ConnectionBridge(ConnectionListener listener) {
            this.listener = listener;
        }

        @Override
        public void on_connection_state(NativeConnectionState state, String reason) {
            try {
                listener.onConnectionState(Convert.connectionState(state), reason);
            } catch (Throwable error) {
                report("connection state", error);
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
