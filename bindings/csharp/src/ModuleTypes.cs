// What an add-on module says about itself (docs/modules.md): parameters, telemetry channels and
// interlocks, copied out of the SDK. Immutable; units are in each spec's Unit.
using System;
using System.Collections.Generic;

namespace Penlink
{
    /// <summary>How a module parameter is typed; on the wire every value is raw = value / scale.</summary>
    public enum ParamType { Bool = 0, Integer = 1, Fixed = 2, Enum = 3 }

    /// <summary>Who may do what with a module parameter.</summary>
    public enum ParamAccess { Read = 0, ReadWrite = 1 }

    /// <summary>How the SDK and the pen treat a parameter for safety. Energy: refused away from
    /// its default while the e-stop or a fault is latched, returned to its default by the pen on
    /// e-stop, fault and closed link.</summary>
    public enum SafetyClass { None = 0, Energy = 1 }

    /// <summary>One module telemetry reading as the pen sent it; Module.Telemetry(status, key)
    /// gives it in the channel's unit (Raw * the channel's Scale).</summary>
    public readonly struct TelemetryReading
    {
        public TelemetryReading(int slot, int channel, int raw)
        {
            Slot = slot;
            Channel = channel;
            Raw = raw;
        }

        /// <summary>the module's slot</summary>
        public int Slot { get; }
        /// <summary>the channel's id in the module's descriptor</summary>
        public int Channel { get; }
        public int Raw { get; }

        public override string ToString() => $"TelemetryReading(slot {Slot}, channel {Channel}, raw {Raw})";
    }

    /// <summary>One settable or readable value of a module. Values are in Unit; DefaultValue of
    /// an Enum parameter is its label index (Default gives the label).</summary>
    public sealed class ParamSpec
    {
        public ParamSpec(string key, int id, ParamType type, string unit, double scale, double min, double max, double step, double defaultValue, IReadOnlyList<string> labels, ParamAccess access, SafetyClass safety, string description)
        {
            Key = key;
            Id = id;
            Type = type;
            Unit = unit;
            Scale = scale;
            Min = min;
            Max = max;
            Step = step;
            DefaultValue = defaultValue;
            Labels = labels;
            Access = access;
            Safety = safety;
            Description = description;
        }

        /// <summary>stable name, e.g. "setpoint_c"</summary>
        public string Key { get; }
        /// <summary>wire id</summary>
        public int Id { get; }
        public ParamType Type { get; }
        /// <summary>SI unit, e.g. "degC"; "" = none</summary>
        public string Unit { get; }
        /// <summary>value = raw * Scale</summary>
        public double Scale { get; }
        public double Min { get; }
        public double Max { get; }
        /// <summary>values lie on Min + k * Step</summary>
        public double Step { get; }
        public double DefaultValue { get; }
        /// <summary>Enum: the label of each raw value</summary>
        public IReadOnlyList<string> Labels { get; }
        public ParamAccess Access { get; }
        public SafetyClass Safety { get; }
        public string Description { get; }

        public bool Writable => Access == ParamAccess.ReadWrite;

        /// <summary>The default as this parameter's value: bool, double or string (label).</summary>
        public object Default
        {
            get
            {
                if (Type == ParamType.Bool) return DefaultValue != 0;
                if (Type == ParamType.Enum)
                {
                    int index = (int)DefaultValue;
                    return index >= 0 && index < Labels.Count ? Labels[index] : index.ToString();
                }
                return DefaultValue;
            }
        }

        public override string ToString() => $"ParamSpec({Key}, {Type}, {Min}..{Max} {Unit})";
    }

    /// <summary>One telemetry channel a module reports in every Status.</summary>
    public sealed class TelemetrySpec
    {
        public TelemetrySpec(string key, int id, string unit, double scale, double min, double max, bool hasAlarmLow, double alarmLow, bool hasAlarmHigh, double alarmHigh, string description)
        {
            Key = key;
            Id = id;
            Unit = unit;
            Scale = scale;
            Min = min;
            Max = max;
            HasAlarmLow = hasAlarmLow;
            AlarmLow = alarmLow;
            HasAlarmHigh = hasAlarmHigh;
            AlarmHigh = alarmHigh;
            Description = description;
        }

        public string Key { get; }
        /// <summary>the Channel of its readings</summary>
        public int Id { get; }
        public string Unit { get; }
        public double Scale { get; }
        /// <summary>the range the channel measures, in Unit</summary>
        public double Min { get; }
        public double Max { get; }
        public bool HasAlarmLow { get; }
        public double AlarmLow { get; }
        public bool HasAlarmHigh { get; }
        public double AlarmHigh { get; }
        public string Description { get; }

        public override string ToString() =>
            FormattableString.Invariant($"TelemetrySpec({Key}, channel {Id}, {Min}..{Max} {Unit})");
    }

    /// <summary>A rule the pen enforces, stated so an app can explain a refusal.</summary>
    public sealed class InterlockSpec
    {
        public InterlockSpec(string key, string condition, IReadOnlyList<string> guards, string description)
        {
            Key = key;
            Condition = condition;
            Guards = guards;
            Description = description;
        }

        public string Key { get; }
        /// <summary>"needle_running", "cartridge_fitted", "no_fault" or "param:KEY"</summary>
        public string Condition { get; }
        /// <summary>parameters that may leave their default only while Condition holds</summary>
        public IReadOnlyList<string> Guards { get; }
        public string Description { get; }

        public override string ToString() =>
            $"InterlockSpec({Key}: {string.Join(", ", Guards)} only while {Condition})";
    }

    /// <summary>What a module says about itself.</summary>
    public sealed class ModuleDescriptor
    {
        public ModuleDescriptor(string key, string name, int vendorId, string vendorName, int modelId, IReadOnlyList<string> profiles, IReadOnlyList<ParamSpec> parameters, IReadOnlyList<TelemetrySpec> telemetry, IReadOnlyList<InterlockSpec> interlocks)
        {
            Key = key;
            Name = name;
            VendorId = vendorId;
            VendorName = vendorName;
            ModelId = modelId;
            Profiles = profiles;
            Parameters = parameters;
            Telemetry = telemetry;
            Interlocks = interlocks;
        }

        /// <summary>the module kind, e.g. "cooling"</summary>
        public string Key { get; }
        /// <summary>for people, e.g. "CoolTip C1"</summary>
        public string Name { get; }
        public int VendorId { get; }
        public string VendorName { get; }
        public int ModelId { get; }
        /// <summary>standard profiles it implements ("rf", "led")</summary>
        public IReadOnlyList<string> Profiles { get; }
        public IReadOnlyList<ParamSpec> Parameters { get; }
        public IReadOnlyList<TelemetrySpec> Telemetry { get; }
        public IReadOnlyList<InterlockSpec> Interlocks { get; }

        public override string ToString() =>
            $"ModuleDescriptor({Key}, \"{Name}\" by {VendorName}, {Parameters.Count} parameters, {Telemetry.Count} telemetry channels)";

        /// <summary>The parameter named key, or null.</summary>
        public ParamSpec Parameter(string key)
        {
            foreach (ParamSpec spec in Parameters)
                if (spec.Key == key) return spec;
            return null;
        }

        /// <summary>The telemetry channel named key, or null.</summary>
        public TelemetrySpec Channel(string key)
        {
            foreach (TelemetrySpec spec in Telemetry)
                if (spec.Key == key) return spec;
            return null;
        }
    }
}
