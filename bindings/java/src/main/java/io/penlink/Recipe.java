package io.penlink;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed treatment recipe (schema penlink.recipe/1, docs/treatments.md). Immutable; safe to
 * share between threads and runs.
 */
public final class Recipe {
    final NativeRecipe recipe;

    private Recipe(NativeRecipe recipe) {
        this.recipe = recipe;
    }

    /** Reads and parses a recipe file; {@link InvalidArgumentException} naming the file and
     * the place otherwise. */
    public static Recipe load(Path path) {
        return new Recipe(NativeRecipe.load(path.toString()));
    }

    /** Parses a recipe from JSON text; {@link InvalidArgumentException} naming the place. */
    public static Recipe parse(String json) {
        return new Recipe(NativeRecipe.parse(json));
    }

    /** The recipe's name, for people. */
    public String name() {
        return recipe.name();
    }

    /** What it treats, e.g. "acne-scars"; may be empty. */
    public String concern() {
        return recipe.concern();
    }

    /** Needle time of all treat steps, s. */
    public double totalDurationS() {
        return recipe.total_duration_s();
    }

    /** Every step, in order. */
    public List<RecipeStep> steps() {
        List<RecipeStep> steps = new ArrayList<>();
        for (int i = 0; i < recipe.step_count(); i++) {
            steps.add(step(recipe.step(i)));
        }
        return List.copyOf(steps);
    }

    static RecipeStep step(NativeRecipeStep s) {
        return new RecipeStep(s.getKind() == 1, s.getName(), s.getZone(), s.getDepth_mm(),
                s.getSpeed_hz(), s.getDuration_s(), s.getPasses(), s.getPass_duration_s(),
                List.copyOf(s.getModules()), s.getMessage());
    }

    /** Checks every step offline against the standard zone chart and the device class. Never
     * throws for a bad recipe: the report lists every violation. */
    public ValidationReport validate(DeviceClass deviceClass) {
        return validate(options(deviceClass));
    }

    /** The same against a connected pen: its depth limit, ranges and fitted modules. */
    public ValidationReport validate(Pen pen, DeviceClass deviceClass) {
        return validate(pen, options(deviceClass));
    }

    /**
     * Checks every step offline against the options' zone chart, device class and at-home
     * depth cap. Never throws for a bad recipe; throws {@link InvalidArgumentException} naming
     * the file and the field for a chart that cannot be read or is malformed.
     *
     * @param options what to check against
     * @return every violation at once
     */
    public ValidationReport validate(TreatmentOptions options) {
        NativeTreatmentOptions native_ = nativeOptions(options);
        try {
            return report(recipe.validate(native_));
        } finally {
            native_.delete();
        }
    }

    /**
     * The same against a connected pen: its depth limit, ranges and fitted modules too.
     *
     * @param pen the pen the recipe would run on
     * @param options what to check against
     * @return every violation at once
     */
    public ValidationReport validate(Pen pen, TreatmentOptions options) {
        if (pen == null) {
            throw new InvalidArgumentException("the pen is null");
        }
        NativeTreatmentOptions native_ = nativeOptions(options);
        try {
            return report(recipe.validate_on(pen.resources().pen, native_));
        } finally {
            native_.delete();
        }
    }

    static TreatmentOptions options(DeviceClass deviceClass) {
        if (deviceClass == null) {
            throw new InvalidArgumentException("the device class is null");
        }
        return TreatmentOptions.defaults().withDeviceClass(deviceClass);
    }

    static NativeTreatmentOptions nativeOptions(TreatmentOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("the treatment options are null");
        }
        return options.toNative();
    }

    static ValidationReport report(NativeValidationReport report) {
        List<Violation> violations = new ArrayList<>();
        TreatmentViolationVector all = report.getViolations();
        for (int i = 0; i < all.size(); i++) {
            NativeViolation v = all.get(i);
            violations.add(new Violation(v.getStep(), v.getField(), v.getValue(), v.getLimit(),
                    v.getUnit(), v.getMessage()));
        }
        return new ValidationReport(List.copyOf(violations), List.copyOf(report.getNotes()),
                report.getText());
    }

    @Override
    public String toString() {
        return "Recipe(" + name() + ", " + recipe.step_count() + " steps)";
    }
}
