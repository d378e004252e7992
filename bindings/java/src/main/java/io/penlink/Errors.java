package io.penlink;

/** Builds the Java exception for a native penlink error. Called from the JNI layer. */
final class Errors {
    private Errors() {}

    static PenException fromNative(int codeValue, String message, double value, double limit,
            String unit) {
        ErrorCode code = ErrorCode.fromValue(codeValue);
        switch (code) {
            case INVALID_ARGUMENT:
                return new InvalidArgumentException(message);
            case OUT_OF_RANGE:
                return new OutOfRangeException(message, value, limit, unit);
            case TIMEOUT:
                return new TimeoutException(message);
            case CONNECTION_FAILED:
            case CONNECTION_LOST:
            case NOT_CONNECTED:
                return new ConnectionException(code, message);
            case EMERGENCY_STOPPED:
            case FAULT_ACTIVE:
                return new SafetyException(code, message);
            case NOT_SUPPORTED:
                return new NotSupportedException(message);
            case AUTHENTICATION_REQUIRED:
            case KEY_REJECTED:
            case PEN_NOT_AUTHENTIC:
                return new AuthenticationException(code, message);
            default:
                return new RejectedException(code, message);
        }
    }

    /** A treatment log error: the code and the problem (TreatmentLogProblem's C++ number). */
    static PenException fromTreatmentLog(int codeValue, String message, int problemValue) {
        return new TreatmentLogException(ErrorCode.fromValue(codeValue),
                TreatmentLogProblem.fromValue(problemValue), message);
    }
}
