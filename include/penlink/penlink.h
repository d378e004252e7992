/**
 * @file penlink.h
 * @brief The penlink C ABI: control a microneedling pen from C (C99) or any language with a C FFI.
 *
 * Conventions (after libgit2):
 * - A call that can fail returns `int`: 0 on success or a negative `PL_E...` code. The numbers
 *   equal penlink::ErrorCode and never change.
 * - Outputs come first (`pl_pen **out`). What the caller gets through `T **out` it frees with the
 *   NULL-safe `pl_T_free()`.
 * - After a failure, pl_error_last() holds a thread-local message naming the value, the limit and
 *   the unit where there is one; pl_error_last_range() gives those numbers. Successful calls
 *   leave the last error unchanged.
 * - Every struct whose fields the caller sees starts with `unsigned version`, so that it can
 *   grow: new fields are only ever added at its end, each under a new PL_X_VERSION, and fields
 *   are never removed, reordered or retyped (docs/api-stability.md). Who sets `version`
 *   depends on who allocates the struct:
 *   - Allocated by the caller, read by the library (pl_connect_options, pl_rf_mode,
 *     pl_led_mode): initialise with the `PL_X_INIT` macro or `pl_x_init(x, PL_X_VERSION)`, then
 *     change fields. The library reads only the fields of the version the caller set.
 *   - Allocated by the caller, filled by the library (pl_device_info, pl_capabilities,
 *     pl_status through pl_pen_latest_status(), pl_settings): initialise the same way. The
 *     library fills the fields of the version the caller set and writes nothing beyond them, so
 *     a program built against an older header keeps working with a newer library.
 *   - Allocated and owned by the library, lent to the caller (pl_status and pl_event in
 *     callbacks, pl_serial_port_info from a port list): the library sets `version` to its own
 *     PL_X_VERSION. A program built against a newer header than the library it runs with
 *     checks `version >= N` before reading a field that version N added.
 *   In a struct the caller allocated, a version of 0 (zeroed and never initialised) or above
 *   the library's PL_X_VERSION is refused with PL_EINVAL, and pl_error_last() names the struct
 *   and the versions known; nothing is read or written then. pl_led_channel, an array element of
 *   pl_capabilities, and pl_telemetry_reading, one of pl_status, have no version and never
 *   change; nor do PL_MAX_LED_CHANNELS and PL_MAX_TELEMETRY_READINGS.
 * - Add-on modules (parameters and telemetry by key) are in penlink/modules.h.
 * - This header is the whole core C ABI, declared by topic in headers it includes (each also
 *   usable alone): common.h (version, errors, enumerations, log), connect_options.h, values.h
 *   (the structs a pen reports and is set with), pen.h (connect, inspect, close),
 *   pen_commands.h (commands, their _async twins, reading back), subscriptions.h (status,
 *   events, connection state) and discovery.h (serial ports, discovery).
 * - Callbacks take `void *payload` last and return `int`: 0 means handled; any other value is
 *   reported through the log sink (the callback stays registered).
 * - Units are in the names: `_um` micrometres, `_mm` millimetres, `_hz` hertz, `_w` watts.
 *   Depth is given in whole micrometres (exact, the pen's own unit); the `_mm` twin rounds to
 *   the nearest micrometre.
 *
 * Threads: pens share penlink's I/O thread and two callback threads (docs/architecture.md,
 * Threads) unless pl_connect_options.threading gives a pen its own; a command is written on the
 * calling thread. All callbacks of one pen (status, events, connection state, async
 * completions) run one at a time, in order, on a callback thread (or as tasks of the app's
 * pl_connect_options.callback_executor). A callback may call any pl_pen_* function of its pen,
 * including the blocking ones, except pl_pen_free(). Functions on one pl_pen may be called from any
 * number of threads at once; freeing a handle while another thread still uses it is a caller bug.
 *
 * Handle checks: handles are checked against a registry of live handles, so a handle that was
 * already freed is reported as PL_EINVAL instead of crashing, unless its memory has since been
 * reused by a new handle of the same type (then the call acts on the new handle).
 */
#ifndef PENLINK_PENLINK_H
#define PENLINK_PENLINK_H

/* The C ABI in parts, each self-contained; this header is all of them. */
#include "penlink/common.h"
#include "penlink/connect_options.h"
#include "penlink/pen.h"
#include "penlink/pen_commands.h"
#include "penlink/subscriptions.h"
#include "penlink/values.h"

/* Serial port listing and discovery, in their own header; included here so every program that
 * includes penlink.h keeps them. */
#include "penlink/discovery.h"

#endif /* PENLINK_PENLINK_H */
