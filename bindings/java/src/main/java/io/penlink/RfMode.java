package io.penlink;

/** RF energy settings for {@link Pen#setRfMode(RfMode)}. Build one with the factories. */
public record RfMode(boolean enabled, RfPolarity polarity, int frequencyKhz, double powerW,
        int pulseMs) {

    /** RF switched off. */
    public static RfMode off() {
        return new RfMode(false, RfPolarity.BIPOLAR, 1000, 0.0, 100);
    }

    /** RF on with the given settings. */
    public static RfMode on(RfPolarity polarity, int frequencyKhz, double powerW, int pulseMs) {
        return new RfMode(true, polarity, frequencyKhz, powerW, pulseMs);
    }
}
