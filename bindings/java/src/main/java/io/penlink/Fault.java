package io.penlink;

import java.util.EnumSet;
import java.util.Set;

/** Fault bits of {@link Status#faultBits()}; the bit numbers match the C++ API. */
public enum Fault {
    OVER_TEMPERATURE(0),
    BATTERY_CRITICAL(1),
    CARTRIDGE_EXHAUSTED(2),
    CARTRIDGE_MISSING(3),
    MOTOR_STALL(4),
    RF_IMPEDANCE(5),
    WATCHDOG(6),
    EMERGENCY_STOP(7),
    INJECTED(8),
    DEPTH_ACTUATOR(9);

    private final long bit;

    Fault(int index) {
        this.bit = 1L << index;
    }

    /** The mask of this fault in {@link Status#faultBits()}. */
    public long bit() {
        return bit;
    }

    /** The faults set in a fault bit mask. */
    public static Set<Fault> fromBits(long bits) {
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        for (Fault fault : values()) {
            if ((bits & fault.bit) != 0) {
                faults.add(fault);
            }
        }
        return faults;
    }
}
