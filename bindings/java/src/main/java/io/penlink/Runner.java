package io.penlink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one treatment recipe on one pen, once (docs/treatments.md, "The runner"). The runner
 * has a thread of its own; progress reaches the listener there, and each step's start, totals,
 * events and the result reach a {@link RunObserver}. {@link #close()} aborts a run
 * still going and waits until everything is off. Keeps its pen reachable while it lives.
 */
public final class Runner implements AutoCloseable {
    private final Pen pen;  // the native runner holds the pen open; this keeps the proxy too
    private final ProgressBridge bridge;  // referenced for as long as C++ may call it
    private final ObserverBridge observerBridge;  // the same
    private NativeRunner runner;

    /** Prepares a run of recipe on pen as deviceClass; nothing is sent until start(). */
    public Runner(Pen pen, Recipe recipe, DeviceClass deviceClass, ProgressListener listener) {
        this(pen, recipe, Recipe.options(deviceClass), listener);
    }

    /**
     * Prepares a run of recipe on pen under options (device class, zone chart, at-home depth
     * cap); nothing is sent until start(). Throws {@link InvalidArgumentException} naming the
     * file and the field for a zone chart that cannot be read or is malformed.
     *
     * @param pen the pen to run on; kept reachable while the runner lives
     * @param recipe the recipe
     * @param options what the recipe is checked against and run under
     * @param listener told of the progress on the runner's thread; may be null
     */
    public Runner(Pen pen, Recipe recipe, TreatmentOptions options, ProgressListener listener) {
        this(pen, recipe, options, listener, null);
    }

    /**
     * Prepares a run as {@link #Runner(Pen, Recipe, TreatmentOptions, ProgressListener)} does,
     * with an observer told of the run's start, each step's start and totals, every event and
     * the result on the runner's thread.
     *
     * @param pen the pen to run on; kept reachable while the runner lives
     * @param recipe the recipe
     * @param options what the recipe is checked against and run under
     * @param listener told of the progress on the runner's thread; may be null
     * @param observer told how the run goes, step by step; may be null
     */
    public Runner(Pen pen, Recipe recipe, TreatmentOptions options, ProgressListener listener,
                  RunObserver observer) {
        if (pen == null || recipe == null) {
            throw new InvalidArgumentException("the pen or the recipe is null");
        }
        NativeTreatmentOptions native_ = Recipe.nativeOptions(options);
        try {
            options.requireLogForRecordFields();
            this.pen = pen;
            this.bridge = listener == null ? null : new ProgressBridge(listener);
            this.observerBridge = observer == null ? null : new ObserverBridge(observer);
            this.runner = new NativeRunner(pen.resources().pen, recipe.recipe, native_, bridge,
                    observerBridge);
        } finally {
            native_.delete();
        }
    }

    /** Validates against the pen and starts; {@link InvalidArgumentException} lists every
     * violation, {@link SafetyException} if the pen is in a fault or e-stop. */
    public void start() {
        runner().start();
    }

    /** The report of start()'s validation (empty before start()). */
    public ValidationReport validation() {
        return Recipe.report(runner().validation());
    }

    /**
     * Stops the needle and outputs, keeping the step's place. Between two steps it holds the next
     * treat step paused before its needle starts (docs/treatments.md, "Pause and resume").
     */
    public void pause() {
        runner().pause();
    }

    /**
     * Resumes after pause(), or continues a pause step; cancels a pause not applied yet; between
     * two steps it is kept for a pause step that follows; otherwise ignored (docs/treatments.md,
     * "Pause and resume").
     */
    public void resume() {
        runner().resume();
    }

    /** Ends one step and goes on with the next: the step under way, or, between two steps,
     * the next one (docs/treatments.md, "Which step a skip ends"). Each call ends one step. */
    public void skip() {
        runner().skip();
    }

    /** Ends the run with everything off; outcome ABORTED with reason. */
    public void abort(String reason) {
        runner().abort(reason);
    }

    /**
     * The run's id in the treatment log ({@link TreatmentOptions#withRecordDb(Path)}) once the
     * run has claimed its cartridge there ({@link TreatmentLog#report(long)} reads it); empty
     * before, without a log, or when the log refused the cartridge (the run then fails with the
     * reason naming the cartridge and the run that used it).
     */
    public OptionalLong runId() {
        long id = runner().run_id();
        return id == 0 ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** What the runner is doing now. */
    public RunState state() {
        return RunState.values()[runner().state()];
    }

    /** Waits for the run's end, up to timeout ({@link TimeoutException} after it). */
    public RunResult waitFor(Duration timeout) {
        long ms = Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        return result(runner().wait_ms((int) ms));
    }

    /** Aborts a run still going, waits for everything to be off, frees the native runner.
     * Idempotent. */
    @Override
    public synchronized void close() {
        NativeRunner native_ = runner;
        if (native_ == null) {
            return;
        }
        runner = null;
        int state = native_.state();
        if (state != RunState.NOT_STARTED.ordinal() && state != RunState.FINISHED.ordinal()) {
            native_.abort("the runner was closed");
            // From its own progress callback the run cannot end while we wait: delete() then
            // hands the switching off to another thread.
            if (!native_.on_own_thread()) {
                native_.wait_until_done();
            }
        }
        native_.delete();
    }

    /** The pen this runner drives. */
    public Pen pen() {
        return pen;
    }

    private synchronized NativeRunner runner() {
        if (runner == null) {
            throw new RejectedException(ErrorCode.REJECTED, "the runner is closed");
        }
        return runner;
    }

    static RunResult result(NativeRunResult r) {
        List<StepTotals> steps = new ArrayList<>();
        StepTotalsVector all = r.getSteps();
        for (int i = 0; i < all.size(); i++) {
            steps.add(stepTotals(all.get(i)));
        }
        return new RunResult(RunOutcome.values()[r.getOutcome()],
                r.getStep() < 0 ? OptionalInt.empty() : OptionalInt.of(r.getStep()),
                r.getReason(), List.copyOf(steps), r.getDuration_s());
    }

    /** One step's totals, as the runner reports them and the treatment log keeps them. */
    static StepTotals stepTotals(NativeStepTotals t) {
        return new StepTotals(t.getIndex(), t.getName(), t.getZone(), t.getStarted_s(),
                t.getEnded_s(), t.getStrokes().longValue(), t.getDepth_set_min_mm(),
                t.getDepth_set_max_mm(), t.getDepth_actual_min_mm(), t.getDepth_actual_max_mm(),
                t.getRf_energy_j(), t.getLed_dose_j_cm2(), t.getOutcome(),
                moduleTotals(t.getModule_totals()));
    }

    /** The native list (sorted by key) as an unmodifiable map in the same order. */
    static Map<String, Double> moduleTotals(ModuleTotalVector totals) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < totals.size(); i++) {
            NativeModuleTotal total = totals.get(i);
            map.put(total.getKey(), total.getValue());
        }
        return Collections.unmodifiableMap(map);
    }

    static final class ProgressBridge extends NativeProgressListener {
        private final ProgressListener listener;
        private final AtomicLong failures = new AtomicLong();

        ProgressBridge(ProgressListener listener) {
            this.listener = listener;
        }

        @Override
        public void on_progress(NativeRunProgress p) {
            try {
                listener.onProgress(new RunProgress(RunState.values()[p.getState()], p.getStep(),
                        p.getStep_count(), p.getStep_name(), p.getZone(), p.getCurrent_pass(),
                        p.getPasses(), p.getStep_elapsed_s(), p.getStep_duration_s(),
                        p.getRun_elapsed_s(), p.getTime_left_s(),
                        p.getStep_strokes().longValue(), p.getTotal_strokes().longValue(),
                        p.getRf_energy_j(), p.getLed_dose_j_cm2(),
                        moduleTotals(p.getModule_totals())));
            } catch (Throwable error) {
                Bridges.report("progress", failures, error);
            }
        }
    }

    /** Hands the native RunListener's calls to the app's RunObserver as Java values. */
    static final class ObserverBridge extends NativeRunListener {
        private final RunObserver observer;
        private final AtomicLong failures = new AtomicLong();

        ObserverBridge(RunObserver observer) {
            this.observer = observer;
        }

        private void tell(String what, Runnable call) {
            try {
                call.run();
            } catch (Throwable error) {
                Bridges.report("run observer " + what, failures, error);
            }
        }

        @Override
        public void run_started(NativeRunInfo i) {
            RunInfo info = new RunInfo(i.getRecipe_name(), i.getRecipe_source(), i.getStep_count(),
                    i.getPlanned_duration_s(), "at-home".equals(i.getDevice_class())
                            ? DeviceClass.AT_HOME : DeviceClass.PROFESSIONAL,
                    i.getZone_chart(), i.getPen_model(), i.getPen_serial(), i.getPen_firmware(),
                    i.getCartridge_id());
            tell("runStarted", () -> observer.runStarted(info));
        }

        @Override
        public void step_started(int index, NativeRecipeStep step, double tS) {
            RecipeStep converted = Recipe.step(step);
            tell("stepStarted", () -> observer.stepStarted(index, converted, tS));
        }

        @Override
        public void step_finished(NativeStepTotals t) {
            StepTotals totals = stepTotals(t);
            tell("stepFinished", () -> observer.stepFinished(totals));
        }

        @Override
        public void event(double tS, String kind, String text) {
            tell("event", () -> observer.event(tS, kind, text));
        }

        @Override
        public void run_finished(NativeRunResult r) {
            RunResult converted = result(r);
            tell("runFinished", () -> observer.runFinished(converted));
        }
    }
}
