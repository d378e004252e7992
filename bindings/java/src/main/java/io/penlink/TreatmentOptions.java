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
 * <p>A {@link Runner} given a treatment log ({@link #withRecordDb(Path)}) writes the run into it
 * as it happens (docs/records.md): it claims the pen's cartridge there before anything moves,
 * then each step, event and the outcome; {@link Runner#runId()} names the run and
 * {@link TreatmentLog} reads it back. Cartridges are single-use: a cartridge a finished run used
 * fails the run before any output, with the reason naming the cartridge, unless
 * {@link #withCartridgeOverrideReason(String)} gives why (stored with the run). A log file that
 * cannot be opened is refused by the Runner's constructor with a
 * {@link TreatmentLogException} naming the file.
 *
 * @param deviceClass who the device is for; never null
 * @param zoneChart a zone chart file (schema penlink.zones/1); empty for the standard chart
 * @param atHomeDepthCapMm the deepest an at-home device may go, mm
 * @param recordDb the treatment log (a SQLite file, created if need be) a run is written into;
 *     empty for none
 * @param clientReference with recordDb: the app's opaque reference to its client (never a
 *     name), stored with the run; "" for none
 * @param cartridgeOverrideReason with recordDb: reuse a cartridge a finished run used, for this
 *     reason (stored with the run); "" to refuse a used cartridge
 */
public record TreatmentOptions(DeviceClass deviceClass, Optional<Path> zoneChart,
        double atHomeDepthCapMm, Optional<Path> recordDb, String clientReference,
        String cartridgeOverrideReason) {

    /** Refuses a null device class, chart or log (use {@code Optional.empty()}) and null text
     * (use ""). */
    public TreatmentOptions {
        if (deviceClass == null) {
            throw new InvalidArgumentException("the device class is null");
        }
        if (zoneChart == null) {
            throw new InvalidArgumentException(
                    "the zone chart is null (Optional.empty() means the standard chart)");
        }
        if (recordDb == null) {
            throw new InvalidArgumentException(
                    "the treatment log path is null (Optional.empty() means no log)");
        }
        if (clientReference == null || cartridgeOverrideReason == null) {
            throw new InvalidArgumentException(
                    "the client reference or the cartridge override reason is null (\"\" means none)");
        }
    }

    /**
     * Without a treatment log.
     *
     * @param deviceClass who the device is for; never null
     * @param zoneChart a zone chart file; empty for the standard chart
     * @param atHomeDepthCapMm the deepest an at-home device may go, mm
     */
    public TreatmentOptions(DeviceClass deviceClass, Optional<Path> zoneChart,
            double atHomeDepthCapMm) {
        this(deviceClass, zoneChart, atHomeDepthCapMm, Optional.empty(), "", "");
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
        return new TreatmentOptions(value, zoneChart, atHomeDepthCapMm, recordDb, clientReference,
                cartridgeOverrideReason);
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
        return new TreatmentOptions(deviceClass, Optional.of(path), atHomeDepthCapMm, recordDb,
                clientReference, cartridgeOverrideReason);
    }

    /**
     * A copy with another at-home depth cap.
     *
     * @param value the cap, mm (a finite number above 0)
     * @return the changed copy
     */
    public TreatmentOptions withAtHomeDepthCapMm(double value) {
        return new TreatmentOptions(deviceClass, zoneChart, value, recordDb, clientReference,
                cartridgeOverrideReason);
    }

    /**
     * A copy whose runs are written into the treatment log in this file (created if need be).
     *
     * @param path the SQLite file; null is refused
     * @return the changed copy
     */
    public TreatmentOptions withRecordDb(Path path) {
        if (path == null) {
            throw new InvalidArgumentException("the treatment log path is null");
        }
        return new TreatmentOptions(deviceClass, zoneChart, atHomeDepthCapMm, Optional.of(path),
                clientReference, cartridgeOverrideReason);
    }

    /**
     * A copy that stores this opaque client reference with each run (needs
     * {@link #withRecordDb(Path)}).
     *
     * @param value the app's reference to its client, never a name; "" for none
     * @return the changed copy
     */
    public TreatmentOptions withClientReference(String value) {
        return new TreatmentOptions(deviceClass, zoneChart, atHomeDepthCapMm, recordDb, value,
                cartridgeOverrideReason);
    }

    /**
     * A copy that reuses a cartridge a finished run used, for this reason, which is stored with
     * the run (needs {@link #withRecordDb(Path)}).
     *
     * @param value why the cartridge is reused; "" to refuse a used cartridge
     * @return the changed copy
     */
    public TreatmentOptions withCartridgeOverrideReason(String value) {
        return new TreatmentOptions(deviceClass, zoneChart, atHomeDepthCapMm, recordDb,
                clientReference, value);
    }

    /** Refuses a client reference or an override reason without a log to store it in. */
    void requireLogForRecordFields() {
        if (recordDb.isEmpty() && (!clientReference.isEmpty()
                || !cartridgeOverrideReason.isEmpty())) {
            throw new InvalidArgumentException("the client reference and the cartridge override "
                    + "reason are stored with the run in the treatment log: give withRecordDb "
                    + "too");
        }
    }

    /** The native shape, for the SWIG layer; the caller owns (and deletes) it. */
    NativeTreatmentOptions toNative() {
        NativeTreatmentOptions options = new NativeTreatmentOptions();
        options.setDevice_class(deviceClass.text());
        options.setAt_home_depth_cap_mm(atHomeDepthCapMm);
        zoneChart.ifPresent(path -> options.setZone_chart_path(path.toString()));
        recordDb.ifPresent(path -> options.setRecord_db_path(path.toString()));
        options.setClient_reference(clientReference);
        options.setCartridge_override_reason(cartridgeOverrideReason);
        return options;
    }
}
