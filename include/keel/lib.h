/*
 * Freestanding C library subset implemented in common/lib/string.c and
 * common/lib/vsnprintf.c.  Host unit tests get these from the host libc
 * through tests/unit/stub/keel/lib.h instead.
 */
#ifndef KEEL_LIB_H
#define KEEL_LIB_H

#include <keel/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *h, const char *n);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Log-level prefixes understood by printk (same digits as Xen's). */
#define KLOG_ERR     "<0>"
#define KLOG_WARNING "<1>"
#define KLOG_INFO    "<2>"
#define KLOG_DEBUG   "<3>"

void printk(const char *fmt, ...) __printf(1, 2);
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

#endif /* KEEL_LIB_H */
