package io.penlink;

/** How a module parameter is typed (constants in the order of the C++ values 0, 1, 2 ...). */
public enum ParamType {
    /** {@code Boolean} values. */
    BOOL,
    /** Whole numbers in the unit ({@code Double} values). */
    INTEGER,
    /** Fixed point: value = raw * scale ({@code Double} values). */
    FIXED,
    /** One of the labels ({@code String} values). */
    ENUM
}
