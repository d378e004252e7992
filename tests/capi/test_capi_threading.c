/* pl_connect_options version 5 from C99: the pen's threads (pl_threading) and an app executor
 * for its callbacks (pl_callback_executor), against a simulated pen (sim://). The executor here
 * is what an app's event loop would be: a thread of the test's own with a queue of tasks. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "penlink/penlink.h"
#include "waiter.h"

static const char* const URL = "sim://";

/* ---- the options' defaults and versions ---- */

static void test_version_5_defaults(void) {
    pl_connect_options macro = PL_CONNECT_OPTIONS_INIT;
    CHECK(macro.version == 5);
    CHECK(macro.threading == PL_THREADING_SHARED);
    CHECK(macro.callback_executor == NULL && macro.callback_executor_payload == NULL);

    pl_connect_options filled;
    memset(&filled, 0x5a, sizeof filled);
    CHECK_OK(pl_connect_options_init(&filled, PL_CONNECT_OPTIONS_VERSION));
    CHECK(filled.threading == PL_THREADING_SHARED);
    CHECK(filled.callback_executor == NULL && filled.callback_executor_payload == NULL);

    /* A program built against version 4 allocated nothing past record_path: init writes no
     * further, and pl_pen_connect reads no further (the bytes after stay 0x5a). */
    pl_connect_options old;
    memset(&old, 0x5a, sizeof old);
    CHECK_OK(pl_connect_options_init(&old, 4));
    CHECK(old.version == 4 && old.record_path == NULL);
    {
        const unsigned char* after = (const unsigned char*)&old.threading;
        size_t i;
        for (i = 0; i < sizeof old.threading; ++i) CHECK(after[i] == 0x5a);
    }
    {
        pl_pen* pen = NULL;
        CHECK_OK(pl_pen_connect(&pen, URL, &old));
        pl_pen_free(pen);
    }

    CHECK_FAILS(pl_connect_options_init(&filled, PL_CONNECT_OPTIONS_VERSION + 1), PL_EINVAL,
                "pl_connect_options version 6");
}

/* ---- an out-of-range threading value ---- */

static void check_refused(int threading, const char* expected) {
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_pen* pen = (pl_pen*)&options; /* must be reset to NULL */
    options.threading = threading;
    CHECK_FAILS(pl_pen_connect(&pen, URL, &options), PL_EINVAL, expected);
    CHECK(pen == NULL);
    /* The message names the field, the value and the allowed values. */
    CHECK(strstr(pl_error_last(), "PL_THREADING_SHARED (0)") != NULL);
    CHECK(strstr(pl_error_last(), "PL_THREADING_DEDICATED (1)") != NULL);
}

static void test_bad_threading_is_refused(void) {
    check_refused(2, "pl_connect_options.threading 2 is neither");
    check_refused(-1, "pl_connect_options.threading -1 is neither");
    check_refused(0x5a5a5a5a, "pl_connect_options.threading 1515870810");
}

/* ---- a pen with each threading: a command and status frames ---- */

static int count_status(const pl_status* status, void* payload) {
    waiter_bump((waiter*)payload, (int)status->depth_set_mm);
    return 0;
}

static void drive(int threading) {
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_pen* pen = NULL;
    pl_subscription* subscription = NULL;
    pl_status latest;
    int available = 0;
    waiter frames;
    options.threading = threading;
    waiter_init(&frames);
    CHECK_OK(pl_pen_connect(&pen, URL, &options));
    CHECK_OK(pl_pen_set_depth_um(pen, 1250));
    CHECK_OK(pl_pen_subscribe_status(&subscription, pen, 50, count_status, &frames));
    CHECK(waiter_wait(&frames, 5, 5000));
    CHECK_OK(pl_status_init(&latest, PL_STATUS_VERSION));
    CHECK_OK(pl_pen_latest_status(&latest, &available, pen));
    CHECK(available == 1 && latest.depth_set_mm > 1.24 && latest.depth_set_mm < 1.26);
    pl_subscription_free(subscription);
    pl_pen_free(pen);
    waiter_destroy(&frames);
}

static void test_dedicated(void) { drive(PL_THREADING_DEDICATED); }
static void test_shared(void) { drive(PL_THREADING_SHARED); }

/* ---- an app executor: a thread of ours with a queue ---- */

typedef struct task_item {
    pl_task_run run;
    void* task;
    struct task_item* next;
} task_item;

typedef struct task_loop {
    pthread_mutex_t mutex;
    pthread_cond_t changed;
    task_item* head;
    task_item* tail;
    int stopping;
    long handed; /* tasks penlink handed over */
    long ran;    /* tasks run */
    pthread_t thread;
} task_loop;

/* The pl_callback_executor: queue the task, run it later on the loop's thread. */
static void enqueue(pl_task_run run, void* task, void* payload) {
    task_loop* loop = (task_loop*)payload;
    task_item* item = (task_item*)malloc(sizeof *item);
    if (item == NULL) abort();
    item->run = run;
    item->task = task;
    item->next = NULL;
    pthread_mutex_lock(&loop->mutex);
    if (loop->tail != NULL) {
        loop->tail->next = item;
    } else {
        loop->head = item;
    }
    loop->tail = item;
    ++loop->handed;
    pthread_cond_signal(&loop->changed);
    pthread_mutex_unlock(&loop->mutex);
}

/* Runs tasks until asked to stop and the queue is empty. */
static void* loop_main(void* argument) {
    task_loop* loop = (task_loop*)argument;
    pthread_mutex_lock(&loop->mutex);
    for (;;) {
        task_item* item = loop->head;
        if (item == NULL) {
            if (loop->stopping) break;
            pthread_cond_wait(&loop->changed, &loop->mutex);
            continue;
        }
        loop->head = item->next;
        if (loop->head == NULL) loop->tail = NULL;
        pthread_mutex_unlock(&loop->mutex);
        item->run(item->task);
        free(item);
        pthread_mutex_lock(&loop->mutex);
        ++loop->ran;
    }
    pthread_mutex_unlock(&loop->mutex);
    return NULL;
}

typedef struct seen {
    waiter calls;
    pthread_t loop_thread;
    int off_loop; /* callbacks that ran on another thread */
} seen;

static void note_thread(seen* s) {
    if (!pthread_equal(pthread_self(), s->loop_thread)) s->off_loop = 1;
}

static int status_on_loop(const pl_status* status, void* payload) {
    seen* s = (seen*)payload;
    (void)status;
    note_thread(s);
    waiter_bump(&s->calls, 0);
    return 0;
}

static int done_on_loop(int result, void* payload) {
    seen* s = (seen*)payload;
    note_thread(s);
    waiter_bump(&s->calls, result);
    return 0;
}

static void test_callbacks_run_on_the_app_executor(int threading) {
    task_loop loop;
    seen status_seen, done_seen;
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    pl_pen* pen = NULL;
    pl_subscription* subscription = NULL;
    long handed, ran;

    memset(&loop, 0, sizeof loop);
    pthread_mutex_init(&loop.mutex, NULL);
    pthread_cond_init(&loop.changed, NULL);
    CHECK(pthread_create(&loop.thread, NULL, loop_main, &loop) == 0);
    waiter_init(&status_seen.calls);
    waiter_init(&done_seen.calls);
    status_seen.loop_thread = done_seen.loop_thread = loop.thread;
    status_seen.off_loop = done_seen.off_loop = 0;

    options.threading = threading;
    options.callback_executor = enqueue;
    options.callback_executor_payload = &loop;
    CHECK_OK(pl_pen_connect(&pen, URL, &options));
    CHECK_OK(pl_pen_subscribe_status(&subscription, pen, 50, status_on_loop, &status_seen));
    CHECK(waiter_wait(&status_seen.calls, 5, 5000));
    CHECK_OK(pl_pen_set_depth_um_async(pen, 800, done_on_loop, &done_seen));
    CHECK(waiter_wait(&done_seen.calls, 1, 5000));
    CHECK(waiter_last(&done_seen.calls) == 0);
    /* A blocking command from the test thread still works while callbacks run elsewhere. */
    CHECK_OK(pl_pen_set_depth_um(pen, 900));
    pl_subscription_free(subscription);
    pl_pen_free(pen); /* returns once every task handed over has run */

    pthread_mutex_lock(&loop.mutex);
    loop.stopping = 1;
    pthread_cond_signal(&loop.changed);
    pthread_mutex_unlock(&loop.mutex);
    CHECK(pthread_join(loop.thread, NULL) == 0);

    handed = loop.handed;
    ran = loop.ran;
    fprintf(stderr, "   executor ran %ld of %ld tasks handed over\n", ran, handed);
    CHECK(handed > 0 && ran == handed);
    CHECK(status_seen.off_loop == 0);
    CHECK(done_seen.off_loop == 0);
    CHECK(waiter_count(&done_seen.calls) == 1); /* done runs once, never twice */

    waiter_destroy(&status_seen.calls);
    waiter_destroy(&done_seen.calls);
    pthread_cond_destroy(&loop.changed);
    pthread_mutex_destroy(&loop.mutex);
}

static void test_executor_shared(void) {
    test_callbacks_run_on_the_app_executor(PL_THREADING_SHARED);
}
static void test_executor_dedicated(void) {
    test_callbacks_run_on_the_app_executor(PL_THREADING_DEDICATED);
}

int main(void) {
    RUN(test_version_5_defaults);
    RUN(test_bad_threading_is_refused);
    RUN(test_dedicated);
    RUN(test_shared);
    RUN(test_executor_shared);
    RUN(test_executor_dedicated);
    fprintf(stderr, "all threading tests passed\n");
    return 0;
}
