package io.penlink;

import java.util.ArrayList;
import java.util.List;

/** Library-wide functions: version, serial port listing and the SDK log. */
public final class Penlink {
    private Penlink() {}

    // The C++ side holds only a plain pointer to the log director: keep it reachable here.
    private static Bridges.LogBridge logBridge;

    /** Version of the native library, "major.minor.patch". */
    public static String version() {
        return PenlinkNative.version();
    }

    /** Serial ports on this machine, with USB details where known. */
    public static List<SerialPortInfo> listSerialPorts() {
        List<SerialPortInfo> ports = new ArrayList<>();
        for (NativeSerialPortInfo port : PenlinkNative.list_serial_ports()) {
            ports.add(Convert.serialPort(port));
        }
        return ports;
    }

    /**
     * Sends SDK log lines at minLevel and above to listener (null: back to stderr). Once this
     * returns the previous listener is not running.
     */
    public static synchronized void setLogListener(LogListener listener, LogLevel minLevel) {
        Convert.require(minLevel, "log level");
        Bridges.LogBridge bridge = listener == null ? null : new Bridges.LogBridge(listener);
        PenlinkNative.set_log_listener(bridge,
                NativeLogLevel.swigToEnum(minLevel.ordinal()));
        logBridge = bridge;
    }

    /**
     * Parses and checks a module descriptor (JSON text, docs/modules.md), e.g. one a partner
     * ships for a pen that cannot store it.
     *
     * @throws InvalidArgumentException naming the bad field, e.g. {@code parameters[2]
     *     ("setpoint_c"): min 30 > max 20}
     */
    public static ModuleDescriptor parseModuleDescriptor(String json) {
        Convert.require(json, "module descriptor");
        return Convert.moduleDescriptor(PenlinkNative.parse_module_descriptor(json));
    }

    /** Names of the faults set in bits, e.g. "over-temperature, watchdog". */
    public static String describeFaults(long faultBits) {
        // The bits are a uint32 in C++; SWIG would silently drop the high half of a long.
        if (faultBits < 0 || faultBits > 0xFFFF_FFFFL) {
            throw new OutOfRangeException("fault bits " + faultBits
                    + " are outside 0 to 4294967295", faultBits, faultBits < 0 ? 0 : 0xFFFF_FFFFL,
                    "");
        }
        return PenlinkNative.describe_faults(faultBits);
    }
}
