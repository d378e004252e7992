/**
 * @file records.h
 * @brief The treatment log and cartridge ledger from C: open a log (docs/records.md) and read
 * its recent runs and the ledger. Writing runs is the C++ API's (penlink/records.hpp) for now.
 *
 * The conventions of penlink.h hold: calls that can fail return 0 or a negative PL_E... code,
 * `out` comes first, pl_error_last() names the file and what went wrong. A treatment log error
 * maps onto the codes as in C++ (TreatmentLogError): not a treatment log or corrupt PL_EINVAL,
 * locked longer than the busy timeout PL_ETIMEOUT, schema newer than this library PL_ENOTSUP,
 * file missing or unwritable PL_ECONNECT.
 *
 * Ownership: pl_treatment_log, pl_run_list and pl_cartridge_list are owning handles, freed with
 * their NULL-safe _free(). A pl_run or pl_cartridge_use, and every string read from one, is
 * borrowed from its list and valid until the list is freed (also after the log was freed).
 *
 * Threads: a pl_treatment_log may be used from any thread, and from several at once (calls are
 * serialised); lists are immutable and may be read from any number of threads.
 *
 * pl_run_outcome (penlink/run_outcome.h) is the one penlink/treatment.h uses too, so a C file
 * may include both. Enum values equal the C++ ones (penlink::RunOutcome) and are never
 * renumbered.
 */
#ifndef PENLINK_RECORDS_H
#define PENLINK_RECORDS_H

#include "penlink/penlink.h"
#include "penlink/run_outcome.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open treatment log (a SQLite file). */
typedef struct pl_treatment_log pl_treatment_log;
/** A snapshot of runs, newest first. */
typedef struct pl_run_list pl_run_list;
/** One run, borrowed from a pl_run_list. */
typedef struct pl_run pl_run;
/** A snapshot of cartridge uses, newest first. */
typedef struct pl_cartridge_list pl_cartridge_list;
/** One use of a cartridge, borrowed from a pl_cartridge_list. */
typedef struct pl_cartridge_use pl_cartridge_use;

/** The text fields of a run, for pl_run_text(). */
typedef enum pl_run_field {
    PL_RUN_STARTED_UTC = 0,                /**< ISO 8601, UTC */
    PL_RUN_ENDED_UTC = 1,                  /**< ISO 8601, UTC; "" while running */
    PL_RUN_PEN_SERIAL = 2,                 /**< the pen's serial number */
    PL_RUN_PEN_MODEL = 3,                  /**< the pen's model */
    PL_RUN_PEN_FIRMWARE = 4,               /**< the pen's firmware version */
    PL_RUN_CARTRIDGE_ID = 5,               /**< the cartridge used */
    PL_RUN_RECIPE_NAME = 6,                /**< the recipe run */
    PL_RUN_RECIPE_HASH = 7,                /**< its hash */
    PL_RUN_DEVICE_CLASS = 8,               /**< "professional" or "at-home" */
    PL_RUN_CLIENT_REFERENCE = 9,           /**< the app's opaque client reference, or "" */
    PL_RUN_REASON = 10,                    /**< why it stopped, or "" */
    PL_RUN_CARTRIDGE_OVERRIDE_REASON = 11, /**< why a used cartridge was reused, or "" */
    /** the session recording of the run as the app named it, or "" (pl_run_has_recording) */
    PL_RUN_RECORDING_PATH = 12,
    /** the same file as an absolute path, resolved when it was recorded, or "" */
    PL_RUN_RECORDING_ABSOLUTE_PATH = 13
} pl_run_field;

/** Opens the treatment log at path (creating it if create is non-zero, else PL_ECONNECT if it
 * does not exist) and marks runs of processes that died as interrupted. busy_timeout_ms: how
 * long a call waits for another process holding the file (0: the default, 5000 ms). */
PENLINK_EXPORT int pl_treatment_log_open(pl_treatment_log** out, const char* path, int create,
                                         int32_t busy_timeout_ms);
/** Closes the log. NULL-safe. */
PENLINK_EXPORT void pl_treatment_log_free(pl_treatment_log* log);

/** The newest runs, at most limit. */
PENLINK_EXPORT int pl_treatment_log_recent_runs(pl_run_list** out, pl_treatment_log* log,
                                                size_t limit);
/** Runs in the list (0 for NULL or a freed list). */
PENLINK_EXPORT size_t pl_run_list_count(const pl_run_list* list);
/** The run at index, or NULL past the end. */
PENLINK_EXPORT const pl_run* pl_run_list_get(const pl_run_list* list, size_t index);
/** Frees the list and every run and string borrowed from it. NULL-safe. */
PENLINK_EXPORT void pl_run_list_free(pl_run_list* list);

/** The run's id in the log (0 for NULL). */
PENLINK_EXPORT int64_t pl_run_id(const pl_run* run);
/** How the run ended (PL_RUN_IN_PROGRESS for NULL). */
PENLINK_EXPORT pl_run_outcome pl_run_get_outcome(const pl_run* run);
/** A text field of the run; "" for NULL or an unknown field. */
PENLINK_EXPORT const char* pl_run_text(const pl_run* run, pl_run_field field);
/** The 0-based step the run stopped in, or -1 if none is recorded. */
PENLINK_EXPORT int64_t pl_run_failing_step(const pl_run* run);
/** The steps recorded for the run. */
PENLINK_EXPORT size_t pl_run_step_count(const pl_run* run);
/** 1 if a session recording was made during the run (its file in PL_RUN_RECORDING_PATH and
 * PL_RUN_RECORDING_ABSOLUTE_PATH), 0 if not or for NULL. Runs logged before the log knew
 * recordings (schema version 1) have none. */
PENLINK_EXPORT int pl_run_has_recording(const pl_run* run);
/** The run's recording's start time from its file header, ms since 1970 (tells that file from a
 * later one at the same path); 0 when the run has no recording or for NULL. */
PENLINK_EXPORT int64_t pl_run_recording_started_unix_ms(const pl_run* run);

/** Every use of every cartridge, newest first, at most limit. */
PENLINK_EXPORT int pl_treatment_log_cartridge_ledger(pl_cartridge_list** out, pl_treatment_log* log,
                                                     size_t limit);
/** The uses of one cartridge, newest first (an empty list if it was never used). */
PENLINK_EXPORT int pl_treatment_log_cartridge_uses(pl_cartridge_list** out, pl_treatment_log* log,
                                                   const char* cartridge_id);
/** Uses in the list (0 for NULL or a freed list). */
PENLINK_EXPORT size_t pl_cartridge_list_count(const pl_cartridge_list* list);
/** The use at index, or NULL past the end. */
PENLINK_EXPORT const pl_cartridge_use* pl_cartridge_list_get(const pl_cartridge_list* list,
                                                             size_t index);
/** Frees the list and everything borrowed from it. NULL-safe. */
PENLINK_EXPORT void pl_cartridge_list_free(pl_cartridge_list* list);

/** The cartridge ("" for NULL). */
PENLINK_EXPORT const char* pl_cartridge_use_cartridge_id(const pl_cartridge_use* use);
/** The run that used it (0 for NULL). */
PENLINK_EXPORT int64_t pl_cartridge_use_run_id(const pl_cartridge_use* use);
/** When that run began, ISO 8601 UTC ("" for NULL). */
PENLINK_EXPORT const char* pl_cartridge_use_started_utc(const pl_cartridge_use* use);
/** The pen's serial number ("" for NULL). */
PENLINK_EXPORT const char* pl_cartridge_use_pen_serial(const pl_cartridge_use* use);
/** How that run ended (PL_RUN_IN_PROGRESS for NULL). */
PENLINK_EXPORT pl_run_outcome pl_cartridge_use_outcome(const pl_cartridge_use* use);
/** Why a used cartridge was reused, or "". */
PENLINK_EXPORT const char* pl_cartridge_use_override_reason(const pl_cartridge_use* use);

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_RECORDS_H */
