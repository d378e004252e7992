package io.penlink;

/**
 * One Event frame of a session recording ({@link Recording#events()}).
 *
 * @param timeS when it came, s since the recording started
 * @param event the frame, decoded
 */
public record RecordedEvent(double timeS, Event event) {}
