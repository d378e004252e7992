package io.penlink;

/** Receives pen events, on the pen's callback thread (same rules as {@link StatusListener}). */
@FunctionalInterface
public interface EventListener {
    void onEvent(Event event);
}
