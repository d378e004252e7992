package io.penlink;

import java.util.Map;

/**
 * Progress of a treatment run: the step, its zone, times, strokes and energy so far.
 * {@code moduleTotals} is the run-wide increase of every module telemetry channel, keyed
 * "module.channel" ("rf.energy" in J, "led.dose" in J/cm2), sorted by key and unmodifiable.
 */
public record RunProgress(RunState state, int step, int stepCount, String stepName, String zone,
                          int currentPass, int passes, double stepElapsedS, double stepDurationS,
                          double runElapsedS, double timeLeftS, long stepStrokes,
                          long totalStrokes, double rfEnergyJ, double ledDoseJCm2,
                          Map<String, Double> moduleTotals) {}
