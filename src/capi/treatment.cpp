// penlink/treatment.h: recipes and their validation from C.
#include <cmath>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/handles.hpp"
#include "capi/treatment_capi.hpp"

using namespace penlink;
using penlink::capi::guarded;
using penlink::capi::require;

namespace tr = penlink::treatment;

static_assert(PL_DEVICE_PROFESSIONAL == static_cast<int>(tr::DeviceClass::Professional) &&
              PL_DEVICE_AT_HOME == static_cast<int>(tr::DeviceClass::AtHome));

namespace penlink::capi {

TreatmentSettings settings_of(const pl_treatment_options* options, const char* function) {
    TreatmentSettings settings;
    if (options == nullptr) return settings;
    require_known_version<pl_treatment_options>(options->version, function);
    const int device_class = raw_enum(options->device_class);
    if (device_class != PL_DEVICE_PROFESSIONAL && device_class != PL_DEVICE_AT_HOME) {
        throw InvalidArgumentError(std::string(function) + ": device_class " +
                                   std::to_string(device_class) +
                                   " is not PL_DEVICE_PROFESSIONAL or PL_DEVICE_AT_HOME");
    }
    settings.device.device_class = static_cast<tr::DeviceClass>(device_class);
    if (!(std::isfinite(options->at_home_depth_cap_mm) && options->at_home_depth_cap_mm > 0)) {
        throw InvalidArgumentError(std::string(function) + ": at_home_depth_cap_mm " +
                                   std::to_string(options->at_home_depth_cap_mm) +
                                   " mm must be a finite number > 0");
    }
    settings.device.at_home_depth_cap_mm = options->at_home_depth_cap_mm;
    if (options->zone_chart_file != nullptr) {
        settings.zones = tr::ZoneChart::load_file(options->zone_chart_file);
    }
    if (!std::isfinite(options->depth_limit_mm) || options->depth_limit_mm < 0) {
        throw InvalidArgumentError(std::string(function) + ": depth_limit_mm " +
                                   std::to_string(options->depth_limit_mm) +
                                   " mm must be a finite number >= 0");
    }
    if (options->depth_limit_mm > 0) settings.depth_limit_mm = options->depth_limit_mm;
    return settings;
}

}  // namespace penlink::capi

namespace {

const pl_recipe* live_recipe(const pl_recipe* recipe) {
    return recipe != nullptr && capi::is_live(recipe, capi::HandleKind::Recipe) ? recipe : nullptr;
}

const pl_recipe_report* live_report(const pl_recipe_report* report) {
    return report != nullptr && capi::is_live(report, capi::HandleKind::RecipeReport) ? report
                                                                                      : nullptr;
}

int hand_out(pl_recipe** out, tr::Recipe recipe) {
    auto handle = std::make_unique<pl_recipe>();
    handle->recipe = std::move(recipe);
    capi::register_handle(handle.get(), capi::HandleKind::Recipe);
    *out = handle.release();
    return 0;
}

}  // namespace

extern "C" {

int pl_treatment_options_init(pl_treatment_options* options, unsigned version) {
    const pl_treatment_options defaults = PL_TREATMENT_OPTIONS_INIT;
    return capi::init_struct(options, version, defaults, "pl_treatment_options_init", "options");
}

int pl_recipe_load(pl_recipe** out, const char* path) {
    return guarded([&] {
        require(out, "pl_recipe_load", "out");
        *out = nullptr;
        require(path, "pl_recipe_load", "path");
        return hand_out(out, tr::load_recipe(path));
    });
}

int pl_recipe_parse(pl_recipe** out, const char* json) {
    return guarded([&] {
        require(out, "pl_recipe_parse", "out");
        *out = nullptr;
        require(json, "pl_recipe_parse", "json");
        return hand_out(out, tr::parse_recipe(json));
    });
}

void pl_recipe_free(pl_recipe* recipe) {
    if (recipe == nullptr) return;
    if (!capi::unregister_handle(recipe, capi::HandleKind::Recipe)) {
        capi::log(LogLevel::Error, "pl_recipe_free: pointer is not a live pl_recipe; ignored");
        return;
    }
    std::unique_ptr<pl_recipe> owned(recipe);
}

const char* pl_recipe_name(const pl_recipe* recipe) {
    const pl_recipe* live = live_recipe(recipe);
    return live ? live->recipe.name.c_str() : "";
}

size_t pl_recipe_step_count(const pl_recipe* recipe) {
    const pl_recipe* live = live_recipe(recipe);
    return live ? live->recipe.steps.size() : 0;
}

double pl_recipe_duration_s(const pl_recipe* recipe) {
    const pl_recipe* live = live_recipe(recipe);
    return live ? live->recipe.total_duration_s() : 0.0;
}

int pl_recipe_validate(pl_recipe_report** out, const pl_recipe* recipe, pl_pen* pen,
                       const pl_treatment_options* options) {
    return guarded([&] {
        require(out, "pl_recipe_validate", "out");
        *out = nullptr;
        const pl_recipe* live = live_recipe(recipe);
        if (!live) throw InvalidArgumentError("pl_recipe_validate: recipe is not a live pl_recipe");
        const auto settings = capi::settings_of(options, "pl_recipe_validate");
        tr::ValidationOptions validation;
        validation.zones = settings.zones;
        validation.device = settings.device;
        validation.depth_limit_mm = settings.depth_limit_mm;
        auto report = std::make_unique<pl_recipe_report>();
        report->report =
            pen ? tr::validate(live->recipe, *capi::live_pen(pen, "pl_recipe_validate").pen,
                               validation)
                : tr::validate(live->recipe, validation);
        report->text = report->report.to_string();
        capi::register_handle(report.get(), capi::HandleKind::RecipeReport);
        *out = report.release();
        return 0;
    });
}

size_t pl_recipe_report_count(const pl_recipe_report* report) {
    const pl_recipe_report* live = live_report(report);
    return live ? live->report.violations.size() : 0;
}

int pl_recipe_report_violation(const pl_recipe_report* report, size_t index, size_t* step,
                               const char** field, const char** value, const char** limit,
                               const char** unit, const char** message) {
    return guarded([&] {
        const pl_recipe_report* live = live_report(report);
        if (!live) {
            throw InvalidArgumentError(
                "pl_recipe_report_violation: report is not a live pl_recipe_report");
        }
        const auto& violations = live->report.violations;
        if (index >= violations.size()) {
            throw InvalidArgumentError("pl_recipe_report_violation: index " +
                                       std::to_string(index) + " is beyond the " +
                                       std::to_string(violations.size()) + " violations");
        }
        const tr::Violation& violation = violations[index];
        if (step) *step = violation.step;
        if (field) *field = violation.field.c_str();
        if (value) *value = violation.value.c_str();
        if (limit) *limit = violation.limit.c_str();
        if (unit) *unit = violation.unit.c_str();
        if (message) *message = violation.message.c_str();
        return 0;
    });
}

const char* pl_recipe_report_text(const pl_recipe_report* report) {
    const pl_recipe_report* live = live_report(report);
    return live ? live->text.c_str() : "";
}

void pl_recipe_report_free(pl_recipe_report* report) {
    if (report == nullptr) return;
    if (!capi::unregister_handle(report, capi::HandleKind::RecipeReport)) {
        capi::log(LogLevel::Error,
                  "pl_recipe_report_free: pointer is not a live pl_recipe_report; ignored");
        return;
    }
    std::unique_ptr<pl_recipe_report> owned(report);
}

}  // extern "C"
