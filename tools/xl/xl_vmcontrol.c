/*
 * xl_vmcontrol.c - the commands that change a domain's life: create,
 * console, pause, unpause, destroy, shutdown, reboot, mem-set.
 *
 * pause and unpause are single hypercalls and are made here.  The others
 * need the toolstack (config parsing and domain building, the console
 * backend, xenstore's control/shutdown, ballooning, tearing down
 * backends) and go through the xl_ops actions, which report their own
 * failures; xl checks the arguments first, prints what Xen's xl prints
 * around the action ("Parsing config from ...", "Shutting down domain
 * N", "destroy failed (rc=N)") and turns the result into the exit
 * status.  Where Xen's xl exits 0 after a failed pause or unpause, Keel
 * reports the failure and exits 1.
 */
#include <stdlib.h>
#include <string.h>
#include <public/errno.h>
#include <public/sched.h>
#include "xl_private.h"

/* ---- pause / unpause ------------------------------------------------------- */

static int pause_cmd(struct xl_ctx *x, int argc, char **argv, bool pause)
{
    struct xl_opts o = XL_OPTS("", NULL, pause ? "pause" : "unpause", 1);
    domid_t d;
    int opt, rc;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
        ;
    if ( opt < 0 )
        return o.status;
    if ( !xl_find_domain(x, o.opnd[0], &d) )
        return XL_EXIT_FAIL;
    rc = pause ? kc_domain_pause(x->ops->kc, d)
               : kc_domain_unpause(x->ops->kc, d);
    if ( rc )
    {
        xl_err(x, "libxl: error: Domain %u:%s domain: %s\n", d,
               pause ? "Pausing" : "Unpausing", xl_strerror(-rc));
        return XL_EXIT_FAIL;
    }
    return XL_EXIT_OK;
}

int xl_cmd_pause(struct xl_ctx *x, int argc, char **argv)
{
    return pause_cmd(x, argc, argv, true);
}

int xl_cmd_unpause(struct xl_ctx *x, int argc, char **argv)
{
    return pause_cmd(x, argc, argv, false);
}

/* ---- destroy ------------------------------------------------------------------ */

int xl_cmd_destroy(struct xl_ctx *x, int argc, char **argv)
{
    struct xl_opts o = XL_OPTS("f", NULL, "destroy", 1);
    bool force = false;
    domid_t d;
    int opt, rc;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
        if ( opt == 'f' )
            force = true;
    if ( opt < 0 )
        return o.status;
    if ( !xl_find_domain(x, o.opnd[0], &d) )
        return XL_EXIT_FAIL;
    if ( d == 0 && !force )
    {
        xl_err(x, "Not destroying domain 0; use -f to force.\n"
               "This can only be done when using a disaggregated hardware "
               "domain and toolstack.\n\n");
        return XL_EXIT_FAIL;
    }
    if ( !x->ops->destroy )
        return xl_not_available(x, "destroy");
    if ( (rc = x->ops->destroy(x->ops->priv, d)) != 0 )
    {
        xl_err(x, "destroy failed (rc=%d)\n", rc);
        return XL_EXIT_FAIL;
    }
    return XL_EXIT_OK;
}

/* ---- shutdown / reboot -------------------------------------------------------- */

/*
 * Ask d to go down; with wait_now, wait for it too (saying so first, as
 * Xen's xl does once it has asked).  False on failure.
 */
static bool ask(struct xl_ctx *x, domid_t d, bool reboot, bool wait_now)
{
    int rc;

    xl_err(x, reboot ? "Rebooting domain %u\n" : "Shutting down domain %u\n",
           d);
    if ( wait_now )
        xl_err(x, "Waiting for 1 domains\n");
    rc = x->ops->shutdown(x->ops->priv, d,
                          reboot ? SHUTDOWN_reboot : SHUTDOWN_poweroff,
                          wait_now);
    if ( rc )
    {
        xl_err(x, "%s failed (rc=%d)\n", reboot ? "reboot" : "shutdown", rc);
        return false;
    }
    return true;
}

static bool wait_for(struct xl_ctx *x, domid_t d)
{
    int rc = x->ops->wait_shutdown(x->ops->priv, d);

    if ( rc )
        xl_err(x, "Failed to get event, quitting (rc=%d)\n", rc);
    return rc == 0;
}

static int shutdown_or_reboot(struct xl_ctx *x, int argc, char **argv,
                              bool reboot)
{
    static const struct xl_option longopts[] = {
        { "all", false, 'a' },
        { "wait", false, 'w' },
        { NULL, false, 0 },
    };
    struct xl_opts o = XL_OPTS("awF", longopts,
                               reboot ? "reboot" : "shutdown", 0);
    struct xen_domctl_getdomaininfo *all = NULL;
    bool wait = false, every = false, separate;
    unsigned int i, nr, n = 0;
    int opt, rc = XL_EXIT_FAIL;
    domid_t d;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
    {
        if ( opt == 'a' )
            every = true;
        else if ( opt == 'w' )
            wait = true;
        /* -F: the ACPI fallback is for HVM guests; PV guests have the
         * control node. */
    }
    if ( opt < 0 )
        return o.status;
    if ( !o.nr && !every )
    {
        xl_err(x, "You must specify -a or a domain id.\n\n");
        return XL_EXIT_FAIL;
    }
    if ( !x->ops->shutdown )
        return xl_not_available(x, reboot ? "reboot" : "shutdown");
    /* Ask first and wait after, when the toolstack can wait separately. */
    separate = x->ops->wait_shutdown != NULL;

    if ( !every )
    {
        if ( !xl_find_domain(x, o.opnd[0], &d) )
            return XL_EXIT_FAIL;
        if ( !ask(x, d, reboot, wait && !separate) )
            return XL_EXIT_FAIL;
        if ( wait && separate )
        {
            xl_err(x, "Waiting for 1 domains\n");
            if ( !wait_for(x, d) )
                return XL_EXIT_FAIL;
        }
        return XL_EXIT_OK;
    }

    /* -a: every domain but dom0 and those that must never stop. */
    if ( xl_domain_list(x, &all, &nr) )
        return XL_EXIT_FAIL;
    for ( i = 0; i < nr; i++ )
        if ( all[i].domain && !(all[i].flags & XEN_DOMINF_xs_domain) )
            all[n++] = all[i];
    /* Without a separate wait, each is waited for in turn (ask says so). */
    for ( i = 0; i < n; i++ )
        if ( !ask(x, all[i].domain, reboot, wait && !separate) )
            goto out;
    if ( wait && separate )
    {
        xl_err(x, "Waiting for %u domains\n", n);
        for ( i = 0; i < n; i++ )
            if ( !wait_for(x, all[i].domain) )
                goto out;
    }
    rc = XL_EXIT_OK;
 out:
    free(all);
    return rc;
}

int xl_cmd_shutdown(struct xl_ctx *x, int argc, char **argv)
{
    return shutdown_or_reboot(x, argc, argv, false);
}

int xl_cmd_reboot(struct xl_ctx *x, int argc, char **argv)
{
    return shutdown_or_reboot(x, argc, argv, true);
}

/* ---- console -------------------------------------------------------------------- */

int xl_cmd_console(struct xl_ctx *x, int argc, char **argv)
{
    struct xl_opts o = XL_OPTS("n:t:", NULL, "console", 1);
    unsigned int type = 0;                  /* the primary console */
    const char *end;
    int opt, rc, num = 0;
    domid_t d;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
    {
        if ( opt == 't' )
        {
            if ( !strcmp(o.optarg, "pv") )
                type = XL_CONSOLE_PV;
            else if ( !strcmp(o.optarg, "serial") )
                type = XL_CONSOLE_SERIAL;
            else if ( !strcmp(o.optarg, "vuart") )
                type = XL_CONSOLE_VUART;
            else
            {
                xl_err(x, "console type supported are: pv, serial, vuart\n");
                return XL_EXIT_FAIL;
            }
        }
        else if ( opt == 'n' )
            num = (int)xl_strtol(o.optarg, &end);
    }
    if ( opt < 0 )
        return o.status;
    if ( !xl_find_domain(x, o.opnd[0], &d) )
        return XL_EXIT_FAIL;
    if ( x->ops->console_type && (type || num) )
        rc = x->ops->console_type(x->ops->priv, d, type, num);
    else if ( (type && type != XL_CONSOLE_PV) || num )
    {
        /* A PV guest's primary console is its PV console 0. */
        xl_err(x, "xl console: only the PV console 0 of a domain is "
               "available here\n");
        return XL_EXIT_FAIL;
    }
    else if ( x->ops->console )
        rc = x->ops->console(x->ops->priv, d);
    else
        return xl_not_available(x, "console");
    if ( rc )
    {
        xl_err(x, "Unable to attach console\n");
        return XL_EXIT_FAIL;
    }
    return XL_EXIT_OK;
}

/* ---- create ---------------------------------------------------------------------- */

int xl_cmd_create(struct xl_ctx *x, int argc, char **argv)
{
    static const struct xl_option longopts[] = {
        { "quiet", false, 'q' },
        { "defconfig", true, 'f' },
        { NULL, false, 0 },
    };
    struct xl_opts o = XL_OPTS("qf:pc", longopts, "create", 0);
    const char *filename = NULL;
    unsigned int flags = 0;
    int opt, i, nr_over = 0;
    domid_t d = 0;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
    {
        switch ( opt )
        {
        case 'f':
            filename = o.optarg;
            break;
        case 'p':
            flags |= XL_CREATE_PAUSED;
            break;
        case 'c':
            flags |= XL_CREATE_CONSOLE;
            break;
        case 'q':
            flags |= XL_CREATE_QUIET;
            break;
        }
    }
    if ( opt < 0 )
        return o.status;

    /* key=value operands are overrides, kept in order at the front of
     * o.opnd; one other operand is the file. */
    for ( i = 0; i < o.nr; i++ )
    {
        if ( strchr(o.opnd[i], '=') )
            o.opnd[nr_over++] = o.opnd[i];
        else if ( !filename )
            filename = o.opnd[i];
        else
        {
            xl_help(x, "create");
            return XL_EXIT_USAGE;
        }
    }
    if ( !filename )
    {
        xl_err(x, "Config file not specified and none in save file\n");
        return XL_EXIT_FAIL;
    }
    if ( !x->ops->create )
        return xl_not_available(x, "create");
    if ( (flags & XL_CREATE_CONSOLE) && !x->ops->console )
        return xl_not_available(x, "create -c");

    if ( !(flags & XL_CREATE_QUIET) )
        xl_err(x, "Parsing config from %s\n", filename);
    if ( x->ops->create(x->ops->priv, filename, nr_over, o.opnd, flags,
                        &d) )
        return XL_EXIT_FAIL;
    if ( (flags & XL_CREATE_CONSOLE) && x->ops->console(x->ops->priv, d) )
    {
        xl_err(x, "Unable to attach console\n");
        return XL_EXIT_FAIL;
    }
    return XL_EXIT_OK;
}

/* ---- mem-set ------------------------------------------------------------------- */

/*
 * xl's parse_mem_size_kb: a number with an optional suffix t, g, m
 * (also no suffix: MiB), k or b, in either case, to KiB; -1 if invalid.
 * Unlike Xen, a string with no digits, a negative size or one that
 * overflows is invalid too (Xen reads "" as 0 and "-5" as -5120 KiB).
 */
static int64_t parse_mem_size_kb(const char *s)
{
    const char *p = s;
    uint64_t v = 0;
    unsigned int shift;
    char c;

    while ( *p == ' ' || *p == '\t' )
        p++;
    if ( *p == '+' )
        p++;
    if ( *p < '0' || *p > '9' )
        return -1;
    for ( ; *p >= '0' && *p <= '9'; p++ )
    {
        if ( v > ((uint64_t)INT64_MAX - (uint64_t)(*p - '0')) / 10 )
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if ( p[0] && p[1] )
        return -1;
    c = p[0] >= 'A' && p[0] <= 'Z' ? (char)(p[0] - 'A' + 'a') : p[0];
    switch ( c )
    {
    case 't':
        shift = 30;
        break;
    case 'g':
        shift = 20;
        break;
    case '\0':
    case 'm':
        shift = 10;
        break;
    case 'k':
        shift = 0;
        break;
    case 'b':
        return (int64_t)(v >> 10);
    default:
        return -1;
    }
    if ( v > ((uint64_t)INT64_MAX >> shift) )
        return -1;
    return (int64_t)(v << shift);
}

int xl_cmd_mem_set(struct xl_ctx *x, int argc, char **argv)
{
    struct xl_opts o = XL_OPTS("", NULL, "mem-set", 2);
    int64_t kb;
    domid_t d;
    int opt;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
        ;
    if ( opt < 0 )
        return o.status;
    if ( !xl_find_domain(x, o.opnd[0], &d) )
        return XL_EXIT_FAIL;
    if ( (kb = parse_mem_size_kb(o.opnd[1])) == -1 )
    {
        xl_err(x, "invalid memory size: %s\n", o.opnd[1]);
        return XL_EXIT_FAIL;
    }
    if ( !x->ops->mem_set )
        return xl_not_available(x, "mem-set");
    if ( x->ops->mem_set(x->ops->priv, d, (uint64_t)kb) )
    {
        xl_err(x, "cannot set domid %u dynamic max memory to : %s\n", d,
               o.opnd[1]);
        return XL_EXIT_FAIL;
    }
    return XL_EXIT_OK;
}
