/* Every public C header in one C99 translation unit (they used to declare pl_run_outcome twice,
 * with different numbers, so a file could not include both treatment.h and records.h), and the
 * one pl_run_outcome checked from C: its numbers are the treatment log's, its names the text
 * the log stores, and a runner's aborted run reports the same value a logged one reads back as.
 * Usage: test_capi_headers_together */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "penlink/auth.h"
#include "penlink/common.h"
#include "penlink/connect_options.h"
#include "penlink/discovery.h"
#include "penlink/modules.h"
#include "penlink/pen.h"
#include "penlink/pen_commands.h"
#include "penlink/penlink.h"
#include "penlink/records.h"
#include "penlink/run_outcome.h"
#include "penlink/subscriptions.h"
#include "penlink/treatment.h"
#include "penlink/values.h"

/* Compile-time: the values docs/records.md and the log's outcome column promise. */
typedef char
    outcome_values_are_fixed[(PL_RUN_IN_PROGRESS == 0 && PL_RUN_COMPLETED == 1 &&
                              PL_RUN_ABORTED == 2 && PL_RUN_FAILED == 3 && PL_RUN_INTERRUPTED == 4)
                                 ? 1
                                 : -1];

static void names_match_the_log(void) {
    static const char* const names[] = {"running", "completed", "aborted", "failed", "interrupted"};
    int value;
    for (value = PL_RUN_IN_PROGRESS; value <= PL_RUN_INTERRUPTED; ++value)
        CHECK(strcmp(pl_run_outcome_name((pl_run_outcome)value), names[value]) == 0);
    CHECK(strcmp(pl_run_outcome_name((pl_run_outcome)5), "unknown") == 0);
    CHECK(strcmp(pl_run_outcome_name((pl_run_outcome)-1), "unknown") == 0);
    /* The runner's states keep their own numbers beside the outcomes. */
    CHECK(PL_RUN_RUNNING == 1 && PL_RUN_FINISHED == 4);
}

/* An aborted run on sim:// reports PL_RUN_ABORTED, the log's "aborted". */
static void runner_reports_the_shared_values(void) {
    pl_pen* pen = NULL;
    pl_recipe* recipe = NULL;
    pl_runner* runner = NULL;
    pl_run_outcome outcome = PL_RUN_IN_PROGRESS;
    const char* reason = NULL;
    CHECK_OK(pl_pen_connect(&pen, "sim://", NULL));
    CHECK_OK(pl_recipe_parse(&recipe,
                             "{\"schema\": \"penlink.recipe/1\", \"name\": \"abort me\","
                             " \"steps\": [{\"name\": \"Cheek\", \"zone\": \"cheek\","
                             " \"depth_mm\": 1.0, \"speed_hz\": 100, \"duration_s\": 30}]}"));
    CHECK_OK(pl_runner_create(&runner, pen, recipe, NULL, NULL, NULL));
    CHECK_OK(pl_runner_start(runner));
    CHECK_OK(pl_runner_abort(runner, "headers test"));
    CHECK_OK(pl_runner_wait(runner, 20000));
    CHECK_OK(pl_runner_result(runner, &outcome, NULL, &reason));
    CHECK(outcome == PL_RUN_ABORTED);
    CHECK(strcmp(pl_run_outcome_name(outcome), "aborted") == 0);
    CHECK(strstr(reason, "headers test") != NULL);
    pl_runner_free(runner);
    pl_recipe_free(recipe);
    pl_pen_free(pen);
}

int main(void) {
    (void)sizeof(outcome_values_are_fixed);
    RUN(names_match_the_log);
    RUN(runner_reports_the_shared_values);
    fprintf(stderr, "ok\n");
    return 0;
}
