package io.penlink;

/** Idle, running, paused (reserved), fault latched, emergency stop latched. The order matches the C++ enum values. */
public enum PenState {
    IDLE, RUNNING, PAUSED, FAULT, EMERGENCY_STOPPED
}
