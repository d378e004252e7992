package io.penlink;

/**
 * Base of every exception penlink throws. Unchecked, so commands compose in lambdas; catch
 * {@code PenException} to handle any SDK failure, or a subclass for one kind. The message names
 * the value, the limit and the unit where there is one.
 */
public class PenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public PenException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** The SDK error code behind this exception. */
    public ErrorCode code() {
        return code;
    }
}
