package io.penlink;

/** Told of a treatment run's progress, on the runner's own thread, one call at a time. It may
 * call pause, resume, skip and abort on the runner, but not waitFor. */
@FunctionalInterface
public interface ProgressListener {
    /** A progress report. */
    void onProgress(RunProgress progress);
}
