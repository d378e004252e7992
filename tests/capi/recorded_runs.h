/* Reads back what a run wrote into the treatment log, through penlink/records.h, in a
 * translation unit of its own: penlink/records.h and penlink/treatment.h both declare
 * pl_run_outcome (the log's five outcomes and the runner's three), so one C file cannot include
 * both. The test of the runner's record sees plain fields only. */
#ifndef PENLINK_TESTS_CAPI_RECORDED_RUNS_H
#define PENLINK_TESTS_CAPI_RECORDED_RUNS_H

#include <stddef.h>
#include <stdint.h>

typedef struct recorded_run {
    int64_t id;
    char outcome[16]; /* pl_run_outcome_name(): "completed", "failed", ... */
    char cartridge_id[32];
    char client_reference[64];
    char override_reason[128];
    char recipe_name[64];
    char reason[256];
    size_t step_count;
} recorded_run;

/* Reads the newest runs (at most max) of the treatment log at path, newest first. Returns how
 * many, or -1 after printing pl_error_last(). */
int read_recorded_runs(const char* path, recorded_run* runs, int max);
/* How many uses of cartridge_id the ledger holds, or -1 after printing pl_error_last(). */
int count_cartridge_uses(const char* path, const char* cartridge_id);

#endif
