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
                                          the link (docs/protocol.md 11.1) */
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

/** @name Values */
/**@{*/
/** The most LED channels pl_capabilities holds. */
#define PL_MAX_LED_CHANNELS 8
/** Size of the strings in pl_device_info, terminating NUL included. */
#define PL_INFO_STRING_SIZE 64

/** The pl_device_info layout these headers declare. */
#define PL_DEVICE_INFO_VERSION 1
/** Identity of a connected pen, read with pl_pen_info(). Allocated by the caller, filled by the
 * library. Strings are NUL-terminated UTF-8. */
typedef struct pl_device_info {
    unsigned version;                /**< PL_DEVICE_INFO_VERSION: the fields the caller allocated */
    char model[PL_INFO_STRING_SIZE]; /**< model name, e.g. "PL-SIM-1" */
    char serial_number[PL_INFO_STRING_SIZE];    /**< the pen's serial number */
    char firmware_version[PL_INFO_STRING_SIZE]; /**< "major.minor.patch" */
    int32_t protocol_version;                   /**< the wire protocol version the session speaks */
} pl_device_info;
/** An empty pl_device_info of this version. */
#define PL_DEVICE_INFO_INIT \
    { PL_DEVICE_INFO_VERSION, "", "", "", 0 }
/** Prepares info for pl_pen_info() (pass PL_DEVICE_INFO_VERSION); the other fields get the
 * values of PL_DEVICE_INFO_INIT. PL_EINVAL if info is NULL or the version unknown. Any thread. */
PENLINK_EXPORT int pl_device_info_init(pl_device_info* info, unsigned version);

/** One LED channel of pl_capabilities. An array element, so it has no version field and never
 * changes; what a later version knows about a channel is added at the end of pl_capabilities. */
typedef struct pl_led_channel {
    int32_t wavelength_nm;        /**< the channel's wavelength, nm */
    double max_irradiance_mw_cm2; /**< the most it emits, mW/cm2 */
} pl_led_channel;

/** The pl_capabilities layout these headers declare. */
#define PL_CAPABILITIES_VERSION 1
/** What the pen can do, read with pl_pen_capabilities(). Allocated by the caller, filled by the
 * library. Booleans are 0/1. */
typedef struct pl_capabilities {
    unsigned version;             /**< PL_CAPABILITIES_VERSION: the fields the caller allocated */
    double depth_min_mm;          /**< shallowest needle depth, mm */
    double depth_max_mm;          /**< deepest needle depth, mm */
    double depth_step_mm;         /**< the depth grid, mm */
    double speed_min_hz;          /**< slowest needle speed, Hz */
    double speed_max_hz;          /**< fastest needle speed, Hz */
    int32_t watchdog_ms;          /**< the pen stops the needle after this long without a message */
    int32_t max_status_rate_hz;   /**< highest status rate the pen streams */
    int rf_fitted;                /**< non-zero: a built-in RF add-on */
    int32_t rf_frequency_min_khz; /**< lowest RF frequency, kHz */
    int32_t rf_frequency_max_khz; /**< highest RF frequency, kHz */
    double rf_power_max_w;        /**< highest RF power, W */
    int32_t rf_pulse_min_ms;      /**< shortest RF pulse, ms */
    int32_t rf_pulse_max_ms;      /**< longest RF pulse, ms */
    int rf_monopolar;             /**< non-zero: monopolar RF supported */
    int rf_bipolar;               /**< non-zero: bipolar RF supported */
    int led_fitted;               /**< non-zero: a built-in LED add-on */
    size_t led_channel_count;     /**< entries used in led_channels */
    pl_led_channel
        led_channels[PL_MAX_LED_CHANNELS]; /**< the LED channels, led_channel_count of them */
    double led_pulse_rate_min_hz;          /**< slowest LED pulse rate, Hz */
    double led_pulse_rate_max_hz;          /**< fastest LED pulse rate, Hz */
} pl_capabilities;
/** An empty pl_capabilities of this version. */
#define PL_CAPABILITIES_INIT                                                                    \
    {                                                                                           \
        PL_CAPABILITIES_VERSION, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0, 0, 0.0, 0, 0, 0, 0, 0, 0, \
            {{0, 0.0}}, 0.0, 0.0                                                                \
    }
/** Prepares caps for pl_pen_capabilities() (pass PL_CAPABILITIES_VERSION); the other fields get
 * the values of PL_CAPABILITIES_INIT. PL_EINVAL if caps is NULL or the version unknown. Any
 * thread. */
PENLINK_EXPORT int pl_capabilities_init(pl_capabilities* caps, unsigned version);

/** The pl_rf_mode layout these headers declare. */
#define PL_RF_MODE_VERSION 1
/** RF energy settings (add-on). */
typedef struct pl_rf_mode {
    unsigned version;        /**< PL_RF_MODE_VERSION */
    int enabled;             /**< non-zero switches RF on with these settings */
    pl_rf_polarity polarity; /**< monopolar or bipolar */
    int32_t frequency_khz;   /**< RF frequency, kHz */
    double power_w;          /**< RF power, W */
    int32_t pulse_ms;        /**< RF pulse length, ms */
} pl_rf_mode;
/** RF off, with the default settings. */
#define PL_RF_MODE_INIT \
    { PL_RF_MODE_VERSION, 0, PL_RF_BIPOLAR, 1000, 0.0, 100 }
/** Fills mode with defaults (RF off). PL_EINVAL if mode is NULL or the version unknown. */
PENLINK_EXPORT int pl_rf_mode_init(pl_rf_mode* mode, unsigned version);

/** The pl_led_mode layout these headers declare. */
#define PL_LED_MODE_VERSION 1
/** LED light settings (add-on). wavelength_nm picks a fitted channel. */
typedef struct pl_led_mode {
    unsigned version;         /**< PL_LED_MODE_VERSION */
    int enabled;              /**< non-zero switches the LED on with these settings */
    int32_t wavelength_nm;    /**< picks the channel (or LED module) of this wavelength */
    double irradiance_mw_cm2; /**< light output, mW/cm2 */
    int pulsed;               /**< non-zero pulses at pulse_rate_hz */
    double pulse_rate_hz;     /**< pulsed only */
    double duty_percent;      /**< pulsed only, (0, 100] */
} pl_led_mode;
/** LED off, with the default settings. */
#define PL_LED_MODE_INIT \
    { PL_LED_MODE_VERSION, 0, 633, 0.0, 0, 0.0, 50.0 }
/** Fills mode with defaults (LED off). PL_EINVAL if mode is NULL or the version unknown. */
PENLINK_EXPORT int pl_led_mode_init(pl_led_mode* mode, unsigned version);

/** One module telemetry reading of pl_status, as the pen sent it: the value in the channel's
 * unit is raw times the channel's scale (pl_module_telemetry() in penlink/modules.h does that).
 * An array element, so it has no version field and never changes. */
typedef struct pl_telemetry_reading {
    int32_t slot;    /**< the module's slot */
    int32_t channel; /**< the channel's id in the module's descriptor */
    int32_t raw;     /**< the reading as sent; times the channel's scale gives its unit */
} pl_telemetry_reading;
/** Readings one pl_status holds at most; never changes. */
#define PL_MAX_TELEMETRY_READINGS 16

/** The pl_status layout these headers declare. */
#define PL_STATUS_VERSION 2
/** One status frame from the pen. Booleans are 0/1. Handed to a status callback, it belongs to
 * the library, whose version is in `version`; read with pl_pen_latest_status(), it is allocated
 * by the caller, who sets `version` (see the file comment). */
typedef struct pl_status {
    unsigned version;                /**< PL_STATUS_VERSION (see above who sets it) */
    uint32_t sequence;               /**< pen's status counter; gaps are dropped frames */
    uint32_t device_time_ms;         /**< pen uptime */
    pl_pen_state state;              /**< what the pen is doing */
    double depth_set_mm;             /**< needle depth commanded, mm */
    double depth_actual_mm;          /**< needle depth measured, mm */
    double speed_set_hz;             /**< needle speed commanded, Hz */
    double speed_actual_hz;          /**< needle speed measured, Hz */
    int32_t battery_percent;         /**< battery charge, 0-100 */
    double temperature_c;            /**< handpiece temperature, degrees Celsius */
    uint32_t cartridge_id;           /**< 0 = no cartridge */
    uint32_t cartridge_strokes;      /**< strokes the cartridge has made */
    uint32_t cartridge_stroke_limit; /**< strokes the cartridge is good for */
    int rf_enabled;                  /**< non-zero: RF switched on */
    int rf_delivering;               /**< non-zero: RF energy flowing now */
    int32_t rf_impedance_ohm;        /**< tissue impedance, ohms */
    double rf_energy_j;              /**< RF energy delivered this session, J */
    int led_enabled;                 /**< non-zero: LED switched on */
    int led_emitting;                /**< non-zero: LED emitting now */
    int32_t led_wavelength_nm;       /**< wavelength of the LED channel in use, nm */
    double led_dose_j_cm2;           /**< light dose delivered this session, J/cm2 */
    uint32_t fault_bits;             /**< PL_FAULT_* */
    /* version 2 */
    int32_t telemetry_count; /**< entries used in telemetry, at most PL_MAX_TELEMETRY_READINGS */
    pl_telemetry_reading telemetry[PL_MAX_TELEMETRY_READINGS]; /**< module telemetry readings */
} pl_status;
/* clang-format off */
/** An empty pl_status of this version. */
#define PL_STATUS_INIT                                                                           \
    {                                                                                            \
        PL_STATUS_VERSION, 0, 0, PL_PEN_IDLE, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0, 0, 0, 0, 0, 0, 0.0, \
            0, 0, 0, 0.0, 0, 0, {{0, 0, 0}}                                                      \
    }
/* clang-format on */
/** Prepares status for pl_pen_latest_status() (pass PL_STATUS_VERSION); the other fields get
 * the values of PL_STATUS_INIT. PL_EINVAL if status is NULL or the version unknown. Any
 * thread. */
PENLINK_EXPORT int pl_status_init(pl_status* status, unsigned version);

/** The pl_event layout these headers declare. */
#define PL_EVENT_VERSION 1
/** Something that happened on the pen. Only the library creates one (for an event callback):
 * `version` is the library's PL_EVENT_VERSION. */
typedef struct pl_event {
    unsigned version;   /**< PL_EVENT_VERSION of the library that sent it */
    pl_event_kind kind; /**< what happened */
    uint32_t detail; /**< fault bit index, cartridge id, button index, watchdog ms or module slot */
    uint32_t device_time_ms; /**< the pen's uptime when it happened, ms */
} pl_event;

/** The pl_settings layout these headers declare. */
#define PL_SETTINGS_VERSION 1
/** The pen's current set points, read back with pl_pen_read_settings(). Allocated by the caller,
 * filled by the library. Booleans are 0/1. The RF and LED fields are those of pl_rf_mode and
 * pl_led_mode, flattened with an rf_ / led_ prefix (as in pl_status) so that this struct only
 * ever grows at its end, whatever those two structs gain. */
typedef struct pl_settings {
    unsigned version;             /**< PL_SETTINGS_VERSION: the fields the caller allocated */
    pl_pen_state state;           /**< what the pen is doing */
    double depth_set_mm;          /**< needle depth set point, mm */
    double depth_limit_mm;        /**< the session depth limit the pen enforces */
    double speed_set_hz;          /**< needle speed set point, Hz */
    int running;                  /**< needle commanded to run */
    int rf_enabled;               /**< non-zero: RF on */
    pl_rf_polarity rf_polarity;   /**< RF polarity in force */
    int32_t rf_frequency_khz;     /**< RF frequency, kHz */
    double rf_power_w;            /**< RF power, W */
    int32_t rf_pulse_ms;          /**< RF pulse length, ms */
    int led_enabled;              /**< non-zero: LED on */
    int32_t led_wavelength_nm;    /**< LED wavelength, nm */
    double led_irradiance_mw_cm2; /**< LED irradiance, mW/cm2 */
    int led_pulsed;               /**< non-zero: LED pulsed */
    double led_pulse_rate_hz;     /**< pulsed only */
    double led_duty_percent;      /**< pulsed only */
    int32_t status_rate_hz;       /**< the status rate the pen streams at */
    uint32_t fault_bits;          /**< PL_FAULT_* */
} pl_settings;
/** An empty pl_settings of this version. */
#define PL_SETTINGS_INIT                                                                         \
    {                                                                                            \
        PL_SETTINGS_VERSION, PL_PEN_IDLE, 0.0, 0.0, 0.0, 0, 0, PL_RF_BIPOLAR, 1000, 0.0, 100, 0, \
            633, 0.0, 0, 0.0, 50.0, 0, 0                                                         \
    }
/** Prepares settings for pl_pen_read_settings() (pass PL_SETTINGS_VERSION); the other fields get
 * the values of PL_SETTINGS_INIT. PL_EINVAL if settings is NULL or the version unknown. Any
 * thread. */
PENLINK_EXPORT int pl_settings_init(pl_settings* settings, unsigned version);
/**@}*/

/** @name Pen: connect, inspect, close */
/**@{*/
/** A connection to one pen. Thread-safe; see the file comment. */
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

/** @name Streams and subscriptions
 * Callbacks run on the pen's callback thread (see the file comment). The pointers they receive
 * are valid only during the call. The pl_status and pl_event they receive belong to the
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

/** Calls cb for each status frame; asks the pen to stream at least rate_hz. Any thread. */
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

/* Serial port listing and discovery, in their own header; included here so every program that
 * includes penlink.h keeps them. */
#include "penlink/discovery.h"

#endif /* PENLINK_PENLINK_H */
