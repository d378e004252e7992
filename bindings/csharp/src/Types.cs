// Values exchanged with a pen. Immutable; units are in the names.
using System;
using System.Collections.Generic;

namespace Penlink
{
    public enum PenState { Idle = 0, Running = 1, Paused = 2, Fault = 3, EmergencyStopped = 4 }
    public enum RfPolarity { Monopolar = 0, Bipolar = 1 }
    public enum ConnectionState { Connecting = 0, Connected = 1, Lost = 2, Closed = 3 }
    /// <summary>How a discovered pen is reached.</summary>
    public enum TransportKind { Serial = 0, Ble = 1 }
    public enum LogLevel { Trace = 0, Debug = 1, Info = 2, Warning = 3, Error = 4, Off = 5 }

    public enum EventKind
    {
        FaultRaised = 1,
        FaultCleared = 2,
        CartridgeInserted = 3,
        CartridgeRemoved = 4,
        ButtonPressed = 5,
        WatchdogExpired = 6,
        EmergencyStopped = 7,
        EmergencyCleared = 8,
        /// <summary>Detail = the slot; Pen.Modules lists the modules again.</summary>
        ModuleAttached = 9,
        /// <summary>Detail = the slot.</summary>
        ModuleDetached = 10,
        /// <summary>The pen rejected forged, replayed or injected frames; Detail = how many so far.</summary>
        SecurityRejected = 11,
        /// <summary>penlink rejected a forged, replayed or injected frame; Detail = how many so far.</summary>
        FrameRejected = 12,
    }

    /// <summary>What holds a status subscription below the rate it asked for
    /// (StatusRate.LimitedBy); the values match the C++ API.</summary>
    public enum StatusRateLimit
    {
        /// <summary>It gets what it asked for.</summary>
        None = 0,
        /// <summary>The link carries no more status (docs/protocol.md sections 11 and 15.3).</summary>
        Link = 1,
    }

    /// <summary>The status rate a subscription asked for and the rate it gets now
    /// (Subscription.StatusRate). The granted rate follows the link, e.g. a Bluetooth LE link's
    /// MTU.</summary>
    public sealed class StatusRate
    {
        internal StatusRate(int requestedHz, int grantedHz, StatusRateLimit limitedBy, string reason)
        {
            RequestedHz = requestedHz;
            GrantedHz = grantedHz;
            LimitedBy = limitedBy;
            Reason = reason;
        }
        /// <summary>What OnStatus asked for, Hz.</summary>
        public int RequestedHz { get; }
        /// <summary>What this subscriber receives at most, Hz.</summary>
        public int GrantedHz { get; }
        /// <summary>Why GrantedHz is below RequestedHz.</summary>
        public StatusRateLimit LimitedBy { get; }
        /// <summary>In words, e.g. "ble ... carries about 16266 bytes/s; ..."; "" if not limited.</summary>
        public string Reason { get; }

        public override string ToString() =>
            $"StatusRate(requested={RequestedHz} Hz, granted={GrantedHz} Hz, limited by={LimitedBy}{(Reason.Length > 0 ? ": " + Reason : "")})";
    }

    /// <summary>What the authenticated-session checks rejected in the current session
    /// (Pen.SecurityStats(); the counts start again at a reconnect).</summary>
    public sealed class SecurityStats
    {
        internal SecurityStats(bool authenticated, ulong forged, ulong replayed, ulong unauthenticated,
                               uint rejectedByPen)
        {
            Authenticated = authenticated;
            Forged = forged;
            Replayed = replayed;
            Unauthenticated = unauthenticated;
            RejectedByPen = rejectedByPen;
        }
        /// <summary>The session is authenticated.</summary>
        public bool Authenticated { get; }
        /// <summary>Frames whose tag did not verify.</summary>
        public ulong Forged { get; }
        /// <summary>Frames whose counter was used before or is too old.</summary>
        public ulong Replayed { get; }
        /// <summary>Unsealed frames in an authenticated session, or sealed ones outside.</summary>
        public ulong Unauthenticated { get; }
        /// <summary>What the pen last reported (EventKind.SecurityRejected).</summary>
        public uint RejectedByPen { get; }

        public override string ToString() =>
            $"SecurityStats(authenticated={Authenticated}, forged={Forged}, replayed={Replayed}, unauthenticated={Unauthenticated}, rejected by pen={RejectedByPen})";
    }

    /// <summary>Bits of Status.FaultBits; the values match the C++ API.</summary>
    [Flags]
    public enum Fault : uint
    {
        None = 0,
        OverTemperature = 1u << 0,
        BatteryCritical = 1u << 1,
        CartridgeExhausted = 1u << 2,
        CartridgeMissing = 1u << 3,
        MotorStall = 1u << 4,
        RfImpedance = 1u << 5,
        Watchdog = 1u << 6,
        EmergencyStop = 1u << 7,
        Injected = 1u << 8,
        DepthActuator = 1u << 9,
    }

    /// <summary>One status frame. A struct, so streaming allocates nothing per frame (except the
    /// Telemetry list of a frame that carries module telemetry).</summary>
    public readonly struct Status
    {
        internal Status(uint sequence, uint deviceTimeMs, PenState state, double depthSetMm, double depthActualMm, double speedSetHz, double speedActualHz, int batteryPercent, double temperatureC, uint cartridgeId, uint cartridgeStrokes, uint cartridgeStrokeLimit, bool rfEnabled, bool rfDelivering, int rfImpedanceOhm, double rfEnergyJ, bool ledEnabled, bool ledEmitting, int ledWavelengthNm, double ledDoseJCm2, Fault faults, int telemetryCount, IReadOnlyList<TelemetryReading> telemetry)
        {
            Sequence = sequence;
            DeviceTimeMs = deviceTimeMs;
            State = state;
            DepthSetMm = depthSetMm;
            DepthActualMm = depthActualMm;
            SpeedSetHz = speedSetHz;
            SpeedActualHz = speedActualHz;
            BatteryPercent = batteryPercent;
            TemperatureC = temperatureC;
            CartridgeId = cartridgeId;
            CartridgeStrokes = cartridgeStrokes;
            CartridgeStrokeLimit = cartridgeStrokeLimit;
            RfEnabled = rfEnabled;
            RfDelivering = rfDelivering;
            RfImpedanceOhm = rfImpedanceOhm;
            RfEnergyJ = rfEnergyJ;
            LedEnabled = ledEnabled;
            LedEmitting = ledEmitting;
            LedWavelengthNm = ledWavelengthNm;
            LedDoseJCm2 = ledDoseJCm2;
            Faults = faults;
            TelemetryCount = telemetryCount;
            Telemetry = telemetry ?? NoTelemetry;
        }

        static readonly TelemetryReading[] NoTelemetry = new TelemetryReading[0];

        /// <summary>pen's status counter; gaps are dropped frames</summary>
        public uint Sequence { get; }
        /// <summary>pen uptime</summary>
        public uint DeviceTimeMs { get; }
        public PenState State { get; }
        public double DepthSetMm { get; }
        public double DepthActualMm { get; }
        public double SpeedSetHz { get; }
        public double SpeedActualHz { get; }
        public int BatteryPercent { get; }
        public double TemperatureC { get; }
        /// <summary>0 = no cartridge</summary>
        public uint CartridgeId { get; }
        public uint CartridgeStrokes { get; }
        public uint CartridgeStrokeLimit { get; }
        public bool RfEnabled { get; }
        public bool RfDelivering { get; }
        public int RfImpedanceOhm { get; }
        public double RfEnergyJ { get; }
        public bool LedEnabled { get; }
        public bool LedEmitting { get; }
        public int LedWavelengthNm { get; }
        public double LedDoseJCm2 { get; }
        public Fault Faults { get; }
        /// <summary>how many module telemetry readings the frame carries</summary>
        public int TelemetryCount { get; }
        /// <summary>module telemetry readings (null only in default(Status));
        /// Module.Telemetry(status, key) reads one in its unit</summary>
        public IReadOnlyList<TelemetryReading> Telemetry { get; }

        public override string ToString() =>
            $"Status(#{Sequence} {State} depth {DepthActualMm:F2}/{DepthSetMm:F2} mm, " +
            $"speed {SpeedActualHz:F1}/{SpeedSetHz:F1} Hz, faults {Faults})";
    }

    /// <summary>
    /// The pen's current set points, as Pen.ReadSettings reads them back. After a command threw
    /// TimeoutException or ConnectionException its outcome is unknown (it was applied at most
    /// once, never after a newer command of its kind); this says what holds. Rf and Led are the
    /// modes in force, so pen.SetRfMode(settings.Rf) sends one back as it is.
    /// </summary>
    public readonly struct PenSettings
    {
        public PenSettings(PenState state, double depthSetMm, double depthLimitMm, double speedSetHz, bool running, RfMode rf, LedMode led, int statusRateHz, Fault faults)
        {
            State = state;
            DepthSetMm = depthSetMm;
            DepthLimitMm = depthLimitMm;
            SpeedSetHz = speedSetHz;
            Running = running;
            Rf = rf;
            Led = led;
            StatusRateHz = statusRateHz;
            Faults = faults;
        }

        public PenState State { get; }
        public double DepthSetMm { get; }
        /// <summary>the session depth limit the pen enforces</summary>
        public double DepthLimitMm { get; }
        public double SpeedSetHz { get; }
        /// <summary>needle commanded to run</summary>
        public bool Running { get; }
        /// <summary>the RF settings in force (Enabled false when off)</summary>
        public RfMode Rf { get; }
        /// <summary>the LED settings in force (Enabled false when off)</summary>
        public LedMode Led { get; }
        public int StatusRateHz { get; }
        public Fault Faults { get; }

        public override string ToString() =>
            $"PenSettings({State}, {(Running ? "running" : "stopped")}, depth {DepthSetMm:F2} mm " +
            $"(limit {DepthLimitMm:F2} mm), speed {SpeedSetHz:F1} Hz, " +
            $"rf {(Rf != null && Rf.Enabled ? "on" : "off")}, led {(Led != null && Led.Enabled ? "on" : "off")}, " +
            $"status {StatusRateHz} Hz, faults {Faults})";
    }

    /// <summary>Something that happened on the pen.</summary>
    public readonly struct Event
    {
        public Event(EventKind kind, uint detail, uint deviceTimeMs)
        {
            Kind = kind;
            Detail = detail;
            DeviceTimeMs = deviceTimeMs;
        }

        public EventKind Kind { get; }
        /// <summary>fault bit index, cartridge id, button index or watchdog period in ms, depending on Kind</summary>
        public uint Detail { get; }
        public uint DeviceTimeMs { get; }

        public override string ToString() => $"Event({Kind}, {Detail})";
    }

    /// <summary>Who the pen is, from the handshake. FirmwareVersion is "major.minor.patch".</summary>
    public sealed class DeviceInfo
    {
        public DeviceInfo(string model, string serialNumber, string firmwareVersion, int protocolVersion)
        {
            Model = model;
            SerialNumber = serialNumber;
            FirmwareVersion = firmwareVersion;
            ProtocolVersion = protocolVersion;
        }

        public string Model { get; }
        public string SerialNumber { get; }
        public string FirmwareVersion { get; }
        public int ProtocolVersion { get; }

        public override string ToString() =>
            $"DeviceInfo({Model} {SerialNumber}, firmware {FirmwareVersion}, protocol {ProtocolVersion})";
    }

    /// <summary>One fitted LED channel.</summary>
    public sealed class LedChannel
    {
        public LedChannel(int wavelengthNm, double maxIrradianceMwCm2)
        {
            WavelengthNm = wavelengthNm;
            MaxIrradianceMwCm2 = maxIrradianceMwCm2;
        }

        public int WavelengthNm { get; }
        public double MaxIrradianceMwCm2 { get; }

        public override string ToString() =>
            FormattableString.Invariant($"LedChannel({WavelengthNm} nm, up to {MaxIrradianceMwCm2:0.##} mW/cm2)");
    }

    /// <summary>What the RF add-on can do; Fitted is false without it.</summary>
    public sealed class RfCapabilities
    {
        public RfCapabilities(bool fitted, int frequencyMinKhz, int frequencyMaxKhz, double powerMaxW, int pulseMinMs, int pulseMaxMs, bool monopolar, bool bipolar)
        {
            Fitted = fitted;
            FrequencyMinKhz = frequencyMinKhz;
            FrequencyMaxKhz = frequencyMaxKhz;
            PowerMaxW = powerMaxW;
            PulseMinMs = pulseMinMs;
            PulseMaxMs = pulseMaxMs;
            Monopolar = monopolar;
            Bipolar = bipolar;
        }

        public bool Fitted { get; }
        public int FrequencyMinKhz { get; }
        public int FrequencyMaxKhz { get; }
        public double PowerMaxW { get; }
        public int PulseMinMs { get; }
        public int PulseMaxMs { get; }
        public bool Monopolar { get; }
        public bool Bipolar { get; }

        public override string ToString() => !Fitted ? "RfCapabilities(not fitted)" :
            FormattableString.Invariant($"RfCapabilities({FrequencyMinKhz}-{FrequencyMaxKhz} kHz, up to {PowerMaxW:0.##} W, pulse {PulseMinMs}-{PulseMaxMs} ms, {(Monopolar && Bipolar ? "monopolar and bipolar" : Monopolar ? "monopolar" : "bipolar")})");
    }

    /// <summary>What the LED add-on can do; Fitted is false without it.</summary>
    public sealed class LedCapabilities
    {
        public LedCapabilities(bool fitted, IReadOnlyList<LedChannel> channels, double pulseRateMinHz, double pulseRateMaxHz)
        {
            Fitted = fitted;
            Channels = channels;
            PulseRateMinHz = pulseRateMinHz;
            PulseRateMaxHz = pulseRateMaxHz;
        }

        public bool Fitted { get; }
        public IReadOnlyList<LedChannel> Channels { get; }
        public double PulseRateMinHz { get; }
        public double PulseRateMaxHz { get; }

        public override string ToString() => !Fitted ? "LedCapabilities(not fitted)" :
            FormattableString.Invariant($"LedCapabilities({string.Join(", ", Channels)}, pulse {PulseRateMinHz:0.##}-{PulseRateMaxHz:0.##} Hz)");
    }

    /// <summary>What the pen reported it can do; the SDK refuses anything outside these.</summary>
    public sealed class Capabilities
    {
        public Capabilities(double depthMinMm, double depthMaxMm, double depthStepMm, double speedMinHz, double speedMaxHz, int watchdogMs, int maxStatusRateHz, RfCapabilities rf, LedCapabilities led)
        {
            DepthMinMm = depthMinMm;
            DepthMaxMm = depthMaxMm;
            DepthStepMm = depthStepMm;
            SpeedMinHz = speedMinHz;
            SpeedMaxHz = speedMaxHz;
            WatchdogMs = watchdogMs;
            MaxStatusRateHz = maxStatusRateHz;
            Rf = rf;
            Led = led;
        }

        public double DepthMinMm { get; }
        public double DepthMaxMm { get; }
        public double DepthStepMm { get; }
        public double SpeedMinHz { get; }
        public double SpeedMaxHz { get; }
        public int WatchdogMs { get; }
        public int MaxStatusRateHz { get; }
        public RfCapabilities Rf { get; }
        public LedCapabilities Led { get; }

        public override string ToString() =>
            FormattableString.Invariant($"Capabilities(depth {DepthMinMm:0.00}-{DepthMaxMm:0.00} mm step {DepthStepMm:0.00}, speed {SpeedMinHz:0.#}-{SpeedMaxHz:0.#} Hz, watchdog {WatchdogMs} ms, status up to {MaxStatusRateHz} Hz, {Rf}, {Led})");
    }

    /// <summary>RF energy settings (add-on).</summary>
    public sealed class RfMode
    {
        public RfMode(bool enabled, RfPolarity polarity, int frequencyKhz, double powerW, int pulseMs)
        {
            Enabled = enabled;
            Polarity = polarity;
            FrequencyKhz = frequencyKhz;
            PowerW = powerW;
            PulseMs = pulseMs;
        }

        public bool Enabled { get; }
        public RfPolarity Polarity { get; }
        public int FrequencyKhz { get; }
        public double PowerW { get; }
        public int PulseMs { get; }

        public override string ToString() => !Enabled ? "RfMode(off)" :
            FormattableString.Invariant($"RfMode(on, {Polarity}, {FrequencyKhz} kHz, {PowerW:0.##} W, {PulseMs} ms)");

        public static RfMode Off => new RfMode(false, RfPolarity.Bipolar, 1000, 0.0, 100);

        public static RfMode On(RfPolarity polarity, int frequencyKhz, double powerW, int pulseMs) =>
            new RfMode(true, polarity, frequencyKhz, powerW, pulseMs);
    }

    /// <summary>LED light settings (add-on). DutyPercent in (0, 100], pulsed only.</summary>
    public sealed class LedMode
    {
        public LedMode(bool enabled, int wavelengthNm, double irradianceMwCm2, bool pulsed, double pulseRateHz, double dutyPercent)
        {
            Enabled = enabled;
            WavelengthNm = wavelengthNm;
            IrradianceMwCm2 = irradianceMwCm2;
            Pulsed = pulsed;
            PulseRateHz = pulseRateHz;
            DutyPercent = dutyPercent;
        }

        public bool Enabled { get; }
        public int WavelengthNm { get; }
        public double IrradianceMwCm2 { get; }
        public bool Pulsed { get; }
        public double PulseRateHz { get; }
        public double DutyPercent { get; }

        public override string ToString()
        {
            if (!Enabled) return "LedMode(off)";
            string light = FormattableString.Invariant($"{WavelengthNm} nm, {IrradianceMwCm2:0.##} mW/cm2");
            if (!Pulsed) return $"LedMode(on, {light}, continuous)";
            return FormattableString.Invariant($"LedMode(on, {light}, pulsed {PulseRateHz:0.##} Hz at {DutyPercent:0.#} %)");
        }

        public static LedMode Off => new LedMode(false, 633, 0.0, false, 0.0, 50.0);

        public static LedMode Continuous(int wavelengthNm, double irradianceMwCm2) =>
            new LedMode(true, wavelengthNm, irradianceMwCm2, false, 0.0, 50.0);

        public static LedMode PulsedAt(int wavelengthNm, double irradianceMwCm2, double pulseRateHz,
                                       double dutyPercent) =>
            new LedMode(true, wavelengthNm, irradianceMwCm2, true, pulseRateHz, dutyPercent);
    }
}
