package io.penlink;

import java.util.List;

/**
 * A rule the pen enforces, stated so an app can explain a refusal.
 *
 * @param condition "needle_running", "cartridge_fitted", "no_fault" or "param:KEY"
 * @param guards parameters that may leave their default only while the condition holds
 */
public record InterlockSpec(String key, String condition, List<String> guards, String description) {
    public InterlockSpec {
        guards = List.copyOf(guards);
    }
}
