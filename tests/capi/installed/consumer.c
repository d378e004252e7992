/* Built by install_consumer.cmake against the *installed* penlink.h only, with
 * -std=c99 -Wall -Wextra -pedantic -Werror, and linked with -lpenlink: proves the installed
 * header set is self-contained C99 and the library exports what it declares. */
#include <stdio.h>
#include <string.h>

#include <penlink/penlink.h>

#if !PL_VERSION_CHECK(1, 0, 0)
#error "penlink 1.0.0 or newer expected"
#endif

static int on_status(const pl_status* status, void* payload) {
    (void)status;
    (void)payload;
    return 0;
}

int main(void) {
    int major = 0, minor = 0, patch = 0;
    pl_connect_options options;
    pl_settings settings = PL_SETTINGS_INIT;
    pl_pen* pen = NULL;
    pl_subscription* subscription = NULL;
    double value = 0, limit = 0;
    const char* unit = NULL;
    int rc;

    pl_version(&major, &minor, &patch);
    if (major != PL_VERSION_MAJOR) {
        fprintf(stderr, "header %d.x, library %s\n", PL_VERSION_MAJOR, pl_version_string());
        return 1;
    }
    if (pl_connect_options_init(&options, PL_CONNECT_OPTIONS_VERSION) != 0) return 1;
    /* Exported and refusing a NULL pen before anything is sent. */
    if (pl_settings_init(&settings, PL_SETTINGS_VERSION) != 0) return 1;
    if (pl_pen_read_settings(&settings, NULL) != PL_EINVAL) return 1;
    rc = pl_pen_connect(&pen, "sim://", &options);
    if (rc != 0) {
        fprintf(stderr, "connect: %s: %s\n", pl_strerror(rc), pl_error_last());
        return 1;
    }
    if (pl_pen_subscribe_status(&subscription, pen, 50, on_status, NULL) != 0) return 1;
    rc = pl_pen_set_depth_um(pen, 99000);
    if (rc != PL_ERANGE || pl_error_last_range(&value, &limit, &unit) != 1 ||
        strcmp(unit, "mm") != 0) {
        fprintf(stderr, "expected an out-of-range error in mm, got %d: %s\n", rc, pl_error_last());
        return 1;
    }
    printf("penlink %s: %s\n", pl_version_string(), pl_error_last());
    pl_subscription_free(subscription);
    pl_pen_free(pen);
    return 0;
}
