package io.penlink;

import java.util.Map;

/**
 * What one step of a run delivered; outcome is "completed", "skipped", "continued", "aborted"
 * or "failed". {@code moduleTotals} is the step's increase of every module telemetry channel,
 * keyed "module.channel" ("rf.energy" in J, "led.dose" in J/cm2), sorted by key and
 * unmodifiable.
 */
public record StepTotals(int index, String name, String zone, double startedS, double endedS,
                         long strokes, double depthSetMinMm, double depthSetMaxMm,
                         double depthActualMinMm, double depthActualMaxMm, double rfEnergyJ,
                         double ledDoseJCm2, String outcome, Map<String, Double> moduleTotals) {}
