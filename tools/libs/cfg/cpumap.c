/*
 * cpumap.c - CPU lists as xl reads them (cpus=, cpus_soft=, and later
 * `xl vcpu-pin`): "all", "3", "0-3", "^2", combined with commas and
 * applied left to right to an empty set.  Empty items are skipped (xl
 * splits with strtok), so "0,,1" and ",0" are fine.
 */
#include <stdio.h>
#include <string.h>
#include "keelcfg_domain.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

/* Decimal number at *p (after optional white space, as strtoul). */
static bool read_cpu(const char **p, const char *end, unsigned long *out)
{
    const char *s = *p;
    unsigned long v = 0;

    while ( s < end && is_space(*s) )
        s++;
    if ( s == end || *s < '0' || *s > '9' )
        return false;
    for ( ; s < end && *s >= '0' && *s <= '9'; s++ )
    {
        if ( v > ((unsigned long)-1 - 9) / 10 )
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *p = s;
    *out = v;
    return true;
}

static void set_range(struct cfg_cpumap *map, unsigned long a,
                      unsigned long b, bool clear)
{
    for ( ; a <= b; a++ )
    {
        uint64_t bit = (uint64_t)1 << (a % 64);

        if ( clear )
            map->bits[a / 64] &= ~bit;
        else
            map->bits[a / 64] |= bit;
    }
}

/* s[0..end) as a C string for a message (the small libcs we build with
 * have no "%.*s"); long items are cut short. */
#define ITEM_TEXT_MAX 64
static const char *item_text(const char *s, const char *end,
                             char buf[ITEM_TEXT_MAX])
{
    size_t n = (size_t)(end - s);

    if ( n > ITEM_TEXT_MAX - 4 )
    {
        memcpy(buf, s, ITEM_TEXT_MAX - 4);
        memcpy(buf + ITEM_TEXT_MAX - 4, "...", 4);
    }
    else
    {
        memcpy(buf, s, n);
        buf[n] = '\0';
    }
    return buf;
}

/* One comma-free item s[0..len). */
static int apply_item(const char *s, size_t len, struct cfg_cpumap *map,
                      char *why, size_t whylen)
{
    const char *end = s + len, *p;
    char text[ITEM_TEXT_MAX];
    unsigned long a, b;
    bool clear = false;

    if ( *s == '^' )
    {
        clear = true;
        s++;
    }
    if ( (size_t)(end - s) >= 5 &&
         (!strncmp(s, "node:", 5) || !strncmp(s, "nodes:", 6)) )
    {
        snprintf(why, whylen, "NUMA node affinity (\"%s\") is not "
                 "supported", item_text(s, end, text));
        return CFG_EINVAL;
    }
    if ( end - s == 3 && !strncmp(s, "all", 3) )
    {
        if ( clear )
        {
            snprintf(why, whylen, "can't combine \"^\" and \"all\"");
            return CFG_EINVAL;
        }
        set_range(map, 0, CFG_MAX_CPUS - 1, false);
        return CFG_OK;
    }

    p = s;
    if ( !read_cpu(&p, end, &a) )
        goto bad;
    b = a;
    if ( p < end && *p == '-' )
    {
        p++;
        if ( !read_cpu(&p, end, &b) || b < a )
            goto bad;
    }
    if ( p != end )
        goto bad;
    if ( b >= CFG_MAX_CPUS )
    {
        snprintf(why, whylen, "CPU %lu is out of range (CPUs are 0 to %u)",
                 b, CFG_MAX_CPUS - 1);
        return CFG_EINVAL;
    }
    set_range(map, a, b, clear);
    return CFG_OK;

 bad:
    snprintf(why, whylen, "invalid CPU range \"%s\"",
             item_text(s, end, text));
    return CFG_EINVAL;
}

int cfg_cpumap_parse(const char *s, struct cfg_cpumap *map, char *why,
                     size_t whylen)
{
    memset(map, 0, sizeof(*map));
    while ( *s )
    {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        int rc;

        if ( len )
        {
            rc = apply_item(s, len, map, why, whylen);
            if ( rc )
                return rc;
        }
        s += len;
        if ( *s )
            s++;
    }
    return CFG_OK;
}

bool cfg_cpumap_test(const struct cfg_cpumap *map, unsigned int cpu)
{
    return cpu < CFG_MAX_CPUS &&
           ((map->bits[cpu / 64] >> (cpu % 64)) & 1);
}

unsigned int cfg_cpumap_weight(const struct cfg_cpumap *map)
{
    unsigned int i, n = 0;

    for ( i = 0; i < CFG_MAX_CPUS; i++ )
        n += cfg_cpumap_test(map, i);
    return n;
}
