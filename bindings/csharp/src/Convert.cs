// Copies values between the SWIG proxies and the public types, so nothing a user keeps points
// into C++ memory that may go away.
using System.Collections.Generic;

namespace Penlink
{
    internal static class Convert
    {
        internal static Status ToStatus(NativeStatus s)
        {
            return new Status(s.sequence, s.device_time_ms, (PenState)(int)s.state, s.depth_set_mm,
                              s.depth_actual_mm, s.speed_set_hz, s.speed_actual_hz, s.battery_percent,
                              s.temperature_c, s.cartridge_id, s.cartridge_strokes,
                              s.cartridge_stroke_limit, s.rf_enabled, s.rf_delivering,
                              s.rf_impedance_ohm, s.rf_energy_j, s.led_enabled, s.led_emitting,
                              s.led_wavelength_nm, s.led_dose_j_cm2, (Fault)s.fault_bits);
        }

        internal static Event ToEvent(NativeEvent e)
        {
            return new Event((EventKind)(int)e.kind, e.detail, e.device_time_ms);
        }

        internal static DeviceInfo ToDeviceInfo(NativeDeviceInfo info)
        {
            return new DeviceInfo(info.model, info.serial_number, info.firmware_version,
                                  info.protocol_version);
        }

        internal static Capabilities ToCapabilities(NativeCapabilities c)
        {
            NativeRfCapabilities rf = c.rf;
            NativeLedCapabilities led = c.led;
            var channels = new List<LedChannel>();
            foreach (NativeLedChannel channel in led.channels)
                channels.Add(new LedChannel(channel.wavelength_nm, channel.max_irradiance_mw_cm2));
            return new Capabilities(
                c.depth_min_mm, c.depth_max_mm, c.depth_step_mm, c.speed_min_hz, c.speed_max_hz,
                c.watchdog_ms, c.max_status_rate_hz,
                new RfCapabilities(rf.fitted, rf.frequency_min_khz, rf.frequency_max_khz,
                                   rf.power_max_w, rf.pulse_min_ms, rf.pulse_max_ms, rf.monopolar,
                                   rf.bipolar),
                new LedCapabilities(led.fitted, channels.AsReadOnly(), led.pulse_rate_min_hz,
                                    led.pulse_rate_max_hz));
        }

        internal static PenSettings ToPenSettings(NativePenSettings s)
        {
            NativeRfMode rf = s.rf;
            NativeLedMode led = s.led;
            return new PenSettings(
                (PenState)(int)s.state, s.depth_set_mm, s.depth_limit_mm, s.speed_set_hz, s.running,
                new RfMode(rf.enabled, (RfPolarity)(int)rf.polarity, rf.frequency_khz, rf.power_w,
                           rf.pulse_ms),
                new LedMode(led.enabled, led.wavelength_nm, led.irradiance_mw_cm2, led.pulsed,
                            led.pulse_rate_hz, led.duty_percent),
                s.status_rate_hz, (Fault)s.fault_bits);
        }

        // Null and undefined enum values are refused here, naming the argument; NaN, infinity and
        // values outside the pen's ranges are refused by the C++ checks, naming value and unit.
        internal static T Require<T>(T value, string what) where T : class
        {
            if (value == null) throw new InvalidArgumentException(what + " is null");
            return value;
        }

        internal static NativeRfMode ToNative(RfMode mode)
        {
            Require(mode, "RF mode");
            return new NativeRfMode
            {
                enabled = mode.Enabled,
                polarity = (NativeRfPolarity)(int)mode.Polarity,
                frequency_khz = mode.FrequencyKhz,
                power_w = mode.PowerW,
                pulse_ms = mode.PulseMs,
            };
        }

        internal static NativeLedMode ToNative(LedMode mode)
        {
            Require(mode, "LED mode");
            return new NativeLedMode
            {
                enabled = mode.Enabled,
                wavelength_nm = mode.WavelengthNm,
                irradiance_mw_cm2 = mode.IrradianceMwCm2,
                pulsed = mode.Pulsed,
                pulse_rate_hz = mode.PulseRateHz,
                duty_percent = mode.DutyPercent,
            };
        }

        static int NotNegative(int value, string name, string unit)
        {
            if (value < 0)
                throw new InvalidArgumentException("connect option " + name + " " + value + unit +
                                                   " must not be negative");
            return value;
        }

        internal static NativeConnectOptions ToNative(ConnectOptions options)
        {
            NotNegative(options.ConnectTimeoutMs, "ConnectTimeoutMs", " ms");
            NotNegative(options.CommandTimeoutMs, "CommandTimeoutMs", " ms");
            NotNegative(options.CommandRetries, "CommandRetries", "");
            NotNegative(options.HeartbeatIntervalMs, "HeartbeatIntervalMs", " ms");
            NotNegative(options.LinkTimeoutMs, "LinkTimeoutMs", " ms");
            NotNegative(options.IdleStatusRateHz, "IdleStatusRateHz", " Hz");
            if (options.CallbackQueueCapacity < 1)
                throw new InvalidArgumentException("connect option CallbackQueueCapacity " +
                                                   options.CallbackQueueCapacity + " must be at least 1");
            return new NativeConnectOptions
            {
                connect_timeout_ms = options.ConnectTimeoutMs,
                command_timeout_ms = options.CommandTimeoutMs,
                command_retries = options.CommandRetries,
                heartbeat_interval_ms = options.HeartbeatIntervalMs,
                link_timeout_ms = options.LinkTimeoutMs,
                idle_status_rate_hz = options.IdleStatusRateHz,
                callback_queue_capacity = options.CallbackQueueCapacity,
            };
        }

        internal static SerialPortInfo ToSerialPort(NativeSerialPortInfo p)
        {
            return new SerialPortInfo(p.path, p.description, p.is_usb, p.usb_vid, p.usb_pid,
                                      p.manufacturer, p.product, p.serial_number);
        }
    }
}
