/*
 * libtoolstack: domain records, creation, teardown and the on_* actions
 * (see include/toolstack.h for the contract and the platform).
 *
 * Creation order, each step undone if a later one fails: read and parse
 * the config, check the name and the kernel, check free memory, create
 * the domain (paused), allocate its vCPUs, set its memory ceiling, make
 * its console and xenstore channels, build it, pin its vCPUs, write its
 * xenstore entries, introduce it to xenstored, attach the console
 * backend, unpause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <toolstack.h>
#include <dombuild.h>
#include <keelcfg.h>
#include <keelcfg_domain.h>
#include <consback.h>
#include <xs.h>
#include <public/errno.h>

#define ERR(e)              (-(XEN_##e))
#define CONSOLE_ESCAPE      0x1d            /* ^] */
#define OVERHEAD_KB         1024            /* hypervisor data per domain */
#define MAXMEM_SLACK_KB     1024            /* as libxl's maxmem constant */

struct ts_dom {
    struct ts_dom *next;
    domid_t domid;
    char *name;
    char *path;                             /* config, for restarts */
    int nr_over;
    char **over;
    enum cfg_action on_poweroff, on_reboot, on_crash;
    void *cons_page;
    struct cons_ring cons;
    struct cons_lines lines;
    evtchn_port_t cons_port;                /* ours */
    bool introduced;
    bool handled;                           /* its shutdown was acted on */
};

struct ts {
    struct ts_platform p;
    struct ts_dom *doms;
    unsigned int nr;
    int attached;                           /* domid, or -1 */
};

static void msg(struct ts *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void msg(struct ts *t, const char *fmt, ...)
{
    char line[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    t->p.msg(t->p.priv, line);
}

static void cfg_msg(void *opaque, const char *line)
{
    struct ts *t = opaque;

    t->p.msg(t->p.priv, line);
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if ( d )
        memcpy(d, s, n);
    return d;
}

struct ts *ts_init(const struct ts_platform *p)
{
    struct ts *t = calloc(1, sizeof(*t));

    if ( t )
    {
        t->p = *p;
        t->attached = -1;
    }
    return t;
}

unsigned int ts_nr_domains(const struct ts *t)
{
    return t->nr;
}

static struct ts_dom *dom_by_id(struct ts *t, domid_t d)
{
    struct ts_dom *x;

    for ( x = t->doms; x; x = x->next )
        if ( x->domid == d )
            return x;
    return NULL;
}

int ts_name_of(struct ts *t, domid_t d, char *buf, size_t len)
{
    struct ts_dom *x;

    if ( d == 0 )
    {
        snprintf(buf, len, "Domain-0");
        return 0;
    }
    if ( (x = dom_by_id(t, d)) == NULL )
        return ERR(ESRCH);
    snprintf(buf, len, "%s", x->name);
    return 0;
}

int ts_find(struct ts *t, const char *arg, domid_t *d)
{
    struct xen_domctl_getdomaininfo info;
    struct ts_dom *x;
    unsigned long v = 0;
    const char *p;

    if ( !strcmp(arg, "Domain-0") )
    {
        *d = 0;
        return 0;
    }
    for ( x = t->doms; x; x = x->next )
        if ( !strcmp(x->name, arg) )
        {
            *d = x->domid;
            return 0;
        }
    for ( p = arg; *p >= '0' && *p <= '9' && v < DOMID_FIRST_RESERVED; p++ )
        v = v * 10 + (unsigned long)(*p - '0');
    if ( p == arg || *p || v >= DOMID_FIRST_RESERVED ||
         kc_domain_getinfo(t->p.kc, (domid_t)v, &info) )
        return ERR(ESRCH);
    *d = (domid_t)v;
    return 0;
}

/* ---- xenstore entries ---------------------------------------------------- */

static int xs_printf(struct ts *t, domid_t d, const char *key,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int xs_printf(struct ts *t, domid_t d, const char *key,
                     const char *fmt, ...)
{
    char path[96], val[96];
    va_list ap;

    snprintf(path, sizeof(path), "/local/domain/%u/%s", d, key);
    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    return xs_write(t->p.xs, XS_TXN_NONE, path, val, strlen(val));
}

/* Owned by dom0, readable by the domain; "dir" writable by it. */
static int xs_perms(struct ts *t, domid_t d, const char *key, bool writable)
{
    struct xs_perm perms[2] = {
        { 0, XS_PERM_NONE }, { d, XS_PERM_READ },
    };
    char path[96];

    snprintf(path, sizeof(path), "/local/domain/%u%s%s", d, *key ? "/" : "",
             key);
    if ( writable )
    {
        perms[0].domid = d;
        perms[0].access = XS_PERM_NONE;
        return xs_set_perms(t->p.xs, XS_TXN_NONE, path, perms, 1);
    }
    return xs_set_perms(t->p.xs, XS_TXN_NONE, path, perms, 2);
}

static int xs_populate(struct ts *t, struct ts_dom *x,
                       const struct cfg_domain *c,
                       const struct dombuild_params *bp,
                       const struct dombuild_result *br)
{
    static const char *const rw_dirs[] = { "control", "data", "device",
                                           "error", "drivers", "attr" };
    char path[64];
    unsigned int i;
    int rc = 0;

    snprintf(path, sizeof(path), "/local/domain/%u", x->domid);
    rc |= xs_mkdir(t->p.xs, XS_TXN_NONE, path);
    rc |= xs_perms(t, x->domid, "", false);
    rc |= xs_printf(t, x->domid, "name", "%s", x->name);
    rc |= xs_printf(t, x->domid, "domid", "%u", x->domid);
    rc |= xs_printf(t, x->domid, "memory/target", "%lu",
                    c->memory_mb * 1024);
    rc |= xs_printf(t, x->domid, "memory/static-max", "%lu",
                    c->maxmem_mb * 1024);
    rc |= xs_printf(t, x->domid, "console/port", "%u", bp->console_evtchn);
    rc |= xs_printf(t, x->domid, "console/ring-ref", "%lu",
                    (unsigned long)br->console_mfn);
    rc |= xs_printf(t, x->domid, "console/type", "xenconsoled");
    rc |= xs_printf(t, x->domid, "console/output", "pty");
    rc |= xs_printf(t, x->domid, "store/port", "%u", bp->store_evtchn);
    rc |= xs_printf(t, x->domid, "store/ring-ref", "%lu",
                    (unsigned long)br->store_mfn);
    for ( i = 0; i < c->maxvcpus; i++ )
    {
        char key[32];

        snprintf(key, sizeof(key), "cpu/%u/availability", i);
        rc |= xs_printf(t, x->domid, key, "%s",
                        i < c->vcpus ? "online" : "offline");
    }
    for ( i = 0; i < sizeof(rw_dirs) / sizeof(rw_dirs[0]); i++ )
    {
        snprintf(path, sizeof(path), "/local/domain/%u/%s", x->domid,
                 rw_dirs[i]);
        rc |= xs_mkdir(t->p.xs, XS_TXN_NONE, path);
        rc |= xs_perms(t, x->domid, rw_dirs[i], true);
    }
    return rc ? ERR(EIO) : 0;
}

/* ---- teardown ------------------------------------------------------------ */

static void dom_free(struct ts *t, struct ts_dom *x)
{
    struct ts_dom **pp;
    int i;

    for ( pp = &t->doms; *pp; pp = &(*pp)->next )
        if ( *pp == x )
        {
            *pp = x->next;
            t->nr--;
            break;
        }
    for ( i = 0; i < x->nr_over; i++ )
        free(x->over[i]);
    free(x->over);
    free(x->path);
    free(x->name);
    free(x);
}

/* Undo what creation did for x, and destroy the domain. */
static int dom_teardown(struct ts *t, struct ts_dom *x)
{
    char path[48];
    int rc;

    if ( t->attached == x->domid )
        t->attached = -1;
    if ( x->cons_port )
        t->p.evtchn_close(t->p.priv, x->cons_port);
    if ( x->cons_page )
        t->p.unmap_lasting(t->p.priv, x->cons_page);
    if ( x->introduced )
        t->p.store_release(t->p.priv, x->domid);
    snprintf(path, sizeof(path), "/local/domain/%u", x->domid);
    xs_rm(t->p.xs, XS_TXN_NONE, path);
    rc = kc_domain_destroy(t->p.kc, x->domid);
    if ( rc == ERR(ESRCH) )
        rc = 0;
    if ( rc )
        msg(t, "Destroying domain %u failed (%d)", x->domid, rc);
    dom_free(t, x);
    return rc;
}

int ts_destroy(struct ts *t, domid_t d)
{
    struct ts_dom *x = dom_by_id(t, d);

    if ( d == 0 )
    {
        msg(t, "Cannot destroy privileged domain 0.");
        return ERR(EINVAL);
    }
    if ( !x )
        return kc_domain_destroy(t->p.kc, d);
    return dom_teardown(t, x);
}

/* ---- creation ------------------------------------------------------------ */

static int check_memory(struct ts *t, const struct cfg_domain *c,
                        const char *path)
{
    struct xen_domctl_getdomaininfo d0;
    struct xen_sysctl_physinfo pi;
    unsigned long need_kb = c->memory_mb * 1024 + OVERHEAD_KB, free_kb;

    if ( kc_physinfo(t->p.kc, &pi) )
        return 0;                       /* let the hypervisor decide */
    free_kb = pi.free_pages * 4;
    if ( need_kb <= free_kb )
        return 0;
    if ( kc_domain_getinfo(t->p.kc, 0, &d0) )
        d0.tot_pages = 0;
    msg(t, "%s: memory: need %lu MiB, free %lu MiB, dom0 holds %lu MiB: "
        "lower memory= or free memory (xl destroy, xl mem-set)",
        path, (need_kb + 1023) / 1024, free_kb / 1024,
        (unsigned long)(d0.tot_pages / 256));
    return ERR(ENOMEM);
}

static int read_input(struct ts *t, const struct cfg *cfg, const char *key,
                      const char *file, const void **data, size_t *len)
{
    if ( t->p.read_file(t->p.priv, file, data, len) == 0 )
        return 0;
    msg(t, "%s:%d: %s: cannot read \"%s\": no such file in the control "
        "domain (its initrd holds the kernels it can start)",
        cfg_source(cfg), cfg_key_line(cfg, key), key, file);
    return ERR(ENOENT);
}

static void set_affinity(struct ts *t, struct ts_dom *x,
                         const struct cfg_domain *c)
{
    uint8_t hard[CFG_MAX_CPUS / 8], soft[CFG_MAX_CPUS / 8];
    unsigned int v, cpu;

    for ( v = 0; v < c->maxvcpus; v++ )
    {
        const struct cfg_affinity *a[2] = { &c->cpus, &c->cpus_soft };
        uint8_t *maps[2] = { hard, soft };
        bool have[2] = { false, false };
        unsigned int k;

        for ( k = 0; k < 2; k++ )
        {
            const struct cfg_cpumap *m;

            if ( !a[k]->nr )
                continue;
            m = &a[k]->map[a[k]->per_vcpu ? (v < a[k]->nr ? v : a[k]->nr - 1)
                                          : 0];
            memset(maps[k], 0, sizeof(hard));
            for ( cpu = 0; cpu < CFG_MAX_CPUS; cpu++ )
                if ( cfg_cpumap_test(m, cpu) )
                    maps[k][cpu / 8] |= 1u << (cpu % 8);
            have[k] = true;
        }
        if ( (have[0] || have[1]) &&
             kc_vcpu_setaffinity(t->p.kc, x->domid, v,
                                 have[0] ? hard : NULL,
                                 have[1] ? soft : NULL, CFG_MAX_CPUS) )
            msg(t, "Domain %u: vCPU %u: the CPUs in cpus= are not usable "
                "here; it runs anywhere", x->domid, v);
    }
}

static int attach_console(struct ts *t, struct ts_dom *x,
                          const struct dombuild_params *bp,
                          const struct dombuild_result *br)
{
    x->cons_page = t->p.map_lasting(t->p.priv, x->domid, br->console_mfn);
    if ( !x->cons_page )
        return ERR(ENOMEM);
    x->cons.intf = x->cons_page;
    return t->p.evtchn_bind(t->p.priv, x->domid, bp->console_evtchn,
                            &x->cons_port);
}

static int build(struct ts *t, struct ts_dom *x, const struct cfg *cfg,
                 const struct cfg_domain *c, unsigned int flags)
{
    struct xen_domctl_createdomain dc = {
        .max_vcpus = c->maxvcpus, .max_evtchn_port = 4095,
        .max_grant_frames = 32, .max_maptrack_frames = 1024,
        .grant_opts = 1,
    };
    struct dombuild_params bp = { .cmdline = c->cmdline,
                                  .nr_pages = c->memory_mb * 256 };
    struct dombuild_result br;
    uint32_t domid = 0;
    char err[200];
    int rc;

    if ( (rc = read_input(t, cfg, "kernel", c->kernel, &bp.kernel,
                          &bp.kernel_len)) ||
         (c->ramdisk && (rc = read_input(t, cfg, "ramdisk", c->ramdisk,
                                         &bp.ramdisk, &bp.ramdisk_len))) ||
         (rc = check_memory(t, c, cfg_source(cfg))) )
        return rc;
    if ( (rc = kc_domain_create(t->p.kc, &domid, &dc)) != 0 )
    {
        msg(t, "%s: cannot create the domain (%d)", cfg_source(cfg), rc);
        return rc;
    }
    x->domid = (domid_t)domid;
    bp.domid = x->domid;
    if ( (rc = kc_domain_max_vcpus(t->p.kc, x->domid, c->maxvcpus)) ||
         (rc = kc_domain_setmaxmem(t->p.kc, x->domid,
                                   c->maxmem_mb * 1024 +
                                   MAXMEM_SLACK_KB)) ||
         (rc = kc_evtchn_alloc_unbound(t->p.kc, x->domid, 0,
                                       &bp.console_evtchn)) ||
         (rc = kc_evtchn_alloc_unbound(t->p.kc, x->domid, 0,
                                       &bp.store_evtchn)) )
    {
        msg(t, "Domain %u: setting up failed (%d)", x->domid, rc);
        return rc;
    }
    if ( (rc = dombuild_pv(t->p.kc, &bp, &br, err, sizeof(err))) != 0 )
    {
        msg(t, "%s: %s", cfg_source(cfg), err);
        return rc;
    }
    set_affinity(t, x, c);
    if ( (rc = xs_populate(t, x, c, &bp, &br)) != 0 ||
         (rc = t->p.store_introduce(t->p.priv, x->domid, br.store_mfn,
                                    bp.store_evtchn)) != 0 )
    {
        msg(t, "Domain %u: xenstore setup failed (%d)", x->domid, rc);
        return rc;
    }
    x->introduced = true;
    if ( (rc = attach_console(t, x, &bp, &br)) != 0 )
    {
        msg(t, "Domain %u: console backend setup failed (%d)", x->domid,
            rc);
        return rc;
    }
    if ( !(flags & TS_CREATE_PAUSED) &&
         (rc = kc_domain_unpause(t->p.kc, x->domid)) != 0 )
        msg(t, "Domain %u: unpause failed (%d)", x->domid, rc);
    return rc;
}

static int record_config(struct ts_dom *x, const char *path, int nr_over,
                         char **over, const struct cfg_domain *c)
{
    int i;

    x->name = dupstr(c->name);
    x->path = dupstr(path);
    x->over = nr_over ? calloc(nr_over, sizeof(char *)) : NULL;
    if ( !x->name || !x->path || (nr_over && !x->over) )
        return ERR(ENOMEM);
    for ( i = 0; i < nr_over; i++ )
        if ( (x->over[x->nr_over++] = dupstr(over[i])) == NULL )
            return ERR(ENOMEM);
    x->on_poweroff = c->on_poweroff;
    x->on_reboot = c->on_reboot;
    x->on_crash = c->on_crash;
    return 0;
}

int ts_create(struct ts *t, const char *path, int nr_over, char **over,
              unsigned int flags, domid_t *domid)
{
    struct cfg_domain c;
    struct cfg *cfg = NULL;
    struct ts_dom *x;
    const void *data;
    domid_t other;
    size_t len;
    int rc;

    if ( t->p.read_file(t->p.priv, path, &data, &len) )
    {
        msg(t, "Failed to read config file: %s: No such file or directory",
            path);
        return ERR(ENOENT);
    }
    if ( cfg_parse_with_overrides(data, len, path,
                                  (const char *const *)over,
                                  nr_over > 0 ? nr_over : 0, cfg_msg, t,
                                  &cfg) )
        return ERR(EINVAL);
    memset(&c, 0, sizeof(c));
    if ( cfg_domain_parse(cfg, &c) )
    {
        cfg_domain_release(&c);
        cfg_free(cfg);
        return ERR(EINVAL);
    }
    if ( ts_find(t, c.name, &other) == 0 )
    {
        msg(t, "%s:%d: name: domain with name \"%s\" already exists (domain "
            "%u)", path, cfg_key_line(cfg, "name"), c.name, other);
        rc = ERR(EEXIST);
        goto out;
    }
    if ( (x = calloc(1, sizeof(*x))) == NULL ||
         record_config(x, path, nr_over, over, &c) )
    {
        if ( x )
            dom_free(t, x);
        rc = ERR(ENOMEM);
        goto out;
    }
    x->next = t->doms;
    t->doms = x;
    t->nr++;
    if ( (rc = build(t, x, cfg, &c, flags)) != 0 )
    {
        if ( x->domid )
            dom_teardown(t, x);
        else
            dom_free(t, x);
        goto out;
    }
    *domid = x->domid;
 out:
    cfg_domain_release(&c);
    cfg_free(cfg);
    return rc;
}

/* ---- requests to running domains ---------------------------------------- */

int ts_shutdown(struct ts *t, domid_t d, unsigned int reason, bool wait)
{
    struct xen_domctl_getdomaininfo info;
    char path[64], *feat = NULL;
    size_t len;
    uint64_t end;
    int rc;

    if ( d == 0 )
    {
        msg(t, "Shutting down domain 0 from xl is not supported here: use "
            "the control domain's own 'poweroff' command.");
        return ERR(EINVAL);
    }
    if ( (rc = kc_domain_getinfo(t->p.kc, d, &info)) != 0 )
        return rc;
    rc = xs_printf(t, d, "control/shutdown", "%s",
                   reason == SHUTDOWN_reboot ? "reboot" : "poweroff");
    /* A guest without the PV control protocol is shut down directly. */
    snprintf(path, sizeof(path), "/local/domain/%u/control/feature-%s", d,
             reason == SHUTDOWN_reboot ? "reboot" : "poweroff");
    if ( rc || xs_read(t->p.xs, XS_TXN_NONE, path, &feat, &len) )
        rc = kc_domain_shutdown(t->p.kc, d, reason);
    free(feat);
    if ( rc || !wait )
        return rc;
    end = t->p.now(t->p.priv) + 60000000000ULL;
    while ( t->p.now(t->p.priv) < end )
    {
        if ( kc_domain_getinfo(t->p.kc, d, &info) ||
             (info.flags & XEN_DOMINF_shutdown) )
            return 0;
        t->p.wait(t->p.priv, 50000000ULL);
        ts_service(t);
    }
    msg(t, "Domain %u did not shut down within 60 s", d);
    return ERR(ETIMEDOUT);
}

int ts_mem_set(struct ts *t, domid_t d, uint64_t kb)
{
    struct xen_domctl_getdomaininfo info;
    uint64_t cur;
    int rc;

    if ( (rc = kc_domain_getinfo(t->p.kc, d, &info)) != 0 )
        return rc;
    cur = info.tot_pages * 4;
    if ( (rc = kc_domain_setmaxmem(t->p.kc, d, (kb > cur ? kb : cur) +
                                   MAXMEM_SLACK_KB)) != 0 )
        return rc;
    return xs_printf(t, d, "memory/target", "%llu", (unsigned long long)kb)
           ? ERR(EIO) : 0;
}

/* ---- console and service ------------------------------------------------ */

struct line_ctx {
    struct ts *t;
    domid_t d;
};

static void emit_line(void *priv, const char *line)
{
    struct line_ctx *c = priv;

    c->t->p.console_line(c->t->p.priv, c->d, line);
}

static void move_console(struct ts *t, struct ts_dom *x)
{
    struct line_ctx lc = { t, x->domid };
    char buf[512];
    size_t n;
    bool moved = false;

    if ( !x->cons_page )
        return;
    while ( (n = cons_read_out(&x->cons, buf, sizeof(buf))) != 0 )
    {
        moved = true;
        if ( t->attached == x->domid )
            t->p.console_out(t->p.priv, buf, n);
        else
            cons_lines_feed(&x->lines, buf, n, emit_line, &lc);
    }
    if ( moved )
        t->p.evtchn_notify(t->p.priv, x->cons_port);
}

static const char *const reason_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

static void act(struct ts *t, struct ts_dom *x, unsigned int reason)
{
    enum cfg_action a = reason == SHUTDOWN_poweroff ? x->on_poweroff :
                        reason == SHUTDOWN_reboot ? x->on_reboot :
                        x->on_crash;
    char *path, **over, name[64];
    int nr_over, rc;
    domid_t nd;

    msg(t, "Domain %u (%s) has shut down, reason code %u (%s): action %s",
        x->domid, x->name, reason,
        reason < 6 ? reason_names[reason] : "unknown", cfg_action_name(a));
    x->handled = true;
    switch ( a )
    {
    case CFG_ACTION_PRESERVE:
        return;
    case CFG_ACTION_RESTART:
    case CFG_ACTION_RENAME_RESTART:
    case CFG_ACTION_COREDUMP_RESTART:
        /* Keep what a restart needs, then rebuild from the same config. */
        path = x->path;
        over = x->over;
        nr_over = x->nr_over;
        snprintf(name, sizeof(name), "%s", x->name);
        x->path = NULL;
        x->over = NULL;
        x->nr_over = 0;
        dom_teardown(t, x);
        rc = ts_create(t, path, nr_over, over, 0, &nd);
        if ( rc == 0 )
            msg(t, "Domain %s restarted as domain %u", name, nd);
        while ( nr_over-- > 0 )
            free(over[nr_over]);
        free(over);
        free(path);
        return;
    default:
        dom_teardown(t, x);
        return;
    }
}

void ts_service(struct ts *t)
{
    struct xen_domctl_getdomaininfo info;
    struct ts_dom *x, *next;

    for ( x = t->doms; x; x = next )
    {
        next = x->next;
        move_console(t, x);
        if ( kc_domain_getinfo(t->p.kc, x->domid, &info) )
        {
            msg(t, "Domain %u (%s) is gone", x->domid, x->name);
            dom_teardown(t, x);
            continue;
        }
        if ( (info.flags & XEN_DOMINF_shutdown) && !x->handled )
            act(t, x, (info.flags >> XEN_DOMINF_shutdownshift) &
                      XEN_DOMINF_shutdownmask);
    }
}

int ts_console(struct ts *t, domid_t d)
{
    struct ts_dom *x = dom_by_id(t, d);
    char buf[64];
    size_t n, i;

    if ( !x || !x->cons_page )
    {
        msg(t, "Domain %u has no console here: it was not created by this "
            "toolstack, or it is gone", d);
        return ERR(ENOENT);
    }
    if ( x->cons.broken )
    {
        msg(t, "Domain %u's console ring is corrupt: it cannot be used",
            d);
        return ERR(EIO);
    }
    t->p.console_out(t->p.priv, "Escape character is ^]\r\n", 24);
    t->attached = d;
    while ( t->attached == d )
    {
        ts_service(t);
        if ( t->attached != d )
        {
            msg(t, "Domain %u has gone: console closed", d);
            return 0;
        }
        n = t->p.console_in(t->p.priv, buf, sizeof(buf));
        for ( i = 0; i < n; i++ )
            if ( buf[i] == CONSOLE_ESCAPE )
            {
                if ( i && cons_write_in(&x->cons, buf, i) )
                    t->p.evtchn_notify(t->p.priv, x->cons_port);
                t->attached = -1;
                t->p.console_out(t->p.priv, "\r\n", 2);
                return 0;
            }
        if ( n && cons_write_in(&x->cons, buf, n) )
            t->p.evtchn_notify(t->p.priv, x->cons_port);
        if ( !n )
            t->p.wait(t->p.priv, 20000000ULL);
    }
    return 0;
}
