package io.penlink;

/**
 * Told how a treatment run goes, step by step: pass one to
 * {@link Runner#Runner(Pen, Recipe, TreatmentOptions, ProgressListener, RunObserver)} and
 * override the methods you need (each does nothing by default).
 *
 * <p>Every method runs on the runner's own thread, one call at a time, in the order the run
 * happens: {@code runStarted}, then per step {@code stepStarted}, any {@code event}s and
 * {@code stepFinished}, then {@code runFinished} once everything is off. A method may call
 * pause, resume, skip and abort on the runner, but not waitFor. What a method throws is
 * reported through the log (see {@link Penlink#setLogListener(LogListener, LogLevel)}) and the run goes on. The runner
 * keeps the observer reachable while it lives.
 */
public interface RunObserver {
    /** Before the first step. */
    default void runStarted(RunInfo info) {}

    /** As step {@code index} begins (before its depth is set), {@code tS} seconds into the run. */
    default void stepStarted(int index, RecipeStep step, double tS) {}

    /** As a step ends, with what it delivered. */
    default void stepFinished(StepTotals totals) {}

    /**
     * Something worth recording: kind is "pause", "resume", "skip", "abort", "fault", "estop",
     * "link", "cartridge", "operator", "pass", "outputs-off" or "warning".
     */
    default void event(double tS, String kind, String text) {}

    /** After everything is off, with the result. */
    default void runFinished(RunResult result) {}
}
