/*
 * xl_sched.c - sched-credit and sched-credit2: a domain's weight and cap.
 *
 * Keel has one scheduler and presents it to the toolstack as credit or
 * credit2 (the hypervisor's sched= option; Xen 4.17's default is
 * credit2), with one CPU pool, Pool-0.  As in Xen, each command works
 * only with its own scheduler: `xl sched-credit -d vm` under credit2 is
 * refused with Xen's words, and Keel adds which command to use instead.
 *
 * Output is Xen's: for every pool running the scheduler a "Cpupool" line,
 * then "%-33s %4s %6s %4s" Name ID Weight Cap and a row per domain.  The
 * pool's own parameters (tslice, ratelimit) do not exist in Keel, so the
 * pool line is the one Xen prints when they cannot be read.  A new weight
 * or cap is checked against libxl's bounds (weight 1-65535, cap 0 to 100
 * per vCPU) before the hypervisor is asked.
 */
#include <stdlib.h>
#include <string.h>
#include <public/errno.h>
#include "xl_private.h"

struct sched_args {
    uint32_t want;              /* XEN_SCHEDULER_CREDIT or _CREDIT2 */
    const char *name;           /* "credit", "credit2" */
    const char *dom, *cpupool;
    long weight, cap;
    bool opt_w, opt_c, opt_s, opt_params;
};

/* libxl's LIBXL_DOMAIN_SCHED_PARAM_{WEIGHT,CAP}_DEFAULT: "leave it". */
#define PARAM_DEFAULT   (-1L)

static int check_pool(struct xl_ctx *x, const char *pool)
{
    unsigned long id;

    if ( !pool )
        return 0;
    if ( !strcmp(pool, "Pool-0") ||
         (xl_parse_ulong(pool, 0xffffffffUL, &id) && id == 0) )
        return 0;
    xl_err(x, "unknown cpupool '%s'\n", pool);
    return -1;
}

/* The scheduler in use, or false after a message. */
static bool current_sched(struct xl_ctx *x, uint32_t *id)
{
    int rc = kc_sched_id(x->ops->kc, id);

    if ( rc )
        xl_err(x, "libxl: error: getting current scheduler id: %s\n",
               xl_strerror(-rc));
    return rc == 0;
}

static void wrong_sched_hint(struct xl_ctx *x, uint32_t id)
{
    const char *name = xl_sched_name(id);

    if ( id == XEN_SCHEDULER_CREDIT || id == XEN_SCHEDULER_CREDIT2 )
        xl_err(x, "(the hypervisor's scheduler is %s: use 'xl sched-%s')\n",
               name, name);
    else
        xl_err(x, "(the hypervisor's scheduler is %s)\n",
               name ? name : "unknown");
}

static void pool_line(struct xl_ctx *x)
{
    xl_out(x, "Cpupool Pool-0: [sched params unavailable]\n");
}

static void header(struct xl_ctx *x)
{
    xl_out(x, "%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

/* One row: sched_credit_domain_output. */
static int row(struct xl_ctx *x, const struct sched_args *a, domid_t d)
{
    struct xen_domctl_sched_credit p;
    char name[XL_NAME_MAX];
    int rc = kc_sched_credit_get(x->ops->kc, d, a->want, &p);

    if ( rc )
    {
        xl_err(x, "libxl: error: Domain %u:Getting domain sched %s: %s\n", d,
               a->name, xl_strerror(-rc));
        xl_err(x, "libxl_domain_sched_params_get failed.\n");
        return -1;
    }
    xl_out(x, "%-33s %4d %6d %4d\n", xl_domname(x, d, name, sizeof(name)),
           d, p.weight, p.cap);
    return 0;
}

/* Every domain of Pool-0, when it runs our scheduler. */
static int list_all(struct xl_ctx *x, const struct sched_args *a)
{
    struct xen_domctl_getdomaininfo *all;
    unsigned int i, nr;
    uint32_t id;
    int rc = XL_EXIT_OK;

    if ( check_pool(x, a->cpupool) || !current_sched(x, &id) )
        return XL_EXIT_FAIL;
    if ( id != a->want )
    {
        /* Xen prints nothing: no pool runs that scheduler. */
        xl_err(x, "No CPU pool uses the %s scheduler.\n", a->name);
        wrong_sched_hint(x, id);
        return XL_EXIT_OK;
    }
    if ( xl_domain_list(x, &all, &nr) )
        return XL_EXIT_FAIL;
    pool_line(x);
    header(x);
    for ( i = 0; i < nr; i++ )
    {
        if ( all[i].cpupool != 0 )
            continue;
        if ( row(x, a, all[i].domain) )
        {
            rc = XL_EXIT_FAIL;
            break;
        }
    }
    free(all);
    return rc;
}

static int show_one(struct xl_ctx *x, const struct sched_args *a, domid_t d)
{
    uint32_t id;

    header(x);
    if ( !current_sched(x, &id) )
        return XL_EXIT_FAIL;
    if ( id != a->want )
    {
        const char *name = xl_sched_name(id);

        xl_err(x, "libxl_domain_sched_params_get returned %s not %s.\n",
               name ? name : "(null)", a->name);
        wrong_sched_hint(x, id);
        return XL_EXIT_FAIL;
    }
    return row(x, a, d) ? XL_EXIT_FAIL : XL_EXIT_OK;
}

/* libxl_domain_sched_params_set: read, change what was given, check,
 * write. */
static int set_one(struct xl_ctx *x, const struct sched_args *a, domid_t d)
{
    struct xen_domctl_getdomaininfo di;
    struct xen_domctl_sched_credit p;
    long max_cap;
    uint32_t id;
    int rc;

    if ( !current_sched(x, &id) )
        goto failed;
    if ( (rc = xl_domain_info(x, d, &di)) != 0 )
    {
        xl_err(x, "libxl: error: Domain %u:Getting domain info list: %s\n", d,
               xl_strerror(-rc));
        goto failed;
    }
    if ( id != a->want )
    {
        xl_err(x, "libxl: error: Domain %u:Getting domain sched %s: %s\n", d,
               a->name, xl_strerror(XEN_EINVAL));
        xl_err(x, "libxl_domain_sched_params_set failed.\n");
        wrong_sched_hint(x, id);
        return XL_EXIT_FAIL;
    }
    if ( (rc = kc_sched_credit_get(x->ops->kc, d, a->want, &p)) != 0 )
    {
        xl_err(x, "libxl: error: Domain %u:Getting domain sched %s: %s\n", d,
               a->name, xl_strerror(-rc));
        goto failed;
    }
    if ( a->opt_w && a->weight != PARAM_DEFAULT )
    {
        if ( a->weight < 1 || a->weight > 65535 )
        {
            xl_err(x, "libxl: error: Domain %u:Cpu weight out of range, "
                   "valid values are within range from 1 to 65535\n", d);
            goto failed;
        }
        p.weight = (uint16_t)a->weight;
    }
    if ( a->opt_c && a->cap != PARAM_DEFAULT )
    {
        max_cap = di.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID
                  ? 0 : ((long)di.max_vcpu_id + 1) * 100;
        if ( a->cap < 0 || a->cap > max_cap || a->cap > 0xffff )
        {
            xl_err(x, "libxl: error: Domain %u:Cpu cap out of range, valid "
                   "range is from 0 to %ld for specified number of vcpus\n",
                   d, max_cap);
            goto failed;
        }
        p.cap = (uint16_t)a->cap;
    }
    if ( (rc = kc_sched_credit_set(x->ops->kc, d, a->want, &p)) != 0 )
    {
        xl_err(x, "libxl: error: Domain %u:Setting domain sched %s: %s\n", d,
               a->name, xl_strerror(-rc));
        goto failed;
    }
    return XL_EXIT_OK;

 failed:
    xl_err(x, "libxl_domain_sched_params_set failed.\n");
    return XL_EXIT_FAIL;
}

static int sched_cmd(struct xl_ctx *x, struct sched_args *a,
                     struct xl_opts *o, int argc, char **argv)
{
    const char *end;
    domid_t d;
    int opt;

    while ( (opt = xl_opt_next(x, o, argc, argv)) > 0 )
    {
        switch ( opt )
        {
        case 'd':
            a->dom = o->optarg;
            break;
        case 'w':
            a->weight = xl_strtol(o->optarg, &end);
            a->opt_w = true;
            break;
        case 'c':
            a->cap = xl_strtol(o->optarg, &end);
            a->opt_c = true;
            break;
        case 's':
            a->opt_s = true;
            break;
        case 'p':
            a->cpupool = o->optarg;
            break;
        case 't':
        case 'r':
        case 'm':
            a->opt_params = true;
            break;
        }
    }
    if ( opt < 0 )
        return o->status;

    if ( a->want == XEN_SCHEDULER_CREDIT &&
         (a->cpupool || a->opt_s) && (a->dom || a->opt_w || a->opt_c) )
    {
        xl_err(x, "Specifying a cpupool or schedparam is not allowed with "
               "domain options.\n");
        return XL_EXIT_FAIL;
    }
    if ( a->want == XEN_SCHEDULER_CREDIT2 &&
         a->cpupool && (a->dom || a->opt_w || a->opt_c) )
    {
        xl_err(x, "Specifying a cpupool is not allowed with other "
               "options.\n");
        return XL_EXIT_FAIL;
    }
    if ( !a->dom && (a->opt_w || a->opt_c) )
    {
        xl_err(x, "Must specify a domain.\n");
        return XL_EXIT_FAIL;
    }
    if ( a->want == XEN_SCHEDULER_CREDIT && !a->opt_s && a->opt_params )
    {
        xl_err(x, "Must specify schedparam to set schedule parameter "
               "values.\n");
        return XL_EXIT_FAIL;
    }

    if ( a->opt_s )
    {
        if ( check_pool(x, a->cpupool) )
            return XL_EXIT_FAIL;
        if ( a->opt_params )
        {
            xl_err(x, "libxl_sched_%s_params_set failed.\n", a->name);
            xl_err(x, "(Keel's scheduler has no pool parameters: tslice, "
                   "ratelimit and migration delay are fixed)\n");
            return XL_EXIT_FAIL;
        }
        pool_line(x);
        return XL_EXIT_OK;
    }
    if ( !a->dom )
        return list_all(x, a);
    if ( !xl_find_domain(x, a->dom, &d) )
        return XL_EXIT_FAIL;
    if ( !a->opt_w && !a->opt_c )
        return show_one(x, a, d);
    return set_one(x, a, d);
}

int xl_cmd_sched_credit(struct xl_ctx *x, int argc, char **argv)
{
    static const struct xl_option longopts[] = {
        { "domain", true, 'd' },
        { "weight", true, 'w' },
        { "cap", true, 'c' },
        { "schedparam", false, 's' },
        { "tslice_ms", true, 't' },
        { "ratelimit_us", true, 'r' },
        { "migration_delay_us", true, 'm' },
        { "cpupool", true, 'p' },
        { NULL, false, 0 },
    };
    struct xl_opts o = XL_OPTS("d:w:c:p:t:r:m:s", longopts, "sched-credit",
                               0);
    struct sched_args a = {
        .want = XEN_SCHEDULER_CREDIT, .name = "credit",
        .weight = 256, .cap = 0,
    };

    return sched_cmd(x, &a, &o, argc, argv);
}

int xl_cmd_sched_credit2(struct xl_ctx *x, int argc, char **argv)
{
    static const struct xl_option longopts[] = {
        { "domain", true, 'd' },
        { "weight", true, 'w' },
        { "cap", true, 'c' },
        { "schedparam", false, 's' },
        { "ratelimit_us", true, 'r' },
        { "cpupool", true, 'p' },
        { NULL, false, 0 },
    };
    struct xl_opts o = XL_OPTS("d:w:c:p:r:s", longopts, "sched-credit2", 0);
    struct sched_args a = {
        .want = XEN_SCHEDULER_CREDIT2, .name = "credit2",
        .weight = 256, .cap = 0,
    };

    return sched_cmd(x, &a, &o, argc, argv);
}
