/*
 * cfg_util.c - the pieces of the xl.cfg parser that are not grammar: the
 * settings table (a hash by key, kept in order of first assignment),
 * freeing, message formatting, and strtol-style number conversion.
 *
 * Only the C99 headers listed in keelcfg.h are used: no ctype, no errno,
 * no strtol, so the control domain's small libc suffices.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cfg_private.h"

char *cfg__strndup(const char *s, size_t n)
{
    char *d;

    if ( n == (size_t)-1 )
        return NULL;
    d = malloc(n + 1);
    if ( d )
    {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* ---- messages ---------------------------------------------------------- */

/*
 * Messages are one line each, but they quote values, and a value can hold
 * any byte but NUL (a "\n" escape, say): show control characters as C
 * escapes so a line stays a line and a terminal stays sane.  Returns line
 * itself if it needs nothing, else a new string (NULL if out of memory).
 */
static char *escape_controls(char *line)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0, extra = 0;
    char *out, *q;

    for ( n = 0; line[n]; n++ )
        if ( ((unsigned char)line[n] < 0x20 && line[n] != '\t') ||
             line[n] == 0x7f )
            extra += 3;
    if ( !extra )
        return line;
    if ( n > (size_t)-1 - 1 - extra || !(out = malloc(n + extra + 1)) )
        return NULL;
    for ( q = out; *line; line++ )
    {
        unsigned char c = (unsigned char)*line;

        if ( c == '\r' )
        {
            /* The common case: a file with CRLF line ends. */
            *q++ = '\\';
            *q++ = 'r';
        }
        else if ( (c < 0x20 && c != '\t') || c == 0x7f )
        {
            *q++ = '\\';
            *q++ = 'x';
            *q++ = hex[c >> 4];
            *q++ = hex[c & 15];
        }
        else
            *q++ = (char)c;
    }
    *q = '\0';
    return out;
}

void cfg__vreport(const struct cfg *cfg, const char *fmt, va_list ap)
{
    char small[256];
    char *line = small, *shown;
    va_list aq;
    int n;

    if ( !cfg->report )
        return;

    va_copy(aq, ap);
    n = vsnprintf(small, sizeof(small), fmt, aq);
    va_end(aq);
    if ( n < 0 )
        return;
    /* Long messages (a long token quoted back) get a buffer of their own;
     * if that fails the truncated one is still worth delivering. */
    if ( (size_t)n >= sizeof(small) )
    {
        char *big = malloc((size_t)n + 1);

        if ( big )
        {
            vsnprintf(big, (size_t)n + 1, fmt, ap);
            line = big;
        }
    }
    shown = escape_controls(line);
    cfg->report(cfg->opaque, shown ? shown : "(message lost: out of memory)");
    if ( shown != line )
        free(shown);
    if ( line != small )
        free(line);
}

void cfg_report(const struct cfg *cfg, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cfg__vreport(cfg, fmt, ap);
    va_end(ap);
}

const char *cfg_source(const struct cfg *cfg)
{
    return cfg->source;
}

void cfg_msgbuf_report(void *opaque, const char *line)
{
    struct cfg_msgbuf *mb = opaque;
    size_t n = strlen(line);

    if ( !mb->buf || !mb->size )
        return;
    if ( mb->len >= mb->size )
        mb->len = mb->size - 1;
    /* Whole lines only, so a reader never sees half a message. */
    if ( n + 1 > mb->size - 1 - mb->len )
    {
        mb->truncated = true;
        mb->buf[mb->len] = '\0';
        return;
    }
    memcpy(mb->buf + mb->len, line, n);
    mb->len += n;
    mb->buf[mb->len++] = '\n';
    mb->buf[mb->len] = '\0';
}

const char *cfg_strerror(int err)
{
    switch ( err )
    {
    case CFG_OK:      return "success";
    case CFG_ENOENT:  return "not set";
    case CFG_EINVAL:  return "invalid";
    case CFG_ETYPE:   return "wrong kind of value (list or single value)";
    case CFG_ERANGE:  return "out of range";
    case CFG_EAPPEND: return "number set with +=";
    case CFG_ENOMEM:  return "out of memory";
    }
    return "unknown error";
}

/* ---- values and settings ----------------------------------------------- */

void cfg__value_free(struct cfg_value *v)
{
    size_t i;

    if ( !v )
        return;
    if ( v->type == CFG_STRING )
        free(v->u.str);
    else
    {
        /* Recursion bounded by CFG_MAX_DEPTH (the parser enforces it). */
        for ( i = 0; i < v->u.list.nr; i++ )
            cfg__value_free(v->u.list.item[i]);
        free(v->u.list.item);
    }
    free(v);
}

void cfg_free(struct cfg *cfg)
{
    size_t i;

    if ( !cfg )
        return;
    for ( i = 0; i < cfg->nr_set; i++ )
    {
        free(cfg->set[i].key);
        cfg__value_free(cfg->set[i].value);
    }
    free(cfg->set);
    free(cfg->slot);
    free(cfg->source);
    free(cfg);
}

/* FNV-1a: short keys, no adversary gains much from collisions here since
 * the table is only ever as large as the (size-capped) input. */
static size_t hash_key(const char *key)
{
    uint32_t h = 2166136261u;

    while ( *key )
    {
        h ^= (unsigned char)*key++;
        h *= 16777619u;
    }
    return h;
}

struct cfg_setting *cfg__find(const struct cfg *cfg, const char *key)
{
    size_t mask, i, idx;

    if ( !cfg->nr_slot )
        return NULL;
    mask = cfg->nr_slot - 1;
    for ( i = hash_key(key) & mask; (idx = cfg->slot[i]) != 0;
          i = (i + 1) & mask )
        if ( !strcmp(cfg->set[idx - 1].key, key) )
            return &cfg->set[idx - 1];
    return NULL;
}

static void slot_put(size_t *slot, size_t nr_slot, const char *key,
                     size_t idx)
{
    size_t mask = nr_slot - 1, i;

    for ( i = hash_key(key) & mask; slot[i]; i = (i + 1) & mask )
        continue;
    slot[i] = idx + 1;
}

/* Room for one more setting: set[] and a table at most half full. */
static int reserve(struct cfg *cfg)
{
    size_t i;

    if ( cfg->nr_set == cfg->cap_set )
    {
        size_t cap = cfg->cap_set ? cfg->cap_set * 2 : 16;
        struct cfg_setting *set;

        if ( cap > (size_t)-1 / sizeof(*set) )
            return CFG_ENOMEM;
        set = realloc(cfg->set, cap * sizeof(*set));
        if ( !set )
            return CFG_ENOMEM;
        cfg->set = set;
        cfg->cap_set = cap;
    }
    if ( (cfg->nr_set + 1) * 2 > cfg->nr_slot )
    {
        size_t nr = cfg->nr_slot ? cfg->nr_slot * 2 : 32;
        size_t *slot;

        if ( nr > (size_t)-1 / sizeof(*slot) )
            return CFG_ENOMEM;
        slot = calloc(nr, sizeof(*slot));
        if ( !slot )
            return CFG_ENOMEM;
        for ( i = 0; i < cfg->nr_set; i++ )
            slot_put(slot, nr, cfg->set[i].key, i);
        free(cfg->slot);
        cfg->slot = slot;
        cfg->nr_slot = nr;
    }
    return CFG_OK;
}

/*
 * Make value the one in force for key (a new key goes last in file
 * order).  Takes ownership of key and value, also on failure.
 */
int cfg__insert(struct cfg *cfg, char *key, struct cfg_value *value,
                int line, bool append)
{
    struct cfg_setting *s = cfg__find(cfg, key);
    int rc;

    if ( s )
    {
        free(key);
        cfg__value_free(s->value);
    }
    else
    {
        rc = reserve(cfg);
        if ( rc )
        {
            free(key);
            cfg__value_free(value);
            return rc;
        }
        s = &cfg->set[cfg->nr_set];
        slot_put(cfg->slot, cfg->nr_slot, key, cfg->nr_set);
        cfg->nr_set++;
        s->key = key;
    }
    s->value = value;
    s->line = line;
    s->append = append;
    return CFG_OK;
}

/* ---- numbers ----------------------------------------------------------- */

static int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'z' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'Z' )
        return c - 'A' + 10;
    return 99;
}

/* isspace() in the C locale. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

/*
 * strtol(s, &end, 0) with *end == '\0' required, which is how Xen reads
 * numbers from configuration values.  Like strtol, "0x" with no hex digit
 * after it reads as 0 followed by junk, and "08" is 0 followed by junk.
 */
int cfg_parse_long(const char *s, long *out)
{
    unsigned long limit, acc = 0;
    unsigned int base = 10;
    bool neg = false, any = false, over = false;
    int d;

    while ( is_space(*s) )
        s++;
    if ( *s == '-' || *s == '+' )
        neg = *s++ == '-';
    if ( s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16 )
    {
        base = 16;
        s += 2;
    }
    else if ( s[0] == '0' )
        base = 8;

    /* Magnitude limit: LONG_MAX, or -LONG_MIN for a negative number. */
    limit = neg ? (unsigned long)CFG_LONG_MAX + 1 : (unsigned long)CFG_LONG_MAX;
    for ( ; (d = digit_value(*s)) < (int)base; s++ )
    {
        any = true;
        if ( acc > (limit - (unsigned long)d) / base )
            over = true;
        else
            acc = acc * base + (unsigned long)d;
    }
    /* Overflow first: strtol reports ERANGE whatever follows. */
    if ( !any )
        return CFG_EINVAL;
    if ( over )
        return CFG_ERANGE;
    if ( *s )
        return CFG_EINVAL;
    if ( neg )
        *out = acc == (unsigned long)CFG_LONG_MAX + 1 ? CFG_LONG_MIN
                                                     : -(long)acc;
    else
        *out = (long)acc;
    return CFG_OK;
}
