/* The module calls of the C ABI (penlink/modules.h), in plain C99.
 *   test_capi_modules                 misuse and edges against a pen without modules
 *   test_capi_modules --sim           end to end: writes a descriptor of a module no source file
 *                                     knows (a vacuum head) and drives sim://?module=FILE
 *   test_capi_modules --spawn EXE     the same against `EXE --tcp 0 --module FILE`, then the
 *                                     module detached and attached again (events, new lists)
 * --sim exits with SKIP_CODE (CTest SKIP_RETURN_CODE) only when the simulator refuses the module
 * option itself (a simulator without modules). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "penlink/modules.h"
#include "spawn_sim.h"
#include "waiter.h"

#define SKIP_CODE 77
/* A pen without add-ons: no RF, no LED, so no module of any kind. */
#define NO_MODULE_URL "sim://?rf=0&led=0"

static int near(double a, double b) { return fabs(a - b) < 1e-9; }

static int record_result(int result, void* payload) {
    waiter* done = (waiter*)payload;
    /* Inside the completion, the last error describes the outcome. */
    CHECK(pl_error_last_code() == result);
    if (result == PL_ENOTSUP) CHECK(strstr(pl_error_last(), "none") != NULL);
    if (result == PL_ERANGE) CHECK(strstr(pl_error_last(), "vacuum.pressure_kpa") != NULL);
    waiter_bump(done, result);
    return 0;
}

static void test_values(void) {
    const pl_value zero = PL_VALUE_INIT;
    pl_value value;
    CHECK(PL_VALUE_BOOL == 0 && PL_VALUE_NUMBER == 1 && PL_VALUE_LABEL == 2);
    CHECK(PL_PARAM_BOOL == 0 && PL_PARAM_INTEGER == 1 && PL_PARAM_FIXED == 2 && PL_PARAM_ENUM == 3);
    CHECK(PL_SAFETY_NONE == 0 && PL_SAFETY_ENERGY == 1);
    CHECK(PL_EVENT_MODULE_ATTACHED == 9 && PL_EVENT_MODULE_DETACHED == 10);
    CHECK(zero.kind == PL_VALUE_NUMBER && zero.number == 0.0 && zero.label == NULL);
    value = pl_value_bool(5);
    CHECK(value.kind == PL_VALUE_BOOL && value.boolean == 1 && value.number == 1.0);
    CHECK(value.label == NULL);
    value = pl_value_bool(0);
    CHECK(value.kind == PL_VALUE_BOOL && value.boolean == 0);
    value = pl_value_number(-12.5);
    CHECK(value.kind == PL_VALUE_NUMBER && value.number == -12.5 && value.boolean == 0);
    value = pl_value_label("pulse");
    CHECK(value.kind == PL_VALUE_LABEL && strcmp(value.label, "pulse") == 0);
}

static void test_null_accessors(void) {
    pl_value value;
    CHECK(pl_module_list_count(NULL) == 0 && pl_module_list_get(NULL, 0) == NULL);
    pl_module_list_free(NULL);
    CHECK(pl_param_list_count(NULL) == 0 && pl_param_list_get(NULL, 0) == NULL);
    pl_param_list_free(NULL);
    CHECK(strcmp(pl_module_key(NULL), "") == 0 && strcmp(pl_module_name(NULL), "") == 0);
    CHECK(strcmp(pl_module_vendor_name(NULL), "") == 0);
    CHECK(strcmp(pl_module_firmware_version(NULL), "") == 0);
    CHECK(pl_module_slot(NULL) == 0 && pl_module_vendor_id(NULL) == 0);
    CHECK(pl_module_model_id(NULL) == 0 && pl_module_profile_count(NULL) == 0);
    CHECK(pl_module_profile_get(NULL, 0) == NULL && pl_module_param_count(NULL) == 0);
    CHECK(pl_module_param_get(NULL, 0) == NULL && pl_module_param_find(NULL, "x") == NULL);
    CHECK(pl_module_telemetry_count(NULL) == 0 && pl_module_telemetry_get(NULL, 0) == NULL);
    CHECK(pl_module_telemetry_find(NULL, "x") == NULL && pl_module_interlock_count(NULL) == 0);
    CHECK(pl_module_interlock_get(NULL, 0) == NULL);
    CHECK(strcmp(pl_param_spec_key(NULL), "") == 0 && pl_param_spec_id(NULL) == 0);
    CHECK(pl_param_spec_type(NULL) == PL_PARAM_BOOL && strcmp(pl_param_spec_unit(NULL), "") == 0);
    CHECK(pl_param_spec_scale(NULL) == 0.0 && pl_param_spec_min(NULL) == 0.0);
    CHECK(pl_param_spec_max(NULL) == 0.0 && pl_param_spec_step(NULL) == 0.0);
    value = pl_param_spec_default(NULL);
    CHECK(value.kind == PL_VALUE_NUMBER && value.number == 0.0);
    CHECK(pl_param_spec_label_count(NULL) == 0 && pl_param_spec_label_get(NULL, 0) == NULL);
    CHECK(pl_param_spec_writable(NULL) == 0 && pl_param_spec_safety(NULL) == PL_SAFETY_NONE);
    CHECK(strcmp(pl_param_spec_description(NULL), "") == 0);
    CHECK(strcmp(pl_telemetry_spec_key(NULL), "") == 0 && pl_telemetry_spec_id(NULL) == 0);
    CHECK(strcmp(pl_telemetry_spec_unit(NULL), "") == 0 && pl_telemetry_spec_scale(NULL) == 0.0);
    CHECK(pl_telemetry_spec_min(NULL) == 0.0 && pl_telemetry_spec_max(NULL) == 0.0);
    CHECK(pl_telemetry_spec_has_alarm_low(NULL) == 0 && pl_telemetry_spec_alarm_low(NULL) == 0.0);
    CHECK(pl_telemetry_spec_has_alarm_high(NULL) == 0);
    CHECK(pl_telemetry_spec_alarm_high(NULL) == 0.0);
    CHECK(strcmp(pl_telemetry_spec_description(NULL), "") == 0);
    CHECK(strcmp(pl_interlock_spec_key(NULL), "") == 0);
    CHECK(strcmp(pl_interlock_spec_condition(NULL), "") == 0);
    CHECK(pl_interlock_spec_guard_count(NULL) == 0 && pl_interlock_spec_guard_get(NULL, 0) == NULL);
    CHECK(strcmp(pl_interlock_spec_description(NULL), "") == 0);
}

/* A pen without modules: an empty list, and every module call refused naming "none". */
static char empty_dir[256];
static char module_paths[320];

static void test_pen_without_modules(void) {
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_pen* pen = NULL;
    pl_module_list* list = (pl_module_list*)&options; /* must become NULL on failure */
    pl_param_list* params = (pl_param_list*)&options;
    pl_param_setting settings[2];
    pl_value value = pl_value_number(42.0);
    pl_status status = PL_STATUS_INIT;
    int available = -1;
    double reading = -1;
    int alarm = -1;
    waiter done;

    CHECK(options.version >= 2 && options.module_paths == NULL);
    /* Empty entries are skipped. The last directory is a fresh empty one of this test's: /tmp
     * itself may hold other programs' JSON files, being written as this test reads them. */
    {
        const char* tmp = getenv("TMPDIR");
        snprintf(empty_dir, sizeof empty_dir, "%s/penlink-capi-empty-XXXXXX",
                 tmp && tmp[0] ? tmp : "/tmp");
        CHECK(mkdtemp(empty_dir) != NULL);
        snprintf(module_paths, sizeof module_paths, "/nonexistent/penlink-modules::%s", empty_dir);
    }
    options.module_paths = module_paths;
    CHECK_OK(pl_pen_connect(&pen, NO_MODULE_URL, &options));

    CHECK_FAILS(pl_pen_modules(NULL, pen), PL_EINVAL, "pl_pen_modules: out is NULL");
    CHECK_FAILS(pl_pen_modules(&list, NULL), PL_EINVAL, "pl_pen_modules: pen is NULL");
    CHECK(list == NULL);
    CHECK_OK(pl_pen_modules(&list, pen));
    CHECK(list != NULL && pl_module_list_count(list) == 0 && pl_module_list_get(list, 0) == NULL);
    pl_module_list_free(list);
    /* A freed list is recognised, not read. */
    CHECK(pl_module_list_count(list) == 0 && pl_module_list_get(list, 0) == NULL);
    pl_module_list_free(list); /* logged and ignored */

    list = (pl_module_list*)&options;
    CHECK_FAILS(pl_pen_module(&list, pen, "cooling"), PL_ENOTSUP, "(fitted: none)");
    CHECK(list == NULL);
    CHECK_FAILS(pl_pen_module(&list, pen, NULL), PL_EINVAL, "selector is NULL");
    CHECK_FAILS(pl_pen_module(NULL, pen, "cooling"), PL_EINVAL, "out is NULL");

    settings[0].key = "setpoint_c";
    settings[0].value = pl_value_number(12.5);
    settings[1].key = "fan";
    settings[1].value = pl_value_label("boost");
    CHECK_FAILS(pl_pen_set_params(pen, "cooling", settings, 2), PL_ENOTSUP,
                "no module \"cooling\" is fitted to the pen (fitted: none)");
    CHECK_FAILS(pl_pen_set_params(NULL, "cooling", settings, 2), PL_EINVAL, "pen is NULL");
    CHECK_FAILS(pl_pen_set_params(pen, NULL, settings, 2), PL_EINVAL, "module is NULL");
    CHECK_FAILS(pl_pen_set_params(pen, "cooling", NULL, 2), PL_EINVAL, "settings is NULL");
    /* What C alone can get wrong is refused before the module is looked up. */
    settings[1].key = NULL;
    CHECK_FAILS(pl_pen_set_params(pen, "cooling", settings, 2), PL_EINVAL,
                "settings[1]: key is NULL");
    settings[1].key = "fan";
    settings[1].value.kind = (pl_value_kind)7;
    CHECK_FAILS(pl_pen_set_params(pen, "cooling", settings, 2), PL_EINVAL,
                "settings[1] (\"fan\"): value.kind 7 is none of");
    settings[1].value = pl_value_label(NULL);
    CHECK_FAILS(pl_pen_set_params(pen, "cooling", settings, 2), PL_EINVAL, "value.label is NULL");
    settings[1].value = pl_value_label("boost");
    settings[0].value = pl_value_number(NAN);
    CHECK_FAILS(pl_pen_set_params(pen, "cooling", settings, 2), PL_EINVAL,
                "settings[0] (\"setpoint_c\"): value nan is not a finite number");
    settings[0].value = pl_value_number(HUGE_VAL);
    CHECK_FAILS(pl_pen_set_params(pen, "cooling", settings, 2), PL_EINVAL, "not a finite number");

    /* Async: C's own mistakes refused at once, done never called; the rest reaches done. */
    waiter_init(&done);
    CHECK_FAILS(pl_pen_set_params_async(pen, "cooling", settings, 2, record_result, &done),
                PL_EINVAL, "pl_pen_set_params_async: settings[0]");
    CHECK_FAILS(pl_pen_set_params_async(pen, NULL, settings, 2, record_result, &done), PL_EINVAL,
                "module is NULL");
    settings[0].value = pl_value_number(12.5);
    CHECK_OK(pl_pen_set_params_async(pen, "cooling", settings, 2, record_result, &done));
    CHECK(waiter_wait(&done, 1, 5000));
    CHECK(waiter_last(&done) == PL_ENOTSUP && waiter_count(&done) == 1);
    CHECK_OK(pl_pen_set_params_async(pen, "cooling", settings, 2, NULL, NULL));
    waiter_destroy(&done);

    CHECK_FAILS(pl_pen_get_param(&value, pen, "cooling", "fan"), PL_ENOTSUP, "fitted: none");
    CHECK(value.kind == PL_VALUE_NUMBER && value.number == 42.0); /* untouched */
    CHECK_FAILS(pl_pen_get_param(NULL, pen, "cooling", "fan"), PL_EINVAL, "out is NULL");
    CHECK_FAILS(pl_pen_get_param(&value, pen, NULL, "fan"), PL_EINVAL, "module is NULL");
    CHECK_FAILS(pl_pen_get_param(&value, pen, "cooling", NULL), PL_EINVAL, "key is NULL");
    CHECK_FAILS(pl_pen_get_param(&value, NULL, "cooling", "fan"), PL_EINVAL, "pen is NULL");
    CHECK_FAILS(pl_pen_get_params(&params, pen, "cooling"), PL_ENOTSUP, "fitted: none");
    CHECK(params == NULL);
    CHECK_FAILS(pl_pen_get_params(NULL, pen, "cooling"), PL_EINVAL, "out is NULL");

    /* Telemetry lookups need a module; a version-2 status of a pen without modules has none. */
    CHECK_FAILS(pl_module_telemetry(&reading, &available, NULL, &status, "x"), PL_EINVAL,
                "pl_module_telemetry: module is NULL");
    CHECK_FAILS(pl_module_telemetry_alarm(&alarm, NULL, &status, "x"), PL_EINVAL, "module is NULL");
    CHECK(reading == -1 && available == -1 && alarm == -1);
    CHECK_OK(pl_pen_latest_status(&status, &available, pen));
    CHECK(status.version == PL_STATUS_VERSION && status.telemetry_count == 0);

    pl_pen_free(pen);
    rmdir(empty_dir);

    /* A program built before module_paths existed allocated a version-1 struct: whatever lies
     * after it is never read as a pointer. */
    {
        struct {
            pl_connect_options value;
            unsigned char after[64];
        } old;
        memset(&old, 0x5a, sizeof old);
        CHECK_OK(pl_connect_options_init(&old.value, 1));
        CHECK_OK(pl_pen_connect(&pen, NO_MODULE_URL, &old.value));
        pl_pen_free(pen);
        pen = NULL;
    }

    /* A connect-options version this library does not know is refused. */
    options.version = PL_CONNECT_OPTIONS_VERSION + 1;
    CHECK_FAILS(pl_pen_connect(&pen, NO_MODULE_URL, &options), PL_EINVAL,
                "pl_connect_options version 6");
    CHECK(pen == NULL);
}

/* ---- end to end with a module no penlink source file knows ---- */

static const char* const vacuum_descriptor =
    "{\n"
    "  \"schema\": \"penlink.module/1\",\n"
    "  \"key\": \"vacuum\",\n"
    "  \"name\": \"SuctionCup V2\",\n"
    "  \"description\": \"A vacuum head that lifts the skin into the needle path\",\n"
    "  \"vendor\": {\"id\": 40961, \"name\": \"Negative Pressure Labs\"},\n"
    "  \"model\": {\"id\": 7},\n"
    "  \"parameters\": [\n"
    "    {\"key\": \"enabled\", \"id\": 32769, \"type\": \"bool\", \"default\": false,\n"
    "     \"safety\": \"energy\", \"description\": \"Suction on\"},\n"
    "    {\"key\": \"pressure_kpa\", \"id\": 32770, \"type\": \"fixed\", \"unit\": \"kPa\",\n"
    "     \"scale\": 0.1, \"min\": -80.0, \"max\": 0.0, \"step\": 0.5, \"default\": 0.0,\n"
    "     \"description\": \"Gauge pressure to hold\"},\n"
    "    {\"key\": \"pattern\", \"id\": 32771, \"type\": \"enum\",\n"
    "     \"labels\": [\"steady\", \"pulse\", \"wave\"], \"default\": \"steady\"},\n"
    "    {\"key\": \"cycles\", \"id\": 32772, \"type\": \"integer\", \"min\": 0, \"max\": 100000,\n"
    "     \"default\": 0, \"access\": \"read\", \"description\": \"Suction cycles so far\"}\n"
    "  ],\n"
    "  \"telemetry\": [\n"
    "    {\"key\": \"pressure_kpa\", \"id\": 128, \"unit\": \"kPa\", \"scale\": 0.1,\n"
    "     \"min\": -100.0, \"max\": 10.0, \"alarm_low\": -90.0,\n"
    "     \"description\": \"Measured gauge pressure\"}\n"
    "  ],\n"
    "  \"interlocks\": [\n"
    "    {\"key\": \"seal\", \"condition\": \"param:enabled\", \"guards\": [\"pressure_kpa\"],\n"
    "     \"description\": \"Pressure only while suction is on\"}\n"
    "  ],\n"
    "  \"simulation\": {\n"
    "    \"telemetry\": {\n"
    "      \"pressure_kpa\": {\"model\": \"first_order\", \"source\": \"pressure_kpa\",\n"
    "                       \"when\": \"enabled\", \"idle\": 0.0, \"tau_s\": 0.2}\n"
    "    }\n"
    "  }\n"
    "}\n";

static char descriptor_dir[256];
static char descriptor_path[320];

static void write_descriptor(void) {
    const char* tmp = getenv("TMPDIR");
    FILE* file;
    snprintf(descriptor_dir, sizeof descriptor_dir, "%s/penlink-capi-modules-XXXXXX",
             tmp && tmp[0] ? tmp : "/tmp");
    CHECK(mkdtemp(descriptor_dir) != NULL);
    snprintf(descriptor_path, sizeof descriptor_path, "%s/vacuum.json", descriptor_dir);
    file = fopen(descriptor_path, "w");
    CHECK(file != NULL);
    CHECK(fputs(vacuum_descriptor, file) >= 0);
    CHECK(fclose(file) == 0);
}

static void remove_descriptor(void) {
    unlink(descriptor_path);
    rmdir(descriptor_dir);
}

static void check_discovery(const pl_module* vacuum) {
    const pl_param_spec* spec;
    const pl_telemetry_spec* channel;
    const pl_interlock_spec* interlock;
    pl_value value;

    CHECK(strcmp(pl_module_key(vacuum), "vacuum") == 0);
    CHECK(strcmp(pl_module_name(vacuum), "SuctionCup V2") == 0);
    CHECK(pl_module_slot(vacuum) >= 1 && pl_module_slot(vacuum) <= 8);
    CHECK(pl_module_vendor_id(vacuum) == 40961 && pl_module_model_id(vacuum) == 7);
    CHECK(strcmp(pl_module_vendor_name(vacuum), "Negative Pressure Labs") == 0);
    CHECK(strchr(pl_module_firmware_version(vacuum), '.') != NULL);
    CHECK(pl_module_profile_count(vacuum) == 0 && pl_module_profile_get(vacuum, 0) == NULL);

    CHECK(pl_module_param_count(vacuum) == 4 && pl_module_param_get(vacuum, 4) == NULL);
    spec = pl_module_param_get(vacuum, 0);
    CHECK(spec == pl_module_param_find(vacuum, "enabled"));
    CHECK(pl_param_spec_type(spec) == PL_PARAM_BOOL && pl_param_spec_id(spec) == 32769);
    CHECK(pl_param_spec_safety(spec) == PL_SAFETY_ENERGY && pl_param_spec_writable(spec) == 1);
    CHECK(strcmp(pl_param_spec_description(spec), "Suction on") == 0);
    value = pl_param_spec_default(spec);
    CHECK(value.kind == PL_VALUE_BOOL && value.boolean == 0);

    spec = pl_module_param_find(vacuum, "pressure_kpa");
    CHECK(spec == pl_module_param_get(vacuum, 1));
    CHECK(pl_param_spec_type(spec) == PL_PARAM_FIXED &&
          strcmp(pl_param_spec_unit(spec), "kPa") == 0);
    CHECK(near(pl_param_spec_scale(spec), 0.1) && near(pl_param_spec_min(spec), -80.0));
    CHECK(near(pl_param_spec_max(spec), 0.0) && near(pl_param_spec_step(spec), 0.5));
    CHECK(pl_param_spec_safety(spec) == PL_SAFETY_NONE && pl_param_spec_label_count(spec) == 0);
    value = pl_param_spec_default(spec);
    CHECK(value.kind == PL_VALUE_NUMBER && near(value.number, 0.0));

    spec = pl_module_param_find(vacuum, "pattern");
    CHECK(pl_param_spec_type(spec) == PL_PARAM_ENUM && pl_param_spec_label_count(spec) == 3);
    CHECK(strcmp(pl_param_spec_label_get(spec, 0), "steady") == 0);
    CHECK(strcmp(pl_param_spec_label_get(spec, 2), "wave") == 0);
    CHECK(pl_param_spec_label_get(spec, 3) == NULL);
    value = pl_param_spec_default(spec);
    CHECK(value.kind == PL_VALUE_LABEL && strcmp(value.label, "steady") == 0);

    spec = pl_module_param_find(vacuum, "cycles");
    CHECK(pl_param_spec_type(spec) == PL_PARAM_INTEGER && pl_param_spec_writable(spec) == 0);
    CHECK(pl_module_param_find(vacuum, "setpoint_c") == NULL);
    CHECK(pl_module_param_find(vacuum, NULL) == NULL);

    CHECK(pl_module_telemetry_count(vacuum) == 1 && pl_module_telemetry_get(vacuum, 1) == NULL);
    channel = pl_module_telemetry_find(vacuum, "pressure_kpa");
    CHECK(channel == pl_module_telemetry_get(vacuum, 0));
    CHECK(pl_telemetry_spec_id(channel) == 128 &&
          strcmp(pl_telemetry_spec_unit(channel), "kPa") == 0);
    CHECK(near(pl_telemetry_spec_scale(channel), 0.1));
    CHECK(near(pl_telemetry_spec_min(channel), -100.0) &&
          near(pl_telemetry_spec_max(channel), 10.0));
    CHECK(pl_telemetry_spec_has_alarm_low(channel) == 1);
    CHECK(near(pl_telemetry_spec_alarm_low(channel), -90.0));
    CHECK(pl_telemetry_spec_has_alarm_high(channel) == 0);
    CHECK(strcmp(pl_telemetry_spec_description(channel), "Measured gauge pressure") == 0);
    CHECK(pl_module_telemetry_find(vacuum, "plate_c") == NULL);

    CHECK(pl_module_interlock_count(vacuum) == 1 && pl_module_interlock_get(vacuum, 1) == NULL);
    interlock = pl_module_interlock_get(vacuum, 0);
    CHECK(strcmp(pl_interlock_spec_key(interlock), "seal") == 0);
    CHECK(strcmp(pl_interlock_spec_condition(interlock), "param:enabled") == 0);
    CHECK(pl_interlock_spec_guard_count(interlock) == 1);
    CHECK(strcmp(pl_interlock_spec_guard_get(interlock, 0), "pressure_kpa") == 0);
    CHECK(strcmp(pl_interlock_spec_description(interlock), "Pressure only while suction is on") ==
          0);
}

static void check_number(pl_pen* pen, const char* key, double expected) {
    pl_value value = PL_VALUE_INIT;
    CHECK_OK(pl_pen_get_param(&value, pen, "vacuum", key));
    CHECK(value.kind == PL_VALUE_NUMBER && near(value.number, expected));
}

static void check_set_and_get(pl_pen* pen) {
    pl_param_setting settings[3];
    pl_value value = PL_VALUE_INIT;
    pl_param_list* params = NULL;
    const pl_param_setting* entry;
    const char* label;
    double offending = 0, limit = 0;
    const char* unit = NULL;
    waiter done;

    /* Atomic multi-set: suction on, a pressure (allowed by the seal interlock because enabled
     * becomes true in the same set) and a pattern. */
    settings[0].key = "enabled";
    settings[0].value = pl_value_bool(1);
    settings[1].key = "pressure_kpa";
    settings[1].value = pl_value_number(-40.0);
    settings[2].key = "pattern";
    settings[2].value = pl_value_label("pulse");
    CHECK_OK(pl_pen_set_params(pen, "vacuum", settings, 3));
    CHECK_OK(pl_pen_get_param(&value, pen, "vacuum", "enabled"));
    CHECK(value.kind == PL_VALUE_BOOL && value.boolean == 1);
    check_number(pen, "pressure_kpa", -40.0);

    /* Out of range, refused before sending, naming the key, the value, the limit and the unit. */
    settings[1].value = pl_value_number(30.0);
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", settings + 1, 1), PL_ERANGE,
                "vacuum.pressure_kpa 30 kPa exceeds the module's maximum of 0 kPa");
    CHECK(pl_error_last_range(&offending, &limit, &unit) == 1);
    CHECK(near(offending, 30.0) && near(limit, 0.0) && strcmp(unit, "kPa") == 0);
    settings[1].value = pl_value_number(-90.0);
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", settings + 1, 1), PL_ERANGE,
                "vacuum.pressure_kpa -90 kPa is below the module's minimum of -80 kPa");
    CHECK(pl_error_last_range(&offending, &limit, &unit) == 1 && near(limit, -80.0));
    settings[1].value = pl_value_number(-40.25);
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", settings + 1, 1), PL_ERANGE, "kPa grid");
    /* Wrong kinds and unknown keys, labels and modules. */
    settings[1].value = pl_value_label("high");
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", settings + 1, 1), PL_EINVAL,
                "vacuum.pressure_kpa takes a number in kPa");
    settings[2].value = pl_value_label("storm");
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", settings + 2, 1), PL_EINVAL,
                "vacuum.pattern takes one of steady, pulse, wave");
    settings[0].key = "suction";
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", settings, 1), PL_EINVAL,
                "module vacuum has no parameter \"suction\"");
    settings[0].key = "cycles";
    settings[0].value = pl_value_number(3);
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", settings, 1), PL_ENOTSUP,
                "vacuum.cycles is read-only");
    CHECK_FAILS(pl_pen_set_params(pen, "cooling", settings, 1), PL_ENOTSUP, "fitted: vacuum@");
    CHECK_FAILS(pl_pen_get_param(&value, pen, "vacuum", "suction"), PL_EINVAL, "has no parameter");

    /* All or none: one bad value in a set leaves the others as they were. */
    settings[0].key = "pattern";
    settings[0].value = pl_value_label("wave");
    settings[1].value = pl_value_number(-95.0);
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", settings, 2), PL_ERANGE, "vacuum.pressure_kpa");
    /* ...also when the pen refuses it: the seal interlock holds pressure at its default while
     * suction is off, so this set is refused as a whole by the pen. */
    settings[0].key = "enabled";
    settings[0].value = pl_value_bool(0);
    settings[1].value = pl_value_number(-20.0);
    settings[2].value = pl_value_label("wave");
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", settings, 3), PL_EREJECTED, "seal");
    CHECK_OK(pl_pen_get_param(&value, pen, "vacuum", "pattern"));
    CHECK(value.kind == PL_VALUE_LABEL && strcmp(value.label, "pulse") == 0);
    label = value.label;
    check_number(pen, "pressure_kpa", -40.0);

    /* One value; an enum read back as its label, owned by the pen until pl_pen_free(). */
    settings[2].value = pl_value_label("wave");
    CHECK_OK(pl_pen_set_params(pen, "vacuum", settings + 2, 1));
    CHECK_OK(pl_pen_get_param(&value, pen, "vacuum", "pattern"));
    CHECK(value.kind == PL_VALUE_LABEL && strcmp(value.label, "wave") == 0);
    CHECK(strcmp(label, "pulse") == 0); /* the earlier label is still valid */

    /* Every value, in descriptor order. */
    CHECK_OK(pl_pen_get_params(&params, pen, "vacuum"));
    CHECK(pl_param_list_count(params) == 4 && pl_param_list_get(params, 4) == NULL);
    entry = pl_param_list_get(params, 0);
    CHECK(strcmp(entry->key, "enabled") == 0 && entry->value.kind == PL_VALUE_BOOL);
    CHECK(entry->value.boolean == 1);
    entry = pl_param_list_get(params, 1);
    CHECK(strcmp(entry->key, "pressure_kpa") == 0 && near(entry->value.number, -40.0));
    entry = pl_param_list_get(params, 2);
    CHECK(strcmp(entry->key, "pattern") == 0 && entry->value.kind == PL_VALUE_LABEL);
    CHECK(strcmp(entry->value.label, "wave") == 0);
    entry = pl_param_list_get(params, 3);
    CHECK(strcmp(entry->key, "cycles") == 0 && entry->value.kind == PL_VALUE_NUMBER);
    pl_param_list_free(params);

    /* Async: success, and a refusal described inside the completion. */
    waiter_init(&done);
    settings[1].value = pl_value_number(-45.5);
    CHECK_OK(pl_pen_set_params_async(pen, "vacuum", settings + 1, 1, record_result, &done));
    CHECK(waiter_wait(&done, 1, 5000) && waiter_last(&done) == 0);
    check_number(pen, "pressure_kpa", -45.5);
    settings[1].value = pl_value_number(5.0);
    CHECK_OK(pl_pen_set_params_async(pen, "vacuum", settings + 1, 1, record_result, &done));
    CHECK(waiter_wait(&done, 2, 5000) && waiter_last(&done) == PL_ERANGE);
    waiter_destroy(&done);
}

typedef struct telemetry_seen {
    waiter frames;
    const pl_module* vacuum;
    double last; /* written and read under frames' count: the callback bumps after writing */
} telemetry_seen;

static int on_status(const pl_status* status, void* payload) {
    telemetry_seen* seen = (telemetry_seen*)payload;
    double value = 0;
    int available = 0;
    CHECK(status->version == PL_STATUS_VERSION);
    CHECK_OK(pl_module_telemetry(&value, &available, seen->vacuum, status, "pressure_kpa"));
    if (available) {
        seen->last = value;
        waiter_bump(&seen->frames, (int)lround(value * 10));
    }
    return 0;
}

static void check_telemetry(pl_pen* pen, const pl_module* vacuum) {
    telemetry_seen seen;
    pl_subscription* subscription = NULL;
    pl_status status = PL_STATUS_INIT;
    int available = 0, alarm = -1, i;
    double value = 1;
    long target = 1;

    seen.vacuum = vacuum;
    seen.last = 0;
    waiter_init(&seen.frames);
    CHECK_OK(pl_pen_subscribe_status(&subscription, pen, 50, on_status, &seen));
    /* Suction on at -40 kPa (set above, then -45.5): the reading approaches it. */
    for (i = 0; i < 60; ++i, ++target) {
        CHECK(waiter_wait(&seen.frames, target, 5000));
        if (waiter_last(&seen.frames) < -200) break; /* below -20 kPa */
    }
    CHECK(waiter_last(&seen.frames) < -200);
    pl_subscription_free(subscription);
    waiter_destroy(&seen.frames);

    /* A program built before telemetry existed allocated a version-1 pl_status: the library
     * writes nothing after its version-1 fields, though the frame carries readings. */
    {
        struct {
            pl_status value;
            unsigned char after[8];
        } old;
        const size_t end = offsetof(pl_status, fault_bits) + sizeof old.value.fault_bits;
        const unsigned char* bytes = (const unsigned char*)&old;
        size_t at;
        memset(&old, 0x5a, sizeof old);
        CHECK_OK(pl_status_init(&old.value, 1));
        CHECK_OK(pl_pen_latest_status(&old.value, &available, pen));
        CHECK(available == 1 && old.value.version == 1);
        for (at = end; at < sizeof old; ++at) CHECK(bytes[at] == 0x5a);
    }
    CHECK_OK(pl_pen_latest_status(&status, &available, pen));
    CHECK(available == 1 && status.telemetry_count >= 1);
    CHECK(status.telemetry[0].slot == pl_module_slot(vacuum) && status.telemetry[0].channel == 128);
    CHECK_OK(pl_module_telemetry(&value, &available, vacuum, &status, "pressure_kpa"));
    CHECK(available == 1 && value >= -100.0 && value <= 10.0);
    CHECK(near(value, status.telemetry[0].raw * 0.1));
    CHECK_OK(pl_module_telemetry(&value, NULL, vacuum, &status, "pressure_kpa"));
    CHECK_OK(pl_module_telemetry_alarm(&alarm, vacuum, &status, "pressure_kpa"));
    CHECK(alarm == 0);
    /* A reading below alarm_low is an alarm. */
    status.telemetry[0].raw = -950;
    CHECK_OK(pl_module_telemetry_alarm(&alarm, vacuum, &status, "pressure_kpa"));
    CHECK(alarm == 1);

    /* No reading in the frame: no error, just not available. */
    status.telemetry_count = 0;
    value = 7;
    CHECK_OK(pl_module_telemetry(&value, &available, vacuum, &status, "pressure_kpa"));
    CHECK(available == 0 && value == 0.0);
    CHECK_OK(pl_module_telemetry_alarm(&alarm, vacuum, &status, "pressure_kpa"));
    CHECK(alarm == 0);

    /* Misuse: unknown channel, version-1 and unknown versions, NULLs. */
    CHECK_FAILS(pl_module_telemetry(&value, &available, vacuum, &status, "plate_c"), PL_EINVAL,
                "module vacuum has no telemetry channel \"plate_c\" (it has: pressure_kpa)");
    status.version = 1;
    CHECK_FAILS(pl_module_telemetry(&value, &available, vacuum, &status, "pressure_kpa"), PL_EINVAL,
                "pl_status version 1 carries no telemetry");
    status.version = PL_STATUS_VERSION + 1;
    CHECK_FAILS(pl_module_telemetry(&value, &available, vacuum, &status, "pressure_kpa"), PL_EINVAL,
                "is not supported by penlink");
    status.version = 0;
    CHECK_FAILS(pl_module_telemetry_alarm(&alarm, vacuum, &status, "pressure_kpa"), PL_EINVAL,
                "pl_status version 0");
    status.version = PL_STATUS_VERSION;
    CHECK_FAILS(pl_module_telemetry(NULL, &available, vacuum, &status, "pressure_kpa"), PL_EINVAL,
                "out is NULL");
    CHECK_FAILS(pl_module_telemetry(&value, &available, vacuum, NULL, "pressure_kpa"), PL_EINVAL,
                "status is NULL");
    CHECK_FAILS(pl_module_telemetry(&value, &available, vacuum, &status, NULL), PL_EINVAL,
                "key is NULL");
}

/* Records the slot of each module event: attached as +slot, detached as -slot. */
static int on_event(const pl_event* event, void* payload) {
    CHECK(event->version >= 1);
    if (event->kind == PL_EVENT_MODULE_ATTACHED) waiter_bump((waiter*)payload, (int)event->detail);
    if (event->kind == PL_EVENT_MODULE_DETACHED) waiter_bump((waiter*)payload, -(int)event->detail);
    return 0;
}

/* The simulator detaches the module at 1 s and attaches it again at 1.5 s (--at): the events
 * arrive, and a new list shows what is fitted. */
static void check_attach_detach(const char* url) {
    pl_pen* pen = NULL;
    pl_subscription* subscription = NULL;
    pl_module_list* modules = NULL;
    pl_param_setting setting;
    waiter events;

    fprintf(stderr, "-- attach and detach against %s\n", url);
    waiter_init(&events);
    CHECK_OK(pl_pen_connect(&pen, url, NULL));
    CHECK_OK(pl_pen_subscribe_events(&subscription, pen, on_event, &events));
    CHECK_OK(pl_pen_modules(&modules, pen));
    CHECK(pl_module_list_count(modules) == 1);
    pl_module_list_free(modules);

    CHECK(waiter_wait(&events, 1, 5000) && waiter_last(&events) == -1);
    CHECK_OK(pl_pen_modules(&modules, pen));
    CHECK(pl_module_list_count(modules) == 0);
    pl_module_list_free(modules);
    setting.key = "pattern";
    setting.value = pl_value_label("wave");
    CHECK_FAILS(pl_pen_set_params(pen, "vacuum", &setting, 1), PL_ENOTSUP,
                "no module \"vacuum\" is fitted to the pen (fitted: none)");

    CHECK(waiter_wait(&events, 2, 5000) && waiter_last(&events) == 1);
    CHECK_OK(pl_pen_modules(&modules, pen));
    CHECK(pl_module_list_count(modules) == 1);
    CHECK(strcmp(pl_module_key(pl_module_list_get(modules, 0)), "vacuum") == 0);
    pl_module_list_free(modules);
    CHECK_OK(pl_pen_set_params(pen, "vacuum", &setting, 1));

    pl_subscription_free(subscription);
    pl_pen_free(pen);
    waiter_destroy(&events);
}

/* A pen that cannot store its module's descriptor (module_store=0): the host finds the file in
 * pl_connect_options.module_paths (version 2). The file differs from vacuum.json by a trailing
 * space, so its CRC-32 is not in the process-wide cache from the runs before. */
static void check_module_paths(void) {
    char path[400];
    char url[512];
    FILE* file;
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_pen* pen = NULL;
    pl_module_list* modules = NULL;
    int rc;

    fprintf(stderr, "-- module_paths for a pen that keeps its descriptor off the pen\n");
    snprintf(path, sizeof path, "%s/vacuum_off_pen.json", descriptor_dir);
    file = fopen(path, "w");
    CHECK(file != NULL && fputs(vacuum_descriptor, file) >= 0 && fputs(" ", file) >= 0);
    CHECK(fclose(file) == 0);
    snprintf(url, sizeof url, "sim://?module_store=0&module=%s", path);
    CHECK(unsetenv("PENLINK_MODULE_PATH") == 0);

    /* Not found without a path; the error says where it looked. */
    rc = pl_pen_connect(&pen, url, &options);
    if (rc == 0) rc = pl_pen_modules(&modules, pen);
    CHECK(rc == PL_ENOTSUP && strstr(pl_error_last(), "module_paths") != NULL);
    pl_module_list_free(modules);
    pl_pen_free(pen);
    pen = NULL;
    modules = NULL;

    options.module_paths = descriptor_dir;
    CHECK_OK(pl_pen_connect(&pen, url, &options));
    CHECK_OK(pl_pen_modules(&modules, pen));
    CHECK(pl_module_list_count(modules) == 1);
    CHECK(strcmp(pl_module_key(pl_module_list_get(modules, 0)), "vacuum") == 0);
    pl_module_list_free(modules);
    pl_pen_free(pen);
    unlink(path);
}

static int run_end_to_end(const char* url) {
    pl_pen* pen = NULL;
    pl_module_list* modules = NULL;
    pl_module_list* selected = NULL;
    const pl_module* vacuum;
    int rc;

    fprintf(stderr, "-- end to end against %s\n", url);
    rc = pl_pen_connect(&pen, url, NULL);
    if (rc != 0 && strstr(pl_error_last(), "module") != NULL) {
        fprintf(stderr, "SKIP: the simulator does not host modules yet: %s\n", pl_error_last());
        return SKIP_CODE;
    }
    CHECK_OK(rc);

    CHECK_OK(pl_pen_modules(&modules, pen));
    { /* what the pen reported, for the log of a failing run */
        size_t i;
        for (i = 0; i < pl_module_list_count(modules); ++i) {
            const pl_module* module = pl_module_list_get(modules, i);
            fprintf(stderr, "module %s@%d (%s)\n", pl_module_key(module),
                    (int)pl_module_slot(module), pl_module_name(module));
        }
    }
    CHECK(pl_module_list_count(modules) == 1);
    vacuum = pl_module_list_get(modules, 0);
    CHECK(vacuum != NULL && pl_module_list_get(modules, 1) == NULL);
    check_discovery(vacuum);

    CHECK_OK(pl_pen_module(&selected, pen, "vacuum"));
    CHECK(pl_module_list_count(selected) == 1);
    CHECK(pl_module_slot(pl_module_list_get(selected, 0)) == pl_module_slot(vacuum));
    pl_module_list_free(selected);
    CHECK_FAILS(pl_pen_module(&selected, pen, "vacuum@9"), PL_ENOTSUP, "fitted: vacuum@");
    CHECK_FAILS(pl_pen_module(&selected, pen, "vacuum@x"), PL_EINVAL, "KEY@SLOT");
    CHECK(selected == NULL);

    check_set_and_get(pen);
    check_telemetry(pen, vacuum);

    pl_pen_free(pen);
    /* The list outlives the pen: its strings and specs stay valid until it is freed. */
    CHECK(strcmp(pl_module_key(vacuum), "vacuum") == 0);
    CHECK(strcmp(pl_param_spec_unit(pl_module_param_find(vacuum, "pressure_kpa")), "kPa") == 0);
    pl_module_list_free(modules);
    return 0;
}

int main(int argc, char** argv) {
    char url[512];
    int rc;
    if (argc == 1) {
        RUN(test_values);
        RUN(test_null_accessors);
        RUN(test_pen_without_modules);
        fprintf(stderr, "all module misuse tests passed\n");
        return 0;
    }
    write_descriptor();
    if (strcmp(argv[1], "--sim") == 0) {
        snprintf(url, sizeof url, "sim://?module=%s", descriptor_path);
        rc = run_end_to_end(url);
        if (rc == 0) check_module_paths();
    } else if (strcmp(argv[1], "--spawn") == 0 && argc == 3) {
        spawned_sim sim;
        const char* extra[] = {"--module", descriptor_path, NULL};
        if (spawn_sim_with(&sim, argv[2], extra, 10000) != 0) {
            fprintf(stderr, "%s --module %s did not start\n", argv[2], descriptor_path);
            remove_descriptor();
            return 1;
        }
        rc = run_end_to_end(sim.url);
        stop_sim(&sim);
        if (rc == 0) {
            char attach[400];
            const char* timed[] = {"--module", descriptor_path, "--at", "1000:module detach 1",
                                   "--at",     attach,          NULL};
            snprintf(attach, sizeof attach, "1500:module attach %s", descriptor_path);
            CHECK(spawn_sim_with(&sim, argv[2], timed, 10000) == 0);
            check_attach_detach(sim.url);
            stop_sim(&sim);
        }
    } else {
        fprintf(stderr, "usage: %s [--sim | --spawn PENLINK_SIM]\n", argv[0]);
        rc = 2;
    }
    remove_descriptor();
    if (rc == 0) fprintf(stderr, "module end-to-end test passed\n");
    return rc;
}
