/* The treatment calls (penlink/treatment.h) from plain C99: recipes and their errors, offline
 * and on-pen validation, and runs on an in-process simulated pen (completed, refused, aborted),
 * with the callback-thread rules. Usage: test_capi_treatment EXAMPLES_DIR */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "penlink/treatment.h"

static char examples[1024];

static const char* example(const char* name) {
    static char path[1200];
    snprintf(path, sizeof path, "%s/%s.json", examples, name);
    return path;
}

static void recipes_and_errors(void) {
    pl_treatment_options options;
    pl_recipe* recipe = NULL;
    CHECK_OK(pl_treatment_options_init(&options, PL_TREATMENT_OPTIONS_VERSION));
    CHECK(options.device_class == PL_DEVICE_PROFESSIONAL && options.at_home_depth_cap_mm == 0.25);
    CHECK_FAILS(pl_treatment_options_init(&options, 99), PL_EINVAL,
                "pl_treatment_options version 99 is not supported");

    CHECK_FAILS(pl_recipe_parse(&recipe,
                                "{\"schema\": \"penlink.recipe/1\", \"name\": \"x\", \"steps\": ["
                                "{\"name\": \"a\", \"zone\": \"cheek\", \"depth_mm\": 1, "
                                "\"speed_hz\": 100, \"duration_s\": -2}]}"),
                PL_EINVAL, "steps[0].duration_s: -2 s must be > 0");
    CHECK(recipe == NULL);
    CHECK_FAILS(pl_recipe_load(&recipe, "/nonexistent/r.json"), PL_EINVAL,
                "cannot read recipe /nonexistent/r.json");
    CHECK_FAILS(pl_recipe_load(NULL, "x"), PL_EINVAL, "out is NULL");

    CHECK_OK(pl_recipe_load(&recipe, example("acne-scars")));
    CHECK(pl_recipe_step_count(recipe) == 4);
    CHECK(pl_recipe_duration_s(recipe) == 8.0);
    CHECK(strstr(pl_recipe_name(recipe), "Acne scars") != NULL);
    pl_recipe_free(recipe);
    /* A freed handle reads as empty, and freeing it again is ignored (logged). */
    CHECK(pl_recipe_step_count(recipe) == 0);
    CHECK(strcmp(pl_recipe_name(NULL), "") == 0);
    pl_recipe_free(NULL);
}

static void offline_validation(void) {
    pl_recipe* recipe = NULL;
    pl_recipe_report* report = NULL;
    pl_treatment_options options = PL_TREATMENT_OPTIONS_INIT;
    size_t step = 99;
    const char *field = NULL, *value = NULL, *limit = NULL, *unit = NULL, *message = NULL;

    CHECK_OK(pl_recipe_load(&recipe, example("laxity-rf")));
    CHECK_OK(pl_recipe_validate(&report, recipe, NULL, NULL));
    CHECK(pl_recipe_report_count(report) == 0);
    pl_recipe_report_free(report);

    options.device_class = PL_DEVICE_AT_HOME;
    CHECK_OK(pl_recipe_validate(&report, recipe, NULL, &options));
    CHECK(pl_recipe_report_count(report) == 6);
    CHECK_OK(pl_recipe_report_violation(report, 0, &step, &field, &value, &limit, &unit, &message));
    CHECK(step == 0);
    CHECK(strcmp(field, "steps[0].depth_mm") == 0);
    CHECK(strcmp(value, "1") == 0 && strcmp(limit, "0.25") == 0 && strcmp(unit, "mm") == 0);
    CHECK(strstr(message, "exceeds the at-home device class's maximum of 0.25 mm") != NULL);
    CHECK_OK(pl_recipe_report_violation(report, 1, NULL, &field, NULL, NULL, NULL, &message));
    CHECK(strcmp(field, "steps[0].modules.rf") == 0);
    CHECK(strstr(message, "delivers energy") != NULL);
    CHECK(strstr(pl_recipe_report_text(report), "steps[2].modules.rf") != NULL);
    CHECK_FAILS(pl_recipe_report_violation(report, 6, NULL, NULL, NULL, NULL, NULL, NULL),
                PL_EINVAL, "index 6 is beyond the 6 violations");
    pl_recipe_report_free(report);

    options.device_class = (pl_device_class)7;
    CHECK_FAILS(pl_recipe_validate(&report, recipe, NULL, &options), PL_EINVAL,
                "device_class 7 is not");
    options.device_class = PL_DEVICE_PROFESSIONAL;
    options.zone_chart_file = "/nonexistent/zones.json";
    CHECK_FAILS(pl_recipe_validate(&report, recipe, NULL, &options), PL_EINVAL,
                "cannot read zone chart /nonexistent/zones.json");
    pl_recipe_free(recipe);
}

struct progress_log {
    int calls;
    size_t max_step;
    uint64_t strokes;
    int wait_inside;
};

static void on_progress(const pl_run_progress* progress, void* payload) {
    struct progress_log* log = (struct progress_log*)payload;
    log->calls += 1;
    if (progress->step > log->max_step) log->max_step = progress->step;
    log->strokes = progress->total_strokes;
    CHECK(progress->version == PL_RUN_PROGRESS_VERSION && progress->step_count == 4);
    CHECK(progress->zone != NULL && progress->step_name != NULL);
}

static void on_progress_waiting(const pl_run_progress* progress, void* payload) {
    pl_runner* runner = *(pl_runner**)payload;
    (void)progress;
    /* The rules: wait and free are refused here, abort is allowed. */
    if (runner != NULL && pl_runner_wait(runner, 0) == PL_EINVAL) {
        pl_runner_free(runner); /* refused and logged: the runner stays alive */
        CHECK_OK(pl_runner_abort(runner, "aborted from the callback"));
    }
}

static void runs_on_a_pen(void) {
    pl_pen* pen = NULL;
    pl_recipe* recipe = NULL;
    pl_runner* runner = NULL;
    pl_treatment_options at_home = PL_TREATMENT_OPTIONS_INIT;
    struct progress_log log = {0, 0, 0, 0};
    pl_step_totals totals = PL_STEP_TOTALS_INIT;
    pl_run_outcome outcome = PL_RUN_FAILED;
    pl_run_state state = PL_RUN_FINISHED;
    size_t step = 0, i;
    const char* reason = NULL;
    const char* url = NULL;
    pl_recipe_report* report = NULL;

    CHECK_OK(pl_pen_connect(&pen, "sim://?rf=1&led=1&watchdog_ms=2000", NULL));
    CHECK_OK(pl_recipe_load(&recipe, example("acne-scars")));
    CHECK_OK(pl_recipe_validate(&report, recipe, pen, NULL));
    CHECK(pl_recipe_report_count(report) == 0);
    pl_recipe_report_free(report);

    /* Completed, with totals per step. */
    CHECK_OK(pl_runner_create(&runner, pen, recipe, NULL, on_progress, &log));
    CHECK_OK(pl_runner_state(&state, runner));
    CHECK(state == PL_RUN_NOT_STARTED);
    CHECK_FAILS(pl_runner_wait(runner, 0), PL_EINVAL, "not started");
    CHECK_OK(pl_runner_start(runner));
    /* A pen driven by a runner is not freed under it. */
    pl_pen_free(pen);
    CHECK_OK(pl_pen_url(&url, pen));
    CHECK_OK(pl_runner_wait(runner, -1));
    CHECK_OK(pl_runner_result(runner, &outcome, &step, &reason));
    CHECK(outcome == PL_RUN_COMPLETED && step == SIZE_MAX && strcmp(reason, "") == 0);
    CHECK(pl_runner_steps_run(runner) == 4);
    for (i = 0; i < 4; ++i) {
        CHECK_OK(pl_runner_step_totals(&totals, runner, i));
        CHECK(totals.index == i && totals.strokes > 100);
        CHECK(strcmp(totals.outcome, "completed") == 0);
        CHECK(totals.depth_set_max_mm <= 1.5);
    }
    CHECK_OK(pl_runner_step_totals(&totals, runner, 1));
    CHECK(strcmp(totals.zone, "forehead") == 0 && totals.depth_set_max_mm == 0.5);
    CHECK(log.calls > 10 && log.max_step == 3 && log.strokes > 400);
    pl_runner_free(runner);

    /* Refused before anything runs: every violation in the message. */
    at_home.device_class = PL_DEVICE_AT_HOME;
    CHECK_OK(pl_runner_create(&runner, pen, recipe, &at_home, NULL, NULL));
    CHECK_FAILS(pl_runner_start(runner), PL_EINVAL, "refused (4 violations)");
    pl_runner_free(runner);

    /* Aborted from its own callback (where wait and free are refused). */
    runner = NULL;
    {
        pl_runner* shared = NULL;
        CHECK_OK(pl_runner_create(&runner, pen, recipe, NULL, on_progress_waiting, &shared));
        shared = runner;
        CHECK_OK(pl_runner_start(runner));
        CHECK_OK(pl_runner_wait(runner, -1));
        CHECK_OK(pl_runner_result(runner, &outcome, &step, &reason));
        CHECK(outcome == PL_RUN_ABORTED && step == 0);
        CHECK(strcmp(reason, "aborted from the callback") == 0);
        pl_runner_free(runner);
    }

    /* A run still going: wait times out, abort ends it. */
    CHECK_OK(pl_runner_create(&runner, pen, recipe, NULL, NULL, NULL));
    CHECK_OK(pl_runner_start(runner));
    CHECK_FAILS(pl_runner_wait(runner, 300), PL_ETIMEOUT, "the run goes on after 300 ms");
    CHECK_OK(pl_runner_abort(runner, NULL));
    CHECK_OK(pl_runner_wait(runner, 10000));
    CHECK_OK(pl_runner_result(runner, &outcome, NULL, &reason));
    CHECK(outcome == PL_RUN_ABORTED && strcmp(reason, "aborted by the app") == 0);
    pl_runner_free(runner);
    CHECK_FAILS(pl_runner_start(runner), PL_EINVAL, "not a live pl_runner");

    pl_recipe_free(recipe);
    pl_pen_free(pen);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_capi_treatment EXAMPLES_DIR\n");
        return 2;
    }
    snprintf(examples, sizeof examples, "%s", argv[1]);
    RUN(recipes_and_errors);
    RUN(offline_validation);
    RUN(runs_on_a_pen);
    fprintf(stderr, "ok\n");
    return 0;
}
