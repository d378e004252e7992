package io.penlink;

/**
 * Why the treatment log refused or failed ({@link TreatmentLogException#problem()}). The order
 * matches the C++ enum penlink::TreatmentLogProblem.
 */
public enum TreatmentLogProblem {
    /** The file is not a penlink treatment log, or is corrupt (code INVALID_ARGUMENT). */
    NOT_A_TREATMENT_LOG,
    /** Another process held the database longer than the busy timeout (code TIMEOUT). */
    LOCKED,
    /** Written by a newer penlink: its schema version is higher (code NOT_SUPPORTED). */
    SCHEMA_TOO_NEW,
    /** The cartridge is single-use and a run already used it (code REJECTED). */
    CARTRIDGE_USED,
    /** No run has that id, or it has already finished (code INVALID_ARGUMENT). */
    UNKNOWN_RUN,
    /** The file could not be read or written: missing, permissions, full disk (code
     * CONNECTION_FAILED). */
    STORAGE;

    private static final TreatmentLogProblem[] VALUES = values();

    /** The constant for the C++ number; STORAGE for a number this version does not know. */
    static TreatmentLogProblem fromValue(int value) {
        return value >= 0 && value < VALUES.length ? VALUES[value] : STORAGE;
    }
}
