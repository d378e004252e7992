package io.penlink;

/** What a treatment {@link Runner} is doing. The order matches the C++ enum. */
public enum RunState {
    /** start() not called yet. */
    NOT_STARTED,
    /** A treat step with the needle running. */
    RUNNING,
    /** pause(): needle and outputs off until resume(). */
    PAUSED,
    /** A pause step: waits for the pen's button or resume(). */
    WAITING_FOR_OPERATOR,
    /** The run ended; waitFor returns the result at once. */
    FINISHED
}
