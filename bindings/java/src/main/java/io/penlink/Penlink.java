package io.penlink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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
     * Pens on every transport, found within timeoutMs: USB serial ports with a known pen's
     * VID/PID, and BLE devices advertising the penlink service (BLE scans that long). A
     * transport that cannot be searched (no BlueZ, adapter off) is skipped with a log warning.
     *
     * @param namePrefix only pens whose name starts with it ("" for all)
     * @param bleAdapter e.g. "hci1" ("" for the first powered adapter)
     * @throws InvalidArgumentException for a negative timeout or a bad adapter name
     */
    public static List<DiscoveredPen> discover(int timeoutMs, boolean serial, boolean ble,
            String namePrefix, String bleAdapter) {
        return discover(timeoutMs, serial, ble, namePrefix, bleAdapter, null);
    }

    /**
     * {@link #discover(int, boolean, boolean, String, String)} with progress: onFound is called
     * with each pen as soon as it is found, on this thread and before discover returns, so a
     * program can show pens during a long BLE scan. If onFound throws, later pens are not handed
     * to it and discover rethrows that exception (an unchecked one as it is, anything else in a
     * PenException with code CALLBACK_FAILED) once the scan ends.
     *
     * @param onFound progress callback, or null for none
     * @throws InvalidArgumentException for a negative timeout or a bad adapter name
     */
    public static List<DiscoveredPen> discover(int timeoutMs, boolean serial, boolean ble,
            String namePrefix, String bleAdapter, Consumer<DiscoveredPen> onFound) {
        Convert.require(namePrefix, "name prefix");
        Convert.require(bleAdapter, "BLE adapter");
        FoundBridge bridge = onFound == null ? null : new FoundBridge(onFound);
        List<DiscoveredPen> pens = new ArrayList<>();
        for (NativeDiscoveredPen pen :
                PenlinkNative.discover_pens(timeoutMs, serial, ble, namePrefix, bleAdapter,
                        bridge)) {
            pens.add(discoveredPen(pen));
        }
        if (bridge != null && bridge.error != null) {
            if (bridge.error instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (bridge.error instanceof Error fatal) {
                throw fatal;
            }
            PenException wrapped = new PenException(ErrorCode.CALLBACK_FAILED,
                    "discover: onFound threw " + bridge.error);
            wrapped.initCause(bridge.error);
            throw wrapped;
        }
        return pens;
    }

    /** Pens on every transport within timeoutMs, each handed to onFound as it is found. */
    public static List<DiscoveredPen> discover(int timeoutMs, Consumer<DiscoveredPen> onFound) {
        return discover(timeoutMs, true, true, "", "", onFound);
    }

    private static DiscoveredPen discoveredPen(NativeDiscoveredPen pen) {
        return new DiscoveredPen(pen.getUrl(), pen.getName(),
                TransportKind.values()[pen.getTransport().swigValue()], pen.getAddress(),
                pen.getAdapter(),
                pen.getHas_rssi() ? java.util.OptionalInt.of(pen.getRssi_dbm())
                                  : java.util.OptionalInt.empty(),
                pen.getUsb_vid(), pen.getUsb_pid(), pen.getSerial_number());
    }

    /** Hands found pens to the Java callback; keeps what it threw for discover to rethrow. */
    private static final class FoundBridge extends NativeDiscoveryListener {
        private final Consumer<DiscoveredPen> onFound;
        private Throwable error;

        FoundBridge(Consumer<DiscoveredPen> onFound) {
            this.onFound = onFound;
        }

        @Override
        public void on_found(NativeDiscoveredPen pen) {
            if (error != null) {
                return;
            }
            try {
                onFound.accept(discoveredPen(pen));
            } catch (Throwable thrown) {
                error = thrown;
            }
        }
    }

    /** Pens on every transport within timeoutMs, with no filter. */
    public static List<DiscoveredPen> discover(int timeoutMs) {
        return discover(timeoutMs, true, true, "", "");
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
