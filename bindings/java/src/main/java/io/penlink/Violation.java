package io.penlink;

/**
 * One thing a treatment recipe may not do: the step index, the field (e.g.
 * {@code steps[2].depth_mm}), the recipe's value, the limit it breaks and the unit ("" if
 * none), and one whole sentence naming all of them.
 */
public record Violation(int step, String field, String value, String limit, String unit,
                        String message) {}
