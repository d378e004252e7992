package io.penlink;

/** What an {@link Event} reports. */
public enum EventKind {
    FAULT_RAISED(1),
    FAULT_CLEARED(2),
    CARTRIDGE_INSERTED(3),
    CARTRIDGE_REMOVED(4),
    BUTTON_PRESSED(5),
    WATCHDOG_EXPIRED(6),
    EMERGENCY_STOPPED(7),
    EMERGENCY_CLEARED(8),
    /** detail = the slot; {@link Pen#modules()} lists the modules again. */
    MODULE_ATTACHED(9),
    /** detail = the slot. */
    MODULE_DETACHED(10),
    /** The pen rejected forged, replayed or injected frames; detail = how many so far. */
    SECURITY_REJECTED(11),
    /** penlink rejected a forged, replayed or injected frame; detail = how many so far. */
    FRAME_REJECTED(12);

    private final int value;

    EventKind(int value) {
        this.value = value;
    }

    static EventKind fromValue(int value) {
        for (EventKind kind : values()) {
            if (kind.value == value) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown event kind " + value);
    }
}
