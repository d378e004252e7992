/**
 * @file run_outcome.h
 * @brief How a treatment run ended, as the C ABI names it: the one pl_run_outcome shared by
 * penlink/treatment.h (pl_runner_result()) and penlink/records.h (runs read from the treatment
 * log), so a C file may include both.
 *
 * The numbers are penlink::RunOutcome's (penlink/records.hpp), the outcome the treatment log
 * stores; src/capi checks them at compile time. A runner reports only PL_RUN_COMPLETED,
 * PL_RUN_ABORTED and PL_RUN_FAILED (penlink::treatment::to_logged_outcome() maps the runner's
 * own enum); PL_RUN_IN_PROGRESS and PL_RUN_INTERRUPTED appear only in the log. The first is not
 * called PL_RUN_RUNNING because that name is the runner's state (pl_run_state, "needle
 * running"). Values are never renumbered; new ones may be added at the end.
 */
#ifndef PENLINK_RUN_OUTCOME_H
#define PENLINK_RUN_OUTCOME_H

#include "penlink/penlink.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a run ended (or that it has not); equal to penlink::RunOutcome. */
typedef enum pl_run_outcome {
    PL_RUN_IN_PROGRESS = 0, /**< begun and not finished, stored as "running" (the log only) */
    PL_RUN_COMPLETED = 1,   /**< every step ran (some perhaps skipped) */
    PL_RUN_ABORTED = 2,     /**< stopped by the operator or the app (pl_runner_abort()) */
    PL_RUN_FAILED = 3,      /**< a fault, e-stop, lost link, restart or refused command */
    PL_RUN_INTERRUPTED = 4  /**< the process recording it ended without finishing it (the log
                                 only) */
} pl_run_outcome;

/** "running", "completed", "aborted", "failed", "interrupted" (as the log stores them);
 * "unknown" otherwise. */
PENLINK_EXPORT const char* pl_run_outcome_name(pl_run_outcome outcome);

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_RUN_OUTCOME_H */
