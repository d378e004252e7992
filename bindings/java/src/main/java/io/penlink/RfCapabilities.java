package io.penlink;

/** What the RF add-on can do; {@code fitted} is false on a pen without it. */
public record RfCapabilities(boolean fitted, int frequencyMinKhz, int frequencyMaxKhz,
        double powerMaxW, int pulseMinMs, int pulseMaxMs, boolean monopolar, boolean bipolar) {}
