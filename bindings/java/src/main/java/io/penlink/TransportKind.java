package io.penlink;

/** How a discovered pen is reached. The order matches the C++ enum values. */
public enum TransportKind {
    SERIAL, BLE
}
