/**
 * @file modules.h
 * @brief Add-on modules from C: the modules fitted to a pen (RF, LED, a partner's cooling tip or
 * vacuum head...), what each declares in its descriptor (docs/modules.md), parameters set and
 * read by key as tagged values, and module telemetry read from a pl_status by key.
 *
 * The conventions of penlink.h hold (return codes, `out` first, pl_error_last(), threads). In
 * particular a module is named by its descriptor's key ("cooling"), or "key@slot" when two of a
 * kind are fitted, and a failing call's pl_error_last() names "module.key", the value, the limit
 * and the unit ("cooling.setpoint_c 30 degC exceeds the module's maximum of 20 degC");
 * pl_error_last_range() gives those numbers for PL_ERANGE.
 *
 * Ownership: the library owns every object here; the program holds two kinds of owning handle,
 * both freed with their NULL-safe _free():
 * - pl_module_list, from pl_pen_modules() or pl_pen_module(): a snapshot of modules and their
 *   descriptors. Everything read from it (pl_module, pl_param_spec, pl_telemetry_spec,
 *   pl_interlock_spec and every string they return) is borrowed from the list and valid until
 *   the list is freed, also after the pen was freed or the module detached. A list never
 *   changes; after a PL_EVENT_MODULE_ATTACHED or _DETACHED event, get a new one.
 * - pl_param_list, from pl_pen_get_params(): parameter values, with their keys and labels,
 *   valid until the list is freed.
 * The label of a value from pl_pen_get_param() is owned by the pen and valid until
 * pl_pen_free(). The lists are checked against the registry of live handles like a pl_pen (a
 * freed list counts 0 and gets NULL); the borrowed views are not: their accessors given NULL
 * return 0, "" or NULL as documented, and given a view whose list was freed, the behaviour is
 * undefined.
 *
 * Threads: lists are immutable, so any number of threads may read one at once; freeing a list
 * while another thread reads it is a caller bug. The pl_pen_* calls follow penlink.h (any
 * thread, callbacks included; the blocking ones wait for the pen).
 *
 * Enum values here equal the C++ ones (penlink/module_descriptor.hpp, penlink/module.hpp) and
 * are never renumbered; new ones may be added, so handle an unknown one.
 */
#ifndef PENLINK_MODULES_H
#define PENLINK_MODULES_H

#include "penlink/penlink.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Descriptor enumerations (values fixed forever) */
/**@{*/
/** How a parameter is typed; equal to penlink::ParamType. */
typedef enum pl_param_type {
    PL_PARAM_BOOL = 0,    /**< true or false: a PL_VALUE_BOOL */
    PL_PARAM_INTEGER = 1, /**< whole numbers in the unit: a PL_VALUE_NUMBER */
    PL_PARAM_FIXED = 2,   /**< fixed point, raw times scale: a PL_VALUE_NUMBER */
    PL_PARAM_ENUM = 3     /**< one of the labels: a PL_VALUE_LABEL */
} pl_param_type;

/** How the SDK and the pen treat a parameter for safety; equal to penlink::SafetyClass. */
typedef enum pl_safety_class {
    PL_SAFETY_NONE = 0,
    /** Delivers energy into tissue (like RF power): refused off its default while the e-stop or
     * a fault is latched, and returned to its default by the pen on e-stop, fault, end of
     * session and watchdog expiry. */
    PL_SAFETY_ENERGY = 1
} pl_safety_class;
/**@}*/

/** @name Values */
/**@{*/
/** Which field of a pl_value holds it; equal to penlink::ParamValue::Kind. */
typedef enum pl_value_kind {
    PL_VALUE_BOOL = 0,   /**< `boolean` (0 or 1) */
    PL_VALUE_NUMBER = 1, /**< `number`, in the parameter's unit */
    PL_VALUE_LABEL = 2   /**< `label`, one of an enum parameter's labels */
} pl_value_kind;

/** A parameter's value, tagged with its kind. An element of the arrays pl_param_setting lives
 * in, so it has no version field and never changes (like pl_led_channel): a value kind added
 * later reuses these fields. Fields other than the kind's are 0 / NULL in values the library
 * makes and ignored in values it reads. Make one with pl_value_bool(), pl_value_number() or
 * pl_value_label(). */
typedef struct pl_value {
    pl_value_kind kind; /**< which member holds the value */
    int boolean;        /**< PL_VALUE_BOOL: 0 or 1 (the library reads any non-zero as 1) */
    double number;      /**< PL_VALUE_NUMBER; also 0 or 1 for PL_VALUE_BOOL */
    const char* label;  /**< PL_VALUE_LABEL: UTF-8; see the call for who owns it */
} pl_value;
/** A pl_value holding the number 0. */
#define PL_VALUE_INIT \
    { PL_VALUE_NUMBER, 0, 0.0, NULL }

/** The value true (value != 0) or false. Any thread. */
PENLINK_EXPORT pl_value pl_value_bool(int value);
/** The number value, in the parameter's unit. Any thread. */
PENLINK_EXPORT pl_value pl_value_number(double value);
/** The enum label; the pointer is stored, not copied. Any thread. */
PENLINK_EXPORT pl_value pl_value_label(const char* label);

/** One parameter to set, or one read back. An array element: no version, never changes. */
typedef struct pl_param_setting {
    const char* key; /**< the parameter's key, e.g. "setpoint_c" */
    pl_value value;  /**< its value */
} pl_param_setting;
/**@}*/

/** @name Modules and their descriptors */
/**@{*/
/** A snapshot of modules fitted to a pen; owns everything read from it. */
typedef struct pl_module_list pl_module_list;
/** A module in a pl_module_list (borrowed). */
typedef struct pl_module pl_module;
/** A parameter a module declares (borrowed from the module's list). */
typedef struct pl_param_spec pl_param_spec;
/** A telemetry channel a module declares (borrowed from the module's list). */
typedef struct pl_telemetry_spec pl_telemetry_spec;
/** An interlock the pen enforces on a module (borrowed from the module's list). */
typedef struct pl_interlock_spec pl_interlock_spec;

/** The modules fitted to the pen, in slot order (an empty list for a pen without modules). If
 * an attach or detach event made the pen's list stale, reads it again first and then fails like
 * a command (PL_ETIMEOUT, PL_ELOST, PL_ENOTCONN, PL_EPROTO; PL_ENOTSUP for a descriptor found
 * neither on the pen nor in the module paths). On failure *out is NULL. Any thread. */
PENLINK_EXPORT int pl_pen_modules(pl_module_list** out, pl_pen* pen);
/** A list holding the one module selector names ("cooling" or "cooling@2"; its element 0).
 * PL_ENOTSUP naming the fitted modules ("fitted: none") if none matches, PL_EINVAL for a
 * malformed selector; otherwise fails like pl_pen_modules(). On failure *out is NULL. */
PENLINK_EXPORT int pl_pen_module(pl_module_list** out, pl_pen* pen, const char* selector);
/** Number of modules; 0 for NULL. */
PENLINK_EXPORT size_t pl_module_list_count(const pl_module_list* list);
/** The index-th module, or NULL if index >= count or list is NULL. Valid until the list is
 * freed. */
PENLINK_EXPORT const pl_module* pl_module_list_get(const pl_module_list* list, size_t index);
/** Frees the list and everything borrowed from it. NULL is ignored. */
PENLINK_EXPORT void pl_module_list_free(pl_module_list* list);

/* Accessors of a module. Strings are UTF-8, never NULL ("" for a NULL module), and valid until
 * the module's list is freed. */
/** The descriptor's key, e.g. "cooling"; pl_pen_set_params() takes it. */
PENLINK_EXPORT const char* pl_module_key(const pl_module* module);
/** For people, e.g. "CoolTip C1". */
PENLINK_EXPORT const char* pl_module_name(const pl_module* module);
/** The pen's slot (1..8); 0 for NULL. */
PENLINK_EXPORT int32_t pl_module_slot(const pl_module* module);
/** The module maker's id, as the pen reported it. */
PENLINK_EXPORT uint16_t pl_module_vendor_id(const pl_module* module);
/** The module maker's name ("" for NULL). */
PENLINK_EXPORT const char* pl_module_vendor_name(const pl_module* module);
/** The maker's model id, as the pen reported it. */
PENLINK_EXPORT uint16_t pl_module_model_id(const pl_module* module);
/** The module's firmware, "major.minor.patch". */
PENLINK_EXPORT const char* pl_module_firmware_version(const pl_module* module);
/** Standard profiles it implements ("rf", "led"); NULL if index >= count. */
PENLINK_EXPORT size_t pl_module_profile_count(const pl_module* module);
/** The index-th profile, or NULL. */
PENLINK_EXPORT const char* pl_module_profile_get(const pl_module* module, size_t index);
/** Parameters in descriptor order; get gives NULL if index >= count, find NULL for an unknown
 * key (or a NULL argument). */
PENLINK_EXPORT size_t pl_module_param_count(const pl_module* module);
/** The index-th parameter, or NULL. */
PENLINK_EXPORT const pl_param_spec* pl_module_param_get(const pl_module* module, size_t index);
/** The parameter named key, or NULL. */
PENLINK_EXPORT const pl_param_spec* pl_module_param_find(const pl_module* module, const char* key);
/** Telemetry channels in descriptor order; as for parameters. */
PENLINK_EXPORT size_t pl_module_telemetry_count(const pl_module* module);
/** The index-th telemetry channel, or NULL. */
PENLINK_EXPORT const pl_telemetry_spec* pl_module_telemetry_get(const pl_module* module,
                                                                size_t index);
/** The telemetry channel named key, or NULL. */
PENLINK_EXPORT const pl_telemetry_spec* pl_module_telemetry_find(const pl_module* module,
                                                                 const char* key);
/** Interlocks in descriptor order; get gives NULL if index >= count. */
PENLINK_EXPORT size_t pl_module_interlock_count(const pl_module* module);
/** The index-th interlock, or NULL. */
PENLINK_EXPORT const pl_interlock_spec* pl_module_interlock_get(const pl_module* module,
                                                                size_t index);

/* Accessors of a parameter. Strings never NULL ("" for a NULL spec); numbers 0 for NULL. Values
 * are in the parameter's unit; on the wire a value is raw * scale. */
/** The parameter's key, e.g. "setpoint_c". */
PENLINK_EXPORT const char* pl_param_spec_key(const pl_param_spec* spec);
/** The wire id: below 0x8000 standard profiles, from 0x8000 vendor. */
PENLINK_EXPORT uint16_t pl_param_spec_id(const pl_param_spec* spec);
/** PL_PARAM_BOOL for NULL. */
PENLINK_EXPORT pl_param_type pl_param_spec_type(const pl_param_spec* spec);
/** An SI unit from docs/modules.md ("degC", "kPa"); "" for none. */
PENLINK_EXPORT const char* pl_param_spec_unit(const pl_param_spec* spec);
/** value = raw * scale. */
PENLINK_EXPORT double pl_param_spec_scale(const pl_param_spec* spec);
/** The range; for a bool 0 and 1, for an enum 0 and labels - 1. */
PENLINK_EXPORT double pl_param_spec_min(const pl_param_spec* spec);
/** The upper end of the range. */
PENLINK_EXPORT double pl_param_spec_max(const pl_param_spec* spec);
/** Values lie on min + k * step. */
PENLINK_EXPORT double pl_param_spec_step(const pl_param_spec* spec);
/** The default (off) value as a pl_value of the parameter's kind; an enum's label is owned by
 * the list. PL_VALUE_INIT for NULL. */
PENLINK_EXPORT pl_value pl_param_spec_default(const pl_param_spec* spec);
/** An enum's labels, in raw-value order (label i travels as i); 0 / NULL otherwise. */
PENLINK_EXPORT size_t pl_param_spec_label_count(const pl_param_spec* spec);
/** The index-th label, or NULL. */
PENLINK_EXPORT const char* pl_param_spec_label_get(const pl_param_spec* spec, size_t index);
/** 1 if pl_pen_set_params() may set it, 0 if read-only (or NULL). */
PENLINK_EXPORT int pl_param_spec_writable(const pl_param_spec* spec);
/** PL_SAFETY_NONE for NULL. */
PENLINK_EXPORT pl_safety_class pl_param_spec_safety(const pl_param_spec* spec);
/** One line for people; may be "". */
PENLINK_EXPORT const char* pl_param_spec_description(const pl_param_spec* spec);

/* Accessors of a telemetry channel, as for parameters. */
/** The channel's key, e.g. "plate_c". */
PENLINK_EXPORT const char* pl_telemetry_spec_key(const pl_telemetry_spec* spec);
/** The channel id in pl_telemetry_reading.channel: below 0x80 standard, from 0x80 vendor. */
PENLINK_EXPORT uint8_t pl_telemetry_spec_id(const pl_telemetry_spec* spec);
/** An SI unit from docs/modules.md; "" for none. */
PENLINK_EXPORT const char* pl_telemetry_spec_unit(const pl_telemetry_spec* spec);
/** value = raw * scale. */
PENLINK_EXPORT double pl_telemetry_spec_scale(const pl_telemetry_spec* spec);
/** The range the channel measures, in its unit. */
PENLINK_EXPORT double pl_telemetry_spec_min(const pl_telemetry_spec* spec);
/** The upper end of the range, in its unit. */
PENLINK_EXPORT double pl_telemetry_spec_max(const pl_telemetry_spec* spec);
/** 1 if a reading below alarm_low (above alarm_high) is an alarm; the limit is 0 otherwise. */
PENLINK_EXPORT int pl_telemetry_spec_has_alarm_low(const pl_telemetry_spec* spec);
/** Below this a reading is an alarm (if has_alarm_low). */
PENLINK_EXPORT double pl_telemetry_spec_alarm_low(const pl_telemetry_spec* spec);
/** 1 if readings above alarm_high are alarms. */
PENLINK_EXPORT int pl_telemetry_spec_has_alarm_high(const pl_telemetry_spec* spec);
/** Above this a reading is an alarm (if has_alarm_high). */
PENLINK_EXPORT double pl_telemetry_spec_alarm_high(const pl_telemetry_spec* spec);
/** One line for people; may be "". */
PENLINK_EXPORT const char* pl_telemetry_spec_description(const pl_telemetry_spec* spec);

/* Accessors of an interlock, as for parameters. */
/** The rule's name, e.g. "rf_needs_needle". */
PENLINK_EXPORT const char* pl_interlock_spec_key(const pl_interlock_spec* spec);
/** What must hold: "needle_running", "cartridge_fitted", "no_fault" or "param:KEY". */
PENLINK_EXPORT const char* pl_interlock_spec_condition(const pl_interlock_spec* spec);
/** Keys of the parameters it guards; NULL if index >= count. */
PENLINK_EXPORT size_t pl_interlock_spec_guard_count(const pl_interlock_spec* spec);
/** The index-th guarded parameter key, or NULL. */
PENLINK_EXPORT const char* pl_interlock_spec_guard_get(const pl_interlock_spec* spec, size_t index);
/** The rule in words, to explain a refusal ("Cooling only with a cartridge fitted"). */
PENLINK_EXPORT const char* pl_interlock_spec_description(const pl_interlock_spec* spec);
/**@}*/

/** @name Parameters
 * Every value is checked against the module's descriptor before anything is sent: an unknown
 * module fails with PL_ENOTSUP naming the fitted ones, an unknown key or a value of the wrong
 * kind (a label for a number...) with PL_EINVAL naming the keys or labels it takes, a NaN or
 * infinite number with PL_EINVAL, a number outside the range or off the step grid with PL_ERANGE
 * (pl_error_last_range() gives the value, the limit and the unit), a read-only parameter with
 * PL_ENOTSUP. A refusal by the pen names the parameter the same way (PL_ERANGE, PL_EESTOP,
 * PL_EFAULT for an energy parameter, PL_EREJECTED for an interlock, with its description). */
/**@{*/
/** Sets count parameters (1 to 16, no key twice) of module at once: the pen applies all or none,
 * and a refusal names the first offending parameter. The settings and their strings are only
 * read during the call. Blocks until the pen acknowledges; any thread, callbacks included. */
PENLINK_EXPORT int pl_pen_set_params(pl_pen* pen, const char* module,
                                     const pl_param_setting* settings, size_t count);
/** The asynchronous twin (see the Asynchronous commands of penlink.h): NULL arguments, an
 * unknown value kind and non-finite numbers are refused at once; every other outcome, the
 * descriptor's checks included, reaches `done`. The settings are copied before it returns. */
PENLINK_EXPORT int pl_pen_set_params_async(pl_pen* pen, const char* module,
                                           const pl_param_setting* settings, size_t count,
                                           pl_done_cb done, void* payload);
/** Reads one parameter's current value from the pen into *out (an enum's as PL_VALUE_LABEL,
 * whose label the pen owns until pl_pen_free()). *out is untouched on failure. Blocks until the
 * pen answers; any thread, callbacks included. */
PENLINK_EXPORT int pl_pen_get_param(pl_value* out, pl_pen* pen, const char* module,
                                    const char* key);

/** Parameter values read back from the pen; owns their keys and labels. */
typedef struct pl_param_list pl_param_list;
/** Reads every parameter of module, in descriptor order (several requests for more than 16).
 * On failure *out is NULL. Blocks; any thread, callbacks included. */
PENLINK_EXPORT int pl_pen_get_params(pl_param_list** out, pl_pen* pen, const char* module);
/** Number of values; 0 for NULL. */
PENLINK_EXPORT size_t pl_param_list_count(const pl_param_list* list);
/** The index-th key and value, or NULL if index >= count or list is NULL. Valid until the list is
 * freed. */
PENLINK_EXPORT const pl_param_setting* pl_param_list_get(const pl_param_list* list, size_t index);
/** NULL is ignored. */
PENLINK_EXPORT void pl_param_list_free(pl_param_list* list);
/**@}*/

/** @name Telemetry */
/**@{*/
/** The reading of module's channel key in status, in the channel's unit, into *out with
 * *available = 1; if status carries none (streaming had not started, the module was fitted
 * after the frame, or the pen's 16 readings were full), *out = 0 and *available = 0, and the
 * call still succeeds: a missing reading is no error. available may be NULL. status may be one
 * a callback lent or one pl_pen_latest_status() filled, of version 2 or later (a version-1
 * status carries no telemetry: PL_EINVAL). PL_EINVAL if module has no channel key (the message
 * lists those it has) or an argument is NULL. Does not block; any thread. */
PENLINK_EXPORT int pl_module_telemetry(double* out, int* available, const pl_module* module,
                                       const pl_status* status, const char* key);
/** *out = 1 if the reading of channel key is beyond its alarm_low or alarm_high, 0 otherwise
 * (also when status carries no reading). Fails like pl_module_telemetry(). */
PENLINK_EXPORT int pl_module_telemetry_alarm(int* out, const pl_module* module,
                                             const pl_status* status, const char* key);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_MODULES_H */
