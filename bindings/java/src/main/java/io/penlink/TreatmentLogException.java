package io.penlink;

/**
 * The treatment log (a SQLite file, docs/records.md) refused or failed: {@link #problem()} says
 * why, {@link #code()} is the matching SDK error code, and the message names the file, the run
 * or the cartridge. Thrown by {@link TreatmentLog} and by a {@link Runner} given a log
 * ({@link TreatmentOptions#withRecordDb(java.nio.file.Path)}) that cannot be opened.
 */
public class TreatmentLogException extends PenException {
    private static final long serialVersionUID = 1L;
    private final TreatmentLogProblem problem;

    public TreatmentLogException(ErrorCode code, TreatmentLogProblem problem, String message) {
        super(code, message);
        this.problem = problem;
    }

    /** What went wrong. */
    public TreatmentLogProblem problem() {
        return problem;
    }
}
