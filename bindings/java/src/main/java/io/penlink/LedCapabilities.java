package io.penlink;

import java.util.List;

/** What the LED add-on can do; {@code fitted} is false on a pen without it. */
public record LedCapabilities(boolean fitted, List<LedChannel> channels, double pulseRateMinHz,
        double pulseRateMaxHz) {
    public LedCapabilities {
        channels = List.copyOf(channels);
    }
}
