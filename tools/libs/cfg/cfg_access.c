/*
 * cfg_access.c - reading a parsed xl.cfg file: look-ups by key, iteration
 * in file order, values and lists, and the typed getters with Xen's
 * warning texts (xl users see these for every key it reads).
 */
#include <stdlib.h>
#include <string.h>
#include "cfg_private.h"

const struct cfg_value *cfg_lookup(const struct cfg *cfg, const char *key)
{
    const struct cfg_setting *s = cfg__find(cfg, key);

    return s ? s->value : NULL;
}

int cfg_key_line(const struct cfg *cfg, const char *key)
{
    const struct cfg_setting *s = cfg__find(cfg, key);

    return s ? s->line : 0;
}

size_t cfg_nr_keys(const struct cfg *cfg)
{
    return cfg->nr_set;
}

const char *cfg_key_at(const struct cfg *cfg, size_t i,
                       const struct cfg_value **value, int *line)
{
    if ( i >= cfg->nr_set )
        return NULL;
    if ( value )
        *value = cfg->set[i].value;
    if ( line )
        *line = cfg->set[i].line;
    return cfg->set[i].key;
}

/* ---- typed getters ----------------------------------------------------- */

/* The setting for key if it holds a single value (else report, unless
 * quiet, and say why not). */
static int find_atom(const struct cfg *cfg, const char *key,
                     const struct cfg_setting **out, unsigned int flags)
{
    const struct cfg_setting *s = cfg__find(cfg, key);

    if ( !s )
        return CFG_ENOENT;
    if ( s->value->type != CFG_STRING )
    {
        if ( !(flags & CFG_QUIET) )
            cfg_report(cfg, "%s:%d: warning: parameter `%s' is a list but "
                       "should be a single value", cfg->source, s->line, key);
        return CFG_ETYPE;
    }
    *out = s;
    return CFG_OK;
}

int cfg_get_string(const struct cfg *cfg, const char *key, const char **out,
                   unsigned int flags)
{
    const struct cfg_setting *s;
    int rc = find_atom(cfg, key, &s, flags);

    if ( !rc )
        *out = s->value->u.str;
    return rc;
}

int cfg_get_long(const struct cfg *cfg, const char *key, long min, long max,
                 long *out, unsigned int flags)
{
    const struct cfg_setting *s;
    bool loud = !(flags & CFG_QUIET);
    long v;
    int rc = find_atom(cfg, key, &s, flags);

    if ( rc )
        return rc;
    if ( s->append )
    {
        if ( loud )
            cfg_report(cfg, "%s:%d: warning: can't use += with numbers for "
                       "parameter `%s'", cfg->source, s->line, key);
        return CFG_EAPPEND;
    }
    rc = cfg_parse_long(s->value->u.str, &v);
    if ( rc == CFG_ERANGE )
    {
        /* strerror(ERANGE) from glibc, as xl prints it. */
        if ( loud )
            cfg_report(cfg, "%s:%d: warning: parameter `%s' could not be "
                       "parsed as a number: Numerical result out of range",
                       cfg->source, s->line, key);
        return rc;
    }
    if ( rc )
    {
        if ( loud )
            cfg_report(cfg, "%s:%d: warning: parameter `%s' is not a valid "
                       "number", cfg->source, s->line, key);
        return rc;
    }
    if ( v < min )
    {
        if ( loud )
            cfg_report(cfg, "%s:%d: warning: value `%ld' is smaller than "
                       "minimum bound '%ld'", cfg->source, s->line, v, min);
        return CFG_ERANGE;
    }
    if ( v > max )
    {
        if ( loud )
            cfg_report(cfg, "%s:%d: warning: value `%ld' is greater than "
                       "maximum bound '%ld'", cfg->source, s->line, v, max);
        return CFG_ERANGE;
    }
    *out = v;
    return CFG_OK;
}

int cfg_get_list(const struct cfg *cfg, const char *key,
                 const struct cfg_value **out, unsigned int flags)
{
    const struct cfg_setting *s = cfg__find(cfg, key);

    if ( !s )
        return CFG_ENOENT;
    if ( s->value->type != CFG_LIST )
    {
        if ( !(flags & CFG_QUIET) )
            cfg_report(cfg, "%s:%d: warning: parameter `%s' is a single value "
                       "but should be a list", cfg->source, s->line, key);
        return CFG_ETYPE;
    }
    *out = s->value;
    return CFG_OK;
}

/* ---- values ------------------------------------------------------------ */

enum cfg_type cfg_value_type(const struct cfg_value *v)
{
    return v->type;
}

int cfg_value_line(const struct cfg_value *v)
{
    return v->line;
}

const char *cfg_value_string(const struct cfg_value *v)
{
    return v && v->type == CFG_STRING ? v->u.str : NULL;
}

size_t cfg_list_count(const struct cfg_value *list)
{
    return list && list->type == CFG_LIST ? list->u.list.nr : 0;
}

const struct cfg_value *cfg_list_item(const struct cfg_value *list, size_t i)
{
    if ( !list || list->type != CFG_LIST || i >= list->u.list.nr )
        return NULL;
    return list->u.list.item[i];
}

const char *cfg_list_string(const struct cfg_value *list, size_t i)
{
    return cfg_value_string(cfg_list_item(list, i));
}
