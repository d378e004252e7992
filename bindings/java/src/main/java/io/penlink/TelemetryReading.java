package io.penlink;

/**
 * One module telemetry reading as the pen sent it; {@link PenModule#telemetry(Status, String)}
 * gives it in the channel's unit (raw * the channel's scale).
 *
 * @param slot the module's slot
 * @param channel the channel's id in the module's descriptor
 */
public record TelemetryReading(int slot, int channel, int raw) {}
