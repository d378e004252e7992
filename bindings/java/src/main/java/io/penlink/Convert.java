package io.penlink;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies values between the SWIG proxies and the public Java types. Copying (rather than
 * exposing the proxies) means nothing a user keeps points into C++ memory that may go away.
 */
final class Convert {
    private Convert() {}

    // The Java enums list their constants in the order of the C++ values (0, 1, 2 ...).
    private static final PenState[] PEN_STATES = PenState.values();
    private static final ConnectionState[] CONNECTION_STATES = ConnectionState.values();
    private static final RfPolarity[] RF_POLARITIES = RfPolarity.values();

    static PenState penState(NativePenState state) {
        return PEN_STATES[state.swigValue()];
    }

    static ConnectionState connectionState(NativeConnectionState state) {
        return CONNECTION_STATES[state.swigValue()];
    }

    static Status status(NativeStatus s) {
        return new Status(s.getSequence(), s.getDevice_time_ms(), penState(s.getState()),
                s.getDepth_set_mm(), s.getDepth_actual_mm(), s.getSpeed_set_hz(),
                s.getSpeed_actual_hz(), s.getBattery_percent(), s.getTemperature_c(),
                s.getCartridge_id(), s.getCartridge_strokes(), s.getCartridge_stroke_limit(),
                s.getRf_enabled(), s.getRf_delivering(), s.getRf_impedance_ohm(),
                s.getRf_energy_j(), s.getLed_enabled(), s.getLed_emitting(),
                s.getLed_wavelength_nm(), s.getLed_dose_j_cm2(), s.getFault_bits(),
                s.getTelemetry_count(), telemetry(s));
    }

    // No list is allocated for a pen without module telemetry.
    private static List<TelemetryReading> telemetry(NativeStatus s) {
        int count = Math.max(0, Math.min(s.getTelemetry_count(), 16));
        if (count == 0) {
            return List.of();
        }
        TelemetryReading[] readings = new TelemetryReading[count];
        for (int i = 0; i < count; i++) {
            NativeTelemetryReading r = PenlinkNative.status_telemetry(s, i);
            readings[i] = new TelemetryReading(r.getSlot(), r.getChannel(), r.getRaw());
        }
        return List.of(readings);
    }

    static Event event(NativeEvent e) {
        return new Event(EventKind.fromValue(e.getKind().swigValue()), e.getDetail(),
                e.getDevice_time_ms());
    }

    static DeviceInfo deviceInfo(NativeDeviceInfo info) {
        return new DeviceInfo(info.getModel(), info.getSerial_number(),
                info.getFirmware_version(), info.getProtocol_version());
    }

    static Capabilities capabilities(NativeCapabilities c) {
        NativeRfCapabilities rf = c.getRf();
        NativeLedCapabilities led = c.getLed();
        List<LedChannel> channels = new ArrayList<>();
        for (NativeLedChannel channel : led.getChannels()) {
            channels.add(new LedChannel(channel.getWavelength_nm(),
                    channel.getMax_irradiance_mw_cm2()));
        }
        return new Capabilities(c.getDepth_min_mm(), c.getDepth_max_mm(), c.getDepth_step_mm(),
                c.getSpeed_min_hz(), c.getSpeed_max_hz(), c.getWatchdog_ms(),
                c.getMax_status_rate_hz(),
                new RfCapabilities(rf.getFitted(), rf.getFrequency_min_khz(),
                        rf.getFrequency_max_khz(), rf.getPower_max_w(), rf.getPulse_min_ms(),
                        rf.getPulse_max_ms(), rf.getMonopolar(), rf.getBipolar()),
                new LedCapabilities(led.getFitted(), channels, led.getPulse_rate_min_hz(),
                        led.getPulse_rate_max_hz()));
    }

    static PenSettings penSettings(NativePenSettings s) {
        NativeRfMode rf = s.getRf();
        NativeLedMode led = s.getLed();
        return new PenSettings(penState(s.getState()), s.getDepth_set_mm(), s.getDepth_limit_mm(),
                s.getSpeed_set_hz(), s.getRunning(),
                new RfMode(rf.getEnabled(), RF_POLARITIES[rf.getPolarity().swigValue()],
                        rf.getFrequency_khz(), rf.getPower_w(), rf.getPulse_ms()),
                new LedMode(led.getEnabled(), led.getWavelength_nm(), led.getIrradiance_mw_cm2(),
                        led.getPulsed(), led.getPulse_rate_hz(), led.getDuty_percent()),
                s.getStatus_rate_hz(), s.getFault_bits());
    }

    // Null is refused here (a NullPointerException would name no argument); NaN, infinity and
    // undefined values are refused by the C++ checks, which name the value and unit.

    static <T> T require(T value, String what) {
        if (value == null) {
            throw new InvalidArgumentException(what + " is null");
        }
        return value;
    }

    static NativeRfMode rfMode(RfMode mode) {
        require(mode, "RF mode");
        require(mode.polarity(), "RF polarity (expected MONOPOLAR or BIPOLAR)");
        NativeRfMode n = new NativeRfMode();
        n.setEnabled(mode.enabled());
        n.setPolarity(NativeRfPolarity.swigToEnum(mode.polarity().ordinal()));
        n.setFrequency_khz(mode.frequencyKhz());
        n.setPower_w(mode.powerW());
        n.setPulse_ms(mode.pulseMs());
        return n;
    }

    static NativeLedMode ledMode(LedMode mode) {
        require(mode, "LED mode");
        NativeLedMode n = new NativeLedMode();
        n.setEnabled(mode.enabled());
        n.setWavelength_nm(mode.wavelengthNm());
        n.setIrradiance_mw_cm2(mode.irradianceMwCm2());
        n.setPulsed(mode.pulsed());
        n.setPulse_rate_hz(mode.pulseRateHz());
        n.setDuty_percent(mode.dutyPercent());
        return n;
    }

    private static int notNegative(int value, String name, String unit) {
        if (value < 0) {
            throw new InvalidArgumentException("connect option " + name + " " + value + unit
                    + " must not be negative");
        }
        return value;
    }

    static NativeConnectOptions connectOptions(ConnectOptions options) {
        require(options, "connect options");
        notNegative(options.connectTimeoutMs(), "connectTimeoutMs", " ms");
        notNegative(options.commandTimeoutMs(), "commandTimeoutMs", " ms");
        notNegative(options.commandRetries(), "commandRetries", "");
        notNegative(options.heartbeatIntervalMs(), "heartbeatIntervalMs", " ms");
        notNegative(options.linkTimeoutMs(), "linkTimeoutMs", " ms");
        notNegative(options.idleStatusRateHz(), "idleStatusRateHz", " Hz");
        if (options.callbackQueueCapacity() < 1) {
            throw new InvalidArgumentException("connect option callbackQueueCapacity "
                    + options.callbackQueueCapacity() + " must be at least 1");
        }
        NativeConnectOptions n = new NativeConnectOptions();
        n.setConnect_timeout_ms(options.connectTimeoutMs());
        n.setCommand_timeout_ms(options.commandTimeoutMs());
        n.setCommand_retries(options.commandRetries());
        n.setHeartbeat_interval_ms(options.heartbeatIntervalMs());
        n.setLink_timeout_ms(options.linkTimeoutMs());
        n.setIdle_status_rate_hz(options.idleStatusRateHz());
        n.setCallback_queue_capacity(options.callbackQueueCapacity());
        StringVector paths = new StringVector();
        paths.addAll(options.modulePaths());
        n.setModule_paths(paths);
        n.setThreading(options.threading().ordinal());
        options.recordPath().ifPresent(path -> n.setRecord_path(path.toString()));
        return n;
    }

    static SerialPortInfo serialPort(NativeSerialPortInfo p) {
        return new SerialPortInfo(p.getPath(), p.getDescription(), p.getIs_usb(), p.getUsb_vid(),
                p.getUsb_pid(), p.getManufacturer(), p.getProduct(), p.getSerial_number());
    }

    // --- add-on modules ----------------------------------------------------------------------
    // SWIG's member getters return views into their parent's C++ memory without keeping the
    // parent reachable: the fences keep each parent alive until its fields are copied.

    private static final ParamType[] PARAM_TYPES = ParamType.values();
    private static final ParamAccess[] PARAM_ACCESSES = ParamAccess.values();
    private static final SafetyClass[] SAFETY_CLASSES = SafetyClass.values();

    static ParamSpec paramSpec(NativeParamSpec p) {
        return new ParamSpec(p.getKey(), p.getId(), PARAM_TYPES[p.getType().swigValue()],
                p.getUnit(), p.getScale(), p.getMin(), p.getMax(), p.getStep(),
                p.getDefault_value(), new ArrayList<>(p.getLabels()),
                PARAM_ACCESSES[p.getAccess().swigValue()],
                SAFETY_CLASSES[p.getSafety().swigValue()], p.getDescription());
    }

    static TelemetrySpec telemetrySpec(NativeTelemetrySpec t) {
        return new TelemetrySpec(t.getKey(), t.getId(), t.getUnit(), t.getScale(), t.getMin(),
                t.getMax(), t.getHas_alarm_low(), t.getAlarm_low(), t.getHas_alarm_high(),
                t.getAlarm_high(), t.getDescription());
    }

    static ModuleDescriptor moduleDescriptor(NativeModuleDescriptor d) {
        List<ParamSpec> parameters = new ArrayList<>();
        for (NativeParamSpec p : d.getParameters()) {
            parameters.add(paramSpec(p));
        }
        List<TelemetrySpec> telemetry = new ArrayList<>();
        for (NativeTelemetrySpec t : d.getTelemetry()) {
            telemetry.add(telemetrySpec(t));
        }
        List<InterlockSpec> interlocks = new ArrayList<>();
        for (NativeInterlockSpec i : d.getInterlocks()) {
            interlocks.add(new InterlockSpec(i.getKey(), i.getCondition(),
                    new ArrayList<>(i.getGuards()), i.getDescription()));
        }
        ModuleDescriptor descriptor = new ModuleDescriptor(d.getKey(), d.getName(),
                d.getVendor_id(), d.getVendor_name(), d.getModel_id(),
                new ArrayList<>(d.getProfiles()), parameters, telemetry, interlocks);
        Reference.reachabilityFence(d);
        return descriptor;
    }

    static PenModule module(Pen pen, NativeModuleInfo info) {
        PenModule module = new PenModule(pen, info.getSlot(), info.getVendor_id(), info.getModel_id(),
                info.getFirmware_version(), moduleDescriptor(info.getDescriptor()));
        Reference.reachabilityFence(info);
        return module;
    }

    /**
     * A native value from a Boolean, a Number or a String (an enum's label); name is
     * "module.key", for the error. The descriptor's checks (kind, range, step) stay in C++.
     */
    static NativeParamValue paramValue(String name, Object value) {
        if (value instanceof Boolean b) {
            return PenlinkNative.param_bool(b);
        }
        if (value instanceof Number n) {
            double number = n.doubleValue();
            if (!Double.isFinite(number)) {
                throw new InvalidArgumentException(name + " " + number + " is not a finite number");
            }
            return PenlinkNative.param_number(number);
        }
        if (value instanceof String label) {
            return PenlinkNative.param_label(label);
        }
        throw new InvalidArgumentException(name + " " + value + " is not a Boolean, a Number or "
                + "a String label (got " + (value == null ? "null" : value.getClass().getName())
                + ")");
    }

    /** Boolean, Double or String. */
    static Object paramValue(NativeParamValue value) {
        return switch (PenlinkNative.param_kind(value)) {
            case 0 -> value.as_bool();
            case 2 -> value.as_label();
            default -> value.as_number();
        };
    }

    static NativeParamList paramList(String module, Map<String, ?> values) {
        require(values, "the parameters for " + module);
        NativeParamList list = new NativeParamList();
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            String key = require(entry.getKey(), "a parameter key for " + module);
            list.add(key, paramValue(module + "." + key, entry.getValue()));
        }
        return list;
    }

    static Map<String, Object> paramMap(NativeParamList list) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            values.put(list.key(i), paramValue(list.value(i)));
        }
        return Collections.unmodifiableMap(values);
    }
}
