// Copies values between the SWIG proxies and the public types, so nothing a user keeps points
// into C++ memory that may go away.
using System;
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
                              s.led_wavelength_nm, s.led_dose_j_cm2, (Fault)s.fault_bits,
                              s.telemetry_count, ToTelemetry(s));
        }

        // Allocates only for a frame that carries module telemetry.
        static IReadOnlyList<TelemetryReading> ToTelemetry(NativeStatus s)
        {
            int count = System.Math.Max(0, System.Math.Min(s.telemetry_count, 16));
            if (count == 0) return null;
            var readings = new TelemetryReading[count];
            for (int i = 0; i < count; i++)
                using (NativeTelemetryReading r = penlink_csharp.status_telemetry(s, i))
                    readings[i] = new TelemetryReading(r.slot, r.channel, r.raw);
            return readings;
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
            if (!Enum.IsDefined(typeof(Threading), options.Threading))
                throw new InvalidArgumentException("connect option Threading " + (int)options.Threading +
                                                   " is neither Shared (0) nor Dedicated (1)");
            var native = new NativeConnectOptions
            {
                connect_timeout_ms = options.ConnectTimeoutMs,
                command_timeout_ms = options.CommandTimeoutMs,
                command_retries = options.CommandRetries,
                heartbeat_interval_ms = options.HeartbeatIntervalMs,
                link_timeout_ms = options.LinkTimeoutMs,
                idle_status_rate_hz = options.IdleStatusRateHz,
                callback_queue_capacity = options.CallbackQueueCapacity,
                module_paths = ToNative(options.ModulePaths),
                require_authentication = options.RequireAuthentication,
                threading = (int)options.Threading,
                record_path = options.RecordPath ?? "",
            };
            foreach (var entry in options.Keys ?? new Dictionary<string, byte[]>())
                native.add_key_hex(entry.Key, KeyHex(entry.Value, "the key for " + entry.Key));
            foreach (var file in options.KeyFiles ?? new List<string>())
                native.load_key_file(file);
            return native;
        }

        /// <summary>A 32-byte key as 64 hex digits; the message never shows the key.</summary>
        internal static string KeyHex(byte[] key, string what)
        {
            Require(key, what);
            if (key.Length != 32)
                throw new InvalidArgumentException(what + " has " + key.Length + " bytes; a pen key has 32");
            return BitConverter.ToString(key).Replace("-", "").ToLowerInvariant();
        }

        static StringVector ToNative(IEnumerable<string> directories)
        {
            var paths = new StringVector();
            if (directories == null) return paths;
            foreach (string directory in directories)
                paths.Add(Require(directory, "a directory in connect option ModulePaths"));
            return paths;
        }

        internal static DiscoveredPen ToDiscoveredPen(NativeDiscoveredPen p)
        {
            return new DiscoveredPen(p.url, p.name, (TransportKind)(int)p.transport, p.address,
                                     p.adapter, p.has_rssi ? p.rssi_dbm : (int?)null, p.usb_vid,
                                     p.usb_pid, p.serial_number);
        }

        internal static SerialPortInfo ToSerialPort(NativeSerialPortInfo p)
        {
            return new SerialPortInfo(p.path, p.description, p.is_usb, p.usb_vid, p.usb_pid,
                                      p.manufacturer, p.product, p.serial_number);
        }
    
        // --- add-on modules ------------------------------------------------------------------
        // SWIG's member getters return views into their parent's C++ memory without keeping the
        // parent alive: GC.KeepAlive holds each parent until its fields are copied.

        static IReadOnlyList<string> ToList(StringVector native)
        {
            var items = new List<string>();
            foreach (string item in native) items.Add(item);
            return items.AsReadOnly();
        }

        internal static ParamSpec ToParamSpec(NativeParamSpec p)
        {
            return new ParamSpec(p.key, p.id, (ParamType)(int)p.type, p.unit, p.scale, p.min, p.max, p.step,
                                 p.default_value, ToList(p.labels), (ParamAccess)(int)p.access,
                                 (SafetyClass)(int)p.safety, p.description);
        }

        internal static TelemetrySpec ToTelemetrySpec(NativeTelemetrySpec t)
        {
            return new TelemetrySpec(t.key, t.id, t.unit, t.scale, t.min, t.max, t.has_alarm_low, t.alarm_low,
                                     t.has_alarm_high, t.alarm_high, t.description);
        }

        internal static ModuleDescriptor ToModuleDescriptor(NativeModuleDescriptor d)
        {
            var parameters = new List<ParamSpec>();
            foreach (NativeParamSpec p in d.parameters) parameters.Add(ToParamSpec(p));
            var telemetry = new List<TelemetrySpec>();
            foreach (NativeTelemetrySpec t in d.telemetry) telemetry.Add(ToTelemetrySpec(t));
            var interlocks = new List<InterlockSpec>();
            foreach (NativeInterlockSpec i in d.interlocks)
                interlocks.Add(new InterlockSpec(i.key, i.condition, ToList(i.guards), i.description));
            var descriptor = new ModuleDescriptor(d.key, d.name, d.vendor_id, d.vendor_name, d.model_id,
                                                  ToList(d.profiles), parameters.AsReadOnly(),
                                                  telemetry.AsReadOnly(), interlocks.AsReadOnly());
            System.GC.KeepAlive(d);
            return descriptor;
        }

        internal static Module ToModule(Pen pen, NativeModuleInfo info)
        {
            var module = new Module(pen, info.slot, info.vendor_id, info.model_id, info.firmware_version,
                                    ToModuleDescriptor(info.descriptor));
            System.GC.KeepAlive(info);
            return module;
        }

        /// <summary>A native value from a bool, a number or a string (an enum's label); name is
        /// "module.key", for the error. The descriptor's checks (kind, range, step) stay in C++.</summary>
        internal static NativeParamValue ToParamValue(string name, object value)
        {
            if (value is bool flag) return penlink_csharp.param_bool(flag);
            if (value is string label) return penlink_csharp.param_label(label);
            if (value is double || value is float || value is decimal || value is int || value is long ||
                value is short || value is sbyte || value is byte || value is ushort || value is uint ||
                value is ulong)
            {
                double number = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                if (double.IsNaN(number) || double.IsInfinity(number))
                    throw new InvalidArgumentException(name + " " + number + " is not a finite number");
                return penlink_csharp.param_number(number);
            }
            throw new InvalidArgumentException(name + " " + (value ?? "null") + " is not a bool, a number or a " +
                                               "string label (got " + (value == null ? "null" : value.GetType().Name) + ")");
        }

        /// <summary>bool, double or string.</summary>
        internal static object FromParamValue(NativeParamValue value)
        {
            switch (penlink_csharp.param_kind(value))
            {
                case 0: return value.as_bool();
                case 2: return value.as_label();
                default: return value.as_number();
            }
        }

        internal static NativeParamList ToParamList(string module, IDictionary<string, object> values)
        {
            if (values == null) throw new InvalidArgumentException("the parameters for " + module + " are null");
            var list = new NativeParamList();
            foreach (KeyValuePair<string, object> entry in values)
                using (NativeParamValue value = ToParamValue(module + "." + entry.Key, entry.Value))
                    list.add(entry.Key, value);
            return list;
        }

        internal static IReadOnlyDictionary<string, object> ToDictionary(NativeParamList list)
        {
            // Dictionary keeps insertion order while nothing is removed: descriptor order.
            var values = new Dictionary<string, object>();
            for (int i = 0; i < list.size(); i++)
                using (NativeParamValue value = list.value(i))
                    values.Add(list.key(i), FromParamValue(value));
            return new System.Collections.ObjectModel.ReadOnlyDictionary<string, object>(values);
        }
    }
}
