/**
 * @file values.h
 * @brief The values a pen reports and is set with: pl_device_info, pl_capabilities, pl_rf_mode,
 * pl_led_mode, pl_status, pl_event and pl_settings.
 *
 * Part of the penlink C ABI; penlink.h includes this header and states the conventions and
 * threading rules that hold here too, so including either is enough.
 */
#ifndef PENLINK_VALUES_H
#define PENLINK_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "penlink/common.h"

#ifdef __cplusplus
extern "C" {
#endif

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
 * by the caller, who sets `version` (see the file comment of penlink.h). */
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

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_VALUES_H */
