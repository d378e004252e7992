package io.penlink;

/**
 * Something that happened during a logged run (fault, pause, button, skip).
 *
 * @param timeS when, s since the run began
 * @param kind e.g. "fault", "paused", "resumed", "skipped"
 * @param text what happened, in words
 */
public record LoggedEvent(double timeS, String kind, String text) {}
