package io.penlink;

import java.util.List;

/** Every violation of a recipe at once, plus notes that do not stop a run. */
public record ValidationReport(List<Violation> violations, List<String> notes, String text) {
    /** True if the recipe may run. */
    public boolean ok() {
        return violations.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
