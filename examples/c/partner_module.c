/* Drives an add-on module that penlink knows only from the descriptor the pen hands over, from
 * C: the example cooling tip (examples/modules/cooling_tip.json), fitted to the simulated pen.
 *   partner_module_c [DESCRIPTOR]   (default: the cooling tip beside this example's sources)
 * The C twin of examples/cpp/partner_module.cpp. */
#include <stdio.h>
#include <string.h>

#include <penlink/modules.h>
#include <penlink/penlink.h>

static int fail(const char* what, int rc) {
    fprintf(stderr, "%s: %s: %s\n", what, pl_strerror(rc), pl_error_last());
    return 1;
}

int main(int argc, char** argv) {
    const char* descriptor = argc > 1 ? argv[1] : PENLINK_EXAMPLE_MODULE;
    char url[1024];
    pl_pen* pen = NULL;
    pl_module_list* modules = NULL;
    pl_module_list* selected = NULL;
    const pl_module* cooling;
    pl_param_setting settings[2];
    pl_value fan = PL_VALUE_INIT;
    size_t m, p;
    int rc, i;

    snprintf(url, sizeof url, "sim://?module=%s", descriptor);
    if ((rc = pl_pen_connect(&pen, url, NULL)) != 0) return fail("connect", rc);

    /* The list and everything read from it are ours until pl_module_list_free(). */
    if ((rc = pl_pen_modules(&modules, pen)) != 0) return fail("modules", rc);
    for (m = 0; m < pl_module_list_count(modules); ++m) {
        const pl_module* module = pl_module_list_get(modules, m);
        printf("%s@%d: %s by %s\n", pl_module_key(module), (int)pl_module_slot(module),
               pl_module_name(module), pl_module_vendor_name(module));
        for (p = 0; p < pl_module_param_count(module); ++p) {
            const pl_param_spec* spec = pl_module_param_get(module, p);
            printf("  %-12s %g..%g %s\n", pl_param_spec_key(spec), pl_param_spec_min(spec),
                   pl_param_spec_max(spec), pl_param_spec_unit(spec));
        }
    }
    pl_module_list_free(modules);

    /* One atomic set: the pen applies both or neither. */
    settings[0].key = "setpoint_c";
    settings[0].value = pl_value_number(10.0);
    settings[1].key = "enabled";
    settings[1].value = pl_value_bool(1);
    if ((rc = pl_pen_set_params(pen, "cooling", settings, 2)) != 0) return fail("set", rc);
    settings[0].value = pl_value_number(30.0);
    if (pl_pen_set_params(pen, "cooling", settings, 1) == PL_ERANGE) {
        printf("refused: %s\n", pl_error_last()); /* cooling.setpoint_c, 30 degC, 20 degC */
    }

    /* Telemetry rides in every status frame (pl_status version 2); read it by key. */
    if ((rc = pl_pen_module(&selected, pen, "cooling")) != 0) return fail("module", rc);
    cooling = pl_module_list_get(selected, 0);
    for (i = 0; i < 5; ++i) {
        pl_status status = PL_STATUS_INIT;
        double plate = 0;
        int available = 0, alarm = 0;
        /* A round trip to the pen paces the loop without a platform sleep. */
        if ((rc = pl_pen_get_param(&fan, pen, "cooling", "fan")) != 0) return fail("get", rc);
        if (pl_pen_latest_status(&status, &available, pen) != 0 || !available) continue;
        if (pl_module_telemetry(&plate, &available, cooling, &status, "plate_c") == 0 &&
            available && pl_module_telemetry_alarm(&alarm, cooling, &status, "plate_c") == 0) {
            printf("plate %.2f degC%s\n", plate, alarm ? " (alarm)" : "");
        }
    }
    settings[1].value = pl_value_bool(0);
    if ((rc = pl_pen_set_params(pen, "cooling", settings + 1, 1)) != 0) return fail("off", rc);
    /* An enum's label belongs to the pen, valid until pl_pen_free(). */
    if ((rc = pl_pen_get_param(&fan, pen, "cooling", "fan")) != 0) return fail("get", rc);
    printf("fan: %s\n", fan.kind == PL_VALUE_LABEL ? fan.label : "?");

    pl_module_list_free(selected);
    pl_pen_free(pen);
    return 0;
}
