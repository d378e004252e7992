package io.penlink;

/** Progress of a treatment run: the step, its zone, times, strokes and energy so far. */
public record RunProgress(RunState state, int step, int stepCount, String stepName, String zone,
                          int currentPass, int passes, double stepElapsedS, double stepDurationS,
                          double runElapsedS, double timeLeftS, long stepStrokes,
                          long totalStrokes, double rfEnergyJ, double ledDoseJCm2) {}
