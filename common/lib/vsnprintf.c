/*
 * vsnprintf for the hypervisor: the C conversions the code base uses
 * (d i u x X o c s p %, flags - 0 + space #, width and precision with *,
 * length hh h l ll z t j).  Output is always NUL-terminated when size > 0
 * and the return value is the length the full output would have had, as
 * in C99.  No floating point.
 */
#include <keel/lib.h>

struct outbuf {
    char *buf;
    size_t size;
    size_t len;                 /* characters produced so far */
};

static void put(struct outbuf *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

#define F_LEFT  1
#define F_ZERO  2
#define F_PLUS  4
#define F_SPACE 8
#define F_ALT   16
#define F_UPPER 32

static void put_number(struct outbuf *o, unsigned long long v, bool neg,
                       unsigned int base, int flags, int width, int prec)
{
    const char *digits = (flags & F_UPPER) ? "0123456789ABCDEF"
                                           : "0123456789abcdef";
    char tmp[24];
    int n = 0, pad, zeros;
    const char *prefix = "";
    bool zero = v == 0;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while ( v );
    if ( prec == 0 && n == 1 && tmp[0] == '0' )
        n = 0;

    if ( neg )
        prefix = "-";
    else if ( flags & F_PLUS )
        prefix = "+";
    else if ( flags & F_SPACE )
        prefix = " ";
    else if ( (flags & F_ALT) && base == 16 && !zero )
        prefix = (flags & F_UPPER) ? "0X" : "0x";
    else if ( (flags & F_ALT) && base == 8 && (n == 0 || tmp[n - 1] != '0') )
        prefix = "0";

    zeros = prec > n ? prec - n : 0;
    pad = width - (int)strlen(prefix) - n - zeros;
    if ( prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT) && pad > 0 )
    {
        zeros += pad;
        pad = 0;
    }
    if ( !(flags & F_LEFT) )
        for ( ; pad > 0; pad-- )
            put(o, ' ');
    while ( *prefix )
        put(o, *prefix++);
    for ( ; zeros > 0; zeros-- )
        put(o, '0');
    while ( n )
        put(o, tmp[--n]);
    for ( ; pad > 0; pad-- )
        put(o, ' ');
}

static void put_string(struct outbuf *o, const char *s, int flags, int width,
                       int prec)
{
    size_t n;
    int pad;

    if ( !s )
        s = "(null)";
    n = strnlen(s, prec < 0 ? (size_t)-1 : (size_t)prec);
    pad = width - (int)n;
    if ( !(flags & F_LEFT) )
        for ( ; pad > 0; pad-- )
            put(o, ' ');
    while ( n-- )
        put(o, *s++);
    for ( ; pad > 0; pad-- )
        put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct outbuf o = { buf, size, 0 };

    for ( ; *fmt; fmt++ )
    {
        int flags = 0, width = 0, prec = -1, lng = 0;
        unsigned long long uv;
        long long sv;

        if ( *fmt != '%' )
        {
            put(&o, *fmt);
            continue;
        }

        for ( ; ; )                                 /* flags */
        {
            switch ( *++fmt )
            {
            case '-': flags |= F_LEFT;  continue;
            case '0': flags |= F_ZERO;  continue;
            case '+': flags |= F_PLUS;  continue;
            case ' ': flags |= F_SPACE; continue;
            case '#': flags |= F_ALT;   continue;
            }
            break;
        }
        if ( *fmt == '*' )                          /* width */
        {
            width = va_arg(ap, int);
            if ( width < 0 )
            {
                flags |= F_LEFT;
                width = -width;
            }
            fmt++;
        }
        else
            while ( *fmt >= '0' && *fmt <= '9' )
                width = width * 10 + (*fmt++ - '0');
        if ( *fmt == '.' )                          /* precision */
        {
            fmt++;
            prec = 0;
            if ( *fmt == '*' )
            {
                prec = va_arg(ap, int);
                fmt++;
            }
            else
                while ( *fmt >= '0' && *fmt <= '9' )
                    prec = prec * 10 + (*fmt++ - '0');
        }
        for ( ; ; fmt++ )                           /* length */
        {
            if ( *fmt == 'h' )
                lng--;
            else if ( *fmt == 'l' )
                lng++;
            else if ( *fmt == 'z' || *fmt == 't' || *fmt == 'j' )
                lng = 2;
            else
                break;
        }

        switch ( *fmt )
        {
        case 'd': case 'i':
            if ( lng >= 2 )      sv = va_arg(ap, long long);
            else if ( lng == 1 ) sv = va_arg(ap, long);
            else                 sv = va_arg(ap, int);
            if ( lng == -1 )     sv = (short)sv;
            if ( lng <= -2 )     sv = (signed char)sv;
            put_number(&o, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
                       sv < 0, 10, flags, width, prec);
            break;
        case 'u': case 'x': case 'X': case 'o':
            if ( lng >= 2 )      uv = va_arg(ap, unsigned long long);
            else if ( lng == 1 ) uv = va_arg(ap, unsigned long);
            else                 uv = va_arg(ap, unsigned int);
            if ( lng == -1 )     uv = (unsigned short)uv;
            if ( lng <= -2 )     uv = (unsigned char)uv;
            if ( *fmt == 'X' )
                flags |= F_UPPER;
            put_number(&o, uv, false,
                       *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
                       flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        case 'p':
            put_number(&o, (unsigned long)va_arg(ap, void *), false, 16,
                       F_ALT, width, prec);
            break;
        case 'c':
        {
            char c[2] = { (char)va_arg(ap, int), 0 };

            put_string(&o, c, flags, width, 1);
            break;
        }
        case 's':
            put_string(&o, va_arg(ap, const char *), flags, width, prec);
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--;                  /* lone % at the end: stop */
            break;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }

    if ( size )
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
