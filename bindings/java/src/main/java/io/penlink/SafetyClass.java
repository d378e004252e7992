package io.penlink;

/** How the SDK and the pen treat a module parameter for safety (in the order of the C++ values). */
public enum SafetyClass {
    NONE,
    /**
     * Delivers energy into tissue: refused away from its default while the emergency stop or a
     * fault is latched, and returned to its default by the pen on e-stop, fault and closed link.
     */
    ENERGY
}
