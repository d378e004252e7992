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
            return options;
        }

        /// <summary>For logs: the class, the chart and the cap.</summary>
        public override string ToString() =>
            "TreatmentOptions(" + DeviceClass + ", chart " +
            (string.IsNullOrEmpty(ZoneChart) ? "standard" : ZoneChart) + ", at-home cap " +
            AtHomeDepthCapMm.ToString(System.Globalization.CultureInfo.InvariantCulture) + " mm)";
    }
}
