/* A tiny assertion kit for the plain-C tests of the C ABI: no framework, so the tests prove the
 * header works from C99 alone. A failed CHECK prints where and why and exits non-zero. */
#ifndef PENLINK_TESTS_CAPI_CHECK_H
#define PENLINK_TESTS_CAPI_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "penlink/penlink.h"

#define CHECK(condition)                                                                        \
    do {                                                                                        \
        if (!(condition)) {                                                                     \
            fprintf(stderr, "%s:%d: CHECK(%s) failed; last error %d: %s\n", __FILE__, __LINE__, \
                    #condition, pl_error_last_code(), pl_error_last());                         \
            exit(1);                                                                            \
        }                                                                                       \
    } while (0)

/* Checks that call returned code, and that the message mentions text. */
#define CHECK_FAILS(call, code, text)                                                       \
    do {                                                                                    \
        int check_rc_ = (call);                                                             \
        if (check_rc_ != (code) || strstr(pl_error_last(), (text)) == NULL) {               \
            fprintf(stderr,                                                                 \
                    "%s:%d: %s returned %d (%s), expected %d with \"%s\" in the message\n", \
                    __FILE__, __LINE__, #call, check_rc_, pl_error_last(), (code), (text)); \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

#define CHECK_OK(call)                                                                     \
    do {                                                                                   \
        int check_rc_ = (call);                                                            \
        if (check_rc_ != 0) {                                                              \
            fprintf(stderr, "%s:%d: %s returned %d (%s): %s\n", __FILE__, __LINE__, #call, \
                    check_rc_, pl_strerror(check_rc_), pl_error_last());                   \
            exit(1);                                                                       \
        }                                                                                  \
    } while (0)

#define RUN(test)                          \
    do {                                   \
        fprintf(stderr, "-- %s\n", #test); \
        test();                            \
    } while (0)

#endif
