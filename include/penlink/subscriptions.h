/**
 * @file subscriptions.h
 * @brief Streams from a pl_pen: status frames, events and connection state, each through a
 * pl_subscription, and the status rate.
 *
 * Part of the penlink C ABI; penlink.h includes this header and states the conventions and
 * threading rules that hold here too, so including either is enough.
 */
#ifndef PENLINK_SUBSCRIPTIONS_H
#define PENLINK_SUBSCRIPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "penlink/common.h"
#include "penlink/pen.h"
#include "penlink/values.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Streams and subscriptions
 * Callbacks run on the pen's callback thread (see the file comment of penlink.h). The pointers they
 * receive are valid only during the call. The pl_status and pl_event they receive belong to the
 * library: their `version` is the library's PL_STATUS_VERSION / PL_EVENT_VERSION. */
/**@{*/
/** Keeps a callback registered until pl_subscription_free(). */
typedef struct pl_subscription pl_subscription;

/** Receives each status frame, valid during the call only. */
typedef int (*pl_status_cb)(const pl_status* status, void* payload);
/** Receives each event, valid during the call only. */
typedef int (*pl_event_cb)(const pl_event* event, void* payload);
/** reason says why (e.g. "no answer for 500 ms"); "" for ordinary changes. */
typedef int (*pl_connection_state_cb)(pl_connection_state state, const char* reason, void* payload);

/** Calls cb for each status frame; asks the pen to stream at least rate_hz. Any thread. Frames
 * coming faster than one every 2 ms reach cb in runs at most once every 2 ms (each frame once,
 * in order), so a frame may wait up to 2 ms. While they do, what else the pen sends (events,
 * answers to asynchronous commands) may wait as long. */
PENLINK_EXPORT int pl_pen_subscribe_status(pl_subscription** out, pl_pen* pen, int32_t rate_hz,
                                           pl_status_cb cb, void* payload);
/** Calls cb(event, payload) for each event on the pen's callback thread. */
PENLINK_EXPORT int pl_pen_subscribe_events(pl_subscription** out, pl_pen* pen, pl_event_cb cb,
                                           void* payload);
/** Calls cb(state, reason, payload) when the link state changes. */
PENLINK_EXPORT int pl_pen_subscribe_connection_state(pl_subscription** out, pl_pen* pen,
                                                     pl_connection_state_cb cb, void* payload);
/** Unsubscribes and frees. After it returns the callback is not running and will not run again
 * (called from inside that callback: not again after it returns). NULL is ignored. Works before
 * or after pl_pen_free() of its pen. Any thread. */
PENLINK_EXPORT void pl_subscription_free(pl_subscription* subscription);

/** What holds a status subscription below the rate it asked for (penlink::StatusRateLimit). */
typedef enum pl_status_rate_limit {
    PL_STATUS_RATE_LIMIT_NONE = 0, /**< it gets what it asked for */
    PL_STATUS_RATE_LIMIT_LINK = 1  /**< the link carries no more status (protocol.md 11, 15.3) */
} pl_status_rate_limit;
/** The size of pl_status_rate.reason, terminating NUL included. */
#define PL_STATUS_RATE_REASON_SIZE 192
/** The pl_status_rate layout these headers declare. */
#define PL_STATUS_RATE_VERSION 1
/** The status rate a subscription asked for and the rate it gets now. Allocated and initialised
 * by the program, filled by pl_subscription_status_rate(). */
typedef struct pl_status_rate {
    unsigned version;     /**< PL_STATUS_RATE_VERSION */
    int32_t requested_hz; /**< what pl_pen_subscribe_status() asked for, Hz */
    int32_t granted_hz;   /**< what the subscriber receives at most, Hz */
    int32_t limited_by;   /**< a pl_status_rate_limit: why granted_hz < requested_hz */
    char reason[PL_STATUS_RATE_REASON_SIZE]; /**< in words (cut to fit); "" when not limited */
} pl_status_rate;
/** pl_status_rate with every field 0 and an empty reason. */
#define PL_STATUS_RATE_INIT \
    { PL_STATUS_RATE_VERSION, 0, 0, PL_STATUS_RATE_LIMIT_NONE, "" }
/** Prepares rate for pl_subscription_status_rate() (pass PL_STATUS_RATE_VERSION). PL_EINVAL if
 * rate is NULL or the version unknown. */
PENLINK_EXPORT int pl_status_rate_init(pl_status_rate* rate, unsigned version);
/** Fills *out (initialised with pl_status_rate_init()) with the rate subscription asked for,
 * the rate it gets now (which follows the link, e.g. a BLE link's MTU) and why they differ.
 * All zero for an event or connection-state subscription, or once its pen was freed. PL_EINVAL
 * if out is NULL or its version unknown, or subscription is not live. Any thread. */
PENLINK_EXPORT int pl_subscription_status_rate(pl_status_rate* out,
                                               const pl_subscription* subscription);

/** Copies the newest status frame into *out and sets *available to 1; if none has arrived yet,
 * zeroes the fields of *out (all but version) and sets *available to 0. available may be NULL.
 * out->version must be set (PL_STATUS_INIT or pl_status_init()); the library fills the fields
 * of that version and nothing beyond them. PL_EINVAL (*out and *available untouched) if out or
 * pen is NULL or out->version unknown. Does not block; any thread. */
PENLINK_EXPORT int pl_pen_latest_status(pl_status* out, int* available, const pl_pen* pen);
/** Status frames the pen sent that never reached a callback (lost, or dropped from a full
 * callback queue), and frames received. Any thread. */
PENLINK_EXPORT int pl_pen_dropped_status_frames(uint64_t* out, const pl_pen* pen);
/** *out = status frames received since connect. */
PENLINK_EXPORT int pl_pen_received_status_frames(uint64_t* out, const pl_pen* pen);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_SUBSCRIPTIONS_H */
