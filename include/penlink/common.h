/**
 * @file common.h
 * @brief What every part of the C ABI uses: the version, error codes and the last error, the
 * enumerations whose values are fixed forever, and the log.
 *
 * Part of the penlink C ABI; penlink.h includes this header and states the conventions and
 * threading rules that hold here too, so including either is enough.
 */
#ifndef PENLINK_COMMON_H
#define PENLINK_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "penlink/export.h"
#include "penlink/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Version */
/**@{*/
/** Major version of the headers (a new one may break the ABI). */
#define PL_VERSION_MAJOR PENLINK_VERSION_MAJOR
/** Minor version of the headers (additions only). */
#define PL_VERSION_MINOR PENLINK_VERSION_MINOR
/** Patch version of the headers (fixes only). */
#define PL_VERSION_PATCH PENLINK_VERSION_PATCH
/** The header's version as one number, major * 10000 + minor * 100 + patch. */
#define PL_VERSION_NUMBER (PL_VERSION_MAJOR * 10000 + PL_VERSION_MINOR * 100 + PL_VERSION_PATCH)
/** True when the header is at least version maj.min.pat. */
#define PL_VERSION_CHECK(maj, min, pat) (PL_VERSION_NUMBER >= ((maj)*10000 + (min)*100 + (pat)))

/** Version of the library actually loaded (may be newer than the header). Any pointer may be
 * NULL. Any thread. */
PENLINK_EXPORT void pl_version(int* major, int* minor, int* patch);
/** Version of the loaded library, "major.minor.patch". Static; never NULL. Any thread. */
PENLINK_EXPORT const char* pl_version_string(void);
/**@}*/

/** @name Errors */
/**@{*/
/** Error codes; equal to penlink::ErrorCode. Never renumbered. */
typedef enum pl_error_code {
    PL_OK = 0,
    PL_EINVAL = -1,         /**< NULL or malformed argument, URL, option or handle */
    PL_ERANGE = -2,         /**< a value outside the pen's or the user's limit */
    PL_ETIMEOUT = -3,       /**< the pen did not answer in time */
    PL_ECONNECT = -4,       /**< could not open the port or reach the address */
    PL_ELOST = -5,          /**< the link went silent or closed while in use */
    PL_ENOTCONN = -6,       /**< the pen is closed */
    PL_EESTOP = -7,         /**< refused: emergency stop latched */
    PL_EFAULT = -8,         /**< refused: a fault is latched */
    PL_ENOTSUP = -9,        /**< the pen or its add-ons lack this capability */
    PL_EREJECTED = -10,     /**< the pen refused for another reason (busy, bad state) */
    PL_EPROTO = -11,        /**< the pen broke the protocol */
    PL_EINTERNAL = -12,     /**< a bug in penlink (or out of memory) */
    PL_ECALLBACK = -13,     /**< a user callback failed */
    PL_EAUTHREQUIRED = -14, /**< the pen (or the options) require authentication, and no key
                                 was given for the pen's serial (penlink/auth.h) */
    PL_EKEY = -15,          /**< the key given for the pen is not the pen's key */
    PL_ENOTAUTHENTIC = -16  /**< the pen failed to prove it holds its key */
} pl_error_code;

/** Message of the last failure on this thread; "" if none. Library-owned, valid until the next
 * failing call on this thread. Never NULL. */
PENLINK_EXPORT const char* pl_error_last(void);
/** Code of the last failure on this thread (PL_OK if none). */
PENLINK_EXPORT int pl_error_last_code(void);
/** If the last failure on this thread was PL_ERANGE with known numbers, stores the offending
 * value, the limit it broke and their unit (e.g. "mm", "Hz", "W"; library-owned) and returns 1.
 * Otherwise stores 0, 0, "" and returns 0. Any pointer may be NULL. Does not change the last
 * error. */
PENLINK_EXPORT int pl_error_last_range(double* value, double* limit, const char** unit);
/** Forgets the last failure of this thread. */
PENLINK_EXPORT void pl_error_clear(void);
/** Short static description of a code ("out of range"). Never NULL. Any thread. */
PENLINK_EXPORT const char* pl_strerror(int code);
/**@}*/

/** @name Enumerations (values fixed forever) */
/**@{*/
/** What the pen is doing (pl_status.state). */
typedef enum pl_pen_state {
    PL_PEN_IDLE = 0,
    PL_PEN_RUNNING = 1,
    PL_PEN_PAUSED = 2,
    PL_PEN_FAULT = 3,
    PL_PEN_EMERGENCY_STOPPED = 4
} pl_pen_state;

/** How RF energy flows: to a return pad (monopolar) or between needles (bipolar). */
typedef enum pl_rf_polarity { PL_RF_MONOPOLAR = 0, PL_RF_BIPOLAR = 1 } pl_rf_polarity;

/** State of the link to the pen. */
typedef enum pl_connection_state {
    PL_CONNECTION_CONNECTING = 0,
    PL_CONNECTION_CONNECTED = 1,
    PL_CONNECTION_LOST = 2,
    PL_CONNECTION_CLOSED = 3
} pl_connection_state;

/** Severity of an SDK log line; PL_LOG_OFF silences the log. */
typedef enum pl_log_level {
    PL_LOG_TRACE = 0,
    PL_LOG_DEBUG = 1,
    PL_LOG_INFO = 2,
    PL_LOG_WARNING = 3,
    PL_LOG_ERROR = 4,
    PL_LOG_OFF = 5
} pl_log_level;

/** Bits of pl_status.fault_bits. */
#define PL_FAULT_OVER_TEMPERATURE (1u << 0)
/** Fault bit: battery too low to treat. */
#define PL_FAULT_BATTERY_CRITICAL (1u << 1)
/** Fault bit: cartridge at its stroke limit. */
#define PL_FAULT_CARTRIDGE_EXHAUSTED (1u << 2)
/** Fault bit: no cartridge fitted. */
#define PL_FAULT_CARTRIDGE_MISSING (1u << 3)
/** Fault bit: the needle motor stalled. */
#define PL_FAULT_MOTOR_STALL (1u << 4)
/** Fault bit: tissue impedance outside the RF range. */
#define PL_FAULT_RF_IMPEDANCE (1u << 5)
/** Fault bit: the host went silent past the watchdog period. */
#define PL_FAULT_WATCHDOG (1u << 6)
/** Fault bit: an emergency stop is latched. */
#define PL_FAULT_EMERGENCY_STOP (1u << 7)
/** Fault bit: a fault injected for testing (simulator). */
#define PL_FAULT_INJECTED (1u << 8)
/** Fault bit: the depth actuator failed. */
#define PL_FAULT_DEPTH_ACTUATOR (1u << 9)

/** What a pl_event reports; pl_event.detail says more. */
typedef enum pl_event_kind {
    PL_EVENT_FAULT_RAISED = 1,       /**< detail = fault bit index */
    PL_EVENT_FAULT_CLEARED = 2,      /**< detail = fault bit index */
    PL_EVENT_CARTRIDGE_INSERTED = 3, /**< detail = cartridge id */
    PL_EVENT_CARTRIDGE_REMOVED = 4,  /**< detail = cartridge id */
    PL_EVENT_BUTTON_PRESSED = 5,     /**< detail = button index */
    PL_EVENT_WATCHDOG_EXPIRED = 6,   /**< detail = watchdog period in ms */
    PL_EVENT_EMERGENCY_STOPPED = 7,
    PL_EVENT_EMERGENCY_CLEARED = 8,
    PL_EVENT_MODULE_ATTACHED = 9,  /**< detail = the slot; pl_pen_modules() reads the list again */
    PL_EVENT_MODULE_DETACHED = 10, /**< detail = the slot */
    PL_EVENT_SECURITY_REJECTED = 11, /**< the pen rejected frames as forged, replayed or injected
                                          in this session; detail = how many so far */
    PL_EVENT_FRAME_REJECTED = 12     /**< penlink rejected a frame from the link as forged,
                                          replayed or injected; detail = how many so far */
} pl_event_kind;

/** Static names of states (e.g. "running", "connected"); "unknown" for values outside the enum.
 * Never NULL. Any thread. */
PENLINK_EXPORT const char* pl_pen_state_name(pl_pen_state state);
/** The state's name ("connected"); static storage. */
PENLINK_EXPORT const char* pl_connection_state_name(pl_connection_state state);

/** Writes the names of the faults set in fault_bits, comma separated ("over-temperature,
 * watchdog"; "" if none), into buffer, truncated to buffer_size - 1 bytes and NUL-terminated.
 * *needed (may be NULL) receives the full size including the NUL. buffer may be NULL only when
 * buffer_size is 0. Any thread. */
PENLINK_EXPORT int pl_faults_describe(char* buffer, size_t buffer_size, size_t* needed,
                                      uint32_t fault_bits);
/**@}*/

/** @name Log */
/**@{*/
/** Receives the SDK's log lines. Called from any SDK thread, never concurrently; message is
 * valid during the call. It returns nothing because there is nowhere left to report a failure
 * of the log itself. */
typedef void (*pl_log_cb)(pl_log_level level, const char* message, void* payload);

/** Sends log lines at min_level and above to cb; cb NULL silences the log. The default (before
 * any call) writes warnings and errors to stderr. Process-wide; any thread. */
PENLINK_EXPORT int pl_log_set_sink(pl_log_cb cb, pl_log_level min_level, void* payload);
/** Changes the minimum level of the current sink. Process-wide; any thread. */
PENLINK_EXPORT int pl_log_set_level(pl_log_level min_level);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_COMMON_H */
