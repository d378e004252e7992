package io.penlink;

/** Opening the link failed, or the link is gone (CONNECTION_FAILED, CONNECTION_LOST or NOT_CONNECTED). */
public class ConnectionException extends PenException {
    private static final long serialVersionUID = 1L;

    public ConnectionException(ErrorCode code, String message) {
        super(code, message);
    }
}
