package io.penlink;

/** State of the link to the pen. The order matches the C++ enum values. */
public enum ConnectionState {
    CONNECTING, CONNECTED, LOST, CLOSED
}
