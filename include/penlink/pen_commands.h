/**
 * @file pen_commands.h
 * @brief What a pl_pen is told to do: blocking commands that return once the pen acknowledged,
 * their _async twins, and reading the pen's settings back.
 *
 * Part of the penlink C ABI; penlink.h includes this header and states the conventions and
 * threading rules that hold here too, so including either is enough.
 */
#ifndef PENLINK_PEN_COMMANDS_H
#define PENLINK_PEN_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#include "penlink/common.h"
#include "penlink/pen.h"
#include "penlink/values.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Commands
 * Each returns once the pen acknowledged (0) or fails; any thread, callbacks included. Values
 * outside the pen's capabilities or the depth limit fail with PL_ERANGE before anything is
 * sent. A double that is NaN or infinite (depth, speed, and every double of pl_rf_mode and
 * pl_led_mode, pulse fields included when continuous) fails with PL_EINVAL, a depth or speed
 * beyond what an int32 of micrometres or centi-hertz holds with PL_ERANGE; pl_error_last()
 * names the value and unit ("depth nan mm is not a finite number"). The _async twins refuse
 * these the same way, at once, before queueing. */
/**@{*/
/** The session's depth ceiling, at most the pen's maximum (e.g. 1500 um for a cheek protocol),
 * checked here and enforced by the pen, which moves a deeper set point up to it; kept across
 * pl_pen_reconnect(). Waits for the pen like any command. */
PENLINK_EXPORT int pl_pen_set_depth_limit_um(pl_pen* pen, int32_t limit_um);
/** *out = the host-side depth ceiling in micrometres. */
PENLINK_EXPORT int pl_pen_depth_limit_um(int32_t* out, const pl_pen* pen);
/** Sets the needle depth in micrometres; PL_ERANGE beyond the pen's range or depth limit. */
PENLINK_EXPORT int pl_pen_set_depth_um(pl_pen* pen, int32_t depth_um);
/** Same as pl_pen_set_depth_um with depth_mm rounded to the nearest micrometre (NaN or
 * infinity: PL_EINVAL; beyond +-2147483.647 mm: PL_ERANGE). */
PENLINK_EXPORT int pl_pen_set_depth_mm(pl_pen* pen, double depth_mm);
/** Sets the needle speed in strokes per second; PL_ERANGE outside the pen's range. */
PENLINK_EXPORT int pl_pen_set_speed_hz(pl_pen* pen, double speed_hz);
/** Starts the needle at the depth and speed set. */
PENLINK_EXPORT int pl_pen_start(pl_pen* pen);
/** Stops the needle; RF and LED keep their modes. */
PENLINK_EXPORT int pl_pen_stop(pl_pen* pen);
/** Sets the RF mode (or switches RF off with enabled 0). */
PENLINK_EXPORT int pl_pen_set_rf_mode(pl_pen* pen, const pl_rf_mode* mode);
/** Sets the LED mode (or switches the LED off with enabled 0). */
PENLINK_EXPORT int pl_pen_set_led_mode(pl_pen* pen, const pl_led_mode* mode);
/** Stops needle, RF and LED at once and latches until pl_pen_clear_emergency_stop(). Sent at
 * the next frame boundary ahead of anything queued, and resent until acknowledged or the link
 * is declared lost. */
PENLINK_EXPORT int pl_pen_emergency_stop(pl_pen* pen);
/** Releases a latched emergency stop; outputs stay off until commanded again. */
PENLINK_EXPORT int pl_pen_clear_emergency_stop(pl_pen* pen);
/** Clears latched faults whose cause has gone. */
PENLINK_EXPORT int pl_pen_clear_faults(pl_pen* pen);
/**@}*/

/** @name Reading back */
/**@{*/
/** Asks the pen for its current set points (depth, depth limit, speed, running, RF, LED, status
 * rate, faults) and fills *out with them. After a command failed with PL_ETIMEOUT or PL_ELOST its
 * outcome is unknown (it was applied at most once, never after a newer command of its kind):
 * this says what holds, also after pl_pen_reconnect(). out->version must be set
 * (PL_SETTINGS_INIT or pl_settings_init()); the library fills the fields of that version and
 * nothing beyond them. PL_EINVAL (nothing sent, *out untouched) if out or pen is NULL or
 * out->version unknown; otherwise fails like a command (PL_ETIMEOUT, PL_ELOST, PL_ENOTCONN,
 * PL_EPROTO), leaving *out untouched. Blocks until the pen answers, at most about
 * the command timeout * (command_retries + 1). Any thread, callbacks included. */
PENLINK_EXPORT int pl_pen_read_settings(pl_settings* out, pl_pen* pen);
/**@}*/

/** @name Asynchronous commands
 * Return at once (0, or a failure to queue the command); later `done` runs on the pen's
 * callback thread with the outcome (0 or PL_E...). Inside `done`, pl_error_last() and
 * pl_error_last_range() describe that outcome. `done` may be NULL (fire and forget). */
/**@{*/
/** Receives a command's outcome: 0 or a PL_E... code. */
typedef int (*pl_done_cb)(int result, void* payload);
/** pl_pen_set_depth_um without waiting. The _async twin: returns at once; done(result, payload) is
 * called once with the outcome. */
PENLINK_EXPORT int pl_pen_set_depth_um_async(pl_pen* pen, int32_t depth_um, pl_done_cb done,
                                             void* payload);
/** pl_pen_set_speed_hz without waiting. The _async twin: returns at once; done(result, payload) is
 * called once with the outcome. */
PENLINK_EXPORT int pl_pen_set_speed_hz_async(pl_pen* pen, double speed_hz, pl_done_cb done,
                                             void* payload);
/** pl_pen_start without waiting. The _async twin: returns at once; done(result, payload) is called
 * once with the outcome. */
PENLINK_EXPORT int pl_pen_start_async(pl_pen* pen, pl_done_cb done, void* payload);
/** pl_pen_stop without waiting. The _async twin: returns at once; done(result, payload) is called
 * once with the outcome. */
PENLINK_EXPORT int pl_pen_stop_async(pl_pen* pen, pl_done_cb done, void* payload);
/** pl_pen_set_rf_mode without waiting. The _async twin: returns at once; done(result, payload) is
 * called once with the outcome. */
PENLINK_EXPORT int pl_pen_set_rf_mode_async(pl_pen* pen, const pl_rf_mode* mode, pl_done_cb done,
                                            void* payload);
/** pl_pen_set_led_mode without waiting. The _async twin: returns at once; done(result, payload) is
 * called once with the outcome. */
PENLINK_EXPORT int pl_pen_set_led_mode_async(pl_pen* pen, const pl_led_mode* mode, pl_done_cb done,
                                             void* payload);
/** pl_pen_emergency_stop without waiting. The _async twin: returns at once; done(result, payload)
 * is called once with the outcome. */
PENLINK_EXPORT int pl_pen_emergency_stop_async(pl_pen* pen, pl_done_cb done, void* payload);
/** pl_pen_clear_emergency_stop without waiting. The _async twin: returns at once; done(result,
 * payload) is called once with the outcome. */
PENLINK_EXPORT int pl_pen_clear_emergency_stop_async(pl_pen* pen, pl_done_cb done, void* payload);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_PEN_COMMANDS_H */
