package io.penlink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Treatment recipes from Java: the acne-scars example runs to completion on sim:// (an
 * in-process simulated pen) with progress, a bad recipe's report names field, value, limit and
 * unit, the at-home class refuses it, and closing a runner mid-run aborts it.
 */
class TreatmentTest {
    /** examples/recipes/acne-scars.json (the pom sets penlink.examples.dir to examples/java). */
    static final Path ACNE = Path.of(System.getProperty("penlink.examples.dir", "examples/java"))
            .resolve("../recipes/acne-scars.json").normalize();

    static final String TOO_DEEP = """
            {"schema": "penlink.recipe/1", "name": "too deep",
             "steps": [{"name": "Eyes", "zone": "periorbital", "depth_mm": 1.0,
                        "speed_hz": 100, "duration_s": 1}]}""";

    @Test
    void theExampleValidates() {
        Recipe recipe = Recipe.load(ACNE);
        assertEquals(4, recipe.steps().size());
        assertEquals(8.0, recipe.totalDurationS(), 1e-9);
        ValidationReport report = recipe.validate(DeviceClass.PROFESSIONAL);
        assertTrue(report.ok(), report.text());
    }

    @Test
    void aReportNamesTheFieldValueLimitAndUnit() {
        ValidationReport report = Recipe.parse(TOO_DEEP).validate(DeviceClass.PROFESSIONAL);
        assertFalse(report.ok());
        Violation depth = report.violations().stream()
                .filter(v -> v.field().equals("steps[0].depth_mm")).findFirst().orElseThrow();
        assertEquals(0, depth.step());
        assertEquals("mm", depth.unit());
        assertEquals(1.0, Double.parseDouble(depth.value()), 1e-9);
        assertEquals(0.3, Double.parseDouble(depth.limit()), 1e-9);
        assertTrue(depth.message().contains("periorbital"), depth.message());
    }

    @Test
    void badRecipesAreRefusedWithTheirPlace() {
        InvalidArgumentException missing = assertThrows(InvalidArgumentException.class,
                () -> Recipe.load(Path.of("/nowhere/recipe.json")));
        assertTrue(missing.getMessage().contains("/nowhere/recipe.json"), missing.getMessage());
        InvalidArgumentException negative = assertThrows(InvalidArgumentException.class,
                () -> Recipe.parse(TOO_DEEP.replace("1.0", "-0.5")));
        assertTrue(negative.getMessage().contains("depth_mm"), negative.getMessage());
    }

    @Test
    void acneScarsRunsToCompletionOnSim() {
        List<RunProgress> progress = new ArrayList<>();
        try (Pen pen = Pen.connect("sim://");
             Runner runner = new Runner(pen, Recipe.load(ACNE), DeviceClass.PROFESSIONAL,
                     p -> { synchronized (progress) { progress.add(p); } })) {
            runner.start();
            RunResult result = runner.waitFor(Duration.ofSeconds(60));
            assertEquals(RunOutcome.COMPLETED, result.outcome(), result.reason());
            assertTrue(result.step().isEmpty());
            assertEquals(List.of("cheek", "forehead", "cheek", "chin"),
                    result.steps().stream().map(StepTotals::zone).collect(Collectors.toList()));
            assertTrue(result.steps().stream()
                    .allMatch(s -> s.outcome().equals("completed") && s.strokes() > 0));
            assertTrue(result.steps().get(1).depthActualMaxMm() <= 0.5 + 0.02);
            assertEquals(RunState.FINISHED, runner.state());
            synchronized (progress) {
                assertFalse(progress.isEmpty());
                assertEquals(Set.of(0, 1, 2, 3),
                        progress.stream().map(RunProgress::step).collect(Collectors.toSet()));
                assertTrue(progress.stream().allMatch(p -> p.stepCount() == 4));
            }
        }
    }

    @Test
    void theAtHomeClassRefusesToRun() {
        try (Pen pen = Pen.connect("sim://");
             Runner runner = new Runner(pen, Recipe.load(ACNE), DeviceClass.AT_HOME, null)) {
            InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                    runner::start);
            assertTrue(error.getMessage().contains("depth_mm"), error.getMessage());
            assertFalse(runner.validation().ok());
            assertEquals(RunState.NOT_STARTED, runner.state());
        }
    }

    @Test
    void closingARunnerMidRunAbortsIt() throws InterruptedException {
        try (Pen pen = Pen.connect("sim://")) {
            CountDownLatch started = new CountDownLatch(1);
            Runner runner = new Runner(pen, Recipe.load(ACNE), DeviceClass.PROFESSIONAL,
                    p -> started.countDown());
            runner.start();
            assertTrue(started.await(10, TimeUnit.SECONDS));
            runner.close();
            assertThrows(RejectedException.class, () -> runner.waitFor(Duration.ofSeconds(1)));
            runner.close();
        }
    }

    @Test
    void aRunIsAbortedFromItsProgressListener() {
        Runner[] holder = new Runner[1];
        try (Pen pen = Pen.connect("sim://");
             Runner runner = new Runner(pen, Recipe.load(ACNE), DeviceClass.PROFESSIONAL, p -> {
                 if (p.step() == 1) {
                     holder[0].abort("operator pressed stop");
                 }
             })) {
            holder[0] = runner;
            runner.start();
            RunResult result = runner.waitFor(Duration.ofSeconds(60));
            assertEquals(RunOutcome.ABORTED, result.outcome());
            assertEquals(1, result.step().orElseThrow());
            assertEquals("operator pressed stop", result.reason());
            assertEquals("aborted", result.steps().get(result.steps().size() - 1).outcome());
        }
    }
}
