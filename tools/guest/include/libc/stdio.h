/*
 * The C library subset the PV guest runtime offers to portable code:
 * formatted output into buffers and to the console (tools/guest/console.c;
 * %d %i %u %x %X %o %s %p %c %%, l/ll/z, width, precision, - 0 #).  No
 * FILE streams.  See <string.h> beside this file.
 */
#ifndef PVGUEST_LIBC_STDIO_H
#define PVGUEST_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* PVGUEST_LIBC_STDIO_H */
