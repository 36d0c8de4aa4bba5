/*
 * Minimal host unit-test harness.  A test file includes this, links the
 * unmodified hypervisor source under test, and calls CHECK() inside TEST()
 * bodies.  Output is one line per test case, "ok - name" or
 * "not ok - name: reason"; tests/run-tests counts these lines.
 */
#ifndef KEEL_TEST_HARNESS_H
#define KEEL_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_failed_case;
static int harness_total_failed;

#define CHECK(cond) do {                                                  \
    if ( !(cond) ) {                                                      \
        if ( !harness_failed_case )                                       \
            printf("not ok - %s: %s:%d: CHECK(%s)\n", harness_case_name,  \
                   __FILE__, __LINE__, #cond);                            \
        harness_failed_case = 1;                                          \
    }                                                                     \
} while ( 0 )

#define CHECK_EQ(a, b) do {                                               \
    long long _a = (long long)(a), _b = (long long)(b);                   \
    if ( _a != _b ) {                                                     \
        if ( !harness_failed_case )                                       \
            printf("not ok - %s: %s:%d: %s == %lld, expected %lld\n",     \
                   harness_case_name, __FILE__, __LINE__, #a, _a, _b);    \
        harness_failed_case = 1;                                          \
    }                                                                     \
} while ( 0 )

#define CHECK_STR(a, b) do {                                              \
    const char *_a = (a), *_b = (b);                                      \
    if ( !_a || !_b || strcmp(_a, _b) ) {                                 \
        if ( !harness_failed_case )                                       \
            printf("not ok - %s: %s:%d: %s == \"%s\", expected \"%s\"\n", \
                   harness_case_name, __FILE__, __LINE__, #a,             \
                   _a ? _a : "(null)", _b ? _b : "(null)");               \
        harness_failed_case = 1;                                          \
    }                                                                     \
} while ( 0 )

static const char *harness_case_name = "";

#define TEST(name) static void test_##name(void)
#define RUN(name) do {                                                    \
    harness_case_name = #name;                                            \
    harness_failed_case = 0;                                              \
    test_##name();                                                        \
    if ( harness_failed_case )                                            \
        harness_total_failed++;                                           \
    else                                                                  \
        printf("ok - %s\n", #name);                                       \
} while ( 0 )

#define HARNESS_EXIT() return harness_total_failed ? 1 : 0

#endif /* KEEL_TEST_HARNESS_H */
