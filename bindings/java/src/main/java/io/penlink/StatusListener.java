package io.penlink;

/**
 * Receives status frames. Runs on the pen's callback thread, one call at a time; return quickly
 * (frames queue while it runs). An exception thrown here is logged and swallowed: it never
 * reaches the SDK thread.
 */
@FunctionalInterface
public interface StatusListener {
    void onStatus(Status status);
}
