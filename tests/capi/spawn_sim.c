#define _POSIX_C_SOURCE 200809L
#include "spawn_sim.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* After the first line the simulator may keep writing; a thread drains the pipe so it never
 * blocks on a full pipe, and holding the read end open spares it a SIGPIPE. */
static void* drain(void* arg) {
    int fd = *(int*)arg;
    char buffer[512];
    while (read(fd, buffer, sizeof buffer) > 0) {
    }
    close(fd);
    return NULL;
}

static int drain_fd;

/* Reads one line with a deadline; returns its length or -1. */
static int read_line(int fd, char* line, size_t size, int timeout_ms) {
    size_t used = 0;
    while (used + 1 < size) {
        struct pollfd poller;
        char c;
        ssize_t got;
        poller.fd = fd;
        poller.events = POLLIN;
        poller.revents = 0;
        if (poll(&poller, 1, timeout_ms) <= 0) return -1;
        got = read(fd, &c, 1);
        if (got <= 0) return -1;
        if (c == '\n') break;
        line[used++] = c;
    }
    line[used] = '\0';
    return (int)used;
}

int spawn_sim(spawned_sim* sim, const char* executable, int timeout_ms) {
    return spawn_sim_with(sim, executable, NULL, timeout_ms);
}

/* Runs executable on a TCP port (pty 0) or a pseudo-terminal (pty 1) and reads its URL. */
static int spawn_on(spawned_sim* sim, const char* executable, int pty, const char* const* extra,
                    int timeout_ms) {
    enum { MAX_ARGS = 16 };
    char* args[MAX_ARGS + 4];
    size_t count = 0;
    size_t next = 0;
    int pipe_fds[2];
    char line[128];
    char path[96];
    unsigned port = 0;
    pthread_t drainer;
    /* execv takes char* const[]; the strings are not modified. */
    args[count++] = (char*)executable;
    if (pty) {
        args[count++] = (char*)"--pty";
    } else {
        args[count++] = (char*)"--tcp";
        args[count++] = (char*)"0";
    }
    while (extra != NULL && extra[next] != NULL && next < MAX_ARGS)
        args[count++] = (char*)extra[next++];
    args[count] = NULL;
    if (pipe(pipe_fds) != 0) {
        perror("pipe");
        return -1;
    }
    sim->pid = fork();
    if (sim->pid < 0) {
        perror("fork");
        return -1;
    }
    if (sim->pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        execv(executable, args);
        fprintf(stderr, "cannot run %s: %s\n", executable, strerror(errno));
        _exit(127);
    }
    close(pipe_fds[1]);
    if (read_line(pipe_fds[0], line, sizeof line, timeout_ms) < 0 ||
        (pty ? sscanf(line, "PTY %95s", path) != 1
             : (sscanf(line, "TCP 127.0.0.1:%u", &port) != 1 || port == 0 || port > 65535))) {
        fprintf(stderr, "%s did not print \"%s\" within %d ms\n", executable,
                pty ? "PTY /dev/pts/N" : "TCP 127.0.0.1:PORT", timeout_ms);
        close(pipe_fds[0]);
        stop_sim(sim);
        return -1;
    }
    if (pty) {
        snprintf(sim->url, sizeof sim->url, "serial://%s", path);
    } else {
        snprintf(sim->url, sizeof sim->url, "tcp://127.0.0.1:%u", port);
    }
    drain_fd = pipe_fds[0];
    if (pthread_create(&drainer, NULL, drain, &drain_fd) == 0) pthread_detach(drainer);
    return 0;
}

int spawn_sim_with(spawned_sim* sim, const char* executable, const char* const* extra,
                   int timeout_ms) {
    return spawn_on(sim, executable, 0, extra, timeout_ms);
}

int spawn_sim_pty(spawned_sim* sim, const char* executable, const char* const* extra,
                  int timeout_ms) {
    return spawn_on(sim, executable, 1, extra, timeout_ms);
}

void stop_sim(spawned_sim* sim) {
    int status;
    int waited_ms;
    struct timespec pause = {0, 20 * 1000000L};
    if (sim->pid <= 0) return;
    kill(sim->pid, SIGTERM);
    /* A simulator that ignores SIGTERM must not hang the test: give it 3 s, then SIGKILL. */
    for (waited_ms = 0; waited_ms < 3000; waited_ms += 20) {
        if (waitpid(sim->pid, &status, WNOHANG) == sim->pid) {
            sim->pid = 0;
            return;
        }
        nanosleep(&pause, NULL);
    }
    kill(sim->pid, SIGKILL);
    waitpid(sim->pid, &status, 0);
    sim->pid = 0;
}
