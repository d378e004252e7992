/* Authenticated sessions from C (penlink/auth.h): the acceptance steps over an authenticated
 * session in process and over TCP, and the distinct codes of a missing key and a wrong key.
 *   test_capi_auth                      (in process: sim://?key_file=...)
 *   test_capi_auth --spawn PENLINK_SIM  (penlink-sim --tcp 0 --key-file ...)
 *   test_capi_auth --spawn-pty PENLINK_SIM  (penlink-sim --pty --key-file ...) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "penlink/auth.h"
#include "spawn_sim.h"

#define SERIAL "SIM-AUTH-C"
static const char* const kKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char* const kOther =
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";

static char key_path[256];
static spawned_sim sim;
static int spawned;

static void cleanup(void) {
    if (spawned) stop_sim(&sim);
    unlink(key_path);
}

static void write_key_file(void) {
    FILE* file;
    snprintf(key_path, sizeof key_path, "/tmp/penlink-capi-auth-%ld.key", (long)getpid());
    file = fopen(key_path, "w");
    CHECK(file != NULL);
    fprintf(file, "%s\n", kKey);
    fclose(file);
    CHECK(chmod(key_path, 0600) == 0);
}

static void sleep_ms(long ms) {
    struct timespec pause;
    pause.tv_sec = ms / 1000;
    pause.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&pause, NULL);
}

static int connect_with(pl_pen** pen, const char* url, const char* hex) {
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_keys* keys = NULL;
    int rc;
    options.command_timeout_ms = 500;
    if (hex != NULL) {
        CHECK_OK(pl_keys_new(&keys));
        CHECK_OK(pl_keys_add_hex(keys, SERIAL, hex));
        CHECK(pl_keys_count(keys) == 1);
        options.keys = keys;
    }
    rc = pl_pen_connect(pen, url, &options);
    pl_keys_free(keys); /* the pen keeps its own copy */
    return rc;
}

static void run(const char* url) {
    pl_pen* pen = NULL;
    pl_security_stats stats = PL_SECURITY_STATS_INIT;
    pl_status status = PL_STATUS_INIT;
    int available = 0, tries;
    uint8_t short_key[16] = {0};

    fprintf(stderr, "-- authenticated session against %s\n", url);
    CHECK_FAILS(connect_with(&pen, url, NULL), PL_EAUTHREQUIRED, SERIAL);
    CHECK(pen == NULL);
    CHECK_FAILS(connect_with(&pen, url, kOther), PL_EKEY, "not the pen's key");
    CHECK(strstr(pl_error_last(), kOther) == NULL && strstr(pl_error_last(), kKey) == NULL);
    CHECK(strcmp(pl_strerror(PL_ENOTAUTHENTIC), "pen not authentic") == 0);

    CHECK_OK(connect_with(&pen, url, kKey));
    CHECK_OK(pl_pen_security_stats(pen, &stats));
    CHECK(stats.authenticated == 1 && stats.forged == 0 && stats.replayed == 0);
    CHECK_OK(pl_pen_set_depth_um(pen, 1000));
    CHECK_OK(pl_pen_set_speed_hz(pen, 100));
    CHECK_OK(pl_pen_start(pen));
    for (tries = 0; tries < 300; ++tries) {
        CHECK_OK(pl_pen_latest_status(&status, &available, pen));
        if (available && status.state == PL_PEN_RUNNING) break;
        sleep_ms(10);
    }
    CHECK(available && status.state == PL_PEN_RUNNING);
    CHECK_OK(pl_pen_stop(pen));
    CHECK_FAILS(pl_pen_change_key(pen, short_key, sizeof short_key), PL_EINVAL, "32 bytes");
    pl_pen_free(pen);
}

int main(int argc, char** argv) {
    char url[512];
    pl_keys* keys = NULL;
    write_key_file();
    atexit(cleanup);

    /* a key file others may read is refused, naming it */
    CHECK_OK(pl_keys_new(&keys));
    CHECK(chmod(key_path, 0644) == 0);
    CHECK_FAILS(pl_keys_load_file(keys, key_path), PL_EINVAL, "chmod 600");
    CHECK(chmod(key_path, 0600) == 0);
    CHECK_FAILS(pl_keys_add(keys, SERIAL, (const uint8_t*)"short", 5), PL_EINVAL, "32");
    pl_keys_free(keys);

    if (argc == 3 && (strcmp(argv[1], "--spawn") == 0 || strcmp(argv[1], "--spawn-pty") == 0)) {
        const char* extra[] = {"--quiet", "--serial", SERIAL, "--key-file", key_path, NULL};
        const int pty = strcmp(argv[1], "--spawn-pty") == 0;
        if ((pty ? spawn_sim_pty(&sim, argv[2], extra, 10000)
                 : spawn_sim_with(&sim, argv[2], extra, 10000)) != 0)
            return 1;
        spawned = 1;
        run(sim.url);
    } else if (argc == 1) {
        snprintf(url, sizeof url, "sim://?serial=%s&key_file=%s", SERIAL, key_path);
        run(url);
    } else {
        fprintf(stderr, "usage: %s [--spawn PENLINK_SIM | --spawn-pty PENLINK_SIM]\n", argv[0]);
        return 2;
    }
    fprintf(stderr, "ok\n");
    return 0;
}
