package io.penlink;

import java.util.List;

/** One step of a recipe: a treat step over a zone, or a pause for the operator. */
public record RecipeStep(boolean pause, String name, String zone, double depthMm, double speedHz,
                         double durationS, int passes, double passDurationS, List<String> modules,
                         String message) {}
