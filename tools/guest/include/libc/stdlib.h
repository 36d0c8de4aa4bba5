/*
 * The C library subset the PV guest runtime offers to portable code:
 * the heap (tools/guest/malloc.c).  See <string.h> beside this file.
 */
#ifndef PVGUEST_LIBC_STDLIB_H
#define PVGUEST_LIBC_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

#endif /* PVGUEST_LIBC_STDLIB_H */
