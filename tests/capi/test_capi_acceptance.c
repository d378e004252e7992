/* The acceptance scenarios of the C ABI, in plain C99, against a pen at a URL:
 *   test_capi_acceptance sim://?rf=1&led=1 [--read-settings]
 *   test_capi_acceptance --spawn path/to/penlink-sim [--read-settings]   (starts it with --tcp 0)
 * Default: connect, read capabilities, set depth/speed/LED/RF, start, receive 200 status frames
 * through a callback, stop, provoke an out-of-range error, e-stop and clear, close.
 * --read-settings: set depth, speed, RF and LED, start, and read them back exactly with
 * pl_pen_read_settings (needs a pen that answers protocol v2 GetSettings). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "spawn_sim.h"
#include "waiter.h"

static int count_status(const pl_status* status, void* payload) {
    waiter* frames = (waiter*)payload;
    CHECK(status->version == PL_STATUS_VERSION);
    waiter_bump(frames, (int)status->state);
    return 0;
}

/* Waits (bounded) until a status frame reports state. */
static int wait_for_state(pl_pen* pen, pl_pen_state state, int timeout_ms) {
    waiter frames;
    pl_subscription* subscription = NULL;
    long seen = 0;
    int reached = 0;
    waiter_init(&frames);
    CHECK_OK(pl_pen_subscribe_status(&subscription, pen, 100, count_status, &frames));
    while (!reached && waiter_wait(&frames, seen + 1, timeout_ms)) {
        seen = waiter_count(&frames);
        reached = waiter_last(&frames) == (int)state;
    }
    pl_subscription_free(subscription);
    waiter_destroy(&frames);
    return reached;
}

static void run_scenario(const char* url) {
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_pen* pen = NULL;
    pl_device_info info = PL_DEVICE_INFO_INIT;
    pl_capabilities caps = PL_CAPABILITIES_INIT;
    pl_led_mode led = PL_LED_MODE_INIT;
    pl_rf_mode rf = PL_RF_MODE_INIT;
    pl_subscription* subscription = NULL;
    waiter frames;
    int32_t too_deep_um;
    double value, limit;
    const char* unit;
    char expected[64];

    fprintf(stderr, "-- scenario against %s\n", url);
    options.command_timeout_ms = 500;
    CHECK_OK(pl_pen_connect(&pen, url, &options));
    CHECK(pen != NULL);

    CHECK_OK(pl_pen_info(&info, pen));
    CHECK(info.version == PL_DEVICE_INFO_VERSION && info.model[0] != '\0');
    CHECK(info.protocol_version == 2);
    CHECK_OK(pl_pen_capabilities(&caps, pen));
    CHECK(caps.version == PL_CAPABILITIES_VERSION);
    CHECK(caps.depth_max_mm > caps.depth_min_mm);
    CHECK(caps.speed_max_hz > caps.speed_min_hz);
    CHECK(caps.rf_fitted && caps.led_fitted);
    CHECK(caps.led_channel_count >= 1 && caps.led_channel_count <= PL_MAX_LED_CHANNELS);

    CHECK_OK(pl_pen_set_depth_um(pen, 500));
    CHECK_OK(pl_pen_set_speed_hz(pen, (caps.speed_min_hz + caps.speed_max_hz) / 2));
    led.enabled = 1;
    led.wavelength_nm = caps.led_channels[0].wavelength_nm;
    led.irradiance_mw_cm2 = caps.led_channels[0].max_irradiance_mw_cm2 / 2;
    CHECK_OK(pl_pen_set_led_mode(pen, &led));
    rf.enabled = 1;
    rf.polarity = caps.rf_bipolar ? PL_RF_BIPOLAR : PL_RF_MONOPOLAR;
    rf.frequency_khz = caps.rf_frequency_min_khz;
    rf.power_w = caps.rf_power_max_w / 2;
    rf.pulse_ms = caps.rf_pulse_min_ms;
    CHECK_OK(pl_pen_set_rf_mode(pen, &rf));

    waiter_init(&frames);
    CHECK_OK(pl_pen_subscribe_status(&subscription, pen, 500, count_status, &frames));
    CHECK_OK(pl_pen_start(pen));
    CHECK(waiter_wait(&frames, 200, 15000));
    pl_subscription_free(subscription);
    CHECK(wait_for_state(pen, PL_PEN_RUNNING, 5000));
    CHECK_OK(pl_pen_stop(pen));
    CHECK(wait_for_state(pen, PL_PEN_IDLE, 5000));
    waiter_destroy(&frames);

    /* Deeper than the pen allows: refused with value, limit and unit. */
    too_deep_um = (int32_t)(caps.depth_max_mm * 1000.0 + 0.5) + 500;
    CHECK(pl_pen_set_depth_um(pen, too_deep_um) == PL_ERANGE);
    CHECK(pl_error_last_code() == PL_ERANGE);
    CHECK(pl_error_last_range(&value, &limit, &unit) == 1);
    CHECK(strcmp(unit, "mm") == 0);
    CHECK(value > limit);
    CHECK(value - too_deep_um / 1000.0 < 1e-6 && too_deep_um / 1000.0 - value < 1e-6);
    CHECK(limit - caps.depth_max_mm < 1e-6 && caps.depth_max_mm - limit < 1e-6);
    snprintf(expected, sizeof expected, "%g", value);
    CHECK(strstr(pl_error_last(), expected) != NULL);
    snprintf(expected, sizeof expected, "%g", limit);
    CHECK(strstr(pl_error_last(), expected) != NULL);
    CHECK(strstr(pl_error_last(), "mm") != NULL);

    /* Emergency stop latches: commands are refused until cleared. */
    CHECK_OK(pl_pen_emergency_stop(pen));
    CHECK(wait_for_state(pen, PL_PEN_EMERGENCY_STOPPED, 5000));
    CHECK(pl_pen_set_depth_um(pen, 600) == PL_EESTOP);
    CHECK(pl_pen_start(pen) == PL_EESTOP);
    CHECK_OK(pl_pen_clear_emergency_stop(pen));
    CHECK(wait_for_state(pen, PL_PEN_IDLE, 5000));
    CHECK_OK(pl_pen_set_depth_um(pen, 600));

    CHECK_OK(pl_pen_close(pen));
    CHECK(pl_pen_set_depth_um(pen, 700) == PL_ENOTCONN);
    pl_pen_free(pen);
}

static int near(double a, double b) { return a - b < 1e-9 && b - a < 1e-9; }

/* What an app does when a command's outcome is unknown: read the set points back. */
static void run_read_settings(const char* url) {
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_pen* pen = NULL;
    pl_rf_mode rf = PL_RF_MODE_INIT;
    pl_led_mode led = PL_LED_MODE_INIT;
    pl_settings settings = PL_SETTINGS_INIT;
    int32_t limit_um = 0;

    fprintf(stderr, "-- read_settings against %s\n", url);
    options.command_timeout_ms = 500;
    CHECK_OK(pl_pen_connect(&pen, url, &options));

    /* A new session starts with needle, RF and LED off. */
    CHECK_OK(pl_pen_read_settings(&settings, pen));
    CHECK(settings.version == PL_SETTINGS_VERSION);
    CHECK(settings.running == 0 && settings.rf_enabled == 0 && settings.led_enabled == 0);
    CHECK_OK(pl_pen_depth_limit_um(&limit_um, pen));
    CHECK(near(settings.depth_limit_mm, limit_um / 1000.0));

    CHECK_OK(pl_pen_set_depth_mm(pen, 1.0));
    CHECK_OK(pl_pen_set_speed_hz(pen, 100.0));
    rf.enabled = 1;
    rf.polarity = PL_RF_BIPOLAR;
    rf.frequency_khz = 1500;
    rf.power_w = 5.0;
    rf.pulse_ms = 100;
    CHECK_OK(pl_pen_set_rf_mode(pen, &rf));
    led.enabled = 1;
    led.wavelength_nm = 633;
    led.irradiance_mw_cm2 = 40.0;
    led.pulsed = 1;
    led.pulse_rate_hz = 10.0;
    led.duty_percent = 50.0;
    CHECK_OK(pl_pen_set_led_mode(pen, &led));
    CHECK_OK(pl_pen_start(pen));

    memset(&settings, 0, sizeof settings);
    CHECK_OK(pl_settings_init(&settings, PL_SETTINGS_VERSION));
    CHECK_OK(pl_pen_read_settings(&settings, pen));
    CHECK(settings.version == PL_SETTINGS_VERSION);
    CHECK(near(settings.depth_set_mm, 1.0));
    CHECK(near(settings.speed_set_hz, 100.0));
    CHECK(settings.running == 1);
    CHECK(settings.rf_enabled == 1 && settings.rf_polarity == PL_RF_BIPOLAR);
    CHECK(settings.rf_frequency_khz == 1500 && near(settings.rf_power_w, 5.0));
    CHECK(settings.rf_pulse_ms == 100);
    CHECK(settings.led_enabled == 1 && settings.led_wavelength_nm == 633);
    CHECK(near(settings.led_irradiance_mw_cm2, 40.0) && settings.led_pulsed == 1);
    CHECK(near(settings.led_pulse_rate_hz, 10.0) && near(settings.led_duty_percent, 50.0));
    CHECK(near(settings.depth_limit_mm, limit_um / 1000.0));
    CHECK(settings.status_rate_hz > 0);
    CHECK(settings.fault_bits == 0);
    CHECK(settings.state != PL_PEN_FAULT && settings.state != PL_PEN_EMERGENCY_STOPPED);

    CHECK_OK(pl_pen_stop(pen));
    CHECK_OK(pl_pen_read_settings(&settings, pen));
    CHECK(settings.running == 0);
    CHECK(near(settings.depth_set_mm, 1.0) && near(settings.speed_set_hz, 100.0));

    /* The session depth limit is on the pen too. */
    CHECK_OK(pl_pen_set_depth_limit_um(pen, 1500));
    CHECK_OK(pl_pen_read_settings(&settings, pen));
    CHECK(near(settings.depth_limit_mm, 1.5));

    CHECK_OK(pl_pen_close(pen));
    CHECK(pl_pen_read_settings(&settings, pen) == PL_ENOTCONN);
    pl_pen_free(pen);
}

/* A failed CHECK exits; the simulator process must not outlive the test. */
static spawned_sim sim;
static void stop_spawned_sim(void) { stop_sim(&sim); }

int main(int argc, char** argv) {
    void (*scenario)(const char*) = run_scenario;
    if (argc >= 2 && strcmp(argv[argc - 1], "--read-settings") == 0) {
        scenario = run_read_settings;
        --argc;
    }
    if (argc == 3 && strcmp(argv[1], "--spawn") == 0) {
        if (spawn_sim(&sim, argv[2], 10000) != 0) return 1;
        atexit(stop_spawned_sim);
        scenario(sim.url);
    } else if (argc == 2) {
        scenario(argv[1]);
    } else {
        fprintf(stderr, "usage: %s URL | --spawn PENLINK_SIM [--read-settings]\n", argv[0]);
        return 2;
    }
    fprintf(stderr, "ok\n");
    return 0;
}
