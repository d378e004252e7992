/* A short treatment session through the penlink C API, against the built-in simulator:
 * connect, look at what the pen can do, set depth and speed, run for a moment while status
 * frames arrive, then stop. Every call's result is checked; on failure pl_error_last() says
 * what went wrong in words ("depth 3.50 mm exceeds the pen's maximum of 3.00 mm").
 *
 *   pen_session_c [URL]        (default: sim://)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

#include <penlink/penlink.h>

/* Prints the failure and returns non-zero if rc is an error. */
static int failed(int rc, const char* what) {
    if (rc == 0) return 0;
    fprintf(stderr, "%s failed: %s (%s)\n", what, pl_error_last(), pl_strerror(rc));
    return 1;
}

/* Runs on the pen's callback thread; prints every 50th frame. */
static int on_status(const pl_status* status, void* payload) {
    unsigned long* frames = (unsigned long*)payload;
    if (++*frames % 50 == 0) {
        printf("  #%lu %-8s depth %.2f mm  speed %5.1f Hz  battery %d%%\n", *frames,
               pl_pen_state_name(status->state), status->depth_actual_mm, status->speed_actual_hz,
               (int)status->battery_percent);
    }
    return 0;
}

int main(int argc, char** argv) {
    const char* url = argc > 1 ? argv[1] : "sim://";
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_pen* pen = NULL;
    /* Output structs carry the version of penlink.h they were built with, so a newer library
     * fills only the fields this program knows: always start them from their _INIT. */
    pl_device_info info = PL_DEVICE_INFO_INIT;
    pl_capabilities caps = PL_CAPABILITIES_INIT;
    pl_subscription* subscription = NULL;
    unsigned long frames = 0; /* written only by the callback thread until the unsubscribe */
    struct timespec run_time = {1, 0};
    int rc;

    printf("penlink %s\n", pl_version_string());
    if (failed(pl_pen_connect(&pen, url, &options), "connect")) return 1;
    if (failed(pl_pen_info(&info, pen), "info") ||
        failed(pl_pen_capabilities(&caps, pen), "capabilities")) {
        pl_pen_free(pen);
        return 1;
    }
    printf("%s (serial %s, firmware %s): depth %.2f-%.2f mm, speed %.0f-%.0f Hz\n", info.model,
           info.serial_number, info.firmware_version, caps.depth_min_mm, caps.depth_max_mm,
           caps.speed_min_hz, caps.speed_max_hz);

    /* A cheek protocol: never deeper than 1.5 mm, whatever a later call asks for. */
    rc = pl_pen_set_depth_limit_um(pen, 1500);
    if (rc == 0) rc = pl_pen_set_depth_um(pen, 1000);
    if (rc == 0) rc = pl_pen_set_speed_hz(pen, 100.0);
    if (rc == 0) rc = pl_pen_subscribe_status(&subscription, pen, 100, on_status, &frames);
    if (rc == 0) rc = pl_pen_start(pen);
    if (failed(rc, "preparing the session")) {
        pl_subscription_free(subscription);
        pl_pen_free(pen);
        return 1;
    }
    nanosleep(&run_time, NULL);

    /* The limit at work: refused before anything reaches the pen. */
    rc = pl_pen_set_depth_um(pen, 2000);
    if (rc == PL_ERANGE) {
        double value, limit;
        const char* unit;
        pl_error_last_range(&value, &limit, &unit);
        printf("refused as expected: %s (%.2f > %.2f %s)\n", pl_error_last(), value, limit, unit);
    }

    rc = pl_pen_stop(pen);
    pl_subscription_free(subscription); /* after this the callback no longer runs */
    printf("received %lu status frames\n", frames);
    pl_pen_free(pen);
    return failed(rc, "stop") || frames == 0;
}
