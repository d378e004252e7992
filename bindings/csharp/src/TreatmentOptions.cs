// What a recipe is checked against and run under: the device class, a clinic's own zone chart
// and the at-home depth cap (Python's device_class, zone_chart and at_home_depth_cap_mm).
//
//   var options = new TreatmentOptions { ZoneChart = "clinic-zones.json",
//                                        DeviceClass = DeviceClass.AtHome,
//                                        AtHomeDepthCapMm = 0.5 };
//   ValidationReport report = recipe.Validate(options);
using System;

namespace Penlink
{
    /// <summary>What a recipe is checked against and run under (docs/treatments.md). A chart
    /// file that cannot be read or is malformed is refused where the options are used
    /// (Recipe.Validate, new Runner) with an InvalidArgumentException naming the file and the
    /// field; a cap that is not a finite number above 0 mm is refused when an at-home recipe
    /// is validated.</summary>
    public sealed class TreatmentOptions
    {
        /// <summary>Who the device is for; Professional unless set.</summary>
        public DeviceClass DeviceClass { get; set; } = DeviceClass.Professional;

        /// <summary>A zone chart file (schema penlink.zones/1) that replaces the standard
        /// chart; null or "" for the standard chart.</summary>
        public string ZoneChart { get; set; }

        /// <summary>The deepest an at-home device may go, mm; the SDK's default unless set
        /// (read from the native library, so there is one value).</summary>
        public double AtHomeDepthCapMm { get; set; } = DefaultAtHomeDepthCapMm();

        /// <summary>The treatment log (a SQLite file, created if need be) a Runner writes its
        /// run into as it happens (docs/records.md): it claims the pen's cartridge there before
        /// anything moves, then each step, event and the outcome; Runner.RunId names the run
        /// and TreatmentLog reads it back. A cartridge a finished run used fails the run before
        /// any output, with the reason naming the cartridge, unless CartridgeOverrideReason
        /// says why. A file that cannot be opened is refused by the Runner's constructor with a
        /// TreatmentLogException naming it. null or "" for no log.</summary>
        public string RecordDb { get; set; }

        /// <summary>With RecordDb: the app's opaque reference to its client (never a name),
        /// stored with the run; null or "" for none.</summary>
        public string ClientReference { get; set; }

        /// <summary>With RecordDb: reuse a cartridge a finished run used, for this reason
        /// (stored with the run); null or "" to refuse a used cartridge.</summary>
        public string CartridgeOverrideReason { get; set; }

        /// <summary>Refuses a client reference or an override reason without a log to store it
        /// in.</summary>
        internal void RequireLogForRecordFields()
        {
            if (string.IsNullOrEmpty(RecordDb) &&
                (!string.IsNullOrEmpty(ClientReference) || !string.IsNullOrEmpty(CartridgeOverrideReason)))
                throw new InvalidArgumentException(
                    "ClientReference and CartridgeOverrideReason are stored with the run in the " +
                    "treatment log: set RecordDb too");
        }

        static double DefaultAtHomeDepthCapMm()
        {
            using (var defaults = new NativeTreatmentOptions()) return defaults.at_home_depth_cap_mm;
        }

        /// <summary>The native shape; the caller disposes it.</summary>
        internal NativeTreatmentOptions ToNative()
        {
            var options = new NativeTreatmentOptions();
            switch (DeviceClass)
            {
                case DeviceClass.Professional: options.device_class = "professional"; break;
                case DeviceClass.AtHome: options.device_class = "at-home"; break;
                default:
                    options.Dispose();
                    throw new InvalidArgumentException("device class " + (int)DeviceClass +
                                                       " is not Professional (0) or AtHome (1)");
            }
            options.at_home_depth_cap_mm = AtHomeDepthCapMm;
            options.zone_chart_path = ZoneChart ?? "";
            options.record_db_path = RecordDb ?? "";
            options.client_reference = ClientReference ?? "";
            options.cartridge_override_reason = CartridgeOverrideReason ?? "";
            return options;
        }

        /// <summary>For logs: the class, the chart and the cap.</summary>
        public override string ToString() =>
            "TreatmentOptions(" + DeviceClass + ", chart " +
            (string.IsNullOrEmpty(ZoneChart) ? "standard" : ZoneChart) + ", at-home cap " +
            AtHomeDepthCapMm.ToString(System.Globalization.CultureInfo.InvariantCulture) + " mm)";
    }
}
