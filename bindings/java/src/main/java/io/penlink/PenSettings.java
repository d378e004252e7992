package io.penlink;

/**
 * The pen's current set points, as {@link Pen#readSettings()} reads them back: an immutable
 * value. After a command threw {@link TimeoutException} or {@link ConnectionException} its
 * outcome is unknown (it was applied at most once, never after a newer command of its kind);
 * this says what holds. {@code rf} and {@code led} are the modes in force, so
 * {@code pen.setRfMode(settings.rf())} sends one back as it is.
 *
 * @param depthLimitMm the session depth limit the pen enforces
 * @param running needle commanded to run
 * @param rf the RF settings in force ({@code enabled} false when off)
 * @param led the LED settings in force ({@code enabled} false when off)
 * @param faultBits see {@link Fault}
 */
public record PenSettings(
        PenState state,
        double depthSetMm,
        double depthLimitMm,
        double speedSetHz,
        boolean running,
        RfMode rf,
        LedMode led,
        int statusRateHz,
        long faultBits) {

    /** True if the given {@link Fault} bit is set. */
    public boolean hasFault(Fault fault) {
        return (faultBits & fault.bit()) != 0;
    }
}
