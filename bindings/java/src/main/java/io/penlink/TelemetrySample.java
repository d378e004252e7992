package io.penlink;

/**
 * One reading of a module channel in a recording ({@link Recording#telemetry(String, String)}).
 *
 * @param timeS when its status came, s since the recording started
 * @param value the reading in the channel's unit (raw * scale)
 */
public record TelemetrySample(double timeS, double value) {}
