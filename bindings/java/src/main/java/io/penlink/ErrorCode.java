package io.penlink;

/** Why a penlink call failed. The numbers match the C++ and C APIs and never change. */
public enum ErrorCode {
    OK(0),
    INVALID_ARGUMENT(-1),
    OUT_OF_RANGE(-2),
    TIMEOUT(-3),
    CONNECTION_FAILED(-4),
    CONNECTION_LOST(-5),
    NOT_CONNECTED(-6),
    EMERGENCY_STOPPED(-7),
    FAULT_ACTIVE(-8),
    NOT_SUPPORTED(-9),
    REJECTED(-10),
    PROTOCOL(-11),
    INTERNAL(-12),
    CALLBACK_FAILED(-13),
    /** The pen requires authentication and no key was given for its serial. */
    AUTHENTICATION_REQUIRED(-14),
    /** The key given for the pen is not the pen's key. */
    KEY_REJECTED(-15),
    /** The pen failed to prove it holds its key. */
    PEN_NOT_AUTHENTIC(-16);

    private final int value;

    ErrorCode(int value) {
        this.value = value;
    }

    /** The numeric code shared with the C++ and C APIs. */
    public int value() {
        return value;
    }

    /** The code for a numeric value; unknown numbers (a newer native library) map to INTERNAL. */
    public static ErrorCode fromValue(int value) {
        for (ErrorCode code : values()) {
            if (code.value == value) {
                return code;
            }
        }
        return INTERNAL;
    }
}
