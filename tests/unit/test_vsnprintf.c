/*
 * Host tests for common/lib/vsnprintf.c, compared against the host C
 * library where the two must agree, plus truncation and NUL rules.
 * The hypervisor's functions are renamed on the command line
 * (-Dvsnprintf=keel_vsnprintf -Dsnprintf=keel_snprintf) so both coexist.
 */
#include "harness.h"
#include <stdarg.h>
#include <limits.h>
#include <stdint.h>
#include <stddef.h>

int keel_snprintf(char *buf, size_t size, const char *fmt, ...);

#define SAME(...) do {                                                    \
    char a[256], b[256];                                                  \
    int ra = keel_snprintf(a, sizeof(a), __VA_ARGS__);                    \
    int rb = snprintf(b, sizeof(b), __VA_ARGS__);                         \
    CHECK_STR(a, b);                                                      \
    CHECK_EQ(ra, rb);                                                     \
} while ( 0 )

TEST(integers)
{
    SAME("%d %i %u", -42, 7, 3000000000u);
    SAME("%ld %lu %lld %llu", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX);
    SAME("%x %X %o %#x %#o %#X", 0xbeefu, 0xbeefu, 8u, 255u, 8u, 255u);
    SAME("%hhd %hd %hhu %hu", 300, 70000, 300, 70000);
    SAME("%zu %zx %td", (size_t)12345, (size_t)0xabc, (ptrdiff_t)-5);
    SAME("%#x %#o", 0u, 0u);
}

TEST(width_precision_flags)
{
    SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
    SAME("[%.3d] [%8.3d] [%-8.3d]", 7, 7, 7);
    SAME("[%*d] [%-*d] [%.*d]", 6, 1, 6, 1, 4, 1);
    SAME("[%*d]", -6, 1);
    SAME("[%.0d] [%.0x]", 0, 0u);
    SAME("[%016lx] [%-16lx]", 0xffff82d080200000UL, 0x1UL);
    SAME("[%05d] [%+05d]", -42, 42);
}

TEST(strings_chars)
{
    SAME("[%s] [%10s] [%-10s] [%.2s] [%c]", "abc", "abc", "abc", "abc", 'z');
    SAME("[%%] [100%%]");
    SAME("%s", "");
}

TEST(pointer_and_null)
{
    char a[64];

    keel_snprintf(a, sizeof(a), "%p", (void *)0x1234);
    CHECK_STR(a, "0x1234");
    keel_snprintf(a, sizeof(a), "%s", (char *)NULL);
    CHECK_STR(a, "(null)");
}

TEST(truncation)
{
    char a[8];
    int n;

    memset(a, 'X', sizeof(a));
    n = keel_snprintf(a, sizeof(a), "%s", "hello world");
    CHECK_EQ(n, 11);
    CHECK_STR(a, "hello w");
    n = keel_snprintf(a, 1, "%d", 12345);
    CHECK_EQ(n, 5);
    CHECK_EQ(a[0], '\0');
    memset(a, 'X', sizeof(a));
    n = keel_snprintf(a, 0, "%d", 12345);      /* size 0: nothing written */
    CHECK_EQ(n, 5);
    CHECK_EQ(a[0], 'X');
}

TEST(unknown_conversion_and_trailing_percent)
{
    char a[32];

    keel_snprintf(a, sizeof(a), "a%qb");
    CHECK_STR(a, "a%qb");
    keel_snprintf(a, sizeof(a), "abc%");
    CHECK_STR(a, "abc");
}

int main(void)
{
    RUN(integers);
    RUN(width_precision_flags);
    RUN(strings_chars);
    RUN(pointer_and_null);
    RUN(truncation);
    RUN(unknown_conversion_and_trailing_percent);
    HARNESS_EXIT();
}
