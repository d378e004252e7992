package io.penlink;

/** LED light settings for {@link Pen#setLedMode(LedMode)}. Build one with the factories. */
public record LedMode(boolean enabled, int wavelengthNm, double irradianceMwCm2, boolean pulsed,
        double pulseRateHz, double dutyPercent) {

    /** LED switched off. */
    public static LedMode off() {
        return new LedMode(false, 633, 0.0, false, 0.0, 50.0);
    }

    /** Continuous light on a fitted channel. */
    public static LedMode continuous(int wavelengthNm, double irradianceMwCm2) {
        return new LedMode(true, wavelengthNm, irradianceMwCm2, false, 0.0, 50.0);
    }

    /** Pulsed light; dutyPercent in (0, 100]. */
    public static LedMode pulsed(int wavelengthNm, double irradianceMwCm2, double pulseRateHz,
            double dutyPercent) {
        return new LedMode(true, wavelengthNm, irradianceMwCm2, true, pulseRateHz, dutyPercent);
    }
}
