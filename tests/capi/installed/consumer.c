/* Built by install_consumer.cmake against the *installed* penlink.h only, with
 * -std=c99 -Wall -Wextra -pedantic -Werror, and linked with -lpenlink: proves the installed
 * header set is self-contained C99 and the library exports what it declares. */
#include <stdio.h>
#include <string.h>

#include <penlink/modules.h>
#include <penlink/penlink.h>

#if !PL_VERSION_CHECK(1, 0, 0)
#error "penlink 1.0.0 or newer expected"
#endif

static int on_status(const pl_status* status, void* payload) {
    (void)payload;
    /* Lent by the library, which stamps its own version; never older than this header's. */
    return status->version >= PL_STATUS_VERSION ? 0 : 1;
}

int main(void) {
    int major = 0, minor = 0, patch = 0;
    pl_connect_options options;
    pl_settings settings = PL_SETTINGS_INIT;
    /* The _INIT macros compile cleanly as strict C99 (-Wextra -pedantic -Werror). */
    pl_device_info info = PL_DEVICE_INFO_INIT;
    pl_capabilities caps = PL_CAPABILITIES_INIT;
    pl_status status = PL_STATUS_INIT;
    int available = 0;
    pl_pen* pen = NULL;
    pl_subscription* subscription = NULL;
    double value = 0, limit = 0;
    const char* unit = NULL;
    int rc;
    pl_module_list* modules = NULL;
    pl_param_setting setting;
    const pl_value zero = PL_VALUE_INIT;

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
    if (pl_device_info_init(&info, PL_DEVICE_INFO_VERSION) != 0 ||
        pl_capabilities_init(&caps, PL_CAPABILITIES_VERSION) != 0 ||
        pl_status_init(&status, PL_STATUS_VERSION) != 0)
        return 1;
    if (pl_pen_info(&info, pen) != 0 || pl_pen_capabilities(&caps, pen) != 0 ||
        pl_pen_latest_status(&status, &available, pen) != 0)
        return 1;
    if (info.model[0] == '\0' || caps.depth_max_mm <= caps.depth_min_mm) return 1;
    if (pl_pen_subscribe_status(&subscription, pen, 50, on_status, NULL) != 0) return 1;
    rc = pl_pen_set_depth_um(pen, 99000);
    if (rc != PL_ERANGE || pl_error_last_range(&value, &limit, &unit) != 1 ||
        strcmp(unit, "mm") != 0) {
        fprintf(stderr, "expected an out-of-range error in mm, got %d: %s\n", rc, pl_error_last());
        return 1;
    }
    /* The module calls (penlink/modules.h) are exported; sim:// has no cooling module. */
    if (pl_pen_modules(&modules, pen) != 0 || pl_module_list_count(modules) > 8) return 1;
    pl_module_list_free(modules);
    setting.key = "setpoint_c";
    setting.value = pl_value_number(12.5);
    if (zero.kind != PL_VALUE_NUMBER ||
        pl_pen_set_params(pen, "cooling", &setting, 1) != PL_ENOTSUP)
        return 1;
    if (status.telemetry_count != 0 ||
        pl_module_telemetry(&value, NULL, NULL, &status, "x") != PL_EINVAL)
        return 1;
    printf("penlink %s: %s\n", pl_version_string(), pl_error_last());
    pl_subscription_free(subscription);
    pl_pen_free(pen);
    return 0;
}
