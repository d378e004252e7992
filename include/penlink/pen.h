/**
 * @file pen.h
 * @brief A connection to one pen (pl_pen): connect, reconnect, inspect, close.
 *
 * Part of the penlink C ABI; penlink.h includes this header and states the conventions and
 * threading rules that hold here too, so including either is enough.
 */
#ifndef PENLINK_PEN_H
#define PENLINK_PEN_H

#include <stddef.h>
#include <stdint.h>

#include "penlink/common.h"
#include "penlink/connect_options.h"
#include "penlink/values.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Pen: connect, inspect, close */
/**@{*/
/** A connection to one pen. Thread-safe; see the file comment of penlink.h. */
typedef struct pl_pen pl_pen;

/** Connects and performs the handshake. url: "serial:///dev/ttyUSB0?baud=115200",
 * "tcp://127.0.0.1:7878" or "sim://?rf=1&led=1". opts may be NULL for defaults. Blocks up to
 * opts->connect_timeout_ms. On failure *out is NULL. Any thread. */
PENLINK_EXPORT int pl_pen_connect(pl_pen** out, const char* url, const pl_connect_options* opts);

/** Ends the session (the pen turns needle, RF and LED off, no fault latched) and closes the
 * link. Idempotent; later commands fail with PL_ENOTCONN. Any thread, callbacks included. */
PENLINK_EXPORT int pl_pen_close(pl_pen* pen);

/** After the connection was lost, opens the link again and starts a new session (outputs off;
 * the depth limit and status rate are asked for again); callbacks stay registered and the
 * connection-state reason says whether the pen restarted. 0 if already connected. PL_ECONNECT
 * if a different pen answers. Any thread except this pen's callbacks; blocks up to the connect
 * timeout. */
PENLINK_EXPORT int pl_pen_reconnect(pl_pen* pen);

/** Closes and frees the pen; its subscriptions stop (free them too, before or after). NULL is
 * ignored. Must not be called from one of this pen's callbacks (that is detected, logged, and
 * the pen is left alive) nor while another thread uses the pen. */
PENLINK_EXPORT void pl_pen_free(pl_pen* pen);

/** The URL the pen was opened with; valid until pl_pen_free(). Any thread. */
PENLINK_EXPORT int pl_pen_url(const char** out, const pl_pen* pen);
/** *out = the state of the link. */
PENLINK_EXPORT int pl_pen_connection_state(pl_connection_state* out, const pl_pen* pen);
/** Fills *out with the identity the pen reported at connect. out->version must be set
 * (PL_DEVICE_INFO_INIT or pl_device_info_init()); the library fills the fields of that version
 * and nothing beyond them. PL_EINVAL (*out untouched) if out or pen is NULL or out->version
 * unknown. Does not block; any thread. */
PENLINK_EXPORT int pl_pen_info(pl_device_info* out, const pl_pen* pen);
/** Fills *out with what the pen reported it can do at connect. out->version must be set
 * (PL_CAPABILITIES_INIT or pl_capabilities_init()); the library fills the fields of that
 * version and nothing beyond them. PL_EINVAL (*out untouched) if out or pen is NULL or
 * out->version unknown. Does not block; any thread. */
PENLINK_EXPORT int pl_pen_capabilities(pl_capabilities* out, const pl_pen* pen);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_PEN_H */
