package io.penlink;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a recipe is checked against and run under (docs/treatments.md): the device class, the
 * zone chart (a clinic's own file, or the standard chart when empty) and the at-home depth cap.
 * The same settings as Python's {@code device_class}, {@code zone_chart} and
 * {@code at_home_depth_cap_mm}. Immutable: each {@code with...} returns a changed copy.
 *
 * <p>A chart file that cannot be read or is malformed is refused where the options are used
 * ({@link Recipe#validate(TreatmentOptions)}, {@link Runner#Runner(Pen, Recipe,
 * TreatmentOptions, ProgressListener)}) with an {@link InvalidArgumentException} naming the file
 * and the field; a cap that is not a finite number above 0 mm is refused when an at-home recipe
 * is validated.
 *
 * @param deviceClass who the device is for; never null
 * @param zoneChart a zone chart file (schema penlink.zones/1); empty for the standard chart
 * @param atHomeDepthCapMm the deepest an at-home device may go, mm
 */
public record TreatmentOptions(DeviceClass deviceClass, Optional<Path> zoneChart,
        double atHomeDepthCapMm) {

    /** Refuses a null device class or chart (use {@code Optional.empty()}). */
    public TreatmentOptions {
        if (deviceClass == null) {
            throw new InvalidArgumentException("the device class is null");
        }
        if (zoneChart == null) {
            throw new InvalidArgumentException(
                    "the zone chart is null (Optional.empty() means the standard chart)");
        }
    }

    /**
     * Professional, the standard zone chart and the SDK's at-home depth cap (the C++ default,
     * read from the native library so there is one value).
     *
     * @return the defaults
     */
    public static TreatmentOptions defaults() {
        NativeTreatmentOptions native_ = new NativeTreatmentOptions();
        try {
            return new TreatmentOptions(DeviceClass.PROFESSIONAL, Optional.empty(),
                    native_.getAt_home_depth_cap_mm());
        } finally {
            native_.delete();
        }
    }

    /**
     * A copy for another device class.
     *
     * @param value the device class
     * @return the changed copy
     */
    public TreatmentOptions withDeviceClass(DeviceClass value) {
        return new TreatmentOptions(value, zoneChart, atHomeDepthCapMm);
    }

    /**
     * A copy that uses a clinic's own zone chart file instead of the standard chart.
     *
     * @param path the chart file; null is refused
     * @return the changed copy
     */
    public TreatmentOptions withZoneChart(Path path) {
        if (path == null) {
            throw new InvalidArgumentException("the zone chart path is null");
        }
        return new TreatmentOptions(deviceClass, Optional.of(path), atHomeDepthCapMm);
    }

    /**
     * A copy with another at-home depth cap.
     *
     * @param value the cap, mm (a finite number above 0)
     * @return the changed copy
     */
    public TreatmentOptions withAtHomeDepthCapMm(double value) {
        return new TreatmentOptions(deviceClass, zoneChart, value);
    }

    /** The native shape, for the SWIG layer; the caller owns (and deletes) it. */
    NativeTreatmentOptions toNative() {
        NativeTreatmentOptions options = new NativeTreatmentOptions();
        options.setDevice_class(deviceClass.text());
        options.setAt_home_depth_cap_mm(atHomeDepthCapMm);
        zoneChart.ifPresent(path -> options.setZone_chart_path(path.toString()));
        return options;
    }
}
