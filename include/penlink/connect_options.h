/**
 * @file connect_options.h
 * @brief How pl_pen_connect() talks to a pen: pl_connect_options, threading and the app's
 * callback executor.
 *
 * Part of the penlink C ABI; penlink.h includes this header and states the conventions and
 * threading rules that hold here too, so including either is enough.
 */
#ifndef PENLINK_CONNECT_OPTIONS_H
#define PENLINK_CONNECT_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "penlink/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Connect options */
/**@{*/
/** The pl_connect_options layout these headers declare. */
#define PL_CONNECT_OPTIONS_VERSION 5
/** Keep the process-wide log level as it is (pl_connect_options.log_level). */
#define PL_LOG_UNCHANGED (-1)

/** Which threads carry a pen's traffic and run its callbacks (pl_connect_options.threading,
 * docs/architecture.md "Threads"). The numbers are penlink::Threading's. */
typedef enum pl_threading {
    /** Every pen shares penlink's I/O thread and two callback threads (default): a process with
     * hundreds of pens runs three penlink threads. */
    PL_THREADING_SHARED = 0,
    /** The pen has an I/O thread and a callback thread of its own, so no other pen's traffic or
     * slow callback can delay it (two threads and a few file descriptors more per pen). */
    PL_THREADING_DEDICATED = 1
} pl_threading;

/** Runs one task penlink handed to a pl_callback_executor, then frees it. Call it exactly once
 * per task; the task pointer is invalid afterwards. */
typedef void (*pl_task_run)(void* task);

/** An app executor for a pen's callbacks (pl_connect_options.callback_executor), e.g. the app's
 * UI or event loop. It is called on a penlink thread with a task and must arrange for
 * run(task) to be called exactly once, later (not from inside this call), on a thread of the
 * app's choosing; it must not block. penlink never hands over a pen's next task before that
 * pen's last one has run, so one pen's callbacks still run one at a time and in order.
 * pl_pen_close() and pl_pen_free() wait until every task already handed over has run, so the
 * executor must keep running them until then. */
typedef void (*pl_callback_executor)(pl_task_run run, void* task, void* payload);

/** How pl_pen_connect talks to the pen; start from PL_CONNECT_OPTIONS_INIT. */
typedef struct pl_connect_options {
    unsigned version;                /**< PL_CONNECT_OPTIONS_VERSION */
    int32_t connect_timeout_ms;      /**< link opening plus handshake; default 3000 */
    int32_t command_timeout_ms;      /**< wait for an acknowledgement before resending; 0
                                          (default) = suited to the link: 300, longer on a slow
                                          BLE link (docs/protocol.md 11.1) */
    int32_t command_retries;         /**< resends (same sequence number) before PL_ETIMEOUT; 2 */
    int32_t heartbeat_interval_ms;   /**< 0 = a quarter of the pen's watchdog period, fitted to
                                          the link, while the pen may be armed; longer while
                                          every output is off (docs/protocol.md 11.1) */
    int32_t link_timeout_ms;         /**< pen silence that counts as lost; 0 = twice the watchdog
                                          period, at least 1000, longer on a slow BLE link */
    int32_t idle_status_rate_hz;     /**< status rate while nobody subscribed; 10 */
    int32_t callback_queue_capacity; /**< status frames beyond it are dropped and counted; 4096 */
    int log_level;                   /**< a pl_log_level applied process-wide at connect, or
                                          PL_LOG_UNCHANGED (default) */
    /* version 2 */
    /** Directories of partner module descriptors (*.json) for pens that do not store them,
     * separated by ':' and searched before those of the PENLINK_MODULE_PATH environment
     * variable; NULL or "" for none (default). Read during pl_pen_connect() only. */
    const char* module_paths;
    /* version 3: authenticated sessions (penlink/auth.h, docs/protocol.md section 16) */
    /** The keys of the pens this program may drive (pl_keys_new()); NULL for none. Copied
     * during pl_pen_connect(); the program may free it afterwards. */
    const struct pl_keys* keys;
    /** 1: refuse every pen no key is given for, even one that would run unauthenticated. */
    int require_authentication;
    /* version 4: session recordings (docs/records.md) */
    /** A file to record the session into (every byte both ways, status frames and commands)
     * from the handshake until the pen is freed; replay:// plays it back. NULL or "" for none
     * (default). pl_pen_connect() fails with PL_EINVAL naming the path if it cannot be
     * created. Read during pl_pen_connect() only. */
    const char* record_path;
    /* version 5: threads (docs/architecture.md "Threads") */
    /** A pl_threading: PL_THREADING_SHARED (default) or PL_THREADING_DEDICATED. Any other
     * value is refused by pl_pen_connect() with PL_EINVAL. */
    int threading;
    /** Non-NULL: the pen's callbacks run as tasks handed to this executor instead of on
     * penlink's callback threads (see pl_callback_executor). NULL (default): penlink's. */
    pl_callback_executor callback_executor;
    /** Passed as the last argument of every callback_executor call. */
    void* callback_executor_payload;
} pl_connect_options;

/** pl_connect_options with the defaults. */
#define PL_CONNECT_OPTIONS_INIT                                                                  \
    {                                                                                            \
        PL_CONNECT_OPTIONS_VERSION, 3000, 0, 2, 0, 0, 10, 4096, PL_LOG_UNCHANGED, NULL, NULL, 0, \
            NULL, PL_THREADING_SHARED, NULL, NULL                                                \
    }

/** Fills opts with the defaults of the given version (pass PL_CONNECT_OPTIONS_VERSION).
 * PL_EINVAL if opts is NULL or the version unknown. Any thread. */
PENLINK_EXPORT int pl_connect_options_init(pl_connect_options* opts, unsigned version);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_CONNECT_OPTIONS_H */
