/// @file penlink_bind_treatment_values.hpp
/// @brief The plain value shapes of treatments for the bindings (see penlink_bind_treatment.hpp):
/// recipe steps, violations, step totals, run results and progress as plain structs with int32
/// indexes, enums as their numbers, and the conversions from the SDK's own types. Split from
/// penlink_bind_treatment.hpp so the run observer (penlink_bind_observer.hpp) can use them
/// before the Runner that takes it is declared. Header-only like penlink_bind.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "penlink/records.hpp"
#include "penlink/treatment.hpp"
#include "penlink/treatment_runner.hpp"
#include "penlink_bind.hpp"

namespace penlink::bind {

/// One step of a recipe (penlink::treatment::RecipeStep) as a plain value.
struct RecipeStep {
    std::int32_t kind = 0;  ///< 0 treat, 1 pause (penlink::treatment::StepKind)
    std::string name;
    std::string zone;  ///< "" for a pause
    double depth_mm = 0.0;
    double speed_hz = 0.0;
    double duration_s = 0.0;
    std::int32_t passes = 0;
    double pass_duration_s = 0.0;
    std::vector<std::string> modules;  ///< the modules the step sets, e.g. "rf", "led"
    std::string message;               ///< pause: what the operator is asked to do
};

/// One thing a recipe may not do (penlink::treatment::Violation).
struct Violation {
    std::int32_t step = 0;
    std::string field;
    std::string value;
    std::string limit;
    std::string unit;
    std::string message;
};

/// Every violation at once, plus notes that do not stop a run.
struct ValidationReport {
    std::vector<Violation> violations;
    std::vector<std::string> notes;
    bool ok() const { return violations.empty(); }
    /// One violation per line, then the notes.
    std::string text;
};

/// One entry of a module_totals map (penlink::StepTotals::module_totals) as a plain value: the
/// increase of one module telemetry channel, e.g. key "rf.energy" in J, "led.dose" in J/cm2.
struct ModuleTotal {
    std::string key;     ///< "module.channel", e.g. "rf.energy"
    double value = 0.0;  ///< in the channel's unit (J or J/cm2)
};

/// What one step delivered (penlink::treatment::StepTotals).
struct StepTotals {
    std::int32_t index = 0;
    std::string name;
    std::string zone;
    double started_s = 0.0;
    double ended_s = 0.0;
    std::uint64_t strokes = 0;
    double depth_set_min_mm = 0.0;
    double depth_set_max_mm = 0.0;
    double depth_actual_min_mm = 0.0;
    double depth_actual_max_mm = 0.0;
    double rf_energy_j = 0.0;
    double led_dose_j_cm2 = 0.0;
    std::string outcome;  ///< "completed", "skipped", "continued", "aborted" or "failed"
    std::vector<ModuleTotal> module_totals;  ///< per module channel, sorted by key
};

/// How a run ended (penlink::treatment::RunResult).
struct RunResult {
    std::int32_t outcome = 0;  ///< RunOutcome: 0 completed, 1 aborted, 2 failed
    std::int32_t step = -1;    ///< the step aborted or failed in; -1 if completed
    std::string reason;
    std::vector<StepTotals> steps;
    double duration_s = 0.0;
};

/// Progress of a run (penlink::treatment::RunProgress).
struct RunProgress {
    std::int32_t state = 0;  ///< RunState: 0 not started .. 4 finished
    std::int32_t step = 0;
    std::int32_t step_count = 0;
    std::string step_name;
    std::string zone;
    std::int32_t current_pass = 0;  ///< 1-based when the step is given as passes, else 0
    std::int32_t passes = 0;
    double step_elapsed_s = 0.0;
    double step_duration_s = 0.0;
    double run_elapsed_s = 0.0;
    double time_left_s = 0.0;
    std::uint64_t step_strokes = 0;
    std::uint64_t total_strokes = 0;
    double rf_energy_j = 0.0;
    double led_dose_j_cm2 = 0.0;
    std::vector<ModuleTotal> module_totals;  ///< run-wide, per module channel, sorted by key
};

/// Told of a run's progress, on the runner's thread.
class ProgressListener {
public:
    virtual ~ProgressListener() = default;
    virtual void on_progress(const RunProgress& progress) = 0;
};

/// What a recipe is checked against and how a run goes.
struct TreatmentOptions {
    std::string device_class = "professional";  ///< or "at-home"
    double at_home_depth_cap_mm = treatment::kDefaultAtHomeDepthCapMm;
    std::string zone_chart_path;  ///< "" = the standard chart
    double depth_limit_mm = 0.0;  ///< offline validation only; 0 = none
    std::int32_t progress_interval_ms = 200;
    std::int32_t status_rate_hz = 50;
    /// Non-empty: the run is written into the treatment log in this file (created if need be)
    /// as it happens (penlink::treatment::RunRecord); Runner::run_id() names it there.
    std::string record_db_path;
    /// With record_db_path: the app's opaque client reference, stored with the run.
    std::string client_reference;
    /// With record_db_path: reuse a cartridge a finished run used, for this reason (recorded).
    std::string cartridge_override_reason;
};

#ifndef SWIG
namespace detail {

inline treatment::DeviceProfile to_profile(const TreatmentOptions& options) {
    treatment::DeviceProfile profile;
    profile.device_class = treatment::parse_device_class(options.device_class);
    profile.at_home_depth_cap_mm = options.at_home_depth_cap_mm;
    return profile;
}

inline treatment::ZoneChart to_chart(const TreatmentOptions& options) {
    return options.zone_chart_path.empty()
               ? treatment::ZoneChart::standard()
               : treatment::ZoneChart::load_file(options.zone_chart_path);
}

inline treatment::ValidationOptions to_validation(const TreatmentOptions& options) {
    treatment::ValidationOptions native;
    native.zones = to_chart(options);
    native.device = to_profile(options);
    if (options.depth_limit_mm > 0.0) native.depth_limit_mm = options.depth_limit_mm;
    return native;
}

inline ValidationReport to_report(const treatment::ValidationReport& native) {
    ValidationReport report;
    for (const treatment::Violation& v : native.violations) {
        report.violations.push_back(Violation{static_cast<std::int32_t>(v.step), v.field, v.value,
                                              v.limit, v.unit, v.message});
    }
    report.notes = native.notes;
    report.text = native.to_string();
    return report;
}

inline std::vector<ModuleTotal> to_module_totals(const std::map<std::string, double>& totals) {
    std::vector<ModuleTotal> out;
    out.reserve(totals.size());
    for (const auto& [key, value] : totals) out.push_back(ModuleTotal{key, value});
    return out;
}

inline StepTotals to_totals(const treatment::StepTotals& t) {
    return StepTotals{static_cast<std::int32_t>(t.index),
                      t.name,
                      t.zone,
                      t.started_s,
                      t.ended_s,
                      t.strokes,
                      t.depth_set_min_mm,
                      t.depth_set_max_mm,
                      t.depth_actual_min_mm,
                      t.depth_actual_max_mm,
                      t.rf_energy_j,
                      t.led_dose_j_cm2,
                      t.outcome,
                      to_module_totals(t.module_totals)};
}

inline RunResult to_result(const treatment::RunResult& native) {
    RunResult result;
    result.outcome = static_cast<std::int32_t>(native.outcome);
    result.step = native.step ? static_cast<std::int32_t>(*native.step) : -1;
    result.reason = native.reason;
    for (const treatment::StepTotals& t : native.steps) result.steps.push_back(to_totals(t));
    result.duration_s = native.duration_s;
    return result;
}

inline RunProgress to_progress(const treatment::RunProgress& p) {
    return RunProgress{static_cast<std::int32_t>(p.state),
                       static_cast<std::int32_t>(p.step),
                       static_cast<std::int32_t>(p.step_count),
                       p.step_name,
                       p.zone,
                       p.pass,
                       p.passes,
                       p.step_elapsed_s,
                       p.step_duration_s,
                       p.run_elapsed_s,
                       p.time_left_s,
                       p.step_strokes,
                       p.total_strokes,
                       p.rf_energy_j,
                       p.led_dose_j_cm2,
                       to_module_totals(p.module_totals)};
}

/// Whether the current thread is running a progress callback of this runner.
inline const void*& progress_runner() {
    thread_local const void* runner = nullptr;
    return runner;
}

/// The listener a runner calls; cleared (under the lock) before the runner goes away, so a
/// listener the host has released is never called.
struct ProgressSlot {
    std::recursive_mutex mutex;  // recursive: the runner may be destroyed inside the callback
    ProgressListener* listener = nullptr;
};

}  // namespace detail
#endif

}  // namespace penlink::bind
