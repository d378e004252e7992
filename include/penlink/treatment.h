/**
 * @file treatment.h
 * @brief Treatment recipes from C (docs/treatments.md): load a recipe, validate it against the
 * zone chart, the device class and (optionally) a pen, and run it on a pen with a runner that
 * keeps the depth inside each zone's cap and switches everything off on any fault.
 *
 * The conventions of penlink.h hold (return codes, `out` first, pl_error_last(), versioned
 * structs). Ownership: the library owns every object; the program holds three kinds of owning
 * handle, each freed with its NULL-safe _free(): pl_recipe (immutable), pl_recipe_report (every
 * violation of one validation; its strings are borrowed from it) and pl_runner (one run of one
 * recipe on one pen; strings it returns are valid until it is freed). The handles are checked
 * against the registry of live handles, so a freed one is refused with PL_EINVAL.
 *
 * Threads: a pl_recipe and a pl_recipe_report may be read from any number of threads. A
 * pl_runner's calls are thread-safe. It drives the pen from a thread of its own, on which the
 * progress callback and the pl_run_observer callbacks run, one at a time; they may call
 * pl_runner_pause/resume/skip/abort, but not pl_runner_wait() (PL_EINVAL) or pl_runner_free()
 * (refused, logged). Free a pen's runners
 * before the pen: pl_pen_free() of a pen with a live runner leaves the pen alive and logs an
 * error.
 *
 * Enum values equal the C++ ones (penlink/treatment.hpp, penlink/treatment_runner.hpp) and are
 * never renumbered. A run's outcome is the pl_run_outcome of penlink/run_outcome.h, shared with
 * penlink/records.h: the treatment log's numbers (penlink::RunOutcome), so PL_RUN_COMPLETED is
 * 1 here as it is in a run read back from the log.
 */
#ifndef PENLINK_TREATMENT_H
#define PENLINK_TREATMENT_H

#include <stddef.h>
#include <stdint.h>

#include "penlink/penlink.h"
#include "penlink/run_outcome.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A parsed recipe (immutable). */
typedef struct pl_recipe pl_recipe;
/** What a validation found. */
typedef struct pl_recipe_report pl_recipe_report;
/** One run of a recipe on a pen. */
typedef struct pl_runner pl_runner;

/** Who the device is for; equal to penlink::treatment::DeviceClass. */
typedef enum pl_device_class {
    PL_DEVICE_PROFESSIONAL = 0, /**< the zone chart and the pen's limits apply */
    PL_DEVICE_AT_HOME = 1       /**< also a low depth cap and no energy-delivering modules */
} pl_device_class;

/** What a runner is doing; equal to penlink::treatment::RunState. */
typedef enum pl_run_state {
    PL_RUN_NOT_STARTED = 0,          /**< pl_runner_start() not called yet */
    PL_RUN_RUNNING = 1,              /**< a treat step with the needle running */
    PL_RUN_PAUSED = 2,               /**< pl_runner_pause(): needle and outputs off */
    PL_RUN_WAITING_FOR_OPERATOR = 3, /**< a pause step: waits for the pen's button */
    PL_RUN_FINISHED = 4              /**< pl_runner_wait() returns at once */
} pl_run_state;

/** The version of pl_treatment_options this header describes. */
#define PL_TREATMENT_OPTIONS_VERSION 1
/** How recipes are checked and run; start from PL_TREATMENT_OPTIONS_INIT. */
typedef struct pl_treatment_options {
    unsigned version;             /**< PL_TREATMENT_OPTIONS_VERSION */
    pl_device_class device_class; /**< set by the app, never by a recipe */
    double at_home_depth_cap_mm;  /**< the at-home depth cap, mm (default 0.25) */
    const char* zone_chart_file;  /**< a clinic's zone chart; NULL = the standard chart */
    double depth_limit_mm;        /**< offline validation only: a session limit; 0 = none */
} pl_treatment_options;
/** The defaults: professional, 0.25 mm at-home cap, the standard chart, no offline limit. */
#define PL_TREATMENT_OPTIONS_INIT \
    { PL_TREATMENT_OPTIONS_VERSION, PL_DEVICE_PROFESSIONAL, 0.25, NULL, 0.0 }
/** Fills options with the defaults of the given version (pass PL_TREATMENT_OPTIONS_VERSION). */
PENLINK_EXPORT int pl_treatment_options_init(pl_treatment_options* options, unsigned version);

/** @name Recipes */
/**@{*/
/** Reads and parses a recipe file (docs/recipe.schema.json). PL_EINVAL with pl_error_last()
 * naming the file and place ("r.json: steps[2].depth_mm: -0.5 mm must be > 0"). */
PENLINK_EXPORT int pl_recipe_load(pl_recipe** out, const char* path);
/** Parses a recipe from JSON text; errors as pl_recipe_load(). */
PENLINK_EXPORT int pl_recipe_parse(pl_recipe** out, const char* json);
/** Frees a recipe; NULL is ignored. A runner keeps its own copy. */
PENLINK_EXPORT void pl_recipe_free(pl_recipe* recipe);
/** The recipe's name, borrowed from it; "" for NULL or a freed recipe. */
PENLINK_EXPORT const char* pl_recipe_name(const pl_recipe* recipe);
/** Its number of steps (treat and pause); 0 for NULL. */
PENLINK_EXPORT size_t pl_recipe_step_count(const pl_recipe* recipe);
/** The needle time of its treat steps, s; 0 for NULL. */
PENLINK_EXPORT double pl_recipe_duration_s(const pl_recipe* recipe);
/**@}*/

/** @name Validation */
/**@{*/
/** Checks every step against the zone chart, the device class and the session depth limit,
 * and with pen (may be NULL: offline) against the pen's ranges and modules. A recipe with
 * violations is not an error: the call returns 0 and the report lists them. options may be
 * NULL (the defaults). */
PENLINK_EXPORT int pl_recipe_validate(pl_recipe_report** out, const pl_recipe* recipe, pl_pen* pen,
                                      const pl_treatment_options* options);
/** How many violations; 0 means the recipe may run (0 for NULL). */
PENLINK_EXPORT size_t pl_recipe_report_count(const pl_recipe_report* report);
/** Violation index: step index, field ("steps[2].depth_mm"), value, limit, unit ("" if none)
 * and the whole sentence. Every out pointer may be NULL; strings are borrowed from report. */
PENLINK_EXPORT int pl_recipe_report_violation(const pl_recipe_report* report, size_t index,
                                              size_t* step, const char** field, const char** value,
                                              const char** limit, const char** unit,
                                              const char** message);
/** One violation per line, then the notes ("note: ..."); borrowed; "" for NULL. */
PENLINK_EXPORT const char* pl_recipe_report_text(const pl_recipe_report* report);
/** Frees a report; NULL is ignored. */
PENLINK_EXPORT void pl_recipe_report_free(pl_recipe_report* report);
/**@}*/

/** The version of pl_run_progress this header describes (2 adds the module totals). */
#define PL_RUN_PROGRESS_VERSION 2
/** Progress of a run, handed to the progress callback (library-owned, valid during the call;
 * version says which fields this library fills: read a version 2 field only when version is at
 * least 2). */
typedef struct pl_run_progress {
    unsigned version;       /**< PL_RUN_PROGRESS_VERSION of the library */
    pl_run_state state;     /**< running, paused, waiting for the operator */
    size_t step;            /**< index of the current step */
    size_t step_count;      /**< steps in the recipe */
    const char* step_name;  /**< the current step's name */
    const char* zone;       /**< its zone key; "" in a pause step */
    int32_t pass;           /**< current pass (1-based) when given as passes, else 0 */
    int32_t passes;         /**< the step's passes, 0 if given as a duration */
    double step_elapsed_s;  /**< needle time in this step so far, s */
    double step_duration_s; /**< the step's duration, s */
    double run_elapsed_s;   /**< since the run started, s */
    double time_left_s;     /**< needle time left in this and later steps, s */
    uint64_t step_strokes;  /**< strokes in this step */
    uint64_t total_strokes; /**< strokes since the run started */
    double rf_energy_j;     /**< RF energy since the run started, J */
    double led_dose_j_cm2;  /**< LED dose since the run started, J/cm2 */
    /** Version 2: how many entries module_total_keys and module_total_values have (0 when no
     * fitted module reports a running total). */
    size_t module_total_count;
    /** Version 2: the module telemetry channels' keys, "module.channel" (e.g. "rf.energy"),
     * sorted; the array and its strings are valid during the callback only. */
    const char* const* module_total_keys;
    /** Version 2: the run-wide increase of each channel of module_total_keys, in its unit
     * (J or J/cm2); valid during the callback only. */
    const double* module_total_values;
} pl_run_progress;
/** Called with progress on the runner's thread (see the file comment). */
typedef void (*pl_run_progress_fn)(const pl_run_progress* progress, void* payload);

/** The version of pl_step_totals this header describes (2 adds the module totals). */
#define PL_STEP_TOTALS_VERSION 2
/** What one step delivered (pl_runner_step_totals); strings are borrowed from the runner. */
typedef struct pl_step_totals {
    unsigned version;           /**< PL_STEP_TOTALS_VERSION: the fields the caller allocated */
    size_t index;               /**< index into the recipe's steps */
    const char* name;           /**< the step's name */
    const char* zone;           /**< its zone key; "" for a pause step */
    double started_s;           /**< since the run started, s */
    double ended_s;             /**< since the run started, s */
    uint64_t strokes;           /**< needle strokes */
    double depth_set_min_mm;    /**< shallowest depth set point, mm */
    double depth_set_max_mm;    /**< deepest depth set point, mm */
    double depth_actual_min_mm; /**< shallowest measured depth with the needle running, mm */
    double depth_actual_max_mm; /**< deepest measured depth with the needle running, mm */
    double rf_energy_j;         /**< RF energy, J */
    double led_dose_j_cm2;      /**< LED dose, J/cm2 */
    const char* outcome;        /**< completed, skipped, continued, aborted or failed */
    /** Version 2: how many entries module_total_keys and module_total_values have. */
    size_t module_total_count;
    /** Version 2: the module telemetry channels the step added to, "module.channel" (e.g.
     * "rf.energy"), sorted; borrowed from the runner like the strings above. */
    const char* const* module_total_keys;
    /** Version 2: what the step added to each channel of module_total_keys, in its unit (J or
     * J/cm2); borrowed from the runner. */
    const double* module_total_values;
} pl_step_totals;
/** Prepares totals for pl_runner_step_totals() (pass PL_STEP_TOTALS_VERSION). */
#define PL_STEP_TOTALS_INIT \
    { PL_STEP_TOTALS_VERSION, 0, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, NULL, NULL }

/** The version of pl_run_record_options this header describes. */
#define PL_RUN_RECORD_OPTIONS_VERSION 1
/** Where and how pl_runner_record() writes a run into the treatment log (docs/records.md);
 * start from PL_RUN_RECORD_OPTIONS_INIT. Strings are copied during pl_runner_record(). */
typedef struct pl_run_record_options {
    unsigned version;                      /**< PL_RUN_RECORD_OPTIONS_VERSION */
    const char* log_path;                  /**< the treatment log, a SQLite file (created if it
                                                does not exist); required */
    const char* client_reference;          /**< the app's opaque reference to its client (never
                                                a name or other personal data); NULL or "" for
                                                none */
    const char* cartridge_override_reason; /**< run even though a finished run used the
                                                cartridge, for this reason (recorded); NULL or ""
                                                to refuse a used cartridge */
    int32_t busy_timeout_ms;               /**< how long a write waits for another process
                                                holding the file; 0 = the default, 5000 ms */
} pl_run_record_options;
/** The defaults: no path (set one), no client reference, a used cartridge refused. */
#define PL_RUN_RECORD_OPTIONS_INIT \
    { PL_RUN_RECORD_OPTIONS_VERSION, NULL, NULL, NULL, 0 }
/** Fills options with the defaults of the given version (pass PL_RUN_RECORD_OPTIONS_VERSION). */
PENLINK_EXPORT int pl_run_record_options_init(pl_run_record_options* options, unsigned version);

/** The version of pl_run_info this header describes. */
#define PL_RUN_INFO_VERSION 1
/** The run about to start (pl_run_observer.run_started; library-owned, valid during the call;
 * version says which fields this library fills). */
typedef struct pl_run_info {
    unsigned version;             /**< PL_RUN_INFO_VERSION of the library */
    const char* recipe_name;      /**< the recipe's name */
    const char* recipe_source;    /**< the recipe's JSON text (to hash and store) */
    size_t step_count;            /**< steps in the recipe */
    double planned_duration_s;    /**< the needle time of its treat steps, s */
    pl_device_class device_class; /**< the device class the run is checked against */
    const char* zone_chart;       /**< the zone chart's name */
    const char* pen_model;        /**< the pen's model */
    const char* pen_serial;       /**< the pen's serial number */
    const char* pen_firmware;     /**< the pen's firmware version */
    uint32_t cartridge_id;        /**< the cartridge fitted at start; 0 = unknown */
} pl_run_info;

/** The version of pl_run_observer this header describes. */
#define PL_RUN_OBSERVER_VERSION 1
/** Callbacks told how a run goes, step by step (pl_runner_observe()); start from
 * PL_RUN_OBSERVER_INIT and set the ones you need (NULL ones are skipped). They run on the
 * runner's thread, one at a time, in the order the run happens: run_started, then per step
 * step_started, any events and step_finished, then run_finished once everything is off (the
 * rules of the file comment hold). Pointers they get are valid during the call only. */
typedef struct pl_run_observer {
    unsigned version; /**< PL_RUN_OBSERVER_VERSION */
    /** Before the first step. */
    void (*run_started)(const pl_run_info* info, void* payload);
    /** As step index begins (before its depth is set), t_s seconds into the run; zone is "" for
     * a pause step. */
    void (*step_started)(size_t index, const char* name, const char* zone, double t_s,
                         void* payload);
    /** As a step ends, with what it delivered (version PL_STEP_TOTALS_VERSION of the library,
     * module totals included). */
    void (*step_finished)(const pl_step_totals* totals, void* payload);
    /** Something worth recording: kind is "pause", "resume", "skip", "abort", "fault",
     * "estop", "link", "cartridge", "operator", "pass", "outputs-off" or "warning". */
    void (*event)(double t_s, const char* kind, const char* text, void* payload);
    /** After everything is off: the outcome, the step it was aborted or failed in (SIZE_MAX if
     * completed) and why ("" if completed). */
    void (*run_finished)(pl_run_outcome outcome, size_t step, const char* reason, void* payload);
    void* payload; /**< passed to every callback */
} pl_run_observer;
/** No callbacks set. */
#define PL_RUN_OBSERVER_INIT \
    { PL_RUN_OBSERVER_VERSION, NULL, NULL, NULL, NULL, NULL, NULL }
/** Fills observer with the defaults of the given version (pass PL_RUN_OBSERVER_VERSION). */
PENLINK_EXPORT int pl_run_observer_init(pl_run_observer* observer, unsigned version);

/** @name Runner */
/**@{*/
/** A runner for recipe (copied) on pen; nothing is sent yet. on_progress may be NULL;
 * options may be NULL (the defaults). */
PENLINK_EXPORT int pl_runner_create(pl_runner** out, pl_pen* pen, const pl_recipe* recipe,
                                    const pl_treatment_options* options,
                                    pl_run_progress_fn on_progress, void* payload);
/** Writes the run into the treatment log at options->log_path exactly as `penctl run` does
 * (C++ penlink::treatment::RunRecord): the cartridge is claimed when the run starts, before
 * anything on the pen moves, so a cartridge a finished run already used fails the run there
 * (PL_RUN_FAILED, everything off) unless cartridge_override_reason is set; then every step,
 * event and the outcome, so a failed or aborted run still leaves a complete record. Call before
 * pl_runner_start(), at most once: PL_EINVAL after it or a second time. The log is opened (and
 * created) here: PL_ECONNECT if the file cannot be written, PL_EINVAL if it is not a treatment
 * log, PL_ENOTSUP if its schema is newer than this library; pl_error_last() names the file. */
PENLINK_EXPORT int pl_runner_record(pl_runner* runner, const pl_run_record_options* options);
/** Tells observer's callbacks (copied here) how the run goes; with pl_runner_record() the
 * record is written first, then the observer is told. Call before pl_runner_start(), at most
 * once: PL_EINVAL after it, a second time, or for an unknown observer->version. */
PENLINK_EXPORT int pl_runner_observe(pl_runner* runner, const pl_run_observer* observer);
/** The run's id in the treatment log (pl_run_id() of it in pl_treatment_log_recent_runs()) once
 * the cartridge was claimed; 0 without pl_runner_record(), before the run started or if the
 * record refused the run. */
PENLINK_EXPORT int pl_runner_record_id(int64_t* out, const pl_runner* runner);
/** Validates against the pen and starts the run. PL_EINVAL with every violation in
 * pl_error_last() if the recipe may not run; PL_EFAULT or PL_EESTOP if the pen is faulted. */
PENLINK_EXPORT int pl_runner_start(pl_runner* runner);
/** Stops the needle and switches outputs off, keeping the step's place. Between two steps it
 * holds the next treat step paused before its needle, depth or outputs are set
 * (docs/treatments.md, "Pause and resume"). */
PENLINK_EXPORT int pl_runner_pause(pl_runner* runner);
/** Resumes after pl_runner_pause(), or continues a pause step; cancels a pause not applied yet;
 * between two steps it is kept for a pause step that follows (docs/treatments.md, "Pause and
 * resume"). Otherwise ignored and not remembered. */
PENLINK_EXPORT int pl_runner_resume(pl_runner* runner);
/** Ends one step ("skipped") and goes on: the step under way, or, when called between two
 * steps, the next one, which then ends before its needle starts. Each call ends one step;
 * ignored before pl_runner_start() and after the last step (docs/treatments.md, "Which step a
 * skip ends"). */
PENLINK_EXPORT int pl_runner_skip(pl_runner* runner);
/** Ends the run with everything off (PL_RUN_ABORTED); reason may be NULL. */
PENLINK_EXPORT int pl_runner_abort(pl_runner* runner, const char* reason);
/** What the runner is doing. */
PENLINK_EXPORT int pl_runner_state(pl_run_state* out, const pl_runner* runner);
/** Waits up to timeout_ms (negative: for ever) for the run to end: 0 once it has, PL_ETIMEOUT
 * while it goes on. */
PENLINK_EXPORT int pl_runner_wait(pl_runner* runner, int32_t timeout_ms);
/** After pl_runner_wait() returned 0: the outcome, the index of the step that was running when
 * it was aborted or failed (SIZE_MAX if completed) and the reason ("" if completed; borrowed
 * from the runner). Any out pointer may be NULL. */
PENLINK_EXPORT int pl_runner_result(const pl_runner* runner, pl_run_outcome* outcome, size_t* step,
                                    const char** reason);
/** After pl_runner_wait() returned 0: how many steps were begun (pl_runner_step_totals
 * indexes). */
PENLINK_EXPORT size_t pl_runner_steps_run(const pl_runner* runner);
/** After pl_runner_wait() returned 0: what step index of those begun delivered. */
PENLINK_EXPORT int pl_runner_step_totals(pl_step_totals* out, const pl_runner* runner,
                                         size_t index);
/** Aborts a run still going, waits until everything is off and frees the runner; NULL is
 * ignored. Refused (logged) from the runner's own progress or observer callbacks. */
PENLINK_EXPORT void pl_runner_free(pl_runner* runner);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_TREATMENT_H */
