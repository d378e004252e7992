package io.penlink;

/** What the pen reported it can do; the SDK refuses anything outside these before sending. */
public record Capabilities(double depthMinMm, double depthMaxMm, double depthStepMm,
        double speedMinHz, double speedMaxHz, int watchdogMs, int maxStatusRateHz,
        RfCapabilities rf, LedCapabilities led) {}
