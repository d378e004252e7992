// Treatment recipes (docs/treatments.md): load, validate against the zone chart, the device
// class and a pen, then run with a Runner:
//
//   Recipe recipe = Recipe.Load("examples/recipes/acne-scars.json");
//   foreach (Violation v in recipe.Validate(DeviceClass.AtHome).Violations)
//       Console.WriteLine(v.Field + " " + v.Value + " > " + v.Limit + " " + v.Unit);
using System.Collections.Generic;

namespace Penlink
{
    /// <summary>One thing a recipe may not do: step, field, value, limit, unit and a sentence
    /// naming all of them.</summary>
    public sealed class Violation
    {
        internal Violation(int step, string field, string value, string limit, string unit,
                           string message)
        {
            Step = step;
            Field = field;
            Value = value;
            Limit = limit;
            Unit = unit;
            Message = message;
        }

        /// <summary>Index of the step in the recipe.</summary>
        public int Step { get; }
        /// <summary>e.g. "steps[2].depth_mm".</summary>
        public string Field { get; }
        /// <summary>The recipe's value, e.g. "1.2".</summary>
        public string Value { get; }
        /// <summary>The limit it breaks, e.g. "0.5".</summary>
        public string Limit { get; }
        /// <summary>e.g. "mm"; "" if none.</summary>
        public string Unit { get; }
        /// <summary>One whole sentence naming all of the above.</summary>
        public string Message { get; }

        public override string ToString() => Message;
    }

    /// <summary>Every violation of a recipe at once, plus notes that do not stop a run.</summary>
    public sealed class ValidationReport
    {
        internal ValidationReport(IReadOnlyList<Violation> violations, IReadOnlyList<string> notes,
                                  string text)
        {
            Violations = violations;
            Notes = notes;
            Text = text;
        }

        /// <summary>Empty: the recipe may run.</summary>
        public IReadOnlyList<Violation> Violations { get; }
        /// <summary>Warnings for people.</summary>
        public IReadOnlyList<string> Notes { get; }
        /// <summary>One violation per line, then the notes.</summary>
        public string Text { get; }
        /// <summary>True if there is no violation.</summary>
        public bool Ok => Violations.Count == 0;

        public override string ToString() => Text;
    }

    /// <summary>A parsed treatment recipe (schema penlink.recipe/1); immutable.</summary>
    public sealed class Recipe
    {
        internal readonly NativeRecipe Native;

        Recipe(NativeRecipe native) { Native = native; }

        /// <summary>Reads and parses a recipe file; InvalidArgumentException naming the file
        /// and the place otherwise.</summary>
        public static Recipe Load(string path) => new Recipe(NativeRecipe.load(path));

        /// <summary>Parses a recipe from JSON text; InvalidArgumentException naming the
        /// place.</summary>
        public static Recipe Parse(string json) => new Recipe(NativeRecipe.parse(json));

        /// <summary>The recipe's name, for people.</summary>
        public string Name => Native.name();
        /// <summary>What it treats, e.g. "acne-scars"; may be empty.</summary>
        public string Concern => Native.concern();
        /// <summary>Number of steps.</summary>
        public int StepCount => Native.step_count();
        /// <summary>Needle time of all treat steps, s.</summary>
        public double TotalDurationS => Native.total_duration_s();

        /// <summary>Checks every step offline against the standard zone chart and the device
        /// class. Never throws for a bad recipe: the report lists every violation.</summary>
        public ValidationReport Validate(DeviceClass deviceClass = DeviceClass.Professional) =>
            Validate(new TreatmentOptions { DeviceClass = deviceClass });

        /// <summary>The same against a connected pen: its depth limit, ranges and modules.</summary>
        public ValidationReport Validate(Pen pen, DeviceClass deviceClass = DeviceClass.Professional) =>
            Validate(pen, new TreatmentOptions { DeviceClass = deviceClass });

        /// <summary>Checks every step offline against the options' zone chart, device class
        /// and at-home depth cap. Never throws for a bad recipe; throws
        /// InvalidArgumentException naming the file and the field for a chart that cannot be
        /// read or is malformed.</summary>
        public ValidationReport Validate(TreatmentOptions options)
        {
            using (NativeTreatmentOptions native = ToNative(options))
                return ToReport(Native.validate(native));
        }

        /// <summary>The same against a connected pen: its depth limit, ranges and fitted
        /// modules too.</summary>
        public ValidationReport Validate(Pen pen, TreatmentOptions options)
        {
            if (pen == null) throw new InvalidArgumentException("the pen is null");
            using (NativeTreatmentOptions native = ToNative(options))
                return ToReport(Native.validate_on(pen.NativeResources.Native, native));
        }

        internal static NativeTreatmentOptions ToNative(TreatmentOptions options)
        {
            if (options == null) throw new InvalidArgumentException("the treatment options are null");
            return options.ToNative();
        }

        internal static ValidationReport ToReport(NativeValidationReport report)
        {
            var violations = new List<Violation>();
            foreach (NativeViolation v in report.violations)
                violations.Add(new Violation(v.step, v.field, v.value, v.limit, v.unit, v.message));
            var notes = new List<string>();
            foreach (string note in report.notes) notes.Add(note);
            var result = new ValidationReport(violations.AsReadOnly(), notes.AsReadOnly(), report.text);
            System.GC.KeepAlive(report);
            return result;
        }

        public override string ToString() => "Recipe(" + Name + ", " + StepCount + " steps)";
    }
}
