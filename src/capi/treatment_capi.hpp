// The C treatment handles (penlink/treatment.h), their struct versions, and the options
// conversion both treatment.cpp and treatment_runner.cpp use.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "capi/struct_versions.hpp"
#include "penlink/treatment.h"
#include "penlink/treatment_runner.hpp"

struct pl_recipe {
    penlink::treatment::Recipe recipe;
};

struct pl_recipe_report {
    penlink::treatment::ValidationReport report;
    std::string text;
};

struct pl_runner {
    pl_pen* pen = nullptr;
    std::unique_ptr<penlink::treatment::Runner> runner;
    pl_run_progress_fn on_progress = nullptr;
    void* payload = nullptr;
    std::mutex mutex;  // guards result
    std::optional<penlink::treatment::RunResult> result;
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
struct StructVersions<pl_step_totals> {
    static constexpr unsigned highest = PL_STEP_TOTALS_VERSION;
    static constexpr const char* name = "pl_step_totals";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_step_totals, outcome) + sizeof(pl_step_totals::outcome)};
};
static_assert(versions_complete<pl_step_totals>());

/// What options (NULL: the defaults) ask for, checked: version, enum, finite cap; the zone
/// chart file is read.
struct TreatmentSettings {
    treatment::DeviceProfile device;
    treatment::ZoneChart zones = treatment::ZoneChart::standard();
    std::optional<double> depth_limit_mm;
};
TreatmentSettings settings_of(const pl_treatment_options* options, const char* function);

}  // namespace penlink::capi
