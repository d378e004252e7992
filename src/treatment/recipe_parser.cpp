// Recipe files (docs/recipe.schema.json). Structure, types and plain ranges are refused here
// with the place named; what depends on the zone chart, the device class or a pen is left to
// validate(), which reports every violation at once.
#include <cmath>

#include "json_fields.hpp"
#include "penlink/errors.hpp"
#include "penlink/treatment.hpp"

namespace penlink::treatment {

namespace {

constexpr const char* kRecipeSchema = "penlink.recipe/1";
constexpr std::size_t kMaxSteps = 256;
constexpr double kMaxStepDurationS = 3600.0;
constexpr std::int64_t kMaxPasses = 100;
constexpr std::size_t kMaxModuleValues = 16;  // what one Pen::set_params carries

bool valid_name(const std::string& key, bool allow_slot) {
    std::size_t end = key.size();
    if (allow_slot) {
        const auto at = key.find('@');
        if (at != std::string::npos) {
            if (at + 2 != key.size() || key[at + 1] < '1' || key[at + 1] > '8') return false;
            end = at;
        }
    }
    if (end == 0 || end > 32 || key[0] < 'a' || key[0] > 'z') return false;
    for (std::size_t i = 0; i < end; ++i) {
        const char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

double positive(const detail::Fields& fields, const char* key, const char* unit, double maximum) {
    const double value = fields.number(key);
    if (value <= 0) {
        fields.fail_at(key, detail::format_number(value) + " " + unit + " must be > 0");
    }
    if (value > maximum) {
        fields.fail_at(key, detail::format_number(value) + " " + unit + " exceeds the maximum of " +
                                detail::format_number(maximum) + " " + unit);
    }
    return value;
}

std::vector<ModuleSettings> parse_modules(const detail::Fields& step) {
    const auto& value = step.required("modules");
    const detail::Fields modules(value, step.origin(), step.place_of("modules"));
    std::vector<ModuleSettings> all;
    for (const auto& entry : modules.object()) {
        const std::string key(entry.key());
        if (!valid_name(key, true)) {
            modules.fail_at(key, "'" + key +
                                     "' is not a module key ([a-z][a-z0-9_]*, at most 32, "
                                     "optionally @SLOT 1-8)");
        }
        const detail::Fields params(entry.value(), step.origin(), modules.place_of(key));
        if (params.object().empty()) modules.fail_at(key, "sets nothing");
        if (params.object().size() > kMaxModuleValues) {
            modules.fail_at(key, std::to_string(params.object().size()) +
                                     " values exceed the maximum of " +
                                     std::to_string(kMaxModuleValues) + " per module");
        }
        ModuleSettings settings;
        settings.module = key;
        for (const auto& param : params.object()) {
            const std::string name(param.key());
            if (!valid_name(name, false)) {
                params.fail_at(name, "'" + name + "' is not a parameter key");
            }
            const auto& raw = param.value();
            ParamValue parsed;
            if (raw.is_bool()) {
                parsed = ParamValue(raw.get_bool());
            } else if (raw.is_number()) {
                const double number = raw.to_number<double>();
                if (!std::isfinite(number)) {
                    params.fail_at(name, detail::format_number(number) + " is not a finite number");
                }
                parsed = ParamValue(number);
            } else if (raw.is_string()) {
                parsed = ParamValue(std::string(raw.get_string()));
            } else {
                params.fail_at(name, std::string("must be a boolean, a number or a label, not ") +
                                         detail::kind_name(raw));
            }
            settings.values.push_back({name, parsed});
        }
        all.push_back(std::move(settings));
    }
    return all;
}

RecipeStep parse_step(const boost::json::value& value, const std::string& origin,
                      std::size_t index) {
    const std::string place = "steps[" + std::to_string(index) + "]";
    const detail::Fields fields(value, origin, place);
    RecipeStep step;
    step.name = fields.string("name");
    if (fields.has("pause")) {
        fields.allow_only({"name", "pause"});
        step.kind = StepKind::Pause;
        step.message = fields.string("pause");
        return step;
    }
    fields.allow_only({"name", "zone", "depth_mm", "speed_hz", "duration_s", "passes",
                       "pass_duration_s", "modules"});
    step.kind = StepKind::Treat;
    step.zone = fields.string("zone");
    step.depth_mm = positive(fields, "depth_mm", "mm", 10.0);
    step.speed_hz = positive(fields, "speed_hz", "Hz", 1000.0);
    const bool timed = fields.has("duration_s");
    const bool by_passes = fields.has("passes") || fields.has("pass_duration_s");
    if (timed && by_passes) {
        fields.fail_at("duration_s",
                       "give either duration_s or passes with pass_duration_s, "
                       "not both");
    }
    if (timed) {
        step.duration_s = positive(fields, "duration_s", "s", kMaxStepDurationS);
    } else if (by_passes) {
        const std::int64_t passes = fields.integer("passes");
        if (passes < 1 || passes > kMaxPasses) {
            fields.fail_at("passes", std::to_string(passes) + " is outside 1 to " +
                                         std::to_string(kMaxPasses));
        }
        step.passes = static_cast<std::int32_t>(passes);
        step.pass_duration_s = positive(fields, "pass_duration_s", "s", kMaxStepDurationS);
        step.duration_s = step.passes * step.pass_duration_s;
        if (step.duration_s > kMaxStepDurationS) {
            fields.fail_at("passes", detail::format_number(step.duration_s) +
                                         " s in all exceeds the maximum of " +
                                         detail::format_number(kMaxStepDurationS) + " s per step");
        }
    } else {
        fields.fail_at("duration_s",
                       "missing (required: duration_s, or passes with "
                       "pass_duration_s)");
    }
    if (fields.has("modules")) step.modules = parse_modules(fields);
    return step;
}

}  // namespace

double Recipe::total_duration_s() const {
    double total = 0.0;
    for (const RecipeStep& step : steps) {
        if (step.kind == StepKind::Treat) total += step.duration_s;
    }
    return total;
}

Recipe parse_recipe(const std::string& json) {
    const std::string origin;  // the caller's file name is added by load_recipe
    const auto root = detail::parse_json(json, origin);
    const detail::Fields fields(root, origin, "");
    fields.allow_only({"schema", "name", "concern", "description", "steps"});
    const std::string schema = fields.string("schema");
    if (schema != kRecipeSchema)
        fields.fail_at("schema", "'" + schema + "' is not " + kRecipeSchema);
    Recipe recipe;
    recipe.name = fields.string("name");
    recipe.concern = fields.optional_string("concern");
    recipe.description = fields.optional_string("description");
    const auto& steps = fields.array("steps");
    if (steps.size() > kMaxSteps) {
        fields.fail_at("steps", std::to_string(steps.size()) + " steps exceed the maximum of " +
                                    std::to_string(kMaxSteps));
    }
    bool treats = false;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        recipe.steps.push_back(parse_step(steps[i], origin, i));
        treats = treats || recipe.steps.back().kind == StepKind::Treat;
    }
    if (!treats) fields.fail_at("steps", "must have at least one treatment step (with a zone)");
    recipe.source = json;
    return recipe;
}

Recipe load_recipe(const std::string& path) {
    const std::string text = detail::read_text_file(path, "recipe");
    try {
        return parse_recipe(text);
    } catch (const InvalidArgumentError& error) {
        throw InvalidArgumentError(path + ": " + error.what());
    }
}

}  // namespace penlink::treatment
