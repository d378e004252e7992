package io.penlink;

import java.util.List;

/**
 * One settable or readable value of a module, as its descriptor declares it. Values are in
 * {@code unit}.
 *
 * @param key stable name, e.g. "setpoint_c"
 * @param id wire id
 * @param unit SI unit, e.g. "degC"; "" = none
 * @param scale value = raw * scale
 * @param step values lie on min + k * step
 * @param defaultValue in unit; an {@link ParamType#ENUM}'s default is its label index (see
 *     {@link #defaultParam()})
 * @param labels ENUM: the label of each raw value
 */
public record ParamSpec(
        String key,
        int id,
        ParamType type,
        String unit,
        double scale,
        double min,
        double max,
        double step,
        double defaultValue,
        List<String> labels,
        ParamAccess access,
        SafetyClass safety,
        String description) {

    public ParamSpec {
        labels = List.copyOf(labels);
    }

    /** The default as this parameter's value: a Boolean, Double or String (label). */
    public Object defaultParam() {
        return switch (type) {
            case BOOL -> defaultValue != 0;
            case ENUM -> {
                int index = (int) defaultValue;
                yield index >= 0 && index < labels.size() ? labels.get(index)
                                                          : Integer.toString(index);
            }
            default -> defaultValue;
        };
    }

    public boolean writable() {
        return access == ParamAccess.READ_WRITE;
    }
}
