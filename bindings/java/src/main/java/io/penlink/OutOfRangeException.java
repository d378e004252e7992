package io.penlink;

/**
 * A value outside the pen's (or the host's) limit, e.g. "depth 3.20 mm exceeds the pen's maximum
 * of 3.00 mm". {@link #value()} and {@link #limit()} are in {@link #unit()}.
 */
public class OutOfRangeException extends PenException {
    private static final long serialVersionUID = 1L;
    private final double value;
    private final double limit;
    private final String unit;

    public OutOfRangeException(String message, double value, double limit, String unit) {
        super(ErrorCode.OUT_OF_RANGE, message);
        this.value = value;
        this.limit = limit;
        this.unit = unit;
    }

    /** The refused value, in {@link #unit()}. */
    public double value() {
        return value;
    }

    /** The bound it broke (the step for a value off the grid), in {@link #unit()}. */
    public double limit() {
        return limit;
    }

    /** Unit of value and limit, e.g. "mm", "Hz", "W". */
    public String unit() {
        return unit;
    }
}
