package penlink;

/**
 * How {@link Pen#connect(String, ConnectOptions)} talks to the pen. Times are in milliseconds;
 * 0 for heartbeat and link timeout means "derive from the pen's watchdog period". Immutable:
 * each {@code with...} returns a changed copy.
 */
public record ConnectOptions(int connectTimeoutMs, int commandTimeoutMs, int commandRetries,
        int heartbeatIntervalMs, int linkTimeoutMs, int idleStatusRateHz,
        int callbackQueueCapacity) {

    /** The SDK's defaults: 3 s to connect, 300 ms per attempt, 2 resends, queue of 4096. */
    public static ConnectOptions defaults() {
        return new ConnectOptions(3000, 300, 2, 0, 0, 10, 4096);
    }

    public ConnectOptions withConnectTimeoutMs(int value) {
        return new ConnectOptions(value, commandTimeoutMs, commandRetries, heartbeatIntervalMs,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity);
    }

    public ConnectOptions withCommandTimeoutMs(int value) {
        return new ConnectOptions(connectTimeoutMs, value, commandRetries, heartbeatIntervalMs,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity);
    }

    public ConnectOptions withCommandRetries(int value) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, value, heartbeatIntervalMs,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity);
    }

    public ConnectOptions withHeartbeatIntervalMs(int value) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, commandRetries, value,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity);
    }

    public ConnectOptions withLinkTimeoutMs(int value) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, commandRetries,
                heartbeatIntervalMs, value, idleStatusRateHz, callbackQueueCapacity);
    }

    public ConnectOptions withCallbackQueueCapacity(int value) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, commandRetries,
                heartbeatIntervalMs, linkTimeoutMs, idleStatusRateHz, value);
    }
}
