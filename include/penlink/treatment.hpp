/// @file treatment.hpp
/// @brief Treatment recipes (docs/treatments.md): a zone chart with a depth range per zone, the
/// device class (professional or at-home), the recipe format (docs/recipe.schema.json) and the
/// validation that checks a recipe against all three and against a pen before anything runs.
///
/// Plain values, safe to copy and to read from any thread. The runner is in
/// penlink/treatment_runner.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "penlink/export.h"
#include "penlink/module.hpp"
#include "penlink/module_descriptor.hpp"

namespace penlink {

class Pen;

/// Recipes, zone charts, device classes, validation and the runner.
namespace treatment {

/// One zone of the chart and the needle depths guidance gives for it.
struct Zone {
    std::string key;            ///< stable name recipes use, e.g. "periorbital": [a-z][a-z0-9_-]*
    std::string name;           ///< for people, e.g. "Around the eyes"
    double depth_min_mm = 0.0;  ///< shallowest depth of the range, mm (shallower only warns)
    double depth_max_mm = 0.0;  ///< deepest depth of the range, mm: the zone's cap
    std::string notes;          ///< one line for people, may be empty
};

/// A depth range per zone. The standard chart ships with penlink (treatment/zones.json,
/// installed under share/penlink/treatment); a clinic may load its own file of the same schema.
class PENLINK_EXPORT ZoneChart {
public:
    /// The standard chart, built into the library from treatment/zones.json.
    static ZoneChart standard();
    /// Parses a chart (JSON, schema "penlink.zones/1"). Throws InvalidArgumentError naming
    /// origin and the field, e.g. `clinic.json: zones[3].depth_max_mm: -1 mm must be > 0`.
    static ZoneChart parse(const std::string& json, const std::string& origin = "zone chart");
    /// Reads and parses a chart file; errors name the file.
    static ZoneChart load_file(const std::string& path);

    /// The chart's name.
    const std::string& name() const { return name_; }
    /// Every zone, in the file's order.
    const std::vector<Zone>& zones() const { return zones_; }
    /// The zone named key, or nullptr.
    const Zone* find(const std::string& key) const;
    /// The zone keys, comma separated ("forehead, periorbital, ...").
    std::string keys() const;

private:
    std::string name_;
    std::vector<Zone> zones_;
};

/// Who the device is for. Set by the app (never by a recipe).
enum class DeviceClass {
    Professional = 0,  ///< clinic devices: the zone chart and the pen's limits apply
    AtHome = 1,        ///< consumer devices: a low depth cap and no energy-delivering modules
};

/// "professional" or "at-home".
PENLINK_EXPORT const char* to_string(DeviceClass device_class) noexcept;
/// Parses "professional" or "at-home"; InvalidArgumentError naming the text otherwise.
PENLINK_EXPORT DeviceClass parse_device_class(const std::string& text);

/// The at-home depth cap unless the app configures another, mm.
inline constexpr double kDefaultAtHomeDepthCapMm = 0.25;

/// The device class and its limits, as the app configures them.
struct DeviceProfile {
    DeviceClass device_class = DeviceClass::Professional;  ///< professional or at-home
    /// The deepest an at-home device goes, mm (ignored for professional devices).
    double at_home_depth_cap_mm = kDefaultAtHomeDepthCapMm;
};

/// What a recipe sets on one module for a step: the module named by its key (as Pen::set_params
/// takes it, "key" or "key@slot"), or by a standard profile ("rf", "led"); values in the
/// parameters' units, keyed as in the module's descriptor (docs/modules.md).
struct ModuleSettings {
    std::string module;                ///< e.g. "rf", "led", "cooling", "cooling@2"
    std::vector<ParamSetting> values;  ///< e.g. {"enabled", true}, {"power", 8.0}
};

/// Treat steps run the needle; Pause steps wait for the operator.
enum class StepKind {
    Treat = 0,  ///< the needle runs over one zone
    Pause = 1,  ///< outputs off; waits for the pen's button or Runner::resume()
};

/// One step of a recipe.
struct RecipeStep {
    StepKind kind = StepKind::Treat;  ///< treat or pause
    std::string name;                 ///< for people and records, e.g. "Left cheek"
    std::string zone;                 ///< Treat: the zone chart key
    double depth_mm = 0.0;            ///< Treat: needle depth, mm
    double speed_hz = 0.0;            ///< Treat: needle speed, strokes per second
    /// Treat: how long the needle runs, s (passes * pass_duration_s when given as passes).
    double duration_s = 0.0;
    std::int32_t passes = 0;              ///< Treat: passes over the zone; 0 = given as duration_s
    double pass_duration_s = 0.0;         ///< Treat: seconds per pass (with passes)
    std::vector<ModuleSettings> modules;  ///< Treat: module settings while the step runs
    std::string message;                  ///< Pause: what the operator is asked to do
};

/// A parsed recipe (docs/recipe.schema.json).
struct PENLINK_EXPORT Recipe {
    std::string name;               ///< for people
    std::string concern;            ///< optional, e.g. "acne-scars"
    std::string description;        ///< optional
    std::vector<RecipeStep> steps;  ///< at least one Treat step
    std::string source;             ///< the JSON text it was parsed from (records hash it)
    /// Sum of the Treat steps' durations, s (pauses count 0).
    double total_duration_s() const;
};

/// Parses a recipe (JSON, schema "penlink.recipe/1"). Throws InvalidArgumentError naming the
/// place, e.g. `steps[2].depth_mm: -0.5 mm must be > 0`; unknown fields are refused.
/// Zones, depths against zones and modules are checked by validate(), which reports them all.
PENLINK_EXPORT Recipe parse_recipe(const std::string& json);
/// Reads and parses a recipe file; errors start with the file name.
PENLINK_EXPORT Recipe load_recipe(const std::string& path);

/// One thing a recipe may not do.
struct Violation {
    std::size_t step = 0;  ///< index into Recipe::steps
    std::string field;     ///< e.g. "steps[2].depth_mm" or "steps[1].modules.rf.power"
    std::string value;     ///< the recipe's value, e.g. "1.2"
    std::string limit;     ///< the limit it breaks, e.g. "0.5"
    std::string unit;      ///< e.g. "mm"; "" if none
    std::string message;   ///< one whole sentence naming all of the above
};

/// Every violation found, plus notes that do not stop a run (a depth below a zone's range).
struct PENLINK_EXPORT ValidationReport {
    std::vector<Violation> violations;  ///< empty: the recipe may run
    std::vector<std::string> notes;     ///< warnings for people
    /// True if there is no violation.
    bool ok() const { return violations.empty(); }
    /// One violation per line, then the notes ("note: ...").
    std::string to_string() const;
};

/// What a recipe is checked against.
struct ValidationOptions {
    ZoneChart zones = ZoneChart::standard();  ///< the chart zones and caps come from
    DeviceProfile device;                     ///< the device class
    /// Offline only: the session depth limit to check against (a pen gives its own).
    std::optional<double> depth_limit_mm;
    /// Offline only: descriptors of modules recipes may name. The standard "rf" and "led"
    /// profile modules (modules/rf.json, led.json) are known without being listed here.
    std::vector<ModuleDescriptor> descriptors;
};

/// Checks every step against the zone chart, the device class and options' depth limit and
/// descriptors, without a pen. Never throws for a bad recipe: reports every violation.
PENLINK_EXPORT ValidationReport validate(const Recipe& recipe, const ValidationOptions& options);
/// The same against a connected pen: its session depth limit (Pen::depth_limit()), its depth
/// and speed ranges, and the modules and add-ons it has fitted (each value checked against the
/// module's descriptor). Throws only like Pen::modules() does.
PENLINK_EXPORT ValidationReport validate(const Recipe& recipe, Pen& pen,
                                         const ValidationOptions& options);

/// The standard RF and LED profile modules' descriptors (modules/*.json: rf.json and the LED
/// heads led-blue.json, led-nir.json, led.json: file-name order), built into the library.
PENLINK_EXPORT std::vector<ModuleDescriptor> standard_descriptors();

}  // namespace treatment
}  // namespace penlink
