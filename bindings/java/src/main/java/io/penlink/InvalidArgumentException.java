package io.penlink;

/** Malformed URL, option or argument. */
public class InvalidArgumentException extends PenException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String message) {
        super(ErrorCode.INVALID_ARGUMENT, message);
    }
}
