package io.penlink;

import java.util.List;
import java.util.OptionalInt;

/** How a treatment run ended: the outcome, the step it stopped in (empty if completed), why,
 * and what each step begun delivered. */
public record RunResult(RunOutcome outcome, OptionalInt step, String reason,
                        List<StepTotals> steps, double durationS) {}
