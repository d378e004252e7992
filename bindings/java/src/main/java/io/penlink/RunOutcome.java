package io.penlink;

/** How a treatment run ended. The order matches the C++ enum. */
public enum RunOutcome {
    /** Every step ran to its end (some perhaps skipped). */
    COMPLETED,
    /** The app called abort(). */
    ABORTED,
    /** A fault, e-stop, lost link, restart or refused command stopped it. */
    FAILED
}
