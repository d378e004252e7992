package io.penlink;

import java.util.List;
import java.util.Optional;

/**
 * What a module says about itself (docs/modules.md). Immutable.
 *
 * @param key the module kind, e.g. "cooling"
 * @param name for people, e.g. "CoolTip C1"
 * @param profiles standard profiles it implements ("rf", "led")
 */
public record ModuleDescriptor(
        String key,
        String name,
        int vendorId,
        String vendorName,
        int modelId,
        List<String> profiles,
        List<ParamSpec> parameters,
        List<TelemetrySpec> telemetry,
        List<InterlockSpec> interlocks) {

    public ModuleDescriptor {
        profiles = List.copyOf(profiles);
        parameters = List.copyOf(parameters);
        telemetry = List.copyOf(telemetry);
        interlocks = List.copyOf(interlocks);
    }

    /** The parameter named key, if the module has one. */
    public Optional<ParamSpec> parameter(String key) {
        return parameters.stream().filter(p -> p.key().equals(key)).findFirst();
    }

    /** The telemetry channel named key, if the module has one. */
    public Optional<TelemetrySpec> channel(String key) {
        return telemetry.stream().filter(t -> t.key().equals(key)).findFirst();
    }
}
