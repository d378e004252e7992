package io.penlink;

/**
 * One request the host sent, in a session recording ({@link Recording#commands()}); heartbeats
 * and resends are left out.
 *
 * @param timeS when, s since the recording started
 * @param type the message type, e.g. "SetDepth"
 * @param text the type with its value, e.g. "SetDepth 1.500 mm"
 */
public record RecordedCommand(double timeS, String type, String text) {}
