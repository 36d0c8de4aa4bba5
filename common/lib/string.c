/*
 * The string and memory functions the hypervisor needs.  memcpy and
 * memset are on hot paths (page scrubbing, grant copies, domain building)
 * and use the string instructions, 8 bytes at a time then the tail; the
 * rest are plain loops.
 */
#include <keel/lib.h>

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    size_t words = n / 8, tail = n % 8;

    __asm__ __volatile__ ( "rep movsq; mov %[tail], %%rcx; rep movsb"
                           : "+D" (d), "+S" (src), "+c" (words)
                           : [tail] "r" (tail) : "memory" );
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ( d <= s || d >= s + n )
        return memcpy(dst, src, n);
    while ( n-- )
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    uint64_t v = 0x0101010101010101ULL * (unsigned char)c;
    size_t words = n / 8, tail = n % 8;

    __asm__ __volatile__ ( "rep stosq; mov %[tail], %%rcx; rep stosb"
                           : "+D" (d), "+c" (words)
                           : "a" (v), [tail] "r" (tail) : "memory" );
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for ( ; n; n--, x++, y++ )
        if ( *x != *y )
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while ( *p )
        p++;
    return p - s;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] )
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while ( *a && *a == *b )
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for ( ; n; n--, a++, b++ )
    {
        if ( *a != *b )
            return (unsigned char)*a - (unsigned char)*b;
        if ( !*a )
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for ( ; ; s++ )
    {
        if ( *s == (char)c )
            return (char *)s;
        if ( !*s )
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    for ( ; ; s++ )
    {
        if ( *s == (char)c )
            last = s;
        if ( !*s )
            return (char *)last;
    }
}

char *strstr(const char *h, const char *n)
{
    size_t ln = strlen(n);

    for ( ; *h; h++ )
        if ( !strncmp(h, n, ln) )
            return (char *)h;
    return ln ? NULL : (char *)h;
}
