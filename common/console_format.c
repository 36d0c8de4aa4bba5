/*
 * Pure parts of the hypervisor console: everything that decides what a
 * console line looks like and where bytes go, with no hardware and no
 * locks, so that tests/unit/test_console.c can check it on the host.
 *
 * Every function works only on the structures its caller passes;
 * common/console.c keeps one instance of each and guards them with the
 * console lock.  Invariants: a struct conring never holds more than
 * `size` unread bytes (prod - cons <= size); a struct console_inq never
 * holds more than CONSOLE_INQ_SIZE bytes and never overwrites unread
 * input (it drops the newest byte instead and counts it).
 */
#include <keel/lib.h>
#include <keel/console_format.h>

/* ---- log levels ---------------------------------------------------------- */

int console_parse_level(const char **msg)
{
    const char *s = *msg;
    int level;

    if ( s[0] != '<' || s[1] < '0' || s[1] > '9' || s[2] != '>' )
        return CONSOLE_LEVEL_UNPREFIXED;
    level = s[1] - '0';
    *msg = s + 3;
    return level > CONSOLE_LEVEL_DEBUG ? CONSOLE_LEVEL_DEBUG : level;
}

enum console_verdict console_level_verdict(const struct loglvl_cfg *cfg,
                                           int level)
{
    if ( level == CONSOLE_LEVEL_UNPREFIXED )
        return cfg->lower > LOGLVL_NONE ? CONSOLE_PRINT : CONSOLE_DROP;
    if ( level < 0 )
        level = CONSOLE_LEVEL_ERROR;
    if ( (unsigned int)level < cfg->lower )
        return CONSOLE_PRINT;
    if ( (unsigned int)level < cfg->upper )
        return CONSOLE_RATELIMIT;
    return CONSOLE_DROP;
}

/* ---- rate limiting ------------------------------------------------------- */

bool console_ratelimit_allow(struct console_ratelimit *rl, int64_t now,
                             unsigned long *report)
{
    *report = 0;

    /* A new window (or time went backwards, e.g. across calibration). */
    if ( now < rl->window_start ||
         now - rl->window_start >= CONSOLE_RATELIMIT_NS )
    {
        rl->window_start = now;
        rl->printed = 0;
        *report = rl->suppressed;
        rl->suppressed = 0;
    }

    if ( rl->printed < CONSOLE_RATELIMIT_BURST )
    {
        rl->printed++;
        return true;
    }
    rl->suppressed++;
    return false;
}

/* ---- time stamps --------------------------------------------------------- */

#define NS_PER_SEC      1000000000ULL
#define SECS_PER_DAY    86400ULL
#define DAYS_PER_400Y   146097ULL   /* any 400 consecutive Gregorian years */

static bool is_leap(uint64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 to a calendar date. */
static void date_from_days(uint64_t days, uint64_t *year, unsigned int *month,
                           unsigned int *mday)
{
    static const unsigned char month_days[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };
    uint64_t y = 1970 + 400 * (days / DAYS_PER_400Y);
    unsigned int m, n;

    days %= DAYS_PER_400Y;
    for ( ; ; y++ )                         /* at most 400 rounds */
    {
        n = is_leap(y) ? 366 : 365;
        if ( days < n )
            break;
        days -= n;
    }
    for ( m = 0; m < 11; m++ )
    {
        n = month_days[m] + (m == 1 && is_leap(y));
        if ( days < n )
            break;
        days -= n;
    }
    *year = y;
    *month = m + 1;
    *mday = days + 1;
}

size_t console_format_timestamp(char *buf, size_t size, enum console_ts mode,
                                int64_t now_ns, uint64_t tsc,
                                uint64_t wall_base)
{
    uint64_t ns = now_ns > 0 ? (uint64_t)now_ns : 0;
    uint64_t secs = ns / NS_PER_SEC, wall, year;
    unsigned int month, mday, sod;
    int n;

    if ( !size )
        return 0;

    switch ( mode )
    {
    case CONSOLE_TS_BOOT:
        n = snprintf(buf, size, "[%6lu.%06lu] ", (unsigned long)secs,
                     (unsigned long)(ns % NS_PER_SEC / 1000));
        break;

    case CONSOLE_TS_RAW:
        n = snprintf(buf, size, "[%016lx] ", (unsigned long)tsc);
        break;

    case CONSOLE_TS_DATE:
    case CONSOLE_TS_DATEMS:
        wall = wall_base + secs;
        if ( wall < wall_base )
            wall = wall_base;               /* absurd base: do not wrap */
        date_from_days(wall / SECS_PER_DAY, &year, &month, &mday);
        sod = wall % SECS_PER_DAY;
        n = snprintf(buf, size, "[%04lu-%02u-%02u %02u:%02u:%02u",
                     (unsigned long)year, month, mday, sod / 3600,
                     sod / 60 % 60, sod % 60);
        if ( n >= 0 && (size_t)n < size )
        {
            if ( mode == CONSOLE_TS_DATEMS )
                n += snprintf(buf + n, size - n, ".%03u] ",
                              (unsigned int)(ns % NS_PER_SEC / 1000000));
            else
                n += snprintf(buf + n, size - n, "] ");
        }
        break;

    default:
        n = 0;
        buf[0] = '\0';
        break;
    }

    if ( n < 0 )
        n = 0;
    return (size_t)n < size ? (size_t)n : size - 1;
}

/* ---- line decoration ----------------------------------------------------- */

size_t console_decorate(char *out, size_t size, const char **src,
                        const char *end, const char *prefix, bool *sol)
{
    size_t plen = strlen(prefix), len = 0;
    const char *s = *src;

    while ( s < end && len < size )
    {
        if ( *sol )
        {
            if ( plen < size - len )
            {
                memcpy(out + len, prefix, plen);
                len += plen;
            }
            else if ( len )
                break;          /* the line starts in the next buffer */
            /* else: not even an empty buffer holds it; go without. */
            *sol = false;
        }
        out[len] = *s++;
        if ( out[len++] == '\n' )
            *sol = true;
    }

    *src = s;
    return len;
}

/* ---- console ring -------------------------------------------------------- */

void conring_init(struct conring *r, char *buf, size_t size)
{
    r->buf = buf;
    r->size = size;
    r->prod = r->cons = 0;
}

size_t conring_used(const struct conring *r)
{
    return r->prod - r->cons;
}

void conring_put(struct conring *r, const char *s, size_t n)
{
    size_t off, chunk;

    if ( !r->size )
        return;
    if ( n > r->size )
    {
        /* Only the last `size` bytes can survive anyway. */
        r->prod += n - r->size;
        s += n - r->size;
        n = r->size;
    }
    while ( n )
    {
        off = r->prod & (r->size - 1);
        chunk = MIN(n, r->size - off);
        memcpy(r->buf + off, s, chunk);
        r->prod += chunk;
        s += chunk;
        n -= chunk;
    }
    if ( r->prod - r->cons > r->size )
        r->cons = r->prod - r->size;        /* oldest bytes overwritten */
}

size_t conring_read(struct conring *r, char *out, size_t n, bool consume)
{
    uint64_t pos = r->cons;
    size_t done = 0, off, chunk;

    n = MIN(n, conring_used(r));
    while ( done < n )
    {
        off = pos & (r->size - 1);
        chunk = MIN(n - done, r->size - off);
        memcpy(out + done, r->buf + off, chunk);
        pos += chunk;
        done += chunk;
    }
    if ( consume )
        r->cons = pos;
    return done;
}

size_t conring_peek(const struct conring *r, uint64_t pos, char *out,
                    size_t n)
{
    size_t done = 0, off, chunk;

    if ( pos < r->cons || pos >= r->prod )
        return 0;
    n = MIN(n, (size_t)(r->prod - pos));
    while ( done < n )
    {
        off = pos & (r->size - 1);
        chunk = MIN(n - done, r->size - off);
        memcpy(out + done, r->buf + off, chunk);
        pos += chunk;
        done += chunk;
    }
    return done;
}

void conring_copy(struct conring *dst, const struct conring *src)
{
    uint64_t pos = src->cons;
    size_t left = conring_used(src), off, chunk;

    while ( left )
    {
        off = pos & (src->size - 1);
        chunk = MIN(left, src->size - off);
        conring_put(dst, src->buf + off, chunk);
        pos += chunk;
        left -= chunk;
    }
}

/* ---- input switching ----------------------------------------------------- */

bool conswitch_feed(struct conswitch *cs, char code, char c,
                    char out[CONSWITCH_COUNT], unsigned int *nout)
{
    unsigned int n = 0;

    if ( c == code )
    {
        *nout = 0;
        if ( ++cs->held < CONSWITCH_COUNT )
            return false;               /* withhold until we know */
        cs->held = 0;
        return true;
    }

    /* Not a switch after all: the withheld codes were meant as input. */
    while ( cs->held )
    {
        out[n++] = code;
        cs->held--;
    }
    out[n++] = c;
    *nout = n;
    return false;
}

/* ---- bounded input queue ------------------------------------------------- */

BUILD_BUG_ON(CONSOLE_INQ_SIZE & (CONSOLE_INQ_SIZE - 1));

bool console_inq_put(struct console_inq *q, char c)
{
    if ( q->tail - q->head >= CONSOLE_INQ_SIZE )
    {
        q->dropped++;
        return false;
    }
    q->buf[q->tail++ & (CONSOLE_INQ_SIZE - 1)] = c;
    return true;
}

int console_inq_get(struct console_inq *q)
{
    if ( q->head == q->tail )
        return -1;
    return (unsigned char)q->buf[q->head++ & (CONSOLE_INQ_SIZE - 1)];
}
