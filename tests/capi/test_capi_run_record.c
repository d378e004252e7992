/* A C runner's run written into the treatment log (pl_runner_record) and a session recording
 * from the C connect options (record_path), from plain C99, against a real penlink-sim
 * process over TCP and real SQLite and recording files in a scratch directory: the record
 * matches what penctl run writes (steps, client reference, cartridge claim), a used cartridge
 * fails the next run before any output unless a reason is given, and the misuse errors.
 * penlink/treatment.h and penlink/records.h are both included here: the outcome the runner
 * reports and the one read back from the log are the same pl_run_outcome value.
 * Usage: test_capi_run_record PENLINK_SIM SCRATCH_DIR */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "penlink/records.h"
#include "penlink/treatment.h"
#include "spawn_sim.h"

static const char* sim_exe;
static char scratch[512];

static const char* scratch_file(const char* name) {
    static char paths[4][700];
    static int next = 0;
    char* path = paths[next++ % 4];
    snprintf(path, sizeof paths[0], "%s/%s", scratch, name);
    return path;
}

/* Two short treat steps (cheek then forehead): about a second of needle time. */
static const char* const kRecipe =
    "{\"schema\": \"penlink.recipe/1\", \"name\": \"C record\", \"steps\": ["
    "{\"name\": \"Cheek\", \"zone\": \"cheek\", \"depth_mm\": 1.0, \"speed_hz\": 100,"
    " \"duration_s\": 0.5},"
    "{\"name\": \"Forehead\", \"zone\": \"forehead\", \"depth_mm\": 0.5, \"speed_hz\": 100,"
    " \"duration_s\": 0.5}]}";

/* The newest runs of the log at path, at most limit (freed by the caller). */
static pl_run_list* recent_runs(const char* path, size_t limit) {
    pl_treatment_log* log = NULL;
    pl_run_list* runs = NULL;
    CHECK_OK(pl_treatment_log_open(&log, path, 0, 0));
    CHECK_OK(pl_treatment_log_recent_runs(&runs, log, limit));
    pl_treatment_log_free(log);
    return runs;
}

/* How many uses of cartridge_id the ledger at path holds. */
static size_t cartridge_uses(const char* path, const char* cartridge_id) {
    pl_treatment_log* log = NULL;
    pl_cartridge_list* uses = NULL;
    size_t count;
    CHECK_OK(pl_treatment_log_open(&log, path, 0, 0));
    CHECK_OK(pl_treatment_log_cartridge_uses(&uses, log, cartridge_id));
    count = pl_cartridge_list_count(uses);
    pl_cartridge_list_free(uses);
    pl_treatment_log_free(log);
    return count;
}

static pl_pen* connect_spawned(const spawned_sim* sim, const char* record_path) {
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_pen* pen = NULL;
    options.connect_timeout_ms = 5000;
    options.record_path = record_path;
    CHECK_OK(pl_pen_connect(&pen, sim->url, &options));
    return pen;
}

/* Runs recipe on pen recording into db; returns the outcome and the record's run id. */
static pl_run_outcome run_recorded(pl_pen* pen, const pl_recipe* recipe, const char* db,
                                   const char* client, const char* reuse_reason, int64_t* run_id,
                                   const char** reason) {
    pl_runner* runner = NULL;
    pl_run_record_options record = PL_RUN_RECORD_OPTIONS_INIT;
    pl_run_outcome outcome = PL_RUN_ABORTED;
    static char kept_reason[512];
    const char* text = NULL;
    record.log_path = db;
    record.client_reference = client;
    record.cartridge_override_reason = reuse_reason;
    CHECK_OK(pl_runner_create(&runner, pen, recipe, NULL, NULL, NULL));
    CHECK_OK(pl_runner_record(runner, &record));
    CHECK_OK(pl_runner_record_id(run_id, runner));
    CHECK(*run_id == 0); /* nothing claimed before the run starts */
    CHECK_OK(pl_runner_start(runner));
    CHECK_OK(pl_runner_wait(runner, 60000));
    CHECK_OK(pl_runner_result(runner, &outcome, NULL, &text));
    snprintf(kept_reason, sizeof kept_reason, "%s", text);
    *reason = kept_reason;
    CHECK_OK(pl_runner_record_id(run_id, runner));
    pl_runner_free(runner);
    return outcome;
}

static void misuse(void) {
    pl_run_record_options options;
    pl_pen* pen = NULL;
    pl_recipe* recipe = NULL;
    pl_runner* runner = NULL;
    int64_t id = -1;

    CHECK_OK(pl_run_record_options_init(&options, PL_RUN_RECORD_OPTIONS_VERSION));
    CHECK(options.version == PL_RUN_RECORD_OPTIONS_VERSION && options.log_path == NULL &&
          options.client_reference == NULL && options.cartridge_override_reason == NULL &&
          options.busy_timeout_ms == 0);
    CHECK_FAILS(pl_run_record_options_init(&options, 99), PL_EINVAL,
                "pl_run_record_options version 99");
    CHECK_FAILS(pl_run_record_options_init(NULL, 1), PL_EINVAL, "options");

    unlink(scratch_file("misuse.db"));
    CHECK_OK(pl_pen_connect(&pen, "sim://?watchdog_ms=2000", NULL));
    CHECK_OK(pl_recipe_parse(&recipe, kRecipe));
    CHECK_OK(pl_runner_create(&runner, pen, recipe, NULL, NULL, NULL));
    CHECK_FAILS(pl_runner_record(NULL, &options), PL_EINVAL, "not a live pl_runner");
    CHECK_FAILS(pl_runner_record(runner, NULL), PL_EINVAL, "options");
    CHECK_FAILS(pl_runner_record(runner, &options), PL_EINVAL, "log_path is NULL or empty");
    options.log_path = scratch_file("misuse.db");
    options.busy_timeout_ms = -5;
    CHECK_FAILS(pl_runner_record(runner, &options), PL_EINVAL, "busy_timeout_ms -5 ms");
    options.busy_timeout_ms = 0;
    options.version = 0;
    CHECK_FAILS(pl_runner_record(runner, &options), PL_EINVAL, "version 0");
    options.version = PL_RUN_RECORD_OPTIONS_VERSION;
    /* A file that is not a treatment log: refused naming it, and nothing attached. */
    {
        const char* not_a_log = scratch_file("not-a-log.db");
        FILE* file = fopen(not_a_log, "w");
        CHECK(file != NULL);
        fputs("this is not SQLite\n", file);
        fclose(file);
        options.log_path = not_a_log;
        CHECK_FAILS(pl_runner_record(runner, &options), PL_EINVAL, "not-a-log.db");
        options.log_path = scratch_file("misuse.db");
    }
    CHECK_OK(pl_runner_record(runner, &options));
    CHECK_FAILS(pl_runner_record(runner, &options), PL_EINVAL, "already records into");
    CHECK_FAILS(pl_runner_record_id(NULL, runner), PL_EINVAL, "out");
    CHECK_OK(pl_runner_record_id(&id, runner));
    CHECK(id == 0);
    CHECK_OK(pl_runner_start(runner));
    CHECK_FAILS(pl_runner_record(runner, &options), PL_EINVAL, "the run has started");
    CHECK_OK(pl_runner_abort(runner, "misuse test"));
    CHECK_OK(pl_runner_wait(runner, 20000));
    pl_runner_free(runner);
    CHECK_FAILS(pl_runner_record_id(&id, runner), PL_EINVAL, "not a live pl_runner");

    /* Connect options version 4: a recording that cannot be created is refused, naming it. */
    {
        pl_connect_options connect = PL_CONNECT_OPTIONS_INIT;
        pl_pen* refused = NULL;
        CHECK(connect.version >= 4 && connect.record_path == NULL);
        connect.record_path = "/nonexistent-dir/session.plrec";
        CHECK(pl_pen_connect(&refused, "sim://", &connect) != 0);
        CHECK(strstr(pl_error_last(), "/nonexistent-dir/session.plrec") != NULL);
        CHECK(refused == NULL);
        /* A version-3 caller's struct ends before record_path: the field is never read. */
        connect.version = 3;
        CHECK_OK(pl_pen_connect(&refused, "sim://", &connect));
        pl_pen_free(refused);
    }
    pl_recipe_free(recipe);
    pl_pen_free(pen);
}

static void records_runs_like_penctl(void) {
    spawned_sim sim;
    pl_pen* pen;
    pl_recipe* recipe = NULL;
    const char* db = scratch_file("treatments.db");
    const char* session = scratch_file("session.plrec");
    pl_run_list* runs;
    const pl_run* newest;
    char cartridge[64];
    int64_t first = 0, refused = 0, reused = 0;
    pl_run_outcome outcome;
    const char* reason = NULL;
    struct stat recording;
    const char* const extra[] = {"--watchdog-ms", "2000", NULL};

    unlink(db);
    unlink(session);
    CHECK(spawn_sim_with(&sim, sim_exe, extra, 10000) == 0);
    pen = connect_spawned(&sim, session);
    CHECK_OK(pl_recipe_parse(&recipe, kRecipe));

    /* Completed and recorded with both steps and the client reference; the log's outcome is
     * the runner's, value for value. */
    outcome = run_recorded(pen, recipe, db, "client-7f3a", NULL, &first, &reason);
    CHECK(outcome == PL_RUN_COMPLETED);
    CHECK(first > 0);
    runs = recent_runs(db, 4);
    CHECK(pl_run_list_count(runs) == 1);
    newest = pl_run_list_get(runs, 0);
    CHECK(pl_run_id(newest) == first && pl_run_get_outcome(newest) == outcome);
    CHECK(strcmp(pl_run_outcome_name(outcome), "completed") == 0);
    CHECK(strcmp(pl_run_text(newest, PL_RUN_CLIENT_REFERENCE), "client-7f3a") == 0);
    CHECK(strcmp(pl_run_text(newest, PL_RUN_RECIPE_NAME), "C record") == 0);
    CHECK(pl_run_step_count(newest) == 2);
    CHECK(strcmp(pl_run_text(newest, PL_RUN_CARTRIDGE_OVERRIDE_REASON), "") == 0);
    snprintf(cartridge, sizeof cartridge, "%s", pl_run_text(newest, PL_RUN_CARTRIDGE_ID));
    CHECK(cartridge[0] != '\0');
    pl_run_list_free(runs);
    CHECK(cartridge_uses(db, cartridge) == 1);

    /* The same cartridge again: the record refuses it as the run starts, so the run fails
     * before the first step and nothing is claimed. */
    outcome = run_recorded(pen, recipe, db, NULL, NULL, &refused, &reason);
    CHECK(outcome == PL_RUN_FAILED && strcmp(pl_run_outcome_name(outcome), "failed") == 0);
    CHECK(refused == 0);
    CHECK(strstr(reason, "refused before the first step") != NULL);
    CHECK(strstr(reason, cartridge) != NULL);
    runs = recent_runs(db, 4);
    CHECK(pl_run_list_count(runs) == 1);
    pl_run_list_free(runs);

    /* With a reason the reuse is allowed, and recorded. */
    outcome = run_recorded(pen, recipe, db, NULL, "sterile re-use agreed with the client", &reused,
                           &reason);
    CHECK(outcome == PL_RUN_COMPLETED);
    CHECK(reused > first);
    runs = recent_runs(db, 4);
    CHECK(pl_run_list_count(runs) == 2);
    newest = pl_run_list_get(runs, 0);
    CHECK(pl_run_id(newest) == reused && pl_run_get_outcome(newest) == outcome);
    CHECK(strcmp(pl_run_text(newest, PL_RUN_CARTRIDGE_OVERRIDE_REASON),
                 "sterile re-use agreed with the client") == 0);
    CHECK(strcmp(pl_run_text(newest, PL_RUN_CLIENT_REFERENCE), "") == 0);
    CHECK(strcmp(pl_run_text(newest, PL_RUN_CARTRIDGE_ID), cartridge) == 0);
    pl_run_list_free(runs);
    CHECK(cartridge_uses(db, cartridge) == 2);

    pl_recipe_free(recipe);
    pl_pen_free(pen);
    stop_sim(&sim);

    /* The session recording holds the whole session, and plays back as a pen. */
    CHECK(stat(session, &recording) == 0 && recording.st_size > 1000);
    {
        char url[800];
        pl_pen* replayed = NULL;
        pl_device_info info = PL_DEVICE_INFO_INIT;
        snprintf(url, sizeof url, "replay://%s", session);
        CHECK_OK(pl_pen_connect(&replayed, url, NULL));
        CHECK_OK(pl_pen_info(&info, replayed));
        CHECK(strcmp(info.model, "PL-SIM-1") == 0);
        pl_pen_free(replayed);
    }
}

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_capi_run_record PENLINK_SIM SCRATCH_DIR\n");
        return 2;
    }
    sim_exe = argv[1];
    snprintf(scratch, sizeof scratch, "%s", argv[2]);
    mkdir(scratch, 0700);
    RUN(misuse);
    RUN(records_runs_like_penctl);
    fprintf(stderr, "ok\n");
    return 0;
}
