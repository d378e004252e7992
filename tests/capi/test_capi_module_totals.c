/* Module totals from C99 (penlink/treatment.h, pl_run_progress and pl_step_totals version 2):
 * a recipe with an RF step and an LED step runs on a real penlink-sim process whose RF and LED
 * are standard descriptor modules (`--addons modules`), and the partner modules' running totals
 * ("rf.energy", "led.dose") reach the progress callback and each step's totals, sorted, equal to
 * the dedicated RF and LED fields. A caller built against version 1 of pl_step_totals gets
 * nothing written past its fields.
 * Usage: test_capi_module_totals PENLINK_SIM_EXECUTABLE */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "penlink/treatment.h"
#include "spawn_sim.h"

static const char* const two_modules =
    "{\"schema\": \"penlink.recipe/1\", \"name\": \"rf then led\", \"steps\": ["
    "{\"name\": \"Jawline\", \"zone\": \"jawline\", \"depth_mm\": 1.0, \"speed_hz\": 100,"
    " \"duration_s\": 1.5, \"modules\": {\"rf\": {\"enabled\": true, \"power\": 8,"
    " \"pulse\": 100}}},"
    "{\"name\": \"Cheek\", \"zone\": \"cheek\", \"depth_mm\": 0.5, \"speed_hz\": 100,"
    " \"duration_s\": 1.5, \"modules\": {\"led\": {\"enabled\": true, \"wavelength\": 633,"
    " \"irradiance\": 50}}}]}";

struct seen {
    int calls;
    int with_totals;
    double rf_energy; /* the last "rf.energy" seen */
    double led_dose;  /* the last "led.dose" seen */
    int rf_matches;   /* reports where "rf.energy" equals rf_energy_j */
    int sorted;       /* every report's keys were sorted */
};

/* The value of key in a version 2 report, or -1 if it is not there. */
static double total_of(size_t count, const char* const* keys, const double* values,
                       const char* key) {
    size_t i;
    for (i = 0; i < count; ++i) {
        if (strcmp(keys[i], key) == 0) return values[i];
    }
    return -1.0;
}

static void on_progress(const pl_run_progress* progress, void* payload) {
    struct seen* seen = (struct seen*)payload;
    size_t i;
    double rf;
    seen->calls += 1;
    CHECK(progress->version >= 2);
    if (progress->module_total_count == 0) return;
    seen->with_totals += 1;
    CHECK(progress->module_total_keys != NULL && progress->module_total_values != NULL);
    for (i = 1; i < progress->module_total_count; ++i) {
        if (strcmp(progress->module_total_keys[i - 1], progress->module_total_keys[i]) >= 0) {
            seen->sorted = 0;
        }
    }
    rf = total_of(progress->module_total_count, progress->module_total_keys,
                  progress->module_total_values, "rf.energy");
    if (rf >= 0) {
        CHECK(rf >= seen->rf_energy); /* run-wide totals only grow */
        seen->rf_energy = rf;
        if (rf == progress->rf_energy_j) seen->rf_matches += 1;
    }
    seen->led_dose = total_of(progress->module_total_count, progress->module_total_keys,
                              progress->module_total_values, "led.dose");
}

/* pl_step_totals as a program built against version 1 allocated it, with a guard after. */
struct totals_v1 {
    unsigned version;
    size_t index;
    const char* name;
    const char* zone;
    double started_s;
    double ended_s;
    uint64_t strokes;
    double depth_set_min_mm;
    double depth_set_max_mm;
    double depth_actual_min_mm;
    double depth_actual_max_mm;
    double rf_energy_j;
    double led_dose_j_cm2;
    const char* outcome;
    unsigned char guard[64];
};

int main(int argc, char** argv) {
    const char* const extra[] = {"--addons", "modules", NULL};
    spawned_sim sim;
    pl_pen* pen = NULL;
    pl_recipe* recipe = NULL;
    pl_runner* runner = NULL;
    pl_step_totals totals = PL_STEP_TOTALS_INIT;
    struct totals_v1 old;
    struct seen seen = {0, 0, 0.0, -1.0, 0, 1};
    pl_run_outcome outcome = PL_RUN_FAILED;
    double rf, led;
    size_t i;

    if (argc != 2) {
        fprintf(stderr, "usage: %s PENLINK_SIM_EXECUTABLE\n", argv[0]);
        return 2;
    }
    CHECK(spawn_sim_with(&sim, argv[1], extra, 10000) == 0);
    CHECK_OK(pl_pen_connect(&pen, sim.url, NULL));
    CHECK_OK(pl_recipe_parse(&recipe, two_modules));
    CHECK_OK(pl_runner_create(&runner, pen, recipe, NULL, on_progress, &seen));
    CHECK_OK(pl_runner_start(runner));
    CHECK_OK(pl_runner_wait(runner, 60000));
    CHECK_OK(pl_runner_result(runner, &outcome, NULL, NULL));
    CHECK(outcome == PL_RUN_COMPLETED);

    /* Progress: the partner modules' totals arrived, sorted, and agree with rf_energy_j. */
    CHECK(seen.calls > 0 && seen.with_totals > 0);
    CHECK(seen.sorted);
    CHECK(seen.rf_energy > 0 && seen.rf_matches > 0);
    CHECK(seen.led_dose > 0);

    /* Step totals, version 2: what each step added, per module channel. */
    CHECK(pl_runner_steps_run(runner) == 2);
    CHECK_OK(pl_runner_step_totals(&totals, runner, 0));
    CHECK(totals.version == PL_STEP_TOTALS_VERSION && totals.module_total_count >= 1);
    rf = total_of(totals.module_total_count, totals.module_total_keys, totals.module_total_values,
                  "rf.energy");
    CHECK(rf > 0 && rf == totals.rf_energy_j && totals.strokes > 0);
    CHECK_OK(pl_runner_step_totals(&totals, runner, 1));
    led = total_of(totals.module_total_count, totals.module_total_keys, totals.module_total_values,
                   "led.dose");
    CHECK(led > 0 && led == totals.led_dose_j_cm2);
    for (i = 1; i < totals.module_total_count; ++i) {
        CHECK(strcmp(totals.module_total_keys[i - 1], totals.module_total_keys[i]) < 0);
    }

    /* A version 1 caller: its fields are filled, nothing after them is touched. */
    memset(&old, 0xA5, sizeof old);
    old.version = 1;
    CHECK_OK(pl_runner_step_totals((pl_step_totals*)(void*)&old, runner, 0));
    CHECK(old.version == 1);
    CHECK(old.strokes > 0 && old.rf_energy_j == rf && strcmp(old.zone, "jawline") == 0);
    for (i = 0; i < sizeof old.guard; ++i) CHECK(old.guard[i] == 0xA5);
    /* An unknown version is refused with its number. */
    totals.version = 99;
    CHECK_FAILS(pl_runner_step_totals(&totals, runner, 0), PL_EINVAL, "99");

    pl_runner_free(runner);
    pl_recipe_free(recipe);
    pl_pen_free(pen);
    stop_sim(&sim);
    fprintf(stderr, "test_capi_module_totals: ok\n");
    return 0;
}
