package io.penlink;

/** The pen or its add-ons lack the capability (e.g. RF on a pen without the RF add-on). */
public class NotSupportedException extends PenException {
    private static final long serialVersionUID = 1L;

    public NotSupportedException(String message) {
        super(ErrorCode.NOT_SUPPORTED, message);
    }
}
