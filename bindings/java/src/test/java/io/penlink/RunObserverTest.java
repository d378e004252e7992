package io.penlink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run observer from Java against a real penlink-sim process over TCP: runStarted once with
 * the step count, stepStarted / stepFinished for every step in order with real totals, a skip
 * event, runFinished with the outcome, all on the runner's thread; a throwing observer is
 * reported through the log while the run still completes.
 */
class RunObserverTest {
    static final String THREE_STEPS = """
            {"schema": "penlink.recipe/1", "name": "three zones", "steps": [
             {"name": "Cheek", "zone": "cheek", "depth_mm": 1.0, "speed_hz": 120, "duration_s": 0.6},
             {"name": "Forehead", "zone": "forehead", "depth_mm": 0.5, "speed_hz": 100,
              "duration_s": 0.6},
             {"name": "Chin", "zone": "chin", "depth_mm": 0.8, "speed_hz": 100, "duration_s": 0.6}]}""";

    /** Keeps every call, in order, with the thread it came on. */
    static class Recording implements RunObserver {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<RunInfo> infos = Collections.synchronizedList(new ArrayList<>());
        final List<RecipeStep> started = Collections.synchronizedList(new ArrayList<>());
        final List<StepTotals> finished = Collections.synchronizedList(new ArrayList<>());
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<RunResult> results = Collections.synchronizedList(new ArrayList<>());
        final Set<Long> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void runStarted(RunInfo info) {
            threads.add(Thread.currentThread().getId());
            calls.add("runStarted");
            infos.add(info);
        }

        @Override
        public void stepStarted(int index, RecipeStep step, double tS) {
            threads.add(Thread.currentThread().getId());
            calls.add("stepStarted " + index);
            started.add(step);
        }

        @Override
        public void stepFinished(StepTotals totals) {
            threads.add(Thread.currentThread().getId());
            calls.add("stepFinished " + totals.index());
            finished.add(totals);
        }

        @Override
        public void event(double tS, String kind, String text) {
            events.add(kind + ": " + text);
        }

        @Override
        public void runFinished(RunResult result) {
            threads.add(Thread.currentThread().getId());
            calls.add("runFinished");
            results.add(result);
        }
    }

    @Test
    void theObserverFollowsEveryStepInOrderWithRealTotals() throws Exception {
        Recording observer = new Recording();
        try (SimProcess sim = SimProcess.start(); Pen pen = Pen.connect(sim.url());
             Runner runner = new Runner(pen, Recipe.parse(THREE_STEPS), TreatmentOptions.defaults(),
                     null, observer)) {
            runner.start();
            RunResult result = runner.waitFor(Duration.ofSeconds(60));
            assertEquals(RunOutcome.COMPLETED, result.outcome(), result.reason());
            assertEquals(List.of("runStarted", "stepStarted 0", "stepFinished 0", "stepStarted 1",
                    "stepFinished 1", "stepStarted 2", "stepFinished 2", "runFinished"),
                    observer.calls);
            assertEquals(3, observer.infos.get(0).stepCount());
            assertEquals("three zones", observer.infos.get(0).recipeName());
            assertEquals(DeviceClass.PROFESSIONAL, observer.infos.get(0).deviceClass());
            assertEquals(List.of("cheek", "forehead", "chin"),
                    observer.started.stream().map(RecipeStep::zone).toList());
            double[] depths = {1.0, 0.5, 0.8};
            for (StepTotals totals : observer.finished) {
                assertEquals("completed", totals.outcome());
                assertTrue(totals.strokes() > 0, totals.toString());
                assertEquals(depths[totals.index()], totals.depthActualMaxMm(), 0.05);
            }
            assertEquals(result, observer.results.get(0));
            assertEquals(1, observer.threads.size());
            assertFalse(observer.threads.contains(Thread.currentThread().getId()));
        }
    }

    @Test
    void aSkipFromStepStartedEndsThatStepWithASkipEvent() throws Exception {
        Runner[] holder = new Runner[1];
        Recording observer = new Recording() {
            @Override
            public void stepStarted(int index, RecipeStep step, double tS) {
                super.stepStarted(index, step, tS);
                if (index == 1) {
                    holder[0].skip();
                }
            }
        };
        try (SimProcess sim = SimProcess.start(); Pen pen = Pen.connect(sim.url());
             Runner runner = new Runner(pen, Recipe.parse(THREE_STEPS), TreatmentOptions.defaults(),
                     null, observer)) {
            holder[0] = runner;
            runner.start();
            RunResult result = runner.waitFor(Duration.ofSeconds(60));
            assertEquals(RunOutcome.COMPLETED, result.outcome(), result.reason());
            assertEquals(List.of("completed", "skipped", "completed"),
                    observer.finished.stream().map(StepTotals::outcome).toList());
            assertEquals(1, observer.events.stream().filter(e -> e.startsWith("skip: Forehead"))
                    .count(), observer.events.toString());
        }
    }

    @Test
    void anAbortFromStepFinishedEndsTheRunWithAnAbortEvent() throws Exception {
        Runner[] holder = new Runner[1];
        Recording observer = new Recording() {
            @Override
            public void stepFinished(StepTotals totals) {
                super.stepFinished(totals);
                if (totals.index() == 0) {
                    holder[0].abort("operator pressed stop");
                }
            }
        };
        try (SimProcess sim = SimProcess.start(); Pen pen = Pen.connect(sim.url());
             Runner runner = new Runner(pen, Recipe.parse(THREE_STEPS), TreatmentOptions.defaults(),
                     null, observer)) {
            holder[0] = runner;
            runner.start();
            RunResult result = runner.waitFor(Duration.ofSeconds(60));
            assertEquals(RunOutcome.ABORTED, result.outcome());
            assertTrue(observer.events.stream().anyMatch(e -> e.startsWith("abort:")),
                    observer.events.toString());
            assertEquals(RunOutcome.ABORTED, observer.results.get(0).outcome());
            assertEquals("runFinished", observer.calls.get(observer.calls.size() - 1));
        }
    }

    @Test
    void aThrowingObserverIsReportedAndTheRunStillCompletes() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        Penlink.setLogListener((level, message) -> {
            if (message.contains("run observer stepFinished") && message.contains("observer bug")) {
                reported.countDown();
            }
        }, LogLevel.WARNING);
        Recording observer = new Recording() {
            @Override
            public void stepFinished(StepTotals totals) {
                super.stepFinished(totals);
                throw new IllegalStateException("observer bug (expected by the test)");
            }
        };
        try (SimProcess sim = SimProcess.start(); Pen pen = Pen.connect(sim.url());
             Runner runner = new Runner(pen, Recipe.parse(THREE_STEPS), TreatmentOptions.defaults(),
                     null, observer)) {
            runner.start();
            RunResult result = runner.waitFor(Duration.ofSeconds(60));
            assertEquals(RunOutcome.COMPLETED, result.outcome(), result.reason());
            assertEquals(3, observer.finished.size());
            assertEquals(1, observer.results.size());
            // The first throw is reported with its trace; later ones are counted (Bridges).
            assertTrue(reported.await(5, TimeUnit.SECONDS), "the failure reached penlink's log");
        } finally {
            Penlink.setLogListener(null, LogLevel.WARNING);
        }
    }
}
