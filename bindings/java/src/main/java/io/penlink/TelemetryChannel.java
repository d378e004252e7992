package io.penlink;

/**
 * A module telemetry channel named by a descriptor a recording holds: readings of this slot and
 * channel are raw * scale in unit ({@link Recording#telemetry(String, String)}).
 *
 * @param slot the module's slot
 * @param channel the channel's id in the descriptor
 * @param module the module's key, e.g. "rf"
 * @param key the channel's key, e.g. "energy"
 * @param unit e.g. "J"
 * @param scale the reading in unit = raw * scale
 */
public record TelemetryChannel(int slot, int channel, String module, String key, String unit,
        double scale) {}
