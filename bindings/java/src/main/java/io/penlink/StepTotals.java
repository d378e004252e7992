package io.penlink;

/** What one step of a run delivered; outcome is "completed", "skipped", "continued",
 * "aborted" or "failed". */
public record StepTotals(int index, String name, String zone, double startedS, double endedS,
                         long strokes, double depthSetMinMm, double depthSetMaxMm,
                         double depthActualMinMm, double depthActualMaxMm, double rfEnergyJ,
                         double ledDoseJCm2, String outcome) {}
