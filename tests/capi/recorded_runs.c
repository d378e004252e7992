/* See recorded_runs.h. */
#include "recorded_runs.h"

#include <stdio.h>

#include "penlink/records.h"

static void copy(char* to, size_t size, const char* from) { snprintf(to, size, "%s", from); }

int read_recorded_runs(const char* path, recorded_run* runs, int max) {
    pl_treatment_log* log = NULL;
    pl_run_list* list = NULL;
    int count, i;
    if (pl_treatment_log_open(&log, path, 0, 0) != 0 ||
        pl_treatment_log_recent_runs(&list, log, (size_t)max) != 0) {
        fprintf(stderr, "read_recorded_runs(%s): %s\n", path, pl_error_last());
        pl_treatment_log_free(log);
        return -1;
    }
    count = (int)pl_run_list_count(list);
    for (i = 0; i < count; ++i) {
        const pl_run* run = pl_run_list_get(list, (size_t)i);
        recorded_run* out = &runs[i];
        out->id = pl_run_id(run);
        copy(out->outcome, sizeof out->outcome, pl_run_outcome_name(pl_run_get_outcome(run)));
        copy(out->cartridge_id, sizeof out->cartridge_id, pl_run_text(run, PL_RUN_CARTRIDGE_ID));
        copy(out->client_reference, sizeof out->client_reference,
             pl_run_text(run, PL_RUN_CLIENT_REFERENCE));
        copy(out->override_reason, sizeof out->override_reason,
             pl_run_text(run, PL_RUN_CARTRIDGE_OVERRIDE_REASON));
        copy(out->recipe_name, sizeof out->recipe_name, pl_run_text(run, PL_RUN_RECIPE_NAME));
        copy(out->reason, sizeof out->reason, pl_run_text(run, PL_RUN_REASON));
        out->step_count = pl_run_step_count(run);
    }
    pl_run_list_free(list);
    pl_treatment_log_free(log);
    return count;
}

int count_cartridge_uses(const char* path, const char* cartridge_id) {
    pl_treatment_log* log = NULL;
    pl_cartridge_list* uses = NULL;
    int count;
    if (pl_treatment_log_open(&log, path, 0, 0) != 0 ||
        pl_treatment_log_cartridge_uses(&uses, log, cartridge_id) != 0) {
        fprintf(stderr, "count_cartridge_uses(%s): %s\n", path, pl_error_last());
        pl_treatment_log_free(log);
        return -1;
    }
    count = (int)pl_cartridge_list_count(uses);
    pl_cartridge_list_free(uses);
    pl_treatment_log_free(log);
    return count;
}
