package penlink;

import java.util.ArrayList;
import java.util.List;

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
                s.getLed_wavelength_nm(), s.getLed_dose_j_cm2(), s.getFault_bits());
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
        return n;
    }

    static SerialPortInfo serialPort(NativeSerialPortInfo p) {
        return new SerialPortInfo(p.getPath(), p.getDescription(), p.getIs_usb(), p.getUsb_vid(),
                p.getUsb_pid(), p.getManufacturer(), p.getProduct(), p.getSerial_number());
    }
}
