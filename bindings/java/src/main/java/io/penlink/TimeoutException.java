package io.penlink;

/** The pen did not acknowledge in time (after retries). */
public class TimeoutException extends PenException {
    private static final long serialVersionUID = 1L;

    public TimeoutException(String message) {
        super(ErrorCode.TIMEOUT, message);
    }
}
