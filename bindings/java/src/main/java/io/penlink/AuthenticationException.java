package io.penlink;

/**
 * An authenticated session could not be set up: {@link ErrorCode#AUTHENTICATION_REQUIRED} (the
 * pen requires one and no key was given for its serial), {@link ErrorCode#KEY_REJECTED} (the key
 * is not the pen's) or {@link ErrorCode#PEN_NOT_AUTHENTIC} (the pen could not prove it holds its
 * key). The message never contains a key.
 */
public class AuthenticationException extends PenException {
    private static final long serialVersionUID = 1L;

    /** An exception with one of the three authentication codes. */
    public AuthenticationException(ErrorCode code, String message) {
        super(code, message);
    }
}
