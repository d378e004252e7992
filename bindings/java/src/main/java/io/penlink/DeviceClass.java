package io.penlink;

/** Who the device is for, set by the app and never by a recipe. The order matches the C++ enum. */
public enum DeviceClass {
    /** Clinic devices: the zone chart and the pen's limits apply. */
    PROFESSIONAL,
    /** Consumer devices: a low depth cap and no energy-delivering modules. */
    AT_HOME;

    /** "professional" or "at-home", as the C++ API spells it. */
    String text() {
        return this == PROFESSIONAL ? "professional" : "at-home";
    }
}
