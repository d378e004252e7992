/* The treatment log from C (penlink/records.h), against a real SQLite file that another
 * process (records_claim_helper, the C++ API) wrote: recent runs, the cartridge ledger, and
 * the errors for a file that is not a log, a missing file and bad arguments.
 * Usage: test_capi_records HELPER SCRATCH_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "penlink/records.h"

static const char* helper;
static char db[512];
static char go[512];

static int run_helper(const char* cartridge, const char* mode) {
    char command[2048];
    snprintf(command, sizeof command, "'%s' '%s' '%s' %s '%s' > /dev/null", helper, db, cartridge,
             mode, go);
    return system(command);
}

static void test_runs_and_ledger(void) {
    pl_treatment_log* log = NULL;
    pl_run_list* runs = NULL;
    pl_cartridge_list* uses = NULL;
    const pl_run* newest;
    const pl_run* oldest;
    FILE* go_file = fopen(go, "w"); /* claim at once */
    CHECK(go_file != NULL);
    fclose(go_file);
    /* The completed run names a session recording (a relative path, stored with its absolute
     * one); the interrupted one has none. */
    {
        char command[2048];
        snprintf(command, sizeof command,
                 "RECORDS_HELPER_RECORDING=sessions/c1.plrec '%s' '%s' CART-C1 claim '%s' "
                 "> /dev/null",
                 helper, db, go);
        CHECK(system(command) == 0); /* completed */
    }
    CHECK(run_helper("CART-C1", "claim") != 0); /* refused by the ledger */
    CHECK(run_helper("CART-C2", "crash") != 0); /* left running: interrupted at next open */

    CHECK_OK(pl_treatment_log_open(&log, db, 0, 0));
    CHECK_OK(pl_treatment_log_recent_runs(&runs, log, 10));
    CHECK(pl_run_list_count(runs) == 2);
    newest = pl_run_list_get(runs, 0);
    oldest = pl_run_list_get(runs, 1);
    CHECK(pl_run_list_get(runs, 2) == NULL);
    CHECK(pl_run_id(newest) > pl_run_id(oldest));
    CHECK(pl_run_get_outcome(newest) == PL_RUN_INTERRUPTED);
    CHECK(strcmp(pl_run_outcome_name(pl_run_get_outcome(newest)), "interrupted") == 0);
    CHECK(strstr(pl_run_text(newest, PL_RUN_REASON), "ended without finishing") != NULL);
    CHECK(pl_run_step_count(newest) == 1);
    CHECK(pl_run_get_outcome(oldest) == PL_RUN_COMPLETED);
    CHECK(strcmp(pl_run_text(oldest, PL_RUN_CARTRIDGE_ID), "CART-C1") == 0);
    CHECK(strcmp(pl_run_text(oldest, PL_RUN_RECIPE_NAME), "race") == 0);
    CHECK(strncmp(pl_run_text(oldest, PL_RUN_PEN_SERIAL), "SIM-", 4) == 0);
    CHECK(strlen(pl_run_text(oldest, PL_RUN_ENDED_UTC)) > 0);
    CHECK(pl_run_failing_step(oldest) == -1);
    CHECK(strcmp(pl_run_text(oldest, (pl_run_field)99), "") == 0);
    CHECK(pl_run_has_recording(oldest) == 1);
    CHECK(strcmp(pl_run_text(oldest, PL_RUN_RECORDING_PATH), "sessions/c1.plrec") == 0);
    {
        const char* absolute = pl_run_text(oldest, PL_RUN_RECORDING_ABSOLUTE_PATH);
        const char* tail = "/sessions/c1.plrec";
        CHECK(absolute[0] == '/');
        CHECK(strlen(absolute) > strlen(tail) &&
              strcmp(absolute + strlen(absolute) - strlen(tail), tail) == 0);
    }
    CHECK(pl_run_recording_started_unix_ms(oldest) == 1767600000123LL);
    CHECK(pl_run_has_recording(newest) == 0);
    CHECK(strcmp(pl_run_text(newest, PL_RUN_RECORDING_PATH), "") == 0);
    CHECK(strcmp(pl_run_text(newest, PL_RUN_RECORDING_ABSOLUTE_PATH), "") == 0);
    CHECK(pl_run_recording_started_unix_ms(newest) == 0);

    CHECK_OK(pl_treatment_log_cartridge_uses(&uses, log, "CART-C1"));
    CHECK(pl_cartridge_list_count(uses) == 1);
    CHECK(pl_cartridge_use_run_id(pl_cartridge_list_get(uses, 0)) == pl_run_id(oldest));
    CHECK(pl_cartridge_use_outcome(pl_cartridge_list_get(uses, 0)) == PL_RUN_COMPLETED);
    CHECK(strcmp(pl_cartridge_use_override_reason(pl_cartridge_list_get(uses, 0)), "") == 0);
    pl_cartridge_list_free(uses);
    CHECK_OK(pl_treatment_log_cartridge_ledger(&uses, log, 50));
    CHECK(pl_cartridge_list_count(uses) == 2);
    CHECK(strcmp(pl_cartridge_use_cartridge_id(pl_cartridge_list_get(uses, 0)), "CART-C2") == 0);

    /* Borrowed rows outlive the log; a freed list reads as empty. */
    pl_treatment_log_free(log);
    CHECK(pl_run_get_outcome(oldest) == PL_RUN_COMPLETED);
    pl_run_list_free(runs);
    CHECK(pl_run_list_count(runs) == 0);
    pl_run_list_free(runs); /* a second free is ignored */
    pl_cartridge_list_free(uses);
    pl_cartridge_list_free(NULL);
    pl_treatment_log_free(NULL);
}

static void test_errors(const char* scratch) {
    pl_treatment_log* log = NULL;
    pl_run_list* runs = NULL;
    char path[600];
    FILE* file;
    snprintf(path, sizeof path, "%s/notes.db", scratch);
    file = fopen(path, "w");
    CHECK(file != NULL);
    fputs("a clinic's notes, not a database: long enough to hold a SQLite header and more\n", file);
    fclose(file);
    CHECK_FAILS(pl_treatment_log_open(&log, path, 1, 0), PL_EINVAL, "is not a penlink treatment");
    CHECK(log == NULL);
    snprintf(path, sizeof path, "%s/none.db", scratch);
    CHECK_FAILS(pl_treatment_log_open(&log, path, 0, 0), PL_ECONNECT, "does not exist");
    CHECK_FAILS(pl_treatment_log_open(&log, NULL, 1, 0), PL_EINVAL, "path is NULL");
    CHECK_FAILS(pl_treatment_log_open(&log, path, 1, -5), PL_EINVAL, "busy_timeout_ms -5");
    CHECK_FAILS(pl_treatment_log_recent_runs(&runs, NULL, 5), PL_EINVAL, "pl_treatment_log");
    CHECK(runs == NULL);
    CHECK(strcmp(pl_run_outcome_name((pl_run_outcome)42), "unknown") == 0);
    CHECK(pl_run_id(NULL) == 0);
    CHECK(strcmp(pl_run_text(NULL, PL_RUN_REASON), "") == 0);
    CHECK(pl_run_has_recording(NULL) == 0);
    CHECK(pl_run_recording_started_unix_ms(NULL) == 0);
}

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_capi_records HELPER SCRATCH_DIR\n");
        return 2;
    }
    helper = argv[1];
    {
        char command[600];
        snprintf(command, sizeof command, "mkdir -p '%s'", argv[2]);
        CHECK(system(command) == 0);
    }
    snprintf(db, sizeof db, "%s/clinic.db", argv[2]);
    snprintf(go, sizeof go, "%s/go", argv[2]);
    remove(db);
    RUN(test_runs_and_ledger);
    test_errors(argv[2]);
    return 0;
}
