package io.penlink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The treatment log and cartridge ledger in a SQLite file (docs/records.md), for reading. A
 * {@link Runner} writes it: {@link TreatmentOptions#withRecordDb(Path)}.
 *
 * <pre>{@code
 * try (TreatmentLog log = TreatmentLog.open(Path.of("clinic.db"))) {
 *     for (LoggedRun run : log.recentRuns(10)) {
 *         System.out.println(run.id() + " " + run.recipeName() + " " + run.outcome());
 *     }
 * }
 * }</pre>
 *
 * Failures are {@link TreatmentLogException}s whose {@link TreatmentLogException#problem()} says
 * why and whose message names the file, the run or the cartridge. A log may be used from several
 * threads (the calls are serialised, and {@link #close()} waits for a call under way).
 */
public final class TreatmentLog implements AutoCloseable {
    private final Path path;
    private NativeTreatmentLog log;

    private TreatmentLog(Path path, NativeTreatmentLog log) {
        this.path = path;
        this.log = log;
    }

    /**
     * Opens an existing log. A file that does not exist is a {@link TreatmentLogException}
     * STORAGE; another SQLite file or a corrupt one NOT_A_TREATMENT_LOG; one written by a newer
     * penlink SCHEMA_TOO_NEW. Runs left running by a process that died are marked interrupted
     * ({@link #interruptedAtOpen()}).
     *
     * @param path the log file
     * @return the open log
     */
    public static TreatmentLog open(Path path) {
        return open(path, false, Duration.ofSeconds(5));
    }

    /**
     * The same, creating the file if {@code create} and it does not exist.
     *
     * @param path the log file
     * @param create create a new, empty log if the file does not exist
     * @return the open log
     */
    public static TreatmentLog open(Path path, boolean create) {
        return open(path, create, Duration.ofSeconds(5));
    }

    /**
     * The same, waiting up to {@code busyTimeout} for another process that holds the database
     * (then a {@link TreatmentLogException} LOCKED).
     *
     * @param path the log file
     * @param create create a new, empty log if the file does not exist
     * @param busyTimeout from 0 to {@link Integer#MAX_VALUE} ms
     * @return the open log
     */
    public static TreatmentLog open(Path path, boolean create, Duration busyTimeout) {
        Convert.require(path, "the treatment log path");
        Convert.require(busyTimeout, "the busy timeout");
        // Compared as Durations: toMillis() itself overflows for the longest ones.
        if (busyTimeout.isNegative()
                || busyTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            double ms = busyTimeout.getSeconds() * 1000.0 + busyTimeout.getNano() / 1e6;
            throw new OutOfRangeException("busy timeout " + ms + " ms is outside 0.."
                    + Integer.MAX_VALUE + " ms", ms, busyTimeout.isNegative() ? 0 : Integer.MAX_VALUE,
                    "ms");
        }
        return new TreatmentLog(path,
                NativeTreatmentLog.open(path.toString(), create, (int) busyTimeout.toMillis()));
    }

    /** The version of the log's schema this penlink writes. */
    public static int schemaVersion() {
        return NativeTreatmentLog.schema_version();
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The newest 20 runs, newest first. */
    public List<LoggedRun> recentRuns() {
        return recentRuns(20);
    }

    /**
     * The newest runs first.
     *
     * @param limit at most this many (at least 1, else {@link OutOfRangeException})
     * @return the runs, unmodifiable
     */
    public synchronized List<LoggedRun> recentRuns(int limit) {
        LoggedRunVector runs = log().recent_runs(limit);
        try {
            List<LoggedRun> out = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                out.add(run(runs.get(i)));
            }
            return List.copyOf(out);
        } finally {
            runs.delete();
        }
    }

    /**
     * One run with its steps (each with its module totals) and events;
     * {@link TreatmentLogException} UNKNOWN_RUN if there is no such run.
     *
     * @param runId the run's id ({@link LoggedRun#id()}, {@link Runner#runId()})
     * @return the run in full
     */
    public synchronized RunReport report(long runId) {
        NativeLoggedRunReport report = log().report(runId);
        try {
            List<StepTotals> steps = new ArrayList<>();
            StepTotalsVector nativeSteps = report.getSteps();
            for (int i = 0; i < nativeSteps.size(); i++) {
                steps.add(Runner.stepTotals(nativeSteps.get(i)));
            }
            List<LoggedEvent> events = new ArrayList<>();
            LoggedEventVector nativeEvents = report.getEvents();
            for (int i = 0; i < nativeEvents.size(); i++) {
                NativeLoggedEvent e = nativeEvents.get(i);
                events.add(new LoggedEvent(e.getT_s(), e.getKind(), e.getText()));
            }
            return new RunReport(run(report.getRun()), List.copyOf(steps), List.copyOf(events));
        } finally {
            report.delete();
        }
    }

    /** The newest 50 uses of any cartridge, newest first. */
    public List<CartridgeUse> cartridgeLedger() {
        return cartridgeLedger(50);
    }

    /**
     * Every use of every cartridge, the newest first.
     *
     * @param limit at most this many (at least 1, else {@link OutOfRangeException})
     * @return the uses, unmodifiable
     */
    public synchronized List<CartridgeUse> cartridgeLedger(int limit) {
        return uses(log().cartridge_ledger(limit));
    }

    /**
     * The uses of one cartridge, the newest first; empty if it was never used.
     *
     * @param cartridgeId the cartridge's id as the pen reports it
     * @return the uses, unmodifiable
     */
    public synchronized List<CartridgeUse> cartridgeUses(String cartridgeId) {
        Convert.require(cartridgeId, "the cartridge id");
        return uses(log().cartridge_uses(cartridgeId));
    }

    /** The runs {@link #open(Path)} found left running by a process that died, now marked
     * interrupted. */
    public synchronized List<Long> interruptedAtOpen() {
        NativeTreatmentLog native_ = log();
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < native_.interrupted_at_open_count(); i++) {
            runs.add(native_.interrupted_at_open(i));
        }
        return List.copyOf(runs);
    }

    /** Closes the file; idempotent. Later calls throw {@link InvalidArgumentException}. */
    @Override
    public synchronized void close() {
        NativeTreatmentLog native_ = log;
        if (native_ == null) {
            return;
        }
        log = null;
        native_.close();
        native_.delete();
    }

    @Override
    public String toString() {
        return "TreatmentLog(" + path + ")";
    }

    private synchronized NativeTreatmentLog log() {
        if (log == null) {
            throw new InvalidArgumentException("the treatment log " + path + " is closed");
        }
        return log;
    }

    private static LoggedRun run(NativeLoggedRun r) {
        return new LoggedRun(r.getId(), r.getStarted_utc(), r.getEnded_utc(), r.getPen_serial(),
                r.getPen_model(), r.getPen_firmware(), r.getCartridge_id(), r.getRecipe_name(),
                r.getRecipe_hash(), r.getDevice_class(), r.getClient_reference(),
                RecordOutcome.fromText(r.getOutcome()),
                r.getFailing_step() < 0 ? OptionalInt.empty()
                                        : OptionalInt.of(r.getFailing_step()),
                r.getReason(), r.getCartridge_override_reason(), r.getSteps(),
                r.getRecording_path(), r.getRecording_absolute_path(),
                r.getRecording_started_unix_ms());
    }

    private static List<CartridgeUse> uses(LoggedCartridgeUseVector uses) {
        try {
            List<CartridgeUse> out = new ArrayList<>();
            for (int i = 0; i < uses.size(); i++) {
                NativeLoggedCartridgeUse u = uses.get(i);
                out.add(new CartridgeUse(u.getCartridge_id(), u.getRun_id(), u.getStarted_utc(),
                        u.getPen_serial(), RecordOutcome.fromText(u.getOutcome()),
                        u.getOverride_reason()));
            }
            return List.copyOf(out);
        } finally {
            uses.delete();
        }
    }
}
