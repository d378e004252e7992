/* The run observer from C99 (pl_run_observer, pl_runner_observe) against a real penlink-sim
 * process: run_started once with the step count, step_started / step_finished for every step in
 * order with real totals (module totals included), a skip event for a step skipped from
 * step_started, run_finished with the outcome, all on the runner's thread where
 * pl_runner_wait is refused; then an abort from step_finished; then the misuse refusals.
 * Usage: test_capi_run_observer PENLINK_SIM_EXECUTABLE */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "penlink/treatment.h"
#include "spawn_sim.h"

static const char* const three_steps =
    "{\"schema\": \"penlink.recipe/1\", \"name\": \"three zones\", \"steps\": ["
    "{\"name\": \"Jawline\", \"zone\": \"jawline\", \"depth_mm\": 1.0, \"speed_hz\": 100,"
    " \"duration_s\": 0.8, \"modules\": {\"rf\": {\"enabled\": true, \"power\": 8,"
    " \"pulse\": 100}}},"
    "{\"name\": \"Forehead\", \"zone\": \"forehead\", \"depth_mm\": 0.5, \"speed_hz\": 100,"
    " \"duration_s\": 0.8},"
    "{\"name\": \"Chin\", \"zone\": \"chin\", \"depth_mm\": 0.8, \"speed_hz\": 100,"
    " \"duration_s\": 0.8}]}";

enum { MAX_CALLS = 64 };

struct seen {
    pl_runner* runner;
    pthread_t caller;
    int off_caller_thread; /* every callback ran off the caller's thread */
    int wait_refused;      /* pl_runner_wait from a callback was PL_EINVAL */
    char calls[MAX_CALLS][32];
    int count;
    size_t step_count;
    uint64_t strokes[3];
    double depth_max[3];
    double rf_energy[3];
    char outcome[3][16];
    int skip_events;
    int abort_events;
    pl_run_outcome finished_outcome;
    size_t finished_step;
    char reason[64];
    size_t skip_step;   /* skip this step from step_started; SIZE_MAX: none */
    size_t abort_after; /* abort from this step's step_finished; SIZE_MAX: none */
};

static void note(struct seen* seen, const char* call, size_t index) {
    if (!pthread_equal(pthread_self(), seen->caller)) seen->off_caller_thread += 1;
    if (pl_runner_wait(seen->runner, 0) == PL_EINVAL) seen->wait_refused += 1;
    if (seen->count < MAX_CALLS) {
        snprintf(seen->calls[seen->count], sizeof seen->calls[0], "%s %u", call, (unsigned)index);
        seen->count += 1;
    }
}

static void on_run_started(const pl_run_info* info, void* payload) {
    struct seen* seen = (struct seen*)payload;
    note(seen, "run_started", info->step_count);
    CHECK(info->version >= 1 && strcmp(info->recipe_name, "three zones") == 0);
    CHECK(info->device_class == PL_DEVICE_PROFESSIONAL && info->pen_serial[0] != '\0');
    seen->step_count = info->step_count;
}

static void on_step_started(size_t index, const char* name, const char* zone, double t_s,
                            void* payload) {
    struct seen* seen = (struct seen*)payload;
    note(seen, "step_started", index);
    CHECK(name != NULL && zone != NULL && t_s >= 0);
    if (index == seen->skip_step) CHECK_OK(pl_runner_skip(seen->runner));
}

static void on_step_finished(const pl_step_totals* totals, void* payload) {
    struct seen* seen = (struct seen*)payload;
    size_t i;
    note(seen, "step_finished", totals->index);
    CHECK(totals->version == PL_STEP_TOTALS_VERSION && totals->index < 3);
    seen->strokes[totals->index] = totals->strokes;
    seen->depth_max[totals->index] = totals->depth_actual_max_mm;
    snprintf(seen->outcome[totals->index], sizeof seen->outcome[0], "%s", totals->outcome);
    for (i = 0; i < totals->module_total_count; ++i) {
        if (strcmp(totals->module_total_keys[i], "rf.energy") == 0) {
            seen->rf_energy[totals->index] = totals->module_total_values[i];
        }
    }
    if (totals->index == seen->abort_after) {
        CHECK_OK(pl_runner_abort(seen->runner, "operator pressed stop"));
    }
}

static void on_event(double t_s, const char* kind, const char* text, void* payload) {
    struct seen* seen = (struct seen*)payload;
    CHECK(t_s >= 0 && text != NULL);
    if (strcmp(kind, "skip") == 0) seen->skip_events += 1;
    if (strcmp(kind, "abort") == 0) seen->abort_events += 1;
}

static void on_run_finished(pl_run_outcome outcome, size_t step, const char* reason,
                            void* payload) {
    struct seen* seen = (struct seen*)payload;
    note(seen, "run_finished", 0);
    seen->finished_outcome = outcome;
    seen->finished_step = step;
    snprintf(seen->reason, sizeof seen->reason, "%s", reason);
}

static void run(const char* url, struct seen* seen) {
    pl_pen* pen = NULL;
    pl_recipe* recipe = NULL;
    pl_run_observer observer;
    pl_run_outcome outcome = PL_RUN_FAILED;

    CHECK_OK(pl_run_observer_init(&observer, PL_RUN_OBSERVER_VERSION));
    observer.run_started = on_run_started;
    observer.step_started = on_step_started;
    observer.step_finished = on_step_finished;
    observer.event = on_event;
    observer.run_finished = on_run_finished;
    observer.payload = seen;
    seen->caller = pthread_self();

    CHECK_OK(pl_pen_connect(&pen, url, NULL));
    CHECK_OK(pl_recipe_parse(&recipe, three_steps));
    CHECK_OK(pl_runner_create(&seen->runner, pen, recipe, NULL, NULL, NULL));
    CHECK_OK(pl_runner_observe(seen->runner, &observer));
    CHECK_FAILS(pl_runner_observe(seen->runner, &observer), PL_EINVAL, "already has an observer");
    CHECK_OK(pl_runner_start(seen->runner));
    CHECK_FAILS(pl_runner_observe(seen->runner, &observer), PL_EINVAL, "the run has started");
    CHECK_OK(pl_runner_wait(seen->runner, 60000));
    CHECK_OK(pl_runner_result(seen->runner, &outcome, NULL, NULL));
    /* run_finished came before pl_runner_wait returned, with the same outcome. */
    CHECK(seen->finished_outcome == outcome);
    CHECK(seen->off_caller_thread == seen->count && seen->wait_refused == seen->count);
    pl_runner_free(seen->runner);
    pl_recipe_free(recipe);
    pl_pen_free(pen);
}

static void every_step_in_order_with_a_skip(const char* url) {
    static struct seen seen;
    static const char* const expected[] = {"run_started 3",   "step_started 0",  "step_finished 0",
                                           "step_started 1",  "step_finished 1", "step_started 2",
                                           "step_finished 2", "run_finished 0"};
    int i;
    memset(&seen, 0, sizeof seen);
    seen.skip_step = 1;
    seen.abort_after = SIZE_MAX;
    run(url, &seen);
    CHECK(seen.count == 8);
    for (i = 0; i < 8; ++i) {
        if (strcmp(seen.calls[i], expected[i]) != 0) {
            fprintf(stderr, "call %d was \"%s\", expected \"%s\"\n", i, seen.calls[i], expected[i]);
            CHECK(0);
        }
    }
    CHECK(seen.step_count == 3);
    CHECK(seen.finished_outcome == PL_RUN_COMPLETED && seen.finished_step == SIZE_MAX);
    CHECK(strcmp(seen.outcome[0], "completed") == 0 && seen.strokes[0] > 0);
    CHECK(seen.depth_max[0] > 0.95 && seen.depth_max[0] < 1.05);
    CHECK(seen.rf_energy[0] > 0); /* the RF module's total reached step_finished */
    CHECK(strcmp(seen.outcome[1], "skipped") == 0 && seen.skip_events == 1);
    CHECK(strcmp(seen.outcome[2], "completed") == 0 && seen.strokes[2] > 0);
    CHECK(seen.depth_max[2] > 0.75 && seen.depth_max[2] < 0.85);
}

static void an_abort_from_step_finished(const char* url) {
    static struct seen seen;
    memset(&seen, 0, sizeof seen);
    seen.skip_step = SIZE_MAX;
    seen.abort_after = 0;
    run(url, &seen);
    CHECK(seen.finished_outcome == PL_RUN_ABORTED);
    CHECK(strcmp(seen.reason, "operator pressed stop") == 0);
    CHECK(seen.abort_events >= 1);
    CHECK(strcmp(seen.calls[seen.count - 1], "run_finished 0") == 0);
}

static void misuse(void) {
    pl_run_observer observer = PL_RUN_OBSERVER_INIT;
    CHECK_FAILS(pl_run_observer_init(&observer, 0), PL_EINVAL, "pl_run_observer");
    CHECK_FAILS(pl_run_observer_init(NULL, PL_RUN_OBSERVER_VERSION), PL_EINVAL, "observer");
    CHECK_FAILS(pl_runner_observe(NULL, &observer), PL_EINVAL, "not a live pl_runner");
}

int main(int argc, char** argv) {
    const char* const extra[] = {"--addons", "modules", NULL};
    spawned_sim sim;
    if (argc != 2) {
        fprintf(stderr, "usage: %s PENLINK_SIM_EXECUTABLE\n", argv[0]);
        return 2;
    }
    CHECK(spawn_sim_with(&sim, argv[1], extra, 10000) == 0);
    RUN(misuse);
    every_step_in_order_with_a_skip(sim.url);
    an_abort_from_step_finished(sim.url);
    stop_sim(&sim);
    fprintf(stderr, "test_capi_run_observer: ok\n");
    return 0;
}
