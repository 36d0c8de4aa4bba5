/*
 * domcfg.c - a parsed xl.cfg file as a PV guest: struct cfg_domain.
 *
 * Reads the keys Keel acts on, applies xl's defaults and checks each
 * value, reporting every fault with the file and line of the value
 * (<keelcfg_domain.h> lists the keys).  The order of the checks follows
 * xl's parse_config_data, so where both refuse a file the first message
 * is about the same key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cfg_private.h"
#include "keelcfg_domain.h"

struct dctx {
    const struct cfg *cfg;
    struct cfg_domain *dom;
    int rc;                         /* first of CFG_ENOMEM / CFG_EINVAL */
};

static void fail(struct dctx *c, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void fail(struct dctx *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cfg__vreport(c->cfg, fmt, ap);
    va_end(ap);
    if ( !c->rc )
        c->rc = CFG_EINVAL;
}

static void nomem(struct dctx *c)
{
    c->rc = CFG_ENOMEM;
}

static const char *src(const struct dctx *c)
{
    return cfg_source(c->cfg);
}

static char *copy_str(struct dctx *c, const char *s)
{
    char *d = cfg__strndup(s, strlen(s));

    if ( !d )
        nomem(c);
    return d;
}

/* A single-valued key: true and *out if set. */
static bool get_str(struct dctx *c, const char *key, const char **out)
{
    int rc = cfg_get_string(c->cfg, key, out, CFG_QUIET);

    if ( rc == CFG_ETYPE )
        fail(c, "%s:%d: %s: expected a single value, not a list", src(c),
             cfg_key_line(c->cfg, key), key);
    return rc == CFG_OK;
}

/* A number in [min, max]: true and *out if set and valid. */
static bool get_num(struct dctx *c, const char *key, long min, long max,
                    long *out)
{
    int line = cfg_key_line(c->cfg, key);
    const char *text;
    int rc = cfg_get_long(c->cfg, key, min, max, out, CFG_QUIET);

    switch ( rc )
    {
    case CFG_OK:
        return true;
    case CFG_ENOENT:
        return false;
    case CFG_ETYPE:
        fail(c, "%s:%d: %s: expected a single value, not a list", src(c),
             line, key);
        return false;
    case CFG_EAPPEND:
        fail(c, "%s:%d: %s: can't use += with a number", src(c), line, key);
        return false;
    }
    text = cfg_value_string(cfg_lookup(c->cfg, key));
    if ( rc == CFG_ERANGE )
        fail(c, "%s:%d: %s: value \"%s\" is out of range (%ld to %ld)",
             src(c), line, key, text, min, max);
    else
        fail(c, "%s:%d: %s: invalid value \"%s\"", src(c), line, key, text);
    return false;
}

/* ---- type, name, kernel ------------------------------------------------ */

enum dtype { DT_NONE, DT_PV, DT_HVM, DT_PVH, DT_BAD };

/* xl matches a prefix of the name (so "p" is pv, and "" is hvm). */
static enum dtype match_type(const char *s, const char *pv_name)
{
    size_t n = strlen(s);

    if ( !strncmp(s, "hvm", n) )
        return DT_HVM;
    if ( !strncmp(s, pv_name, n) )
        return DT_PV;
    if ( !strcmp(pv_name, "pv") && !strncmp(s, "pvh", n) )
        return DT_PVH;
    return DT_BAD;
}

static void parse_type(struct dctx *c)
{
    enum dtype type = DT_NONE, builder;
    const char *s;
    int line;

    if ( get_str(c, "type", &s) )
    {
        line = cfg_key_line(c->cfg, "type");
        type = match_type(s, "pv");
        if ( type == DT_BAD )
            fail(c, "%s:%d: Invalid domain type %s.", src(c), line, s);
        else if ( type != DT_PV )
            fail(c, "%s:%d: type: %s guests are not supported: Keel runs PV "
                 "guests (type = \"pv\")", src(c), line,
                 type == DT_HVM ? "HVM" : "PVH");
    }

    /* Deprecated since Xen 4.10, still in old files. */
    if ( get_str(c, "builder", &s) )
    {
        line = cfg_key_line(c->cfg, "builder");
        builder = match_type(s, "generic");
        if ( builder == DT_BAD || builder == DT_PVH )
            fail(c, "%s:%d: Invalid domain type %s.", src(c), line, s);
        else if ( type != DT_NONE && type != DT_BAD && type != builder )
            fail(c, "%s:%d: Contradicting \"builder\" and \"type\" options "
                 "specified.", src(c), line);
        else if ( builder == DT_HVM && type == DT_NONE )
            fail(c, "%s:%d: builder: HVM guests are not supported: Keel runs "
                 "PV guests (type = \"pv\")", src(c), line);
    }
}

static void parse_name(struct dctx *c)
{
    const char *s;

    if ( !get_str(c, "name", &s) )
    {
        if ( !cfg_lookup(c->cfg, "name") )
            fail(c, "%s: Domain name must be specified.", src(c));
        return;
    }
    if ( !*s )
    {
        fail(c, "%s:%d: name: must not be empty", src(c),
             cfg_key_line(c->cfg, "name"));
        return;
    }
    c->dom->name = copy_str(c, s);
}

static void parse_kernel(struct dctx *c)
{
    const char *s;

    if ( get_str(c, "bootloader", &s) && *s )
        fail(c, "%s:%d: bootloader: not supported; name the guest kernel "
             "with kernel = \"/path\"", src(c),
             cfg_key_line(c->cfg, "bootloader"));

    if ( get_str(c, "kernel", &s) )
    {
        if ( *s )
            c->dom->kernel = copy_str(c, s);
        else
            fail(c, "%s:%d: kernel: must not be empty", src(c),
                 cfg_key_line(c->cfg, "kernel"));
    }
    else if ( !cfg_lookup(c->cfg, "kernel") )
        fail(c, "%s: kernel must be specified: Keel starts a PV guest from "
             "its kernel image (kernel = \"/path\")", src(c));

    if ( get_str(c, "ramdisk", &s) && *s )
        c->dom->ramdisk = copy_str(c, s);
}

/* As xl: cmdline wins; otherwise "root=ROOT EXTRA" from what is set. */
static void parse_cmdline(struct dctx *c)
{
    const char *cmdline = NULL, *root = NULL, *extra = NULL;
    size_t n;
    char *s;

    get_str(c, "cmdline", &cmdline);
    get_str(c, "root", &root);
    get_str(c, "extra", &extra);

    if ( cmdline )
    {
        if ( root || extra )
            cfg_report(c->cfg, "Warning: ignoring root= and extra= in "
                       "favour of cmdline=");
        c->dom->cmdline = copy_str(c, cmdline);
        return;
    }
    if ( !root )
    {
        if ( extra )
            c->dom->cmdline = copy_str(c, extra);
        return;
    }
    /* Both come from an input of at most CFG_MAX_INPUT bytes. */
    n = 5 + strlen(root) + (extra ? 1 + strlen(extra) : 0);
    s = malloc(n + 1);
    if ( !s )
    {
        nomem(c);
        return;
    }
    snprintf(s, n + 1, "root=%s%s%s", root, extra ? " " : "",
             extra ? extra : "");
    c->dom->cmdline = s;
}

/* ---- memory and vCPUs -------------------------------------------------- */

static void parse_memory(struct dctx *c)
{
    long memory = 0, maxmem = 0;
    bool has_mem, has_max;

    has_mem = get_num(c, "memory", 1, (long)CFG_MAX_MEMORY_MB, &memory);
    has_max = get_num(c, "maxmem", 1, (long)CFG_MAX_MEMORY_MB, &maxmem);

    /* xl: maxmem defaults to memory; libxl: memory to maxmem, else 32. */
    if ( !has_mem )
        memory = has_max ? maxmem : CFG_DEFAULT_MEMORY_MB;
    if ( !has_max )
        maxmem = memory;
    if ( has_mem && has_max && maxmem < memory )
        fail(c, "%s:%d: maxmem: %ld MiB is less than memory (%ld MiB)",
             src(c), cfg_key_line(c->cfg, "maxmem"), maxmem, memory);
    c->dom->memory_mb = (unsigned long)memory;
    c->dom->maxmem_mb = (unsigned long)maxmem;
}

static void parse_vcpus(struct dctx *c)
{
    long vcpus = 1, maxvcpus = 0;
    bool has_max;

    get_num(c, "vcpus", 1, CFG_MAX_VCPUS, &vcpus);
    has_max = get_num(c, "maxvcpus", 1, CFG_MAX_VCPUS, &maxvcpus);
    if ( !has_max )
        maxvcpus = vcpus;
    else if ( maxvcpus < vcpus )
        fail(c, "%s:%d: maxvcpus: %ld is less than vcpus (%ld)", src(c),
             cfg_key_line(c->cfg, "maxvcpus"), maxvcpus, vcpus);
    c->dom->vcpus = (unsigned int)vcpus;
    c->dom->maxvcpus = (unsigned int)maxvcpus;
}

/* One CPU list string s (from key, at line) into map. */
static bool parse_cpus_string(struct dctx *c, const char *key, int line,
                              const char *s, struct cfg_cpumap *map)
{
    char why[160];

    if ( cfg_cpumap_parse(s, map, why, sizeof(why)) )
    {
        fail(c, "%s:%d: %s: %s", src(c), line, key, why);
        return false;
    }
    if ( !cfg_cpumap_weight(map) )
    {
        /* A vCPU allowed on no CPU could never run. */
        fail(c, "%s:%d: %s: \"%s\" selects no CPU", src(c), line, key, s);
        return false;
    }
    return true;
}

static void parse_affinity(struct dctx *c, const char *key,
                           struct cfg_affinity *aff)
{
    const struct cfg_value *v = cfg_lookup(c->cfg, key);
    size_t i, nr;

    if ( !v )
        return;
    if ( cfg_value_type(v) == CFG_STRING )
    {
        aff->map = calloc(1, sizeof(*aff->map));
        if ( !aff->map )
        {
            nomem(c);
            return;
        }
        aff->nr = 1;
        parse_cpus_string(c, key, cfg_key_line(c->cfg, key),
                          cfg_value_string(v), &aff->map[0]);
        return;
    }

    /* One string per vCPU; xl ignores items for vCPUs that do not exist. */
    aff->per_vcpu = true;
    nr = cfg_list_count(v);
    if ( nr > c->dom->maxvcpus )
        nr = c->dom->maxvcpus;
    if ( !nr )
        return;
    aff->map = calloc(nr, sizeof(*aff->map));
    if ( !aff->map )
    {
        nomem(c);
        return;
    }
    aff->nr = (unsigned int)nr;
    for ( i = 0; i < nr; i++ )
    {
        const struct cfg_value *item = cfg_list_item(v, i);

        if ( cfg_value_type(item) != CFG_STRING )
            fail(c, "%s:%d: %s: item %lu (vCPU %lu) is a list, not a CPU "
                 "list string", src(c), cfg_value_line(item), key,
                 (unsigned long)i + 1, (unsigned long)i);
        else
            parse_cpus_string(c, key, cfg_value_line(item),
                              cfg_value_string(item), &aff->map[i]);
    }
}

/* ---- actions and raw lists --------------------------------------------- */

static const char *const action_names[] = {
    [CFG_ACTION_DESTROY]          = "destroy",
    [CFG_ACTION_RESTART]          = "restart",
    [CFG_ACTION_RENAME_RESTART]   = "rename-restart",
    [CFG_ACTION_PRESERVE]         = "preserve",
    [CFG_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
    [CFG_ACTION_COREDUMP_RESTART] = "coredump-restart",
    [CFG_ACTION_SOFT_RESET]       = "soft-reset",
};

const char *cfg_action_name(enum cfg_action a)
{
    if ( (unsigned int)a >= sizeof(action_names) / sizeof(action_names[0]) )
        return "unknown";
    return action_names[a];
}

int cfg_action_parse(const char *s, enum cfg_action *out)
{
    unsigned int i;

    for ( i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++ )
        if ( !strcmp(s, action_names[i]) )
        {
            *out = (enum cfg_action)i;
            return CFG_OK;
        }
    return CFG_EINVAL;
}

static void parse_action(struct dctx *c, const char *key,
                         enum cfg_action dflt, enum cfg_action *out)
{
    const char *s;

    *out = dflt;
    if ( get_str(c, key, &s) && cfg_action_parse(s, out) )
        fail(c, "%s:%d: Unknown %s action \"%s\" specified", src(c),
             cfg_key_line(c->cfg, key), key, s);
}

static const struct cfg_value *raw_list(struct dctx *c, const char *key)
{
    const struct cfg_value *v = cfg_lookup(c->cfg, key);

    if ( v && cfg_value_type(v) != CFG_LIST )
    {
        fail(c, "%s:%d: %s: expected a list, not a single value", src(c),
             cfg_key_line(c->cfg, key), key);
        return NULL;
    }
    return v;
}

/* ---- entry points ------------------------------------------------------ */

int cfg_domain_parse(const struct cfg *cfg, struct cfg_domain *dom)
{
    struct dctx c = { .cfg = cfg, .dom = dom, .rc = CFG_OK };

    memset(dom, 0, sizeof(*dom));

    parse_type(&c);
    parse_name(&c);
    parse_memory(&c);
    parse_vcpus(&c);
    parse_affinity(&c, "cpus", &dom->cpus);
    parse_affinity(&c, "cpus_soft", &dom->cpus_soft);
    parse_action(&c, "on_poweroff", CFG_ACTION_DESTROY, &dom->on_poweroff);
    parse_action(&c, "on_reboot", CFG_ACTION_RESTART, &dom->on_reboot);
    parse_action(&c, "on_crash", CFG_ACTION_DESTROY, &dom->on_crash);
    parse_kernel(&c);
    parse_cmdline(&c);
    dom->disk = raw_list(&c, "disk");
    dom->vif = raw_list(&c, "vif");
    dom->pci = raw_list(&c, "pci");

    if ( c.rc == CFG_ENOMEM )
        cfg_report(cfg, "%s: out of memory reading the domain "
                   "configuration", cfg_source(cfg));
    return c.rc;
}

void cfg_domain_release(struct cfg_domain *dom)
{
    free(dom->name);
    free(dom->kernel);
    free(dom->ramdisk);
    free(dom->cmdline);
    free(dom->cpus.map);
    free(dom->cpus_soft.map);
    memset(dom, 0, sizeof(*dom));
}
