/* check.h - the tiny assertion kit of vqi's C unit tests.
 * Each CHECK prints "ok - ..." or "not ok - ..." (TAP style); tests/run.sh
 * counts them.  A test program returns check_done(). */
#ifndef VQI_CHECK_H
#define VQI_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        if (cond) {                                                             \
            printf("ok - ");                                                    \
        } else {                                                                \
            printf("not ok - %s:%d: ", __FILE__, __LINE__);                     \
            check_failures++;                                                   \
        }                                                                       \
        printf(__VA_ARGS__);                                                    \
        printf("\n");                                                           \
    } while (0)

#define CHECK_INT(got, want, what)                                              \
    do {                                                                        \
        long long g_ = (long long)(got), w_ = (long long)(want);                \
        CHECK(g_ == w_, "%s: got %lld, want %lld", what, g_, w_);               \
    } while (0)

#define CHECK_NEAR(got, want, tol, what)                                        \
    do {                                                                        \
        double g_ = (got), w_ = (want);                                         \
        CHECK(fabs(g_ - w_) <= (tol), "%s: got %.17g, want %.17g", what, g_, w_); \
    } while (0)

#define CHECK_STR(got, want, what)                                              \
    do {                                                                        \
        const char *g_ = (got), *w_ = (want);                                   \
        CHECK(g_ && w_ && strcmp(g_, w_) == 0, "%s: got '%s', want '%s'", what, \
              g_ ? g_ : "(null)", w_ ? w_ : "(null)");                          \
    } while (0)

static inline int check_done(void) { return check_failures ? 1 : 0; }

#endif
