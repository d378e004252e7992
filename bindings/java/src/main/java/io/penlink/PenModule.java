package io.penlink;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/**
 * An add-on module fitted to the pen (a cooling tip, an RF head, ...), as the pen reported it
 * at connect or after an attach event. Driven by the keys its {@link ModuleDescriptor}
 * declares, so a module penlink has never heard of works like any other:
 *
 * <pre>{@code
 * PenModule cooling = pen.module("cooling");
 * cooling.set("setpoint_c", 12.5);
 * cooling.set(Map.of("enabled", true, "fan", "boost"));   // all applied or none
 * }</pre>
 *
 * <p>Values are {@code Boolean}, {@code Number} (read back as {@code Double}) or {@code String}
 * (an enum's label). Refusals are the usual {@link PenException} subclasses, naming
 * "module.key": {@link OutOfRangeException} (value, limit, unit), {@link
 * InvalidArgumentException} (unknown key, wrong kind of value), {@link NotSupportedException}
 * (the module is gone), {@link RejectedException} or {@link SafetyException} (the pen said
 * no). A PenModule is an immutable snapshot that keeps its {@link Pen} reachable; its get and set
 * methods talk to the pen.
 */
public final class PenModule {
    private final Pen pen;
    private final int slot;
    private final int vendorId;
    private final int modelId;
    private final String firmwareVersion;
    private final ModuleDescriptor descriptor;

    PenModule(Pen pen, int slot, int vendorId, int modelId, String firmwareVersion,
            ModuleDescriptor descriptor) {
        this.pen = pen;
        this.slot = slot;
        this.vendorId = vendorId;
        this.modelId = modelId;
        this.firmwareVersion = firmwareVersion;
        this.descriptor = descriptor;
    }

    /** The pen's slot (1..8). */
    public int slot() {
        return slot;
    }

    /** The descriptor's key, e.g. "cooling". */
    public String key() {
        return descriptor.key();
    }

    public String name() {
        return descriptor.name();
    }

    public int vendorId() {
        return vendorId;
    }

    public int modelId() {
        return modelId;
    }

    /** "major.minor.patch". */
    public String firmwareVersion() {
        return firmwareVersion;
    }

    public ModuleDescriptor descriptor() {
        return descriptor;
    }

    /** "key@slot": names exactly this module in {@link Pen#setParams} and friends. */
    public String selector() {
        return descriptor.key() + "@" + slot;
    }

    public Pen pen() {
        return pen;
    }

    /** Sets one parameter and waits for the pen's acknowledgement. */
    public void set(String key, Object value) {
        ModuleParams.setParam(pen.resources().pen, selector(), key(), key, value);
    }

    /** Sets every value at once: the pen applies all of them or none. */
    public void set(Map<String, ?> values) {
        ModuleParams.setParams(pen.resources().pen, selector(), key(), values);
    }

    /** {@link #set(Map)} as a future, like the pen's other async commands. */
    public CompletableFuture<Void> setAsync(Map<String, ?> values) {
        return ModuleParams.setParamsAsync(pen.resources().pen, selector(), key(), values);
    }

    /** Reads one parameter from the pen: a Boolean, Double or String. */
    public Object get(String key) {
        return pen.getParam(selector(), key);
    }

    /** Every parameter, read from the pen in one go, in descriptor order. */
    public Map<String, Object> getAll() {
        return pen.getParams(selector());
    }

    /**
     * The reading of channel key in status, in the channel's unit; empty if the frame carries
     * none.
     *
     * @throws InvalidArgumentException the module has no such channel
     */
    public OptionalDouble telemetry(Status status, String key) {
        Convert.require(status, "status");
        TelemetrySpec spec = channel(key);
        for (TelemetryReading reading : status.telemetry()) {
            if (reading.slot() == slot && reading.channel() == spec.id()) {
                return OptionalDouble.of(reading.raw() * spec.scale());
            }
        }
        return OptionalDouble.empty();
    }

    /** True if the reading of channel key in status is beyond its alarm limits. */
    public boolean telemetryAlarm(Status status, String key) {
        TelemetrySpec spec = channel(key);
        OptionalDouble value = telemetry(status, key);
        if (value.isEmpty()) {
            return false;
        }
        return (spec.hasAlarmLow() && value.getAsDouble() < spec.alarmLow())
                || (spec.hasAlarmHigh() && value.getAsDouble() > spec.alarmHigh());
    }

    private TelemetrySpec channel(String key) {
        Convert.require(key, "telemetry channel");
        return descriptor.channel(key).orElseThrow(() -> {
            StringBuilder names = new StringBuilder();
            for (TelemetrySpec t : descriptor.telemetry()) {
                names.append(names.length() == 0 ? "" : ", ").append(t.key());
            }
            return new InvalidArgumentException("module " + key() + " has no telemetry channel \""
                    + key + "\" (it has: " + (names.length() == 0 ? "none" : names) + ")");
        });
    }

    @Override
    public String toString() {
        return "PenModule(" + selector() + " \"" + name() + "\", firmware " + firmwareVersion + ")";
    }
}
