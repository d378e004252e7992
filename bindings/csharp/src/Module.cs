// An add-on module fitted to the pen (a cooling tip, an RF head, ...), driven by the keys its
// descriptor declares, so a module penlink has never heard of works like any other:
//
//   Module cooling = pen.Module("cooling");
//   cooling.Set("setpoint_c", 12.5);
//   cooling.Set(new Dictionary<string, object> { ["enabled"] = true, ["fan"] = "boost" });
//
// Values are bool, a number (read back as double) or string (an enum's label). Refusals are the
// usual PenException subclasses, naming "module.key": OutOfRangeException (Value, Limit, Unit),
// InvalidArgumentException (unknown key, wrong kind of value), NotSupportedException (the module
// is gone), RejectedException or SafetyException (the pen said no).
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;

namespace Penlink
{
    /// <summary>A module as the pen reported it at connect or after an attach event: an
    /// immutable snapshot that keeps its Pen reachable; Get and Set talk to the pen.</summary>
    public sealed class Module
    {
        internal Module(Pen pen, int slot, int vendorId, int modelId, string firmwareVersion,
                        ModuleDescriptor descriptor)
        {
            Pen = pen;
            Slot = slot;
            VendorId = vendorId;
            ModelId = modelId;
            FirmwareVersion = firmwareVersion;
            Descriptor = descriptor;
        }

        public Pen Pen { get; }
        /// <summary>The pen's slot (1..8).</summary>
        public int Slot { get; }
        /// <summary>The descriptor's key, e.g. "cooling".</summary>
        public string Key => Descriptor.Key;
        public string Name => Descriptor.Name;
        public int VendorId { get; }
        public int ModelId { get; }
        /// <summary>"major.minor.patch"</summary>
        public string FirmwareVersion { get; }
        public ModuleDescriptor Descriptor { get; }
        /// <summary>"key@slot": names exactly this module in Pen.SetParams and friends.</summary>
        public string Selector => Key + "@" + Slot;

        /// <summary>Sets one parameter and waits for the pen's acknowledgement.</summary>
        public void Set(string key, object value) => Pen.SetParam(Selector, Key, key, value);

        /// <summary>Sets every value at once: the pen applies all of them or none.</summary>
        public void Set(IDictionary<string, object> values) => Pen.SetParams(Selector, Key, values);

        public Task SetAsync(IDictionary<string, object> values) => Pen.SetParamsAsync(Selector, Key, values);

        /// <summary>Reads one parameter from the pen: a bool, double or string.</summary>
        public object Get(string key) => Pen.GetParam(Selector, key);

        /// <summary>Every parameter, read from the pen in one go, in descriptor order.</summary>
        public IReadOnlyDictionary<string, object> GetAll() => Pen.GetParams(Selector);

        /// <summary>The reading of channel key in status, in the channel's unit; null if the
        /// frame carries none. Throws InvalidArgumentException if there is no such channel.</summary>
        public double? Telemetry(Status status, string key)
        {
            TelemetrySpec spec = ChannelOf(key);
            if (status.Telemetry == null) return null;  // default(Status)
            foreach (TelemetryReading reading in status.Telemetry)
                if (reading.Slot == Slot && reading.Channel == spec.Id) return reading.Raw * spec.Scale;
            return null;
        }

        /// <summary>True if the reading of channel key in status is beyond its alarm limits.</summary>
        public bool TelemetryAlarm(Status status, string key)
        {
            TelemetrySpec spec = ChannelOf(key);
            double? value = Telemetry(status, key);
            if (value == null) return false;
            return (spec.HasAlarmLow && value < spec.AlarmLow) || (spec.HasAlarmHigh && value > spec.AlarmHigh);
        }

        TelemetrySpec ChannelOf(string key)
        {
            Convert.Require(key, "telemetry channel");
            TelemetrySpec spec = Descriptor.Channel(key);
            if (spec != null) return spec;
            var names = new StringBuilder();
            foreach (TelemetrySpec t in Descriptor.Telemetry) names.Append(names.Length == 0 ? "" : ", ").Append(t.Key);
            throw new InvalidArgumentException("module " + Key + " has no telemetry channel \"" + key +
                                               "\" (it has: " + (names.Length == 0 ? "none" : names.ToString()) + ")");
        }

        public override string ToString() => $"Module({Selector} \"{Name}\", firmware {FirmwareVersion})";
    }
}
