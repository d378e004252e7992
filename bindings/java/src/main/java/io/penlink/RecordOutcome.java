package io.penlink;

/**
 * How a run in the treatment log ended, or that it has not. The order matches the C++ enum
 * penlink::RunOutcome of records.hpp; {@link #text()} is what the log stores (checked against
 * the native library by the tests).
 */
public enum RecordOutcome {
    /** Begun and not finished. */
    RUNNING,
    /** Every step ran. */
    COMPLETED,
    /** Stopped by the operator or the app. */
    ABORTED,
    /** Stopped by a fault, an emergency stop, a lost link or a refused cartridge. */
    FAILED,
    /** The process recording it ended without finishing it. */
    INTERRUPTED;

    /** What the log stores: "running", "completed", ... */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The constant for the stored text. */
    static RecordOutcome fromText(String text) {
        for (RecordOutcome outcome : values()) {
            if (outcome.text().equals(text)) {
                return outcome;
            }
        }
        throw new RejectedException(ErrorCode.PROTOCOL,
                "the treatment log holds an unknown run outcome '" + text + "'");
    }
}
