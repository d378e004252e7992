package io.penlink;

/** Refused for safety: the emergency stop (EMERGENCY_STOPPED) or a fault (FAULT_ACTIVE) is latched. */
public class SafetyException extends PenException {
    private static final long serialVersionUID = 1L;

    public SafetyException(ErrorCode code, String message) {
        super(code, message);
    }
}
