package io.penlink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Module totals in a run's progress and step totals: RF as a standard-profile module on sim://
 * (laxity-rf.json), so "rf.energy" comes from the module's telemetry, as in C++.
 */
class ModuleTotalsTest {
    static final Path EXAMPLES = Path.of(System.getProperty("penlink.examples.dir",
            "examples/java"));
    static final Path LAXITY = EXAMPLES.resolve("../recipes/laxity-rf.json").normalize();
    static final Path RF_MODULE = EXAMPLES.resolve("../../modules/rf.json").normalize();

    @Test
    void progressAndStepTotalsCarryModuleTotals() {
        List<RunProgress> progress = new ArrayList<>();
        try (Pen pen = Pen.connect("sim://?rf=0&module=" + RF_MODULE);
             Runner runner = new Runner(pen, Recipe.load(LAXITY), DeviceClass.PROFESSIONAL,
                     p -> { synchronized (progress) { progress.add(p); } })) {
            runner.start();
            RunResult result = runner.waitFor(Duration.ofSeconds(60));
            assertEquals(RunOutcome.COMPLETED, result.outcome(), result.reason());
            for (StepTotals step : result.steps()) {
                assertTrue(step.rfEnergyJ() > 0, step.toString());
                assertEquals(step.rfEnergyJ(), step.moduleTotals().get("rf.energy"), 1e-9);
                assertThrows(UnsupportedOperationException.class,
                        () -> step.moduleTotals().put("rf.energy", 0.0));
            }
            synchronized (progress) {
                List<RunProgress> withEnergy = progress.stream()
                        .filter(p -> p.moduleTotals().getOrDefault("rf.energy", 0.0) > 0)
                        .toList();
                assertFalse(withEnergy.isEmpty(), "no progress report carried rf.energy");
                RunProgress last = withEnergy.get(withEnergy.size() - 1);
                assertEquals(last.rfEnergyJ(), last.moduleTotals().get("rf.energy"), 1e-9);
                double previous = 0.0;
                for (RunProgress p : progress) {
                    double energy = p.moduleTotals().getOrDefault("rf.energy", 0.0);
                    assertTrue(energy >= previous, "run-wide totals only grow");
                    previous = energy;
                }
            }
        }
    }
}
