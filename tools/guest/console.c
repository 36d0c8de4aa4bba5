/*
 * Console output for PV test kernels: a small vsnprintf (%d %i %u %x %X
 * %o %s %p %c %%, the l, ll and z length modifiers, field width, string
 * precision, the '-', '0' and '#' flags) and printf, which writes through
 * console_io CONSOLEIO_write (in a domU, the console ring: xencons.c).
 * Output is gathered a line at a time so that each line reaches the
 * hypervisor's console in one write; each vCPU has its own line buffer,
 * so lines printed on several vCPUs at once do not mix (an upcall handler
 * printing on a vCPU that is printing would).
 */
#include <pvguest/lib.h>
#include <pvguest/smp.h>
#include <pvguest/domu.h>

struct out {
    char *buf;
    size_t size, len;
};

static void out_c(struct out *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void out_num(struct out *o, unsigned long v, unsigned int base,
                    bool neg, bool upper, int width, bool zero, bool left)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, pad;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while ( v );
    pad = width - n - (neg ? 1 : 0);
    if ( neg && zero )
        out_c(o, '-');
    if ( !left )
        for ( ; pad > 0; pad-- )
            out_c(o, zero ? '0' : ' ');
    if ( neg && !zero )
        out_c(o, '-');
    while ( n )
        out_c(o, tmp[--n]);
    for ( ; pad > 0; pad-- )
        out_c(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for ( ; *fmt; fmt++ )
    {
        bool zero = false, left = false, alt = false;
        int width = 0, prec = -1, lng = 0;
        unsigned long v;
        const char *s;

        if ( *fmt != '%' )
        {
            out_c(&o, *fmt);
            continue;
        }
        fmt++;
        for ( ; *fmt == '0' || *fmt == '-' || *fmt == '#'; fmt++ )
        {
            if ( *fmt == '0' )
                zero = true;
            else if ( *fmt == '-' )
                left = true;
            else
                alt = true;
        }
        if ( left )
            zero = false;
        for ( ; *fmt >= '0' && *fmt <= '9'; fmt++ )
            width = width * 10 + (*fmt - '0');
        if ( *fmt == '.' )
            for ( prec = 0, fmt++; *fmt >= '0' && *fmt <= '9'; fmt++ )
                prec = prec * 10 + (*fmt - '0');
        for ( ; *fmt == 'l' || *fmt == 'z'; fmt++ )
            lng++;

        switch ( *fmt )
        {
        case 'd':
        case 'i':
        {
            long sv = lng ? va_arg(ap, long) : va_arg(ap, int);

            out_num(&o, sv < 0 ? -(unsigned long)sv : (unsigned long)sv,
                    10, sv < 0, false, width, zero, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            if ( alt && (*fmt == 'x' || *fmt == 'X') )
            {
                out_c(&o, '0');
                out_c(&o, 'x');
            }
            out_num(&o, v, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, false,
                    *fmt == 'X', width, zero, left);
            break;
        case 'p':
            v = (unsigned long)va_arg(ap, void *);
            out_c(&o, '0');
            out_c(&o, 'x');
            out_num(&o, v, 16, false, false, 16, true, false);
            break;
        case 'c':
            if ( !left )
                for ( ; width > 1; width-- )
                    out_c(&o, ' ');
            out_c(&o, (char)va_arg(ap, int));
            for ( ; left && width > 1; width-- )
                out_c(&o, ' ');
            break;
        case 's':
        {
            int len;

            s = va_arg(ap, const char *);
            if ( !s )
                s = "(null)";
            len = prec >= 0 ? (int)strnlen(s, prec) : (int)strlen(s);
            if ( !left )
                for ( ; width > len; width-- )
                    out_c(&o, ' ');
            for ( int i = 0; i < len; i++ )
                out_c(&o, s[i]);
            for ( ; width > len; width-- )
                out_c(&o, ' ');
            break;
        }
        case '%':
            out_c(&o, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            out_c(&o, '%');
            out_c(&o, *fmt);
            break;
        }
    }
    if ( size )
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
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

void pv_console_write(const char *s, size_t len)
{
    /* A domU's console is its ring (xencons.c): Xen refuses console_io. */
    if ( pv_xencons_active() )
    {
        pv_xencons_write(s, len);
        return;
    }
    /* Always the inline form: printing must not depend on the mode a
     * test has selected, nor on the hypercall page being intact. */
    pv_hypercall_inline(__HYPERVISOR_console_io, CONSOLEIO_write, len,
                        (unsigned long)s, 0, 0);
}

static char line[PV_SMP_MAX][256];
static size_t line_len[PV_SMP_MAX];

static void flush_line(unsigned int me)
{
    if ( line_len[me] )
        pv_console_write(line[me], line_len[me]);
    line_len[me] = 0;
}

int printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n, i;
    unsigned int me = pv_smp_id();

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if ( n >= (int)sizeof(buf) )
        n = sizeof(buf) - 1;
    for ( i = 0; i < n; i++ )
    {
        line[me][line_len[me]++] = buf[i];
        if ( buf[i] == '\n' || line_len[me] == sizeof(line[me]) )
            flush_line(me);
    }
    return n;
}
