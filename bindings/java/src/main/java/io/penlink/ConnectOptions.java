package io.penlink;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How {@link Pen#connect(String, ConnectOptions)} talks to the pen. Times are in milliseconds;
 * 0 for the command timeout means "suited to the link" (300 ms, longer on a slow Bluetooth LE
 * link), 0 for heartbeat and link timeout "derive from the pen's watchdog period and the link"
 * (docs/protocol.md 11.1).
 * {@code modulePaths} are directories of partner module descriptors (*.json) for pens that
 * cannot store theirs, searched before the PENLINK_MODULE_PATH environment variable.
 * {@code threading} says whether the pen shares penlink's threads with other pens
 * ({@link Threading#SHARED}, the default) or gets its own ({@link Threading#DEDICATED}).
 * {@code recordPath}, when present, records the whole session from the handshake on into that
 * file ({@link Recording#read(Path)} reads it back, replay:// plays it; docs/records.md).
 * Immutable: each {@code with...} returns a changed copy.
 */
public record ConnectOptions(int connectTimeoutMs, int commandTimeoutMs, int commandRetries,
        int heartbeatIntervalMs, int linkTimeoutMs, int idleStatusRateHz,
        int callbackQueueCapacity, List<String> modulePaths, Threading threading,
        Optional<Path> recordPath) {

    public ConnectOptions {
        Convert.require(modulePaths, "connect option modulePaths");
        for (String path : modulePaths) {
            Convert.require(path, "a directory in connect option modulePaths");
        }
        modulePaths = List.copyOf(modulePaths);
        Convert.require(threading, "connect option threading");
        Convert.require(recordPath, "connect option recordPath (Optional.empty() for none)");
    }

    /** Without a session recording. */
    public ConnectOptions(int connectTimeoutMs, int commandTimeoutMs, int commandRetries,
            int heartbeatIntervalMs, int linkTimeoutMs, int idleStatusRateHz,
            int callbackQueueCapacity, List<String> modulePaths, Threading threading) {
        this(connectTimeoutMs, commandTimeoutMs, commandRetries, heartbeatIntervalMs,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity, modulePaths, threading,
                Optional.empty());
    }

    /** On penlink's shared threads ({@link Threading#SHARED}). */
    public ConnectOptions(int connectTimeoutMs, int commandTimeoutMs, int commandRetries,
            int heartbeatIntervalMs, int linkTimeoutMs, int idleStatusRateHz,
            int callbackQueueCapacity, List<String> modulePaths) {
        this(connectTimeoutMs, commandTimeoutMs, commandRetries, heartbeatIntervalMs,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity, modulePaths,
                Threading.SHARED);
    }

    /** Without module directories. */
    public ConnectOptions(int connectTimeoutMs, int commandTimeoutMs, int commandRetries,
            int heartbeatIntervalMs, int linkTimeoutMs, int idleStatusRateHz,
            int callbackQueueCapacity) {
        this(connectTimeoutMs, commandTimeoutMs, commandRetries, heartbeatIntervalMs,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity, List.of());
    }

    /**
     * The SDK's defaults: 3 s to connect, a command timeout suited to the link, 2 resends,
     * queue of 4096.
     */
    public static ConnectOptions defaults() {
        return new ConnectOptions(3000, 0, 2, 0, 0, 10, 4096);
    }

    public ConnectOptions withConnectTimeoutMs(int value) {
        return new ConnectOptions(value, commandTimeoutMs, commandRetries, heartbeatIntervalMs,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity, modulePaths,
                threading, recordPath);
    }

    public ConnectOptions withCommandTimeoutMs(int value) {
        return new ConnectOptions(connectTimeoutMs, value, commandRetries, heartbeatIntervalMs,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity, modulePaths,
                threading, recordPath);
    }

    public ConnectOptions withCommandRetries(int value) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, value, heartbeatIntervalMs,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity, modulePaths,
                threading, recordPath);
    }

    public ConnectOptions withHeartbeatIntervalMs(int value) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, commandRetries, value,
                linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity, modulePaths,
                threading, recordPath);
    }

    public ConnectOptions withLinkTimeoutMs(int value) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, commandRetries,
                heartbeatIntervalMs, value, idleStatusRateHz, callbackQueueCapacity, modulePaths,
                threading, recordPath);
    }

    public ConnectOptions withCallbackQueueCapacity(int value) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, commandRetries,
                heartbeatIntervalMs, linkTimeoutMs, idleStatusRateHz, value, modulePaths,
                threading, recordPath);
    }

    public ConnectOptions withModulePaths(List<String> directories) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, commandRetries,
                heartbeatIntervalMs, linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity,
                directories, threading, recordPath);
    }

    /**
     * The pen on penlink's shared threads ({@link Threading#SHARED}, the default) or on an I/O
     * and a callback thread of its own ({@link Threading#DEDICATED}).
     *
     * @param value the threading; not null
     * @return a copy with that threading
     */
    public ConnectOptions withThreading(Threading value) {
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, commandRetries,
                heartbeatIntervalMs, linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity,
                modulePaths, value, recordPath);
    }

    /**
     * Records the whole session, from the handshake on, into a file (docs/records.md).
     *
     * @param path the recording file (created or replaced); not null
     * @return a copy that records into path
     */
    public ConnectOptions withRecordPath(Path path) {
        Convert.require(path, "connect option recordPath");
        return new ConnectOptions(connectTimeoutMs, commandTimeoutMs, commandRetries,
                heartbeatIntervalMs, linkTimeoutMs, idleStatusRateHz, callbackQueueCapacity,
                modulePaths, threading, Optional.of(path));
    }
}
