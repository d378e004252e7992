package io.penlink;

/**
 * Receives link state changes, on the pen's callback thread (same rules as
 * {@link StatusListener}). reason says why, e.g. "no answer for 500 ms"; empty for ordinary
 * changes.
 */
@FunctionalInterface
public interface ConnectionListener {
    void onConnectionState(ConnectionState state, String reason);
}
