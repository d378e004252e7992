/* A counter that test callbacks bump on the pen's callback thread and the test thread waits on,
 * always with a deadline so a broken pen fails the test instead of hanging it. */
#ifndef PENLINK_TESTS_CAPI_WAITER_H
#define PENLINK_TESTS_CAPI_WAITER_H

#include <pthread.h>

typedef struct waiter {
    pthread_mutex_t mutex;
    pthread_cond_t changed;
    long count;
    int last_value; /* whatever the callback wants to report, e.g. a result code */
} waiter;

void waiter_init(waiter* w);
void waiter_destroy(waiter* w);
/* Adds one and records value; wakes the waiter. */
void waiter_bump(waiter* w, int value);
long waiter_count(waiter* w);
int waiter_last(waiter* w);
/* Waits until count >= target or timeout_ms passes; returns 1 if reached. */
int waiter_wait(waiter* w, long target, int timeout_ms);

#endif
