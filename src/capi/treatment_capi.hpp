// The C treatment handles (penlink/treatment.h), their struct versions, and the options
// conversion both treatment.cpp and treatment_runner.cpp use.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "capi/struct_versions.hpp"
#include "penlink/records.hpp"
#include "penlink/treatment.h"
#include "penlink/treatment_record.hpp"
#include "penlink/treatment_runner.hpp"

struct pl_recipe {
    penlink::treatment::Recipe recipe;
};

struct pl_recipe_report {
    penlink::treatment::ValidationReport report;
    std::string text;
};

namespace penlink::capi {

/// A module_totals map as the two parallel arrays the C structs point at (pl_run_progress,
/// pl_step_totals); the keys point into the map, which must outlive this view. fill() reuses
/// the arrays' storage, so a progress report allocates nothing once the set of keys is known.
struct ModuleTotalsView {
    std::vector<const char*> keys;
    std::vector<double> values;
    void fill(const std::map<std::string, double>& totals) {
        keys.clear();
        values.clear();
        for (const auto& [key, value] : totals) {
            keys.push_back(key.c_str());
            values.push_back(value);
        }
    }
};

/// Every C runner's observer: forwards to the treatment record pl_runner_record() attached,
/// then to the app's pl_run_observer (pl_runner_observe), or does nothing. The C++ Runner takes
/// its observer when it is made, the record and the app's callbacks come later: this stands in
/// between. record and observer are set before the run's thread starts (both calls refuse after
/// pl_runner_start) and only read on that thread afterwards. Defined in treatment_observer.cpp.
class RecordForwarder final : public treatment::RunObserver {
public:
    explicit RecordForwarder(pl_runner& owner) : owner_(owner) {}
    treatment::RunObserver* record = nullptr;
    std::optional<pl_run_observer> observer;  // the app's callbacks, copied

    void run_started(const treatment::RunInfo& info) override;
    void step_started(std::size_t index, const treatment::RecipeStep& step, double t_s) override;
    void step_finished(const treatment::StepTotals& totals) override;
    void event(double t_s, const std::string& kind, const std::string& text) override;
    void run_finished(const treatment::RunResult& result) override;

private:
    pl_runner& owner_;
    ModuleTotalsView step_module_totals_;  // step_finished's, on the runner's thread only
};

/// pl_step_totals (at this library's version) of totals; its strings and module_totals point
/// into totals and view, which must outlive the result.
pl_step_totals to_c_totals(const treatment::StepTotals& totals, const ModuleTotalsView& view);

/// Which runner's callback (progress or observer) the current thread is running, if any:
/// pl_runner_wait and pl_runner_free refuse to be called from there.
const pl_runner*& callback_runner();

}  // namespace penlink::capi

struct pl_runner {
    pl_pen* pen = nullptr;
    // The record and its log are declared before the runner: its thread uses them until the
    // runner is destroyed, and members are destroyed in reverse order.
    std::optional<penlink::TreatmentLog> log;
    std::unique_ptr<penlink::treatment::RunRecord> record;
    penlink::capi::RecordForwarder forwarder{*this};
    std::unique_ptr<penlink::treatment::Runner> runner;
    pl_run_progress_fn on_progress = nullptr;
    void* payload = nullptr;
    std::mutex mutex;      // guards result, started and the record's and observer's attachment
    bool started = false;  // pl_runner_start was called
    std::optional<penlink::treatment::RunResult> result;
    // The result's module totals per step, for pl_step_totals; filled with result.
    std::vector<penlink::capi::ModuleTotalsView> step_module_totals;
    // The progress report's module totals; only touched on the runner's thread.
    penlink::capi::ModuleTotalsView progress_module_totals;
};

namespace penlink::capi {

template <>
struct StructVersions<pl_treatment_options> {
    static constexpr unsigned highest = PL_TREATMENT_OPTIONS_VERSION;
    static constexpr const char* name = "pl_treatment_options";
    static constexpr std::size_t end[] = {0, offsetof(pl_treatment_options, depth_limit_mm) +
                                                 sizeof(pl_treatment_options::depth_limit_mm)};
};
static_assert(versions_complete<pl_treatment_options>());

template <>
struct StructVersions<pl_run_record_options> {
    static constexpr unsigned highest = PL_RUN_RECORD_OPTIONS_VERSION;
    static constexpr const char* name = "pl_run_record_options";
    static constexpr std::size_t end[] = {0, offsetof(pl_run_record_options, busy_timeout_ms) +
                                                 sizeof(pl_run_record_options::busy_timeout_ms)};
};
static_assert(versions_complete<pl_run_record_options>());

template <>
struct StructVersions<pl_step_totals> {
    static constexpr unsigned highest = PL_STEP_TOTALS_VERSION;
    static constexpr const char* name = "pl_step_totals";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_step_totals, outcome) + sizeof(pl_step_totals::outcome),
        offsetof(pl_step_totals, module_total_values) +
            sizeof(pl_step_totals::module_total_values)};
};
static_assert(versions_complete<pl_step_totals>());

template <>
struct StructVersions<pl_run_observer> {
    static constexpr unsigned highest = PL_RUN_OBSERVER_VERSION;
    static constexpr const char* name = "pl_run_observer";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_run_observer, payload) + sizeof(pl_run_observer::payload)};
};
static_assert(versions_complete<pl_run_observer>());

/// What options (NULL: the defaults) ask for, checked: version, enum, finite cap; the zone
/// chart file is read.
struct TreatmentSettings {
    treatment::DeviceProfile device;
    treatment::ZoneChart zones = treatment::ZoneChart::standard();
    std::optional<double> depth_limit_mm;
};
TreatmentSettings settings_of(const pl_treatment_options* options, const char* function);

}  // namespace penlink::capi
