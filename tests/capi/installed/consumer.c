/* Built by install_consumer.cmake against the *installed* penlink.h only, with
 * -std=c99 -Wall -Wextra -pedantic -Werror, and linked with -lpenlink: proves the installed
 * header set is self-contained C99 and the library exports what it declares. Given a file name,
 * it also writes a module descriptor there that no penlink source knows and drives that module
 * in the simulator: the installed SDK, nothing rebuilt. */
#include <stdio.h>
#include <string.h>
#include <time.h>

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

#define FAIL(what)                                                                     \
    do {                                                                               \
        fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, what, pl_error_last()); \
        return 1;                                                                      \
    } while (0)

static int drive_module(const char* path) {
    static const char descriptor[] =
        "{\"schema\": \"penlink.module/1\", \"key\": \"vacuum\", \"name\": \"SuctionCup V2\",\n"
        " \"vendor\": {\"id\": 40961, \"name\": \"Negative Pressure Labs\"}, \"model\": {\"id\": "
        "7},\n"
        " \"parameters\": [\n"
        "  {\"key\": \"enabled\", \"id\": 32769, \"type\": \"bool\", \"default\": false,\n"
        "   \"safety\": \"energy\"},\n"
        "  {\"key\": \"pressure_kpa\", \"id\": 32770, \"type\": \"fixed\", \"unit\": \"kPa\",\n"
        "   \"scale\": 0.1, \"min\": -80.0, \"max\": 0.0, \"step\": 0.5, \"default\": 0.0},\n"
        "  {\"key\": \"pattern\", \"id\": 32771, \"type\": \"enum\",\n"
        "   \"labels\": [\"steady\", \"pulse\", \"wave\"], \"default\": \"steady\"}],\n"
        " \"telemetry\": [{\"key\": \"pressure_kpa\", \"id\": 128, \"unit\": \"kPa\",\n"
        "   \"scale\": 0.1, \"min\": -100.0, \"max\": 10.0}],\n"
        " \"simulation\": {\"telemetry\": {\"pressure_kpa\": {\"model\": \"first_order\",\n"
        "   \"source\": \"pressure_kpa\", \"when\": \"enabled\", \"idle\": 0.0, \"tau_s\": "
        "0.2}}}}\n";
    char url[1024];
    FILE* file = fopen(path, "w");
    pl_pen* pen = NULL;
    pl_module_list* modules = NULL;
    const pl_module* vacuum;
    pl_param_setting settings[3];
    pl_value value = PL_VALUE_INIT;
    pl_status status = PL_STATUS_INIT;
    double reading = 0, offending = 0, limit = 0;
    const char* unit = NULL;
    int available = 0;
    time_t deadline;

    if (file == NULL || fputs(descriptor, file) < 0 || fclose(file) != 0) FAIL("writing");
    sprintf(url, "sim://?module=%.1000s", path);
    if (pl_pen_connect(&pen, url, NULL) != 0) FAIL("connect");
    if (pl_pen_modules(&modules, pen) != 0 || pl_module_list_count(modules) != 1) FAIL("modules");
    vacuum = pl_module_list_get(modules, 0);
    if (strcmp(pl_module_key(vacuum), "vacuum") != 0 ||
        strcmp(pl_param_spec_unit(pl_module_param_find(vacuum, "pressure_kpa")), "kPa") != 0)
        FAIL("descriptor");
    settings[0].key = "enabled";
    settings[0].value = pl_value_bool(1);
    settings[1].key = "pressure_kpa";
    settings[1].value = pl_value_number(-40.0);
    settings[2].key = "pattern";
    settings[2].value = pl_value_label("pulse");
    if (pl_pen_set_params(pen, "vacuum", settings, 3) != 0) FAIL("set");
    settings[1].value = pl_value_number(30.0);
    if (pl_pen_set_params(pen, "vacuum", settings + 1, 1) != PL_ERANGE ||
        strstr(pl_error_last(), "vacuum.pressure_kpa") == NULL ||
        pl_error_last_range(&offending, &limit, &unit) != 1 || strcmp(unit, "kPa") != 0)
        FAIL("out of range");
    if (pl_pen_get_param(&value, pen, "vacuum", "pattern") != 0 || value.kind != PL_VALUE_LABEL ||
        strcmp(value.label, "pulse") != 0)
        FAIL("get");
    /* Each get is a round trip to the pen: meanwhile status frames with telemetry arrive. The
     * pressure follows the set point over time, so the bound is time (10 s), not a count of
     * round trips, which a fast in-process pen finishes before the pressure gets there. */
    deadline = time(NULL) + 10;
    while (!(available && reading < -20.0) && time(NULL) < deadline) {
        if (pl_pen_get_param(&value, pen, "vacuum", "enabled") != 0 ||
            pl_pen_latest_status(&status, &available, pen) != 0)
            FAIL("polling");
        if (available &&
            pl_module_telemetry(&reading, &available, vacuum, &status, "pressure_kpa") != 0)
            FAIL("telemetry");
    }
    if (!available || reading >= -20.0) FAIL("telemetry never approached the set point");
    printf("vacuum@%d: pressure %.1f kPa\n", (int)pl_module_slot(vacuum), reading);
    pl_pen_free(pen);
    pl_module_list_free(modules);
    return 0;
}

int main(int argc, char** argv) {
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
    return argc > 1 ? drive_module(argv[1]) : 0;
}
