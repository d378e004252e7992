package io.penlink;

/** Receives the SDK's log lines, from any SDK thread but never two at once. */
@FunctionalInterface
public interface LogListener {
    void onLog(LogLevel level, String message);
}
