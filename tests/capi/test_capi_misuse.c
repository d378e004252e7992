/* The C ABI under misuse and at its edges, in plain C99: NULL arguments, unknown struct
 * versions, handles used after free, failing callbacks, async completions, log sink. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "waiter.h"

#define SIM_URL "sim://?rf=1&led=1"

/* Log lines captured by the test sink. */
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
static char log_text[8192];

static void capture_log(pl_log_level level, const char* message, void* payload) {
    size_t used;
    (void)level;
    CHECK(payload == (void*)log_text);
    pthread_mutex_lock(&log_mutex);
    used = strlen(log_text);
    if (used + strlen(message) + 2 < sizeof log_text) {
        strcat(log_text, message);
        strcat(log_text, "\n");
    }
    pthread_mutex_unlock(&log_mutex);
}

static int log_contains(const char* text) {
    int found;
    pthread_mutex_lock(&log_mutex);
    found = strstr(log_text, text) != NULL;
    pthread_mutex_unlock(&log_mutex);
    return found;
}

static pl_pen* connect_sim(void) {
    pl_pen* pen = NULL;
    CHECK_OK(pl_pen_connect(&pen, SIM_URL, NULL));
    return pen;
}

static void test_version_and_codes(void) {
    int major = -1, minor = -1, patch = -1;
    char expected[32];
    pl_version(&major, &minor, &patch);
    CHECK(major == PL_VERSION_MAJOR && minor == PL_VERSION_MINOR && patch == PL_VERSION_PATCH);
    pl_version(NULL, NULL, NULL);
    snprintf(expected, sizeof expected, "%d.%d.%d", major, minor, patch);
    CHECK(strcmp(pl_version_string(), expected) == 0);
    CHECK(PL_VERSION_CHECK(1, 0, 0));
    CHECK(!PL_VERSION_CHECK(PL_VERSION_MAJOR + 1, 0, 0));
    CHECK(PL_VERSION_NUMBER ==
          PL_VERSION_MAJOR * 10000 + PL_VERSION_MINOR * 100 + PL_VERSION_PATCH);

    CHECK(PL_EINVAL == -1 && PL_ERANGE == -2 && PL_ETIMEOUT == -3 && PL_ECONNECT == -4);
    CHECK(PL_ELOST == -5 && PL_ENOTCONN == -6 && PL_EESTOP == -7 && PL_EFAULT == -8);
    CHECK(PL_ENOTSUP == -9 && PL_EREJECTED == -10 && PL_EPROTO == -11 && PL_EINTERNAL == -12);
    CHECK(PL_ECALLBACK == -13);
    CHECK(strcmp(pl_strerror(PL_ERANGE), "out of range") == 0);
    CHECK(strcmp(pl_strerror(PL_OK), "ok") == 0);
    CHECK(strcmp(pl_strerror(-99), "unknown error") == 0);
    CHECK(strcmp(pl_strerror(3), "unknown error") == 0);
    pl_error_clear();
    CHECK(pl_error_last() != NULL && pl_error_last()[0] == '\0');
    CHECK(pl_error_last_code() == PL_OK);
    CHECK(strcmp(pl_pen_state_name(PL_PEN_RUNNING), "") != 0);
    CHECK(strcmp(pl_pen_state_name((pl_pen_state)42), "unknown") == 0);
    CHECK(strcmp(pl_connection_state_name((pl_connection_state)-3), "unknown") == 0);
}

static void test_struct_versions(void) {
    pl_connect_options options;
    pl_rf_mode rf;
    pl_led_mode led;
    pl_pen* pen = (pl_pen*)&options; /* must be set to NULL on failure */
    const pl_connect_options defaults = PL_CONNECT_OPTIONS_INIT;

    CHECK_OK(pl_connect_options_init(&options, PL_CONNECT_OPTIONS_VERSION));
    /* Field by field: version 2 added a pointer after an int, so the struct has padding. */
    CHECK(options.version == defaults.version && options.version == PL_CONNECT_OPTIONS_VERSION);
    CHECK(options.connect_timeout_ms == defaults.connect_timeout_ms &&
          options.command_timeout_ms == defaults.command_timeout_ms &&
          options.command_retries == defaults.command_retries &&
          options.heartbeat_interval_ms == defaults.heartbeat_interval_ms &&
          options.link_timeout_ms == defaults.link_timeout_ms &&
          options.idle_status_rate_hz == defaults.idle_status_rate_hz &&
          options.callback_queue_capacity == defaults.callback_queue_capacity &&
          options.log_level == defaults.log_level && options.module_paths == NULL &&
          defaults.module_paths == NULL);
    CHECK_FAILS(pl_connect_options_init(NULL, PL_CONNECT_OPTIONS_VERSION), PL_EINVAL, "opts");
    CHECK_FAILS(pl_connect_options_init(&options, 99), PL_EINVAL, "version 99");
    CHECK_FAILS(pl_connect_options_init(&options, 0), PL_EINVAL, "version 0");
    CHECK_OK(pl_rf_mode_init(&rf, PL_RF_MODE_VERSION));
    CHECK(rf.version == PL_RF_MODE_VERSION && rf.enabled == 0);
    CHECK_FAILS(pl_rf_mode_init(&rf, 7), PL_EINVAL, "pl_rf_mode version 7");
    CHECK_OK(pl_led_mode_init(&led, PL_LED_MODE_VERSION));
    CHECK(led.version == PL_LED_MODE_VERSION && led.enabled == 0);
    CHECK_FAILS(pl_led_mode_init(NULL, 1), PL_EINVAL, "mode");

    options.version = 42;
    CHECK_FAILS(pl_pen_connect(&pen, SIM_URL, &options), PL_EINVAL, "version 42");
    CHECK(pen == NULL);
    options.version = PL_CONNECT_OPTIONS_VERSION;
    options.command_retries = -1;
    CHECK_FAILS(pl_pen_connect(&pen, SIM_URL, &options), PL_EINVAL, "command_retries -1");
    options.command_retries = 2;
    options.log_level = 17;
    CHECK_FAILS(pl_pen_connect(&pen, SIM_URL, &options), PL_EINVAL, "log_level 17");
}

/* pl_pen_read_settings refuses bad arguments before asking the pen, so none of this needs a pen
 * that answers GetSettings; *out stays untouched on failure. */
static void test_read_settings_arguments(void) {
    pl_settings settings;
    const pl_settings defaults = PL_SETTINGS_INIT;
    pl_pen* pen;

    memset(&settings, 0x5a, sizeof settings);
    CHECK_OK(pl_settings_init(&settings, PL_SETTINGS_VERSION));
    /* Field by field: the struct has padding, which neither initialisation sets. */
    CHECK(settings.version == PL_SETTINGS_VERSION && defaults.version == PL_SETTINGS_VERSION);
    CHECK(settings.state == defaults.state && settings.state == PL_PEN_IDLE);
    CHECK(settings.depth_set_mm == 0.0 && settings.depth_limit_mm == 0.0);
    CHECK(settings.speed_set_hz == 0.0 && settings.running == 0);
    CHECK(settings.rf_enabled == 0 && settings.rf_polarity == defaults.rf_polarity);
    CHECK(settings.rf_frequency_khz == defaults.rf_frequency_khz);
    CHECK(settings.rf_power_w == 0.0 && settings.rf_pulse_ms == defaults.rf_pulse_ms);
    CHECK(settings.led_enabled == 0 && settings.led_wavelength_nm == defaults.led_wavelength_nm);
    CHECK(settings.led_irradiance_mw_cm2 == 0.0 && settings.led_pulsed == 0);
    CHECK(settings.led_pulse_rate_hz == 0.0);
    CHECK(settings.led_duty_percent == defaults.led_duty_percent);
    CHECK(settings.status_rate_hz == 0 && settings.fault_bits == 0);
    CHECK_FAILS(pl_settings_init(NULL, PL_SETTINGS_VERSION), PL_EINVAL,
                "pl_settings_init: settings is NULL");
    CHECK_FAILS(pl_settings_init(&settings, 0), PL_EINVAL, "pl_settings version 0");
    CHECK_FAILS(pl_settings_init(&settings, 5), PL_EINVAL, "pl_settings version 5");

    CHECK_FAILS(pl_pen_read_settings(NULL, NULL), PL_EINVAL, "pl_pen_read_settings: out is NULL");
    CHECK_FAILS(pl_pen_read_settings(&settings, NULL), PL_EINVAL,
                "pl_pen_read_settings: pen is NULL");

    pen = connect_sim();
    CHECK_FAILS(pl_pen_read_settings(NULL, pen), PL_EINVAL, "pl_pen_read_settings: out is NULL");
    settings.version = 7;
    settings.depth_set_mm = -42.0;
    CHECK_FAILS(pl_pen_read_settings(&settings, pen), PL_EINVAL,
                "pl_pen_read_settings: pl_settings version 7");
    CHECK(settings.version == 7 && settings.depth_set_mm == -42.0);
    settings.version = 0; /* memset to zero and never initialised */
    CHECK_FAILS(pl_pen_read_settings(&settings, pen), PL_EINVAL, "pl_settings version 0");
    CHECK_OK(pl_pen_close(pen));
    settings.version = PL_SETTINGS_VERSION;
    CHECK(pl_pen_read_settings(&settings, pen) == PL_ENOTCONN);
    CHECK(settings.depth_set_mm == -42.0);
    pl_pen_free(pen);
    /* A freed handle is detected (unless its memory was reused by a new pen). */
    CHECK_FAILS(pl_pen_read_settings(&settings, pen), PL_EINVAL, "not a live pl_pen");
}

/* Output structs the caller allocates (pl_device_info, pl_capabilities, pl_status, pl_settings),
 * as a program built against an older header would allocate them: the struct of its version,
 * followed by memory the library must never write, because that is where the fields of a later
 * version lie. Version 1 ends at the fields below; these stay when a struct gains version 2, so
 * the same checks then prove that a version-1 caller's memory past version 1 is untouched. */
#define END_OF(type, field) (offsetof(type, field) + sizeof(((type*)0)->field))
#define GUARD_BYTE 0x5a
#define GUARD_SIZE 64

static int untouched_from(const void* memory, size_t from, size_t to) {
    const unsigned char* bytes = (const unsigned char*)memory;
    size_t i;
    for (i = from; i < to; ++i) {
        if (bytes[i] != GUARD_BYTE) {
            fprintf(stderr, "byte %lu of %lu was written\n", (unsigned long)i, (unsigned long)to);
            return 0;
        }
    }
    return 1;
}

typedef struct {
    pl_device_info value;
    unsigned char after[GUARD_SIZE];
} guarded_device_info;
typedef struct {
    pl_capabilities value;
    unsigned char after[GUARD_SIZE];
} guarded_capabilities;
typedef struct {
    pl_status value;
    unsigned char after[GUARD_SIZE];
} guarded_status;
typedef struct {
    pl_settings value;
    unsigned char after[GUARD_SIZE];
} guarded_settings;
typedef struct {
    pl_connect_options value;
    unsigned char after[GUARD_SIZE];
} guarded_connect_options;
typedef struct {
    pl_rf_mode value;
    unsigned char after[GUARD_SIZE];
} guarded_rf_mode;
typedef struct {
    pl_led_mode value;
    unsigned char after[GUARD_SIZE];
} guarded_led_mode;

#define DEVICE_INFO_V1_END END_OF(pl_device_info, protocol_version)
#define CAPABILITIES_V1_END END_OF(pl_capabilities, led_pulse_rate_max_hz)
#define STATUS_V1_END END_OF(pl_status, fault_bits)
#define SETTINGS_V1_END END_OF(pl_settings, fault_bits)
#define CONNECT_OPTIONS_V1_END END_OF(pl_connect_options, log_level)
#define RF_MODE_V1_END END_OF(pl_rf_mode, pulse_ms)
#define LED_MODE_V1_END END_OF(pl_led_mode, duty_percent)

/* pl_x_init(&guarded.value, 1) writes the version-1 fields and nothing after them. */
#define CHECK_INIT_STAYS_IN_VERSION_1(guarded, init, end)          \
    do {                                                           \
        memset(&(guarded), GUARD_BYTE, sizeof(guarded));           \
        CHECK_OK(init(&(guarded).value, 1));                       \
        CHECK((guarded).value.version == 1);                       \
        CHECK(untouched_from(&(guarded), (end), sizeof(guarded))); \
    } while (0)

static void test_output_struct_init(void) {
    pl_device_info info;
    pl_capabilities caps;
    pl_status status;
    const pl_device_info info_defaults = PL_DEVICE_INFO_INIT;
    const pl_capabilities caps_defaults = PL_CAPABILITIES_INIT;
    const pl_status status_defaults = PL_STATUS_INIT;
    guarded_device_info guarded_info;
    guarded_capabilities guarded_caps;
    guarded_status guarded_frame;
    guarded_settings guarded_set;
    guarded_connect_options guarded_options;
    guarded_rf_mode guarded_rf;
    guarded_led_mode guarded_led;
    size_t i;

    /* The macros and the functions agree; field by field, as the structs have padding. */
    memset(&info, GUARD_BYTE, sizeof info);
    CHECK_OK(pl_device_info_init(&info, PL_DEVICE_INFO_VERSION));
    CHECK(info.version == PL_DEVICE_INFO_VERSION && info_defaults.version == info.version);
    CHECK(info.model[0] == '\0' && info.serial_number[0] == '\0');
    CHECK(info.firmware_version[0] == '\0' && info.protocol_version == 0);
    CHECK(memcmp(&info, &info_defaults, sizeof info) == 0); /* no padding in pl_device_info */

    memset(&caps, GUARD_BYTE, sizeof caps);
    CHECK_OK(pl_capabilities_init(&caps, PL_CAPABILITIES_VERSION));
    CHECK(caps.version == PL_CAPABILITIES_VERSION && caps_defaults.version == caps.version);
    CHECK(caps.depth_min_mm == 0.0 && caps.depth_max_mm == 0.0 && caps.depth_step_mm == 0.0);
    CHECK(caps.speed_min_hz == 0.0 && caps.speed_max_hz == 0.0 && caps.watchdog_ms == 0);
    CHECK(caps.max_status_rate_hz == 0 && caps.rf_fitted == 0 && caps.rf_power_max_w == 0.0);
    CHECK(caps.rf_frequency_min_khz == 0 && caps.rf_frequency_max_khz == 0);
    CHECK(caps.rf_pulse_min_ms == 0 && caps.rf_pulse_max_ms == 0);
    CHECK(caps.rf_monopolar == 0 && caps.rf_bipolar == 0 && caps.led_fitted == 0);
    CHECK(caps.led_channel_count == 0);
    for (i = 0; i < PL_MAX_LED_CHANNELS; ++i) {
        CHECK(caps.led_channels[i].wavelength_nm == 0);
        CHECK(caps.led_channels[i].max_irradiance_mw_cm2 == 0.0);
        CHECK(caps_defaults.led_channels[i].wavelength_nm == 0);
    }
    CHECK(caps.led_pulse_rate_min_hz == 0.0 && caps.led_pulse_rate_max_hz == 0.0);

    memset(&status, GUARD_BYTE, sizeof status);
    CHECK_OK(pl_status_init(&status, PL_STATUS_VERSION));
    CHECK(status.version == PL_STATUS_VERSION && status_defaults.version == status.version);
    CHECK(status.sequence == 0 && status.device_time_ms == 0 && status.state == PL_PEN_IDLE);
    CHECK(status.depth_set_mm == 0.0 && status.depth_actual_mm == 0.0);
    CHECK(status.speed_set_hz == 0.0 && status.speed_actual_hz == 0.0);
    CHECK(status.battery_percent == 0 && status.temperature_c == 0.0);
    CHECK(status.cartridge_id == 0 && status.cartridge_strokes == 0);
    CHECK(status.cartridge_stroke_limit == 0 && status.rf_enabled == 0);
    CHECK(status.rf_delivering == 0 && status.rf_impedance_ohm == 0 && status.rf_energy_j == 0.0);
    CHECK(status.led_enabled == 0 && status.led_emitting == 0 && status.led_wavelength_nm == 0);
    CHECK(status.led_dose_j_cm2 == 0.0 && status.fault_bits == 0);

    /* NULL and unknown versions: refused, naming the function, the struct and the version. */
    CHECK_FAILS(pl_device_info_init(NULL, PL_DEVICE_INFO_VERSION), PL_EINVAL,
                "pl_device_info_init: info is NULL");
    CHECK_FAILS(pl_capabilities_init(NULL, PL_CAPABILITIES_VERSION), PL_EINVAL,
                "pl_capabilities_init: caps is NULL");
    CHECK_FAILS(pl_status_init(NULL, PL_STATUS_VERSION), PL_EINVAL,
                "pl_status_init: status is NULL");
    memset(&info, GUARD_BYTE, sizeof info);
    CHECK_FAILS(pl_device_info_init(&info, 0), PL_EINVAL, "pl_device_info version 0");
    CHECK_FAILS(pl_device_info_init(&info, PL_DEVICE_INFO_VERSION + 1), PL_EINVAL,
                "is not supported by penlink");
    CHECK(untouched_from(&info, 0, sizeof info));
    memset(&caps, GUARD_BYTE, sizeof caps);
    CHECK_FAILS(pl_capabilities_init(&caps, PL_CAPABILITIES_VERSION + 1), PL_EINVAL,
                "pl_capabilities_init: pl_capabilities version");
    CHECK(strstr(pl_error_last(), "initialise it with the _INIT macro") != NULL);
    CHECK(untouched_from(&caps, 0, sizeof caps));
    memset(&status, GUARD_BYTE, sizeof status);
    CHECK_FAILS(pl_status_init(&status, 0), PL_EINVAL, "pl_status_init: pl_status version 0");
    CHECK(untouched_from(&status, 0, sizeof status));

    /* Every pl_x_init() writes the fields of the version asked for and nothing after them. */
    CHECK_INIT_STAYS_IN_VERSION_1(guarded_info, pl_device_info_init, DEVICE_INFO_V1_END);
    CHECK_INIT_STAYS_IN_VERSION_1(guarded_caps, pl_capabilities_init, CAPABILITIES_V1_END);
    CHECK_INIT_STAYS_IN_VERSION_1(guarded_frame, pl_status_init, STATUS_V1_END);
    CHECK_INIT_STAYS_IN_VERSION_1(guarded_set, pl_settings_init, SETTINGS_V1_END);
    CHECK_INIT_STAYS_IN_VERSION_1(guarded_options, pl_connect_options_init, CONNECT_OPTIONS_V1_END);
    CHECK_INIT_STAYS_IN_VERSION_1(guarded_rf, pl_rf_mode_init, RF_MODE_V1_END);
    CHECK_INIT_STAYS_IN_VERSION_1(guarded_led, pl_led_mode_init, LED_MODE_V1_END);
    CHECK(guarded_options.value.connect_timeout_ms == 3000 &&
          guarded_led.value.wavelength_nm == 633);
}

/* The calls that fill a caller's struct refuse an unknown version before touching anything, and
 * fill a version-1 struct without writing past its version-1 fields. */
static void test_output_struct_versions(void) {
    pl_pen* pen = connect_sim();
    guarded_device_info info, info_before;
    guarded_capabilities caps, caps_before;
    guarded_status status, status_before;
    guarded_settings settings;
    int available = 42;
    char expected[128];

    memset(&info, GUARD_BYTE, sizeof info);
    info.value.version = PL_DEVICE_INFO_VERSION + 1;
    info_before = info;
    snprintf(expected, sizeof expected,
             "pl_pen_info: pl_device_info version %d is not supported by penlink",
             PL_DEVICE_INFO_VERSION + 1);
    CHECK_FAILS(pl_pen_info(&info.value, pen), PL_EINVAL, expected);
    CHECK(memcmp(&info, &info_before, sizeof info) == 0);
    info.value.version = 0; /* zeroed and never initialised */
    CHECK_FAILS(pl_pen_info(&info.value, pen), PL_EINVAL, "pl_device_info version 0");
    CHECK_FAILS(pl_pen_info(&info.value, NULL), PL_EINVAL, "pl_device_info version 0");

    memset(&caps, GUARD_BYTE, sizeof caps);
    caps.value.version = PL_CAPABILITIES_VERSION + 1;
    caps_before = caps;
    snprintf(expected, sizeof expected,
             "pl_pen_capabilities: pl_capabilities version %d is not supported by penlink",
             PL_CAPABILITIES_VERSION + 1);
    CHECK_FAILS(pl_pen_capabilities(&caps.value, pen), PL_EINVAL, expected);
    CHECK(memcmp(&caps, &caps_before, sizeof caps) == 0);

    memset(&status, GUARD_BYTE, sizeof status);
    status.value.version = 99;
    status_before = status;
    CHECK_FAILS(pl_pen_latest_status(&status.value, &available, pen), PL_EINVAL,
                "pl_pen_latest_status: pl_status version 99 is not supported by penlink");
    snprintf(expected, sizeof expected, "known versions 1 to %d", PL_STATUS_VERSION);
    CHECK(strstr(pl_error_last(), expected) != NULL);
    CHECK(memcmp(&status, &status_before, sizeof status) == 0 && available == 42);

    /* Version 1 in a version-1 allocation: filled, nothing written after it. */
    memset(&info, GUARD_BYTE, sizeof info);
    info.value.version = 1;
    CHECK_OK(pl_pen_info(&info.value, pen));
    CHECK(info.value.version == 1 && info.value.model[0] != '\0');
    CHECK(info.value.protocol_version == 2);
    CHECK(untouched_from(&info, DEVICE_INFO_V1_END, sizeof info));

    memset(&caps, GUARD_BYTE, sizeof caps);
    caps.value.version = 1;
    CHECK_OK(pl_pen_capabilities(&caps.value, pen));
    CHECK(caps.value.version == 1 && caps.value.depth_max_mm > caps.value.depth_min_mm);
    CHECK(caps.value.led_fitted && caps.value.led_channel_count >= 1);
    CHECK(caps.value.led_channel_count <= PL_MAX_LED_CHANNELS);
    /* The unused channels are part of version 1 and cleared, not left as they were. */
    CHECK(caps.value.led_channels[PL_MAX_LED_CHANNELS - 1].wavelength_nm == 0);
    CHECK(untouched_from(&caps, CAPABILITIES_V1_END, sizeof caps));

    memset(&status, GUARD_BYTE, sizeof status);
    status.value.version = 1;
    CHECK_OK(pl_pen_latest_status(&status.value, &available, pen));
    CHECK(status.value.version == 1 && (available == 0 || available == 1));
    if (!available) CHECK(status.value.sequence == 0 && status.value.fault_bits == 0);
    CHECK(untouched_from(&status, STATUS_V1_END, sizeof status));

    memset(&settings, GUARD_BYTE, sizeof settings);
    settings.value.version = 1;
    CHECK_OK(pl_pen_read_settings(&settings.value, pen));
    CHECK(settings.value.version == 1 && settings.value.status_rate_hz > 0);
    CHECK(untouched_from(&settings, SETTINGS_V1_END, sizeof settings));
    pl_pen_free(pen);
}

/* A status frame lent to a callback carries the library's version. */
static int check_status_version(const pl_status* status, void* payload) {
    CHECK(status->version == PL_STATUS_VERSION);
    waiter_bump((waiter*)payload, (int)status->version);
    return 0;
}

static void test_lent_struct_versions(void) {
    pl_pen* pen = connect_sim();
    pl_subscription* subscription = NULL;
    waiter frames;
    waiter_init(&frames);
    CHECK_OK(pl_pen_subscribe_status(&subscription, pen, 100, check_status_version, &frames));
    CHECK(waiter_wait(&frames, 3, 5000));
    CHECK(waiter_last(&frames) == PL_STATUS_VERSION);
    pl_subscription_free(subscription);
    pl_pen_free(pen);
    waiter_destroy(&frames);
}

static void test_null_arguments(void) {
    pl_pen* pen = NULL;
    pl_status status = PL_STATUS_INIT;
    int32_t depth;
    CHECK_FAILS(pl_pen_connect(NULL, SIM_URL, NULL), PL_EINVAL, "out");
    CHECK_FAILS(pl_pen_connect(&pen, NULL, NULL), PL_EINVAL, "url");
    CHECK_FAILS(pl_pen_set_depth_um(NULL, 100), PL_EINVAL, "pl_pen_set_depth_um: pen is NULL");
    CHECK_FAILS(pl_pen_start(NULL), PL_EINVAL, "pen is NULL");
    CHECK_FAILS(pl_pen_reconnect(NULL), PL_EINVAL, "pen is NULL");
    CHECK_FAILS(pl_pen_emergency_stop(NULL), PL_EINVAL, "pen is NULL");
    CHECK_FAILS(pl_pen_latest_status(&status, NULL, NULL), PL_EINVAL, "pen is NULL");
    CHECK_FAILS(pl_pen_depth_limit_um(&depth, NULL), PL_EINVAL, "pen is NULL");
    CHECK_FAILS(pl_pen_set_rf_mode(NULL, NULL), PL_EINVAL, "pen is NULL");
    CHECK_FAILS(pl_pen_start_async(NULL, NULL, NULL), PL_EINVAL, "pen is NULL");
    CHECK_FAILS(pl_pen_subscribe_events(NULL, NULL, NULL, NULL), PL_EINVAL, "out");
    CHECK_FAILS(pl_log_set_level((pl_log_level)9), PL_EINVAL, "log level 9");
    pl_pen_free(NULL);
    pl_subscription_free(NULL);
    pl_serial_port_list_free(NULL);
    CHECK(pl_serial_port_list_count(NULL) == 0);
    CHECK(pl_serial_port_list_get(NULL, 0) == NULL);
}

static void test_bad_urls(void) {
    pl_pen* pen = NULL;
    CHECK_FAILS(pl_pen_connect(&pen, "foo://x", NULL), PL_EINVAL, "foo");
    CHECK(pen == NULL);
    /* Port 1 on loopback: nobody listens, the connection is refused. */
    CHECK(pl_pen_connect(&pen, "tcp://127.0.0.1:1", NULL) == PL_ECONNECT);
    CHECK(pen == NULL);
}

static void test_pen_with_null_outputs(void) {
    pl_pen* pen = connect_sim();
    pl_led_mode led = PL_LED_MODE_INIT;
    pl_rf_mode rf = PL_RF_MODE_INIT;
    CHECK_FAILS(pl_pen_info(NULL, pen), PL_EINVAL, "out is NULL");
    CHECK_FAILS(pl_pen_capabilities(NULL, pen), PL_EINVAL, "out is NULL");
    CHECK_FAILS(pl_pen_latest_status(NULL, NULL, pen), PL_EINVAL, "out is NULL");
    CHECK_FAILS(pl_pen_set_led_mode(pen, NULL), PL_EINVAL, "mode is NULL");
    CHECK_FAILS(pl_pen_subscribe_status(NULL, pen, 10, NULL, NULL), PL_EINVAL, "out is NULL");
    led.version = 3;
    CHECK_FAILS(pl_pen_set_led_mode(pen, &led), PL_EINVAL, "pl_led_mode version 3");
    rf.polarity = (pl_rf_polarity)7;
    CHECK_FAILS(pl_pen_set_rf_mode(pen, &rf), PL_EINVAL, "polarity 7");
    pl_pen_free(pen);
}

static void test_use_after_free(void) {
    pl_pen* pen = connect_sim();
    pl_pen* stale = pen;
    pl_log_set_sink(capture_log, PL_LOG_WARNING, log_text);
    pl_pen_free(pen);
    CHECK_FAILS(pl_pen_start(stale), PL_EINVAL, "not a live pl_pen");
    pl_pen_free(stale); /* a double free is detected and logged, not a crash */
    CHECK(log_contains("pl_pen_free: pointer is not a live pl_pen"));
}

static void test_info_and_limits(void) {
    pl_pen* pen = connect_sim();
    const char* url = NULL;
    pl_connection_state state = PL_CONNECTION_CLOSED;
    int32_t limit_um = 0;
    double value, limit;
    const char* unit;
    CHECK_OK(pl_pen_url(&url, pen));
    CHECK(strcmp(url, SIM_URL) == 0);
    CHECK_OK(pl_pen_connection_state(&state, pen));
    CHECK(state == PL_CONNECTION_CONNECTED);
    CHECK_OK(pl_pen_set_depth_limit_um(pen, 1500));
    CHECK_OK(pl_pen_depth_limit_um(&limit_um, pen));
    CHECK(limit_um == 1500);
    CHECK_OK(pl_pen_set_depth_mm(pen, 1.25));
    CHECK(pl_pen_set_depth_um(pen, 2000) == PL_ERANGE);
    CHECK(pl_error_last_range(&value, &limit, &unit) == 1);
    CHECK(value > 1.999 && value < 2.001 && limit > 1.499 && limit < 1.501 &&
          strcmp(unit, "mm") == 0);
    CHECK(strstr(pl_error_last(), "1.5") != NULL);
    CHECK_FAILS(pl_pen_set_speed_hz(pen, 1000.0), PL_ERANGE, "Hz");
    CHECK(pl_pen_start(pen) == 0);
    CHECK_OK(pl_pen_reconnect(pen)); /* connected: nothing to do */
    CHECK_OK(pl_pen_clear_faults(pen));
    CHECK_OK(pl_pen_stop(pen));
    /* a non-range error leaves no range numbers behind */
    CHECK(pl_pen_set_depth_um(NULL, 1) == PL_EINVAL);
    CHECK(pl_error_last_range(&value, &limit, &unit) == 0);
    CHECK(value == 0 && limit == 0 && strcmp(unit, "") == 0);
    CHECK_OK(pl_pen_close(pen));
    CHECK_OK(pl_pen_close(pen)); /* idempotent */
    CHECK_OK(pl_pen_connection_state(&state, pen));
    CHECK(state == PL_CONNECTION_CLOSED);
    CHECK(pl_pen_start(pen) == PL_ENOTCONN);
    CHECK(pl_pen_reconnect(pen) == PL_ENOTCONN);
    pl_pen_free(pen);
}

static int record_result(int result, void* payload);

/* NaN and infinity are not depths, speeds or powers: refused before anything reaches the pen,
 * with a message naming the value and unit; values beyond what the SDK holds are PL_ERANGE. */
static void test_non_finite_values(void) {
    pl_pen* pen = connect_sim();
    pl_rf_mode rf = PL_RF_MODE_INIT;
    pl_led_mode led = PL_LED_MODE_INIT;
    waiter done;
    double value = 0, limit = 0;
    const char* unit = "";
    const double nan_value = strtod("nan", NULL);
    const double inf_value = strtod("inf", NULL);
    waiter_init(&done);

    CHECK_FAILS(pl_pen_set_depth_mm(pen, nan_value), PL_EINVAL,
                "depth nan mm is not a finite number");
    CHECK_FAILS(pl_pen_set_depth_mm(pen, inf_value), PL_EINVAL, "depth inf mm");
    CHECK_FAILS(pl_pen_set_depth_mm(pen, -inf_value), PL_EINVAL, "depth -inf mm");
    CHECK_FAILS(pl_pen_set_depth_mm(pen, 1e308), PL_ERANGE, "depth 1e+308 mm");
    CHECK(pl_error_last_range(&value, &limit, &unit) == 1);
    CHECK(value == 1e308 && limit > 2147483.6 && limit < 2147483.7 && strcmp(unit, "mm") == 0);
    CHECK_FAILS(pl_pen_set_depth_mm(pen, -1e12), PL_ERANGE, "-2147483.648 mm");
    CHECK_FAILS(pl_pen_set_speed_hz(pen, nan_value), PL_EINVAL,
                "speed nan Hz is not a finite number");
    CHECK_FAILS(pl_pen_set_speed_hz(pen, -inf_value), PL_EINVAL, "speed -inf Hz");
    CHECK_FAILS(pl_pen_set_speed_hz(pen, 1e300), PL_ERANGE, "speed 1e+300 Hz");
    CHECK_FAILS(pl_pen_set_speed_hz_async(pen, nan_value, record_result, &done), PL_EINVAL,
                "speed nan Hz");

    rf.enabled = 1;
    rf.frequency_khz = 1500;
    rf.power_w = nan_value;
    CHECK_FAILS(pl_pen_set_rf_mode(pen, &rf), PL_EINVAL, "RF power nan W is not a finite number");
    rf.power_w = inf_value;
    CHECK_FAILS(pl_pen_set_rf_mode(pen, &rf), PL_EINVAL, "RF power inf W");
    CHECK_FAILS(pl_pen_set_rf_mode_async(pen, &rf, record_result, &done), PL_EINVAL,
                "RF power inf W");
    rf.power_w = 5;
    rf.polarity = (pl_rf_polarity)7;
    CHECK_FAILS(pl_pen_set_rf_mode(pen, &rf), PL_EINVAL, "RF polarity 7");

    led.enabled = 1;
    led.irradiance_mw_cm2 = nan_value;
    CHECK_FAILS(pl_pen_set_led_mode(pen, &led), PL_EINVAL,
                "LED irradiance at 633 nm nan mW/cm2 is not a finite number");
    led.irradiance_mw_cm2 = 40;
    led.pulse_rate_hz = -inf_value; /* refused even for continuous light */
    CHECK_FAILS(pl_pen_set_led_mode(pen, &led), PL_EINVAL, "LED pulse rate -inf Hz");
    led.pulse_rate_hz = 10;
    led.pulsed = 1;
    led.duty_percent = nan_value;
    CHECK_FAILS(pl_pen_set_led_mode_async(pen, &led, record_result, &done), PL_EINVAL,
                "LED duty cycle nan %");

    /* None of it reached the pen: the outputs are still off. */
    {
        pl_status status = PL_STATUS_INIT;
        int available = 0;
        CHECK_OK(pl_pen_latest_status(&status, &available, pen));
        CHECK(!available || (!status.rf_enabled && !status.led_enabled));
    }
    CHECK(waiter_count(&done) == 0);
    pl_pen_free(pen);
    waiter_destroy(&done);
}

static int record_result(int result, void* payload) {
    double value = 0, limit = 0;
    const char* unit = "";
    int has_range = pl_error_last_range(&value, &limit, &unit);
    /* encode: result in the low bits, range knowledge in bit 8 */
    waiter_bump((waiter*)payload, (result & 0xff) | (has_range ? 0x100 : 0));
    return 0;
}

static void test_async(void) {
    pl_pen* pen = connect_sim();
    waiter done;
    int rc;
    waiter_init(&done);
    CHECK_OK(pl_pen_set_depth_um_async(pen, 800, record_result, &done));
    CHECK(waiter_wait(&done, 1, 5000));
    CHECK(waiter_last(&done) == 0);
    /* Out of range: refused either at once or through the completion, with range numbers. */
    rc = pl_pen_set_depth_um_async(pen, 9000, record_result, &done);
    if (rc == 0) {
        CHECK(waiter_wait(&done, 2, 5000));
        CHECK(waiter_last(&done) == ((PL_ERANGE & 0xff) | 0x100));
    } else {
        CHECK(rc == PL_ERANGE);
    }
    CHECK_OK(pl_pen_start_async(pen, NULL, NULL));
    CHECK_OK(pl_pen_emergency_stop_async(pen, record_result, &done));
    CHECK(waiter_wait(&done, rc == 0 ? 3 : 2, 5000));
    CHECK(waiter_last(&done) == 0);
    CHECK_OK(pl_pen_clear_emergency_stop_async(pen, record_result, &done));
    CHECK(waiter_wait(&done, rc == 0 ? 4 : 3, 5000));
    CHECK(waiter_last(&done) == 0);
    pl_pen_free(pen);
    waiter_destroy(&done);
}

/* A status callback that reports failure, and one that tries to free its own pen. */
typedef struct misbehaving {
    waiter frames;
    pl_pen* pen;
} misbehaving;

static int fail_status(const pl_status* status, void* payload) {
    (void)status;
    waiter_bump(&((misbehaving*)payload)->frames, 0);
    return 7;
}

static int free_own_pen(const pl_status* status, void* payload) {
    misbehaving* state = (misbehaving*)payload;
    (void)status;
    if (waiter_count(&state->frames) == 0) pl_pen_free(state->pen); /* refused: would deadlock */
    waiter_bump(&state->frames, 0);
    return 0;
}

static void test_misbehaving_callbacks(void) {
    misbehaving state;
    pl_subscription* subscription = NULL;
    int32_t limit_um = 0;
    pl_log_set_sink(capture_log, PL_LOG_WARNING, log_text);
    waiter_init(&state.frames);
    state.pen = connect_sim();
    CHECK_OK(pl_pen_subscribe_status(&subscription, state.pen, 100, fail_status, &state));
    CHECK(waiter_wait(&state.frames, 3, 5000));
    pl_subscription_free(subscription);
    CHECK(log_contains("status callback returned 7"));

    waiter_destroy(&state.frames);
    waiter_init(&state.frames);
    CHECK_OK(pl_pen_subscribe_status(&subscription, state.pen, 100, free_own_pen, &state));
    CHECK(waiter_wait(&state.frames, 3, 5000));
    CHECK(log_contains("pl_pen_free called from one of the pen's own callbacks"));
    CHECK_OK(pl_pen_depth_limit_um(&limit_um, state.pen)); /* still alive */
    /* Free the pen first, its subscription afterwards: both orders are allowed. */
    pl_pen_free(state.pen);
    pl_subscription_free(subscription);
    waiter_destroy(&state.frames);
}

/* Closes the pen and frees its own subscription from inside the callback: both allowed. */
typedef struct self_closing {
    waiter calls;
    pl_pen* pen;
    pl_subscription* subscription;
    int close_result;
} self_closing;

static int close_from_callback(const pl_status* status, void* payload) {
    self_closing* state = (self_closing*)payload;
    pl_subscription* own;
    (void)status;
    /* Frames may arrive before pl_pen_subscribe_status has stored the handle; wait for it. */
    pthread_mutex_lock(&state->calls.mutex);
    own = state->subscription;
    pthread_mutex_unlock(&state->calls.mutex);
    if (own == NULL || waiter_count(&state->calls) > 0) return 0;
    state->close_result = pl_pen_close(state->pen);
    pl_subscription_free(own);
    waiter_bump(&state->calls, 0);
    return 0;
}

static void test_close_from_callback(void) {
    self_closing state;
    pl_connection_state connection = PL_CONNECTION_CONNECTED;
    waiter_init(&state.calls);
    state.pen = connect_sim();
    state.close_result = -100;
    state.subscription = NULL;
    {
        pl_subscription* subscription = NULL;
        CHECK_OK(
            pl_pen_subscribe_status(&subscription, state.pen, 100, close_from_callback, &state));
        pthread_mutex_lock(&state.calls.mutex);
        state.subscription = subscription;
        pthread_mutex_unlock(&state.calls.mutex);
    }
    CHECK(waiter_wait(&state.calls, 1, 5000));
    CHECK(state.close_result == 0);
    CHECK_OK(pl_pen_connection_state(&connection, state.pen));
    CHECK(connection == PL_CONNECTION_CLOSED);
    pl_pen_free(state.pen);
    waiter_destroy(&state.calls);
}

static int count_state(pl_connection_state state, const char* reason, void* payload) {
    CHECK(reason != NULL);
    waiter_bump((waiter*)payload, (int)state);
    return 0;
}

static int count_event(const pl_event* event, void* payload) {
    /* The library lends the event: its version is the library's, this build's. */
    CHECK(event->version == PL_EVENT_VERSION);
    waiter_bump((waiter*)payload, (int)event->kind);
    return 0;
}

static void test_events_and_connection_state(void) {
    pl_pen* pen = connect_sim();
    pl_subscription *states = NULL, *events = NULL;
    waiter state_changes, event_count;
    pl_status status = PL_STATUS_INIT;
    int available = 0;
    uint64_t received = 0, dropped = 99;
    waiter_init(&state_changes);
    waiter_init(&event_count);
    CHECK_OK(pl_pen_subscribe_connection_state(&states, pen, count_state, &state_changes));
    CHECK_OK(pl_pen_subscribe_events(&events, pen, count_event, &event_count));
    CHECK_OK(pl_pen_emergency_stop(pen));
    CHECK(waiter_wait(&event_count, 1, 5000));
    CHECK(waiter_last(&event_count) == PL_EVENT_EMERGENCY_STOPPED);
    CHECK_OK(pl_pen_clear_emergency_stop(pen));
    CHECK(waiter_wait(&event_count, 2, 5000));
    CHECK(waiter_last(&event_count) == PL_EVENT_EMERGENCY_CLEARED);
    CHECK_OK(pl_pen_latest_status(&status, &available, pen));
    CHECK_OK(pl_pen_received_status_frames(&received, pen));
    CHECK_OK(pl_pen_dropped_status_frames(&dropped, pen));
    CHECK(available == 0 || received > 0);
    CHECK_OK(pl_pen_close(pen));
    CHECK(waiter_wait(&state_changes, 1, 5000));
    CHECK(waiter_last(&state_changes) == PL_CONNECTION_CLOSED);
    pl_subscription_free(states);
    pl_subscription_free(events);
    pl_subscription_free(events); /* second free: detected, logged */
    pl_pen_free(pen);
    waiter_destroy(&state_changes);
    waiter_destroy(&event_count);
}

static void test_serial_ports_and_faults(void) {
    pl_serial_port_list* list = NULL;
    size_t count, i, needed = 0;
    char text[256];
    char tiny[4];
    int rc = pl_serial_ports_enumerate(&list);
    CHECK(rc == 0 || rc == PL_ECONNECT);
    count = pl_serial_port_list_count(list);
    for (i = 0; i < count; ++i) {
        const pl_serial_port_info* port = pl_serial_port_list_get(list, i);
        CHECK(port != NULL && port->path != NULL && port->path[0] != '\0' &&
              port->description != NULL);
        CHECK(port->version == PL_SERIAL_PORT_INFO_VERSION);
    }
    CHECK(pl_serial_port_list_get(list, count) == NULL);
    pl_serial_port_list_free(list);

    CHECK_OK(pl_faults_describe(text, sizeof text, &needed, 0));
    CHECK(text[0] == '\0' && needed == 1);
    CHECK_OK(pl_faults_describe(text, sizeof text, &needed,
                                PL_FAULT_WATCHDOG | PL_FAULT_OVER_TEMPERATURE));
    CHECK(strlen(text) + 1 == needed && strchr(text, ',') != NULL);
    CHECK_OK(pl_faults_describe(tiny, sizeof tiny, NULL, PL_FAULT_WATCHDOG));
    CHECK(strlen(tiny) == 3);
    CHECK_OK(pl_faults_describe(NULL, 0, &needed, PL_FAULT_WATCHDOG));
    CHECK_FAILS(pl_faults_describe(NULL, 8, NULL, 0), PL_EINVAL, "buffer");
}

int main(void) {
    RUN(test_version_and_codes);
    RUN(test_struct_versions);
    RUN(test_read_settings_arguments);
    RUN(test_output_struct_init);
    RUN(test_output_struct_versions);
    RUN(test_lent_struct_versions);
    RUN(test_null_arguments);
    RUN(test_bad_urls);
    RUN(test_pen_with_null_outputs);
    RUN(test_use_after_free);
    RUN(test_info_and_limits);
    RUN(test_non_finite_values);
    RUN(test_async);
    RUN(test_misbehaving_callbacks);
    RUN(test_close_from_callback);
    RUN(test_events_and_connection_state);
    RUN(test_serial_ports_and_faults);
    CHECK_OK(pl_log_set_sink(NULL, PL_LOG_OFF, NULL));
    fprintf(stderr, "ok\n");
    return 0;
}
