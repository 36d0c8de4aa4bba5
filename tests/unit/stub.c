/* Host-side implementations of the hooks declared in tests/unit/stub/. */
#include <keel/lib.h>
#include <stdarg.h>
#include <stdlib.h>

char stub_printk_buf[65536];
static size_t stub_printk_len;

void stub_printk_reset(void)
{
    stub_printk_len = 0;
    stub_printk_buf[0] = '\0';
}

void printk(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(stub_printk_buf + stub_printk_len,
                  sizeof(stub_printk_buf) - stub_printk_len, fmt, ap);
    va_end(ap);
    if ( n > 0 )
        stub_printk_len = MIN(stub_printk_len + (size_t)n,
                              sizeof(stub_printk_buf) - 1);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "panic: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
}
