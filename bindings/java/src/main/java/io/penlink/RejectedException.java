package io.penlink;

/** Any other refusal by the pen (busy, wrong state) or a protocol breach. */
public class RejectedException extends PenException {
    private static final long serialVersionUID = 1L;

    public RejectedException(ErrorCode code, String message) {
        super(code, message);
    }
}
