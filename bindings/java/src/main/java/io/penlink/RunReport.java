package io.penlink;

import java.util.List;

/**
 * One logged run in full ({@link TreatmentLog#report(long)}): the run, its steps in order
 * (each with the module totals it added, keyed "module.channel") and its events in time order.
 * The lists are unmodifiable.
 */
public record RunReport(LoggedRun run, List<StepTotals> steps, List<LoggedEvent> events) {}
