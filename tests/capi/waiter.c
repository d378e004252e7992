#define _POSIX_C_SOURCE 200809L
#include "waiter.h"

#include <time.h>

void waiter_init(waiter* w) {
    pthread_mutex_init(&w->mutex, NULL);
    pthread_cond_init(&w->changed, NULL);
    w->count = 0;
    w->last_value = 0;
}

void waiter_destroy(waiter* w) {
    pthread_cond_destroy(&w->changed);
    pthread_mutex_destroy(&w->mutex);
}

void waiter_bump(waiter* w, int value) {
    pthread_mutex_lock(&w->mutex);
    w->count += 1;
    w->last_value = value;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->mutex);
}

long waiter_count(waiter* w) {
    long count;
    pthread_mutex_lock(&w->mutex);
    count = w->count;
    pthread_mutex_unlock(&w->mutex);
    return count;
}

int waiter_last(waiter* w) {
    int value;
    pthread_mutex_lock(&w->mutex);
    value = w->last_value;
    pthread_mutex_unlock(&w->mutex);
    return value;
}

int waiter_wait(waiter* w, long target, int timeout_ms) {
    struct timespec deadline;
    int reached;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&w->mutex);
    while (w->count < target) {
        if (pthread_cond_timedwait(&w->changed, &w->mutex, &deadline) != 0) break;
    }
    reached = w->count >= target;
    pthread_mutex_unlock(&w->mutex);
    return reached;
}
