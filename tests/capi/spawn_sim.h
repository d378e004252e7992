/* Starts tools/penlink-sim as a real process serving TCP or a pty, for tests that want a pen on
 * the other side of a socket or a serial link. */
#ifndef PENLINK_TESTS_CAPI_SPAWN_SIM_H
#define PENLINK_TESTS_CAPI_SPAWN_SIM_H

#include <stddef.h>
#include <sys/types.h>

typedef struct spawned_sim {
    pid_t pid;
    char url[128]; /* "tcp://127.0.0.1:PORT" or "serial:///dev/pts/N" */
} spawned_sim;

/* Runs `executable --tcp 0`, waits (at most timeout_ms) for its first stdout line
 * "TCP 127.0.0.1:PORT" and fills sim. Returns 0, or -1 with a reason on stderr. */
int spawn_sim(spawned_sim* sim, const char* executable, int timeout_ms);
/* The same with more arguments after `--tcp 0` (extra ends with NULL; at most 16). */
int spawn_sim_with(spawned_sim* sim, const char* executable, const char* const* extra,
                   int timeout_ms);
/* The same on a pseudo-terminal (`executable --pty` + extra): sim->url is serial:///dev/pts/N. */
int spawn_sim_pty(spawned_sim* sim, const char* executable, const char* const* extra,
                  int timeout_ms);
/* Terminates the process and reaps it. */
void stop_sim(spawned_sim* sim);

#endif
