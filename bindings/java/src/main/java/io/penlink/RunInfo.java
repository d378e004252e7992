package io.penlink;

/**
 * The run about to start ({@link RunObserver#runStarted}): the recipe, the device class, the
 * zone chart and the pen. {@code recipeSource} is the recipe's JSON text (to hash and store);
 * {@code plannedDurationS} the needle time of its treat steps, s; {@code cartridgeId} the
 * cartridge fitted at start, 0 if the pen does not say.
 */
public record RunInfo(String recipeName, String recipeSource, int stepCount,
                      double plannedDurationS, DeviceClass deviceClass, String zoneChart,
                      String penModel, String penSerial, String penFirmware, long cartridgeId) {}
