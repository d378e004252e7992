package io.penlink;

/** RF electrode arrangement. The order matches the C++ enum values. */
public enum RfPolarity {
    MONOPOLAR, BIPOLAR
}
