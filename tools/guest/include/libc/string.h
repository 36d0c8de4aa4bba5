/*
 * The C library subset the PV guest runtime offers to portable code (the
 * toolstack libraries built into PV kernels): string functions from
 * tools/guest/string.c.  Hosted builds use the real <string.h> instead;
 * code meant for both may use only what is declared here.
 */
#ifndef PVGUEST_LIBC_STRING_H
#define PVGUEST_LIBC_STRING_H

#include <stddef.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *h, const char *n);
void *memchr(const void *s, int c, size_t n);

#endif /* PVGUEST_LIBC_STRING_H */
