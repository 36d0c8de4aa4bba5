/*
 * xl_util.c - the helpers every xl command uses: output through the
 * caller's streams, the option parser (GNU getopt_long's rules, which
 * Xen's xl relies on), numbers without strtol, domain arguments and
 * names, the domain list, and the formatting that has to match Xen's xl
 * byte for byte: times printed as "%8.1f" of a float, CPU bitmaps as
 * print_bitmap writes them, UUIDs, and CPU lists as parse_cpurange reads
 * them.
 *
 * No floating point anywhere (the control domain's libc has no %f):
 * xl_fmt_seconds reproduces the float and double roundings Xen's xl goes
 * through with integer arithmetic.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <public/errno.h>
#include "xl_private.h"

#define XL_LONG_MAX  ((long)(~0ul >> 1))
#define XL_LONG_MIN  (-XL_LONG_MAX - 1)
#define LIST_CHUNK   64         /* domains asked for per hypercall */

/* ---- output ----------------------------------------------------------- */

static void emit(struct xl_ctx *x, bool to_err, const char *fmt, va_list ap)
{
    void (*fn)(void *, const char *) = to_err ? x->ops->err : x->ops->out;
    char small[256], *big;
    va_list aq;
    int n;

    if ( !fn )
        return;
    va_copy(aq, ap);
    n = vsnprintf(small, sizeof(small), fmt, aq);
    va_end(aq);
    if ( n < 0 )
        return;
    if ( (size_t)n < sizeof(small) )
    {
        fn(x->ops->priv, small);
        return;
    }
    if ( (big = malloc((size_t)n + 1)) == NULL )
    {
        fn(x->ops->priv, small);        /* cut short rather than lost */
        return;
    }
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    fn(x->ops->priv, big);
    free(big);
}

char *xl_vasprintf(const char *fmt, va_list ap)
{
    char *s;
    va_list aq;
    int n;

    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if ( n < 0 || (s = malloc((size_t)n + 1)) == NULL )
        return NULL;
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *xl_asprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = xl_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void xl_out(struct xl_ctx *x, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit(x, false, fmt, ap);
    va_end(ap);
}

void xl_err(struct xl_ctx *x, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit(x, true, fmt, ap);
    va_end(ap);
}

int xl_not_available(struct xl_ctx *x, const char *cmd)
{
    xl_err(x, "xl %s: not supported in this environment (the control "
           "domain provides no service for it)\n", cmd);
    return XL_EXIT_FAIL;
}

const char *xl_strerror(int err)
{
    static const struct {
        int err;
        const char *text;
    } names[] = {
        { XEN_EPERM, "Operation not permitted" },
        { XEN_ENOENT, "No such file or directory" },
        { XEN_ESRCH, "No such process" },
        { XEN_EINTR, "Interrupted system call" },
        { XEN_EIO, "Input/output error" },
        { XEN_ENXIO, "No such device or address" },
        { XEN_E2BIG, "Argument list too long" },
        { XEN_EBADF, "Bad file descriptor" },
        { XEN_EAGAIN, "Resource temporarily unavailable" },
        { XEN_ENOMEM, "Cannot allocate memory" },
        { XEN_EACCES, "Permission denied" },
        { XEN_EFAULT, "Bad address" },
        { XEN_EBUSY, "Device or resource busy" },
        { XEN_EEXIST, "File exists" },
        { XEN_ENODEV, "No such device" },
        { XEN_EINVAL, "Invalid argument" },
        { XEN_ENOSPC, "No space left on device" },
        { XEN_ERANGE, "Numerical result out of range" },
        { XEN_ENOSYS, "Function not implemented" },
        { XEN_ENODATA, "No data available" },
        { XEN_EOVERFLOW, "Value too large for defined data type" },
        { XEN_EOPNOTSUPP, "Operation not supported" },
        { XEN_ENOBUFS, "No buffer space available" },
        { XEN_ETIMEDOUT, "Connection timed out" },
    };
    size_t i;

    for ( i = 0; i < sizeof(names) / sizeof(names[0]); i++ )
        if ( names[i].err == err )
            return names[i].text;
    return "Unknown error";
}

/* ---- options ------------------------------------------------------------ */

/* name[0..n) as a C string, for messages (no "%.*s" in the PV libc). */
static const char *cut(char *buf, size_t size, const char *name, size_t n)
{
    if ( n >= size )
        n = size - 1;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return buf;
}

static int opt_help(struct xl_ctx *x, struct xl_opts *o)
{
    xl_help(x, o->cmd);
    o->status = XL_EXIT_OK;
    return -1;
}

static int opt_usage(struct xl_opts *o)
{
    o->status = XL_EXIT_USAGE;
    return -1;
}

static int short_opt(struct xl_ctx *x, struct xl_opts *o, char c, int argc,
                     char **argv)
{
    const char *p = c != ':' ? strchr(o->shortopts, c) : NULL;

    if ( c == 'h' )
        return opt_help(x, o);
    if ( !p )
    {
        xl_err(x, "option `%c' not supported.\n", c);
        return opt_usage(o);
    }
    o->optarg = NULL;
    if ( p[1] == ':' )
    {
        if ( o->cluster && *o->cluster )
            o->optarg = o->cluster;
        else if ( o->next < argc )
            o->optarg = argv[o->next++];
        else
        {
            xl_err(x, "option `%c' requires an argument.\n", c);
            return opt_usage(o);
        }
        o->cluster = NULL;
    }
    return (unsigned char)c;
}

static int long_opt(struct xl_ctx *x, struct xl_opts *o, const char *a,
                    int argc, char **argv)
{
    static const struct xl_option help = { "help", false, 'h' };
    const char *eq = strchr(a, '=');
    size_t n = eq ? (size_t)(eq - a) : strlen(a);
    const struct xl_option *match = NULL, *l;
    unsigned int nr_prefix = 0;
    char name[64];

    for ( l = o->longopts; n && l && l->name; l++ )
    {
        if ( strncmp(l->name, a, n) )
            continue;
        if ( strlen(l->name) == n )
        {
            match = l;                  /* exact: wins over prefixes */
            nr_prefix = 1;
            break;
        }
        match = l;
        nr_prefix++;
    }
    if ( !match && n && !strncmp(help.name, a, n) )
    {
        match = &help;
        nr_prefix = 1;
    }
    cut(name, sizeof(name), a, n);
    if ( nr_prefix > 1 )
    {
        xl_err(x, "option `--%s' is ambiguous.\n", name);
        return opt_usage(o);
    }
    if ( !match )
    {
        xl_err(x, "option `--%s' not supported.\n", name);
        return opt_usage(o);
    }
    if ( match->val == 'h' )
        return opt_help(x, o);
    o->optarg = NULL;
    if ( match->has_arg )
    {
        if ( eq )
            o->optarg = eq + 1;
        else if ( o->next < argc )
            o->optarg = argv[o->next++];
        else
        {
            xl_err(x, "option `--%s' requires an argument.\n", match->name);
            return opt_usage(o);
        }
    }
    else if ( eq )
    {
        xl_err(x, "option `--%s' doesn't allow an argument.\n", match->name);
        return opt_usage(o);
    }
    return match->val;
}

int xl_opt_next(struct xl_ctx *x, struct xl_opts *o, int argc, char **argv)
{
    const char *a;

    if ( !o->opnd )
        o->opnd = x->scratch;
    for ( ; ; )
    {
        if ( o->cluster && *o->cluster )
            return short_opt(x, o, *o->cluster++, argc, argv);
        o->cluster = NULL;
        if ( o->next >= argc )
            break;
        a = argv[o->next++];
        if ( o->ended || a[0] != '-' || a[1] == '\0' )
        {
            o->opnd[o->nr++] = (char *)a;
            continue;
        }
        if ( a[1] == '-' )
        {
            if ( a[2] == '\0' )
            {
                o->ended = true;
                continue;
            }
            return long_opt(x, o, a + 2, argc, argv);
        }
        o->cluster = a + 1;
    }
    if ( o->nr < o->reqargs )
    {
        xl_err(x, "'xl %s' requires at least %d argument%s.\n\n", o->cmd,
               o->reqargs, o->reqargs > 1 ? "s" : "");
        xl_help(x, o->cmd);
        return opt_usage(o);
    }
    return 0;
}

/* ---- numbers ------------------------------------------------------------ */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

long xl_strtol(const char *s, const char **end)
{
    const char *p = s;
    unsigned long v = 0, lim;
    bool neg = false, any = false, over = false;

    while ( is_space(*p) )
        p++;
    if ( *p == '+' || *p == '-' )
        neg = *p++ == '-';
    lim = neg ? (unsigned long)XL_LONG_MAX + 1 : (unsigned long)XL_LONG_MAX;
    for ( ; is_digit(*p); p++ )
    {
        unsigned long d = (unsigned long)(*p - '0');

        any = true;
        if ( v > (lim - d) / 10 )
            over = true;
        else
            v = v * 10 + d;
    }
    if ( end )
        *end = any ? p : s;
    if ( !any )
        return 0;
    if ( over )
        return neg ? XL_LONG_MIN : XL_LONG_MAX;
    if ( neg )
        return v == (unsigned long)XL_LONG_MAX + 1 ? XL_LONG_MIN : -(long)v;
    return (long)v;
}

bool xl_parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
    unsigned long n = 0;

    if ( !is_digit(*s) )
        return false;
    for ( ; is_digit(*s); s++ )
    {
        unsigned long d = (unsigned long)(*s - '0');

        if ( d > max || n > (max - d) / 10 )
            return false;
        n = n * 10 + d;
    }
    if ( *s )
        return false;
    *v = n;
    return true;
}

/* ---- domains ------------------------------------------------------------ */

int xl_domain_info(struct xl_ctx *x, domid_t d,
                   struct xen_domctl_getdomaininfo *info)
{
    return kc_domain_getinfo(x->ops->kc, d, info);
}

int xl_domain_list(struct xl_ctx *x, struct xen_domctl_getdomaininfo **out,
                   unsigned int *nr)
{
    struct xen_domctl_getdomaininfo *all = NULL, *grown;
    unsigned int n = 0;
    unsigned int first = 0;
    int got;

    for ( ; ; )
    {
        grown = realloc(all, (n + LIST_CHUNK) * sizeof(*all));
        if ( !grown )
        {
            got = -XEN_ENOMEM;
            break;
        }
        all = grown;
        got = kc_domain_list(x->ops->kc, (domid_t)first, all + n,
                             LIST_CHUNK);
        if ( got <= 0 )
            break;
        if ( got > LIST_CHUNK )
            got = LIST_CHUNK;           /* a confused hypervisor */
        n += (unsigned int)got;
        first = all[n - 1].domain + 1u;
        if ( first >= DOMID_FIRST_RESERVED )
        {
            got = 0;
            break;
        }
    }
    if ( got < 0 )
    {
        free(all);
        xl_err(x, "libxl: error: Getting domain info list: %s\n",
               xl_strerror(-got));
        xl_err(x, "libxl_list_domain failed.\n");
        return got;
    }
    *out = all;
    *nr = n;
    return 0;
}

const char *xl_domname(struct xl_ctx *x, domid_t d, char *buf, size_t len)
{
    if ( x->ops->name_of && len &&
         x->ops->name_of(x->ops->priv, d, buf, len) == 0 )
    {
        buf[len - 1] = '\0';
        return buf;
    }
    return d == 0 ? "Domain-0" : "(null)";
}

/* The first domain whose name is name, by name_of. */
static int find_by_name(struct xl_ctx *x, const char *name, domid_t *d)
{
    struct xen_domctl_getdomaininfo *all;
    char buf[XL_NAME_MAX];
    unsigned int i, nr;
    int rc = XL_LIBXL_ERROR_INVAL;

    if ( xl_domain_list(x, &all, &nr) )
        return XL_LIBXL_ERROR_NOMEM;
    for ( i = 0; i < nr; i++ )
    {
        const char *n = xl_domname(x, all[i].domain, buf, sizeof(buf));

        if ( n != buf && all[i].domain != 0 )
            continue;                   /* no name */
        if ( !strcmp(n, name) )
        {
            *d = all[i].domain;
            rc = 0;
            break;
        }
    }
    free(all);
    return rc;
}

int xl_name_to_domid(struct xl_ctx *x, const char *name, domid_t *d)
{
    if ( x->ops->find )
        return x->ops->find(x->ops->priv, name, d) ? XL_LIBXL_ERROR_INVAL
                                                   : 0;
    return find_by_name(x, name, d);
}

bool xl_find_domain(struct xl_ctx *x, const char *arg, domid_t *d)
{
    const char *p;
    unsigned long v;
    int rc = XL_LIBXL_ERROR_INVAL;

    for ( p = arg; is_digit(*p); p++ )
        ;
    if ( *arg && !*p )
    {
        /* A number: taken as it is, as Xen does, but never one that
         * would wrap to another domain in 16 bits. */
        if ( xl_parse_ulong(arg, DOMID_FIRST_RESERVED - 1, &v) )
        {
            *d = (domid_t)v;
            return true;
        }
    }
    else if ( *arg && (rc = xl_name_to_domid(x, arg, d)) == 0 )
        return true;
    xl_err(x, "%s is an invalid domain identifier (rc=%d)\n", arg, rc);
    return false;
}

/* ---- times ------------------------------------------------------------- */

/* Bits needed for v (0 for 0). */
static unsigned int bit_length(uint64_t v)
{
    unsigned int n = 0;

    while ( v )
    {
        n++;
        v >>= 1;
    }
    return n;
}

/*
 * Tenths of a second in printf("%.1f", (float)ns / 1e9), exactly:
 *
 *  1. (float)ns rounds ns to 24 significant bits, to nearest, ties to
 *     even: f = m * 2^e.
 *  2. f / 1e9 is computed in double: 53 significant bits, to nearest.
 *     1e9 = 2^9 * 5^9, so the quotient is m * 2^(e - 9) / 5^9; long
 *     division by 5^9 gives its bits, and the remainder decides the
 *     rounding (never a tie: 5^9 is odd).
 *  3. printf rounds the exact value of that double, times ten, to an
 *     integer, ties to even.
 */
static uint64_t ns_to_tenths(uint64_t ns)
{
    const uint64_t five9 = 1953125;     /* 5^9 */
    uint64_t m, q, r, n, ip, frac, half;
    unsigned int len = bit_length(ns);
    int e = 0, k = 0, sh;

    if ( !ns )
        return 0;

    /* 1: float */
    m = ns;
    if ( len > 24 )
    {
        unsigned int s = len - 24;
        uint64_t rem = ns & (((uint64_t)1 << s) - 1);
        uint64_t h = (uint64_t)1 << (s - 1);

        m = ns >> s;
        if ( rem > h || (rem == h && (m & 1)) )
            m++;
        if ( m == ((uint64_t)1 << 24) )
        {
            m >>= 1;
            s++;
        }
        e = (int)s;
    }

    /* 2: double quotient q * 2^(e - 9 - k), q of 53 bits */
    q = m / five9;
    r = m % five9;
    while ( q < ((uint64_t)1 << 52) )
    {
        r <<= 1;
        q <<= 1;
        if ( r >= five9 )
        {
            r -= five9;
            q |= 1;
        }
        k++;
    }
    if ( 2 * r > five9 )
        q++;                            /* may reach 2^53: still exact */

    /* 3: ten times that, rounded half to even */
    n = q * 10;                         /* < 2^57 */
    sh = k + 9 - e;                     /* value = n / 2^sh */
    if ( sh <= 0 )
        return n << -sh;                /* not reached for 64-bit ns */
    if ( sh >= 63 )
        return 0;                       /* below 0.5 */
    ip = n >> sh;
    frac = n & (((uint64_t)1 << sh) - 1);
    half = (uint64_t)1 << (sh - 1);
    if ( frac > half || (frac == half && (ip & 1)) )
        ip++;
    return ip;
}

void xl_fmt_seconds(char *buf, size_t len, int width, uint64_t ns)
{
    uint64_t t = ns_to_tenths(ns);
    char num[32];
    int n, pad;

    n = snprintf(num, sizeof(num), "%llu.%u", (unsigned long long)(t / 10),
                 (unsigned int)(t % 10));
    pad = width > n ? width - n : 0;
    if ( len == 0 )
        return;
    if ( (size_t)pad >= len )
        pad = (int)len - 1;
    memset(buf, ' ', (size_t)pad);
    snprintf(buf + pad, len - (size_t)pad, "%s", num);
}

/* ---- bitmaps ------------------------------------------------------------ */

static bool bit_test(const uint8_t *map, unsigned int i)
{
    return map[i / 8] & (1u << (i % 8));
}

/*
 * Runs of set bits as "a-b" or "a", separated by commas; "all" when the
 * only run starts at 0 and reaches the end, "none" when no bit is set.
 */
void xl_print_bitmap(struct xl_ctx *x, const uint8_t *map,
                     unsigned int nr_bits)
{
    unsigned int i = 0, start, runs = 0;

    while ( i < nr_bits )
    {
        if ( !bit_test(map, i) )
        {
            i++;
            continue;
        }
        start = i;
        while ( i < nr_bits && bit_test(map, i) )
            i++;
        if ( start == 0 && i == nr_bits )
        {
            xl_out(x, "all");
            return;
        }
        if ( i - 1 > start )
            xl_out(x, "%s%u-%u", runs ? "," : "", start, i - 1);
        else
            xl_out(x, "%s%u", runs ? "," : "", start);
        runs++;
    }
    if ( !runs )
        xl_out(x, "none");
}

void xl_fmt_uuid(char *buf, const uint8_t u[16])
{
    snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
             u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
             u[15]);
}

/* xl's parse_range: "a" or "a-b" with b >= a, nothing after. */
static bool parse_range(const char *s, unsigned long *a, unsigned long *b)
{
    const char *end;
    unsigned long v;

    while ( is_space(*s) )
        s++;
    if ( !is_digit(*s) )
        return false;
    for ( v = 0; is_digit(*s); s++ )
    {
        if ( v > ((unsigned long)-2 - (unsigned long)(*s - '0')) / 10 )
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *a = *b = v;
    if ( *s == '-' )
    {
        end = s + 1;
        while ( is_space(*end) )
            end++;
        if ( !is_digit(*end) )
            return false;
        for ( v = 0; is_digit(*end); end++ )
        {
            if ( v > ((unsigned long)-2 - (unsigned long)(*end - '0')) / 10 )
                return false;
            v = v * 10 + (unsigned long)(*end - '0');
        }
        if ( v < *a )
            return false;
        *b = v;
        s = end;
    }
    return *s == '\0';
}

static void set_bits(uint8_t *map, unsigned int nr_bits, unsigned long a,
                     unsigned long b, bool clear)
{
    if ( a >= nr_bits )
        return;
    if ( b >= nr_bits )
        b = nr_bits - 1;
    for ( ; a <= b; a++ )
    {
        if ( clear )
            map[a / 8] &= (uint8_t)~(1u << (a % 8));
        else
            map[a / 8] |= (uint8_t)(1u << (a % 8));
    }
}

static bool skip_prefix(const char **s, const char *prefix)
{
    size_t n = strlen(prefix);

    if ( strncmp(*s, prefix, n) )
        return false;
    *s += n;
    return true;
}

/* One comma-separated item of a CPU list. */
static bool cpurange_item(struct xl_ctx *x, const char *s, uint8_t *map,
                          unsigned int nr_bits, unsigned int nr_nodes)
{
    bool is_not = skip_prefix(&s, "^");
    bool is_nodes = skip_prefix(&s, "node:") || skip_prefix(&s, "nodes:");
    unsigned long a, b;

    if ( !strcmp(s, "all") )
    {
        if ( is_not )
        {
            xl_err(x, "Can't combine \"^\" and \"all\".\n");
            return false;
        }
        memset(map, 0xff, (nr_bits + 7) / 8);
        return true;
    }
    if ( !parse_range(s, &a, &b) )
    {
        xl_err(x, "Invalid pcpu range: %s.\n", s);
        return false;
    }
    if ( is_nodes )
    {
        /* Keel hosts are one NUMA node: node 0 is every CPU. */
        if ( a != 0 || b != 0 || nr_nodes > 1 )
        {
            xl_err(x, "libxl_node_to_cpumap failed.\n");
            xl_err(x, "(this host has %u NUMA node%s: nodes:0 is every CPU)"
                   "\n", nr_nodes ? nr_nodes : 1, nr_nodes > 1 ? "s" : "");
            return false;
        }
        a = 0;
        b = nr_bits ? nr_bits - 1 : 0;
    }
    set_bits(map, nr_bits, a, b, is_not);
    return true;
}

bool xl_parse_cpurange(struct xl_ctx *x, const char *s, uint8_t *map,
                       unsigned int nr_bits, unsigned int nr_nodes)
{
    size_t n = strlen(s);
    char *copy = malloc(n + 1), *item, *comma;
    bool ok = true;

    if ( !copy )
    {
        xl_err(x, "xl: out of memory\n");
        return false;
    }
    memcpy(copy, s, n + 1);
    /* strtok(",") semantics: empty items are skipped. */
    for ( item = copy; ok && item; item = comma ? comma + 1 : NULL )
    {
        if ( (comma = strchr(item, ',')) != NULL )
            *comma = '\0';
        if ( *item )
            ok = cpurange_item(x, item, map, nr_bits, nr_nodes);
    }
    free(copy);
    return ok;
}

const char *xl_sched_name(uint32_t sched_id)
{
    switch ( sched_id )
    {
    case 4:
        return "sedf";
    case XEN_SCHEDULER_CREDIT:
        return "credit";
    case XEN_SCHEDULER_CREDIT2:
        return "credit2";
    case XEN_SCHEDULER_ARINC653:
        return "arinc653";
    case XEN_SCHEDULER_RTDS:
        return "rtds";
    case XEN_SCHEDULER_NULL:
        return "null";
    }
    return NULL;
}
