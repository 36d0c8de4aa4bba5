/*
 * xl_vcpu.c - vcpu-list and vcpu-pin.
 *
 * vcpu-list prints Xen 4.17's table: a vCPU line is the name, domain and
 * vCPU ids, the CPU and state ("r"/"b" when online, "--p" when offline),
 * the vCPU's time as "%9.1f" and the hard and soft affinities as Xen's
 * print_bitmap writes them over the host's online CPUs.  A domain is
 * printed whole or not at all, as libxl gathers every vCPU first.
 *
 * vcpu-pin takes Xen's arguments (<Domain> <VCPU|all> <hard|-> [<soft|-
 * >]) with xl's CPU lists and messages.  Before asking the hypervisor it
 * checks what Xen leaves to a bare "Invalid argument": a vCPU the domain
 * does not have, a hard affinity naming no CPU of the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <public/errno.h>
#include "xl_private.h"

/* The CPU counts the bitmaps are sized and printed with. */
struct host_cpus {
    unsigned int nr_cpus;       /* online: print_bitmap length */
    unsigned int max_cpus;      /* max_cpu_id + 1: bitmap size */
    unsigned int nr_nodes;
};

static bool host_cpus(struct xl_ctx *x, struct host_cpus *h)
{
    struct xen_sysctl_physinfo pi;

    if ( kc_physinfo(x->ops->kc, &pi) )
    {
        xl_err(x, "libxl_physinfo failed.\n");
        return false;
    }
    h->nr_cpus = pi.nr_cpus;
    h->max_cpus = pi.max_cpu_id + 1;
    if ( h->max_cpus > XL_MAX_CPUS || !h->max_cpus )
        h->max_cpus = XL_MAX_CPUS;
    if ( h->nr_cpus > h->max_cpus )
        h->nr_cpus = h->max_cpus;
    h->nr_nodes = pi.nr_nodes;
    return true;
}

/* ---- vcpu-list -------------------------------------------------------------- */

struct vcpu_row {
    struct xen_domctl_getvcpuinfo info;
    uint8_t *hard, *soft;
};

/* libxl_list_vcpu then print_vcpuinfo for each: false on failure. */
static bool print_domain_vcpus(struct xl_ctx *x, domid_t d,
                               const struct host_cpus *h)
{
    struct xen_domctl_getdomaininfo di;
    struct vcpu_row *rows = NULL;
    size_t maplen = (h->max_cpus + 7) / 8;
    char name[XL_NAME_MAX], time[32];
    const char *what = "Getting vcpu info";
    unsigned int nr, v;
    uint8_t *maps = NULL;
    int rc;

    if ( (rc = xl_domain_info(x, d, &di)) != 0 )
    {
        xl_err(x, "libxl: error: Domain %u:Getting infolist: %s\n", d,
               xl_strerror(-rc));
        return false;
    }
    if ( di.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID )
        return true;
    nr = di.max_vcpu_id + 1;
    rows = calloc(nr, sizeof(*rows));
    maps = calloc(nr, 2 * maplen);
    if ( !rows || !maps )
    {
        rc = -XEN_ENOMEM;
        what = "Allocating vcpu list";
        goto fail;
    }
    for ( v = 0; v < nr; v++ )
    {
        rows[v].hard = maps + 2 * maplen * v;
        rows[v].soft = rows[v].hard + maplen;
        if ( (rc = kc_vcpu_getinfo(x->ops->kc, d, v, &rows[v].info)) != 0 )
            goto fail;
        if ( (rc = kc_vcpu_getaffinity(x->ops->kc, d, v, rows[v].hard,
                                       rows[v].soft, h->max_cpus)) != 0 )
        {
            what = "Getting vcpu affinity";
            goto fail;
        }
    }

    for ( v = 0; v < nr; v++ )
    {
        const struct xen_domctl_getvcpuinfo *i = &rows[v].info;

        xl_out(x, "%-32s %5u %5u", xl_domname(x, d, name, sizeof(name)),
               d, v);
        if ( !i->online )
            xl_out(x, "%5c %3c%cp ", '-', '-', '-');
        else
            xl_out(x, "%5u %3c%c- ", i->cpu, i->running ? 'r' : '-',
                   i->blocked ? 'b' : '-');
        xl_fmt_seconds(time, sizeof(time), 9, i->cpu_time);
        xl_out(x, "%s  ", time);
        xl_print_bitmap(x, rows[v].hard, h->nr_cpus);
        xl_out(x, " / ");
        xl_print_bitmap(x, rows[v].soft, h->nr_cpus);
        xl_out(x, "\n");
    }
    free(maps);
    free(rows);
    return true;

 fail:
    xl_err(x, "libxl: error: Domain %u:%s: %s\n", d, what, xl_strerror(-rc));
    free(maps);
    free(rows);
    return false;
}

int xl_cmd_vcpu_list(struct xl_ctx *x, int argc, char **argv)
{
    struct xl_opts o = XL_OPTS("", NULL, "vcpu-list", 0);
    struct xen_domctl_getdomaininfo *all;
    struct host_cpus h;
    unsigned int i, nr;
    bool ok = true;
    domid_t d;
    int opt;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
        ;
    if ( opt < 0 )
        return o.status;
    if ( !host_cpus(x, &h) )
        return XL_EXIT_FAIL;

    xl_out(x, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU",
           "State", "Time(s)", "Affinity (Hard / Soft)");
    if ( !o.nr )
    {
        if ( xl_domain_list(x, &all, &nr) )
            return XL_EXIT_FAIL;
        for ( i = 0; i < nr; i++ )
            ok &= print_domain_vcpus(x, all[i].domain, &h);
        free(all);
    }
    for ( i = 0; i < (unsigned int)o.nr; i++ )
    {
        if ( !xl_find_domain(x, o.opnd[i], &d) )
            return XL_EXIT_FAIL;
        ok &= print_domain_vcpus(x, d, &h);
    }
    return ok ? XL_EXIT_OK : XL_EXIT_FAIL;
}

/* ---- vcpu-pin ---------------------------------------------------------------- */

static bool map_has_cpu(const uint8_t *map, unsigned int nr_cpus)
{
    unsigned int i;

    for ( i = 0; i < nr_cpus; i++ )
        if ( map[i / 8] & (1u << (i % 8)) )
            return true;
    return false;
}

/*
 * libxl_set_vcpuaffinity{,_force} for one vCPU: 0, or -1 after the
 * reason.  With a soft map, says so when none of its CPUs is usable.
 */
static int pin_one(struct xl_ctx *x, domid_t d, unsigned int v,
                   const uint8_t *hard, const uint8_t *soft, bool force,
                   const struct host_cpus *h)
{
    size_t maplen = (h->max_cpus + 7) / 8;
    uint8_t *bh = NULL, *bs = NULL;
    int rc = -XEN_ENOMEM;

    if ( (hard && (bh = malloc(maplen)) == NULL) ||
         (soft && (bs = malloc(maplen)) == NULL) )
        goto out;
    if ( bh )
        memcpy(bh, hard, maplen);
    if ( bs )
        memcpy(bs, soft, maplen);
    if ( force )
        rc = kc_vcpu_setaffinity_force(x->ops->kc, d, v, bh, bs,
                                       h->max_cpus);
    else
        rc = kc_vcpu_setaffinity(x->ops->kc, d, v, bh, bs, h->max_cpus);
    if ( !rc && bs && !map_has_cpu(bs, h->max_cpus) )
        xl_err(x, "libxl: warning: Domain %u:all cpus in soft affinity of "
               "vcpu %u are unreachable. Only hard affinity will be "
               "considered for scheduling\n", d, v);
 out:
    if ( rc )
        xl_err(x, "libxl: error: Domain %u:Setting vcpu affinity: %s\n", d,
               xl_strerror(-rc));
    free(bh);
    free(bs);
    return rc ? -1 : 0;
}

/* "0-3" for a message: the host's CPU ids. */
static void cpu_span(char *buf, size_t len, unsigned int nr)
{
    if ( nr > 1 )
        snprintf(buf, len, "0-%u", nr - 1);
    else
        snprintf(buf, len, "0");
}

int xl_cmd_vcpu_pin(struct xl_ctx *x, int argc, char **argv)
{
    static const struct xl_option longopts[] = {
        { "force", false, 'f' },
        { NULL, false, 0 },
    };
    struct xl_opts o = XL_OPTS("f", longopts, "vcpu-pin", 3);
    struct xen_domctl_getdomaininfo di;
    const char *vcpu, *hard_str, *soft_str, *end;
    uint8_t *hard = NULL, *soft = NULL, *maps = NULL;
    struct host_cpus h;
    bool force = false;
    unsigned int v, nr_vcpus, failed = 0;
    char span[32];
    size_t maplen;
    long vcpuid;
    int opt, rc = XL_EXIT_FAIL;
    domid_t d;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
        if ( opt == 'f' )
            force = true;
    if ( opt < 0 )
        return o.status;

    if ( !xl_find_domain(x, o.opnd[0], &d) )
        return XL_EXIT_FAIL;
    vcpu = o.opnd[1];
    hard_str = o.opnd[2];
    soft_str = o.nr > 3 ? o.opnd[3] : NULL;

    vcpuid = xl_strtol(vcpu, &end);
    if ( end == vcpu || vcpuid < 0 )
    {
        if ( strcmp(vcpu, "all") )
        {
            xl_err(x, "Error: Invalid argument %s as VCPU.\n", vcpu);
            return XL_EXIT_FAIL;
        }
        if ( force )
        {
            xl_err(x, "Error: --force and 'all' as VCPU not allowed.\n");
            return XL_EXIT_FAIL;
        }
        vcpuid = -1;
    }

    if ( !host_cpus(x, &h) )
        return XL_EXIT_FAIL;
    maplen = (h.max_cpus + 7) / 8;
    if ( (maps = calloc(2, maplen)) == NULL )
    {
        xl_err(x, "xl: out of memory\n");
        return XL_EXIT_FAIL;
    }

    /* "-" leaves an affinity alone; a missing soft affinity too. */
    if ( strcmp(hard_str, "-") )
    {
        hard = maps;
        if ( !xl_parse_cpurange(x, hard_str, hard, h.max_cpus, h.nr_nodes) )
            goto out;
    }
    if ( soft_str && strcmp(soft_str, "-") )
    {
        soft = maps + maplen;
        if ( !xl_parse_cpurange(x, soft_str, soft, h.max_cpus, h.nr_nodes) )
            goto out;
    }

    if ( x->dryrun )
    {
        xl_out(x, "cpumap: ");
        if ( hard )
            xl_print_bitmap(x, hard, h.nr_cpus);
        else
            xl_out(x, "-");
        if ( soft )
        {
            xl_out(x, " ");
            xl_print_bitmap(x, soft, h.nr_cpus);
        }
        xl_out(x, "\n");
        rc = XL_EXIT_OK;
        goto out;
    }

    /* What the hypervisor would only call "Invalid argument". */
    cpu_span(span, sizeof(span), h.nr_cpus);
    if ( hard && !map_has_cpu(hard, h.nr_cpus) )
    {
        xl_err(x, "Hard affinity '%s' names no CPU of this host (its CPUs "
               "are %s).\n", hard_str, span);
        goto refused;
    }
    if ( xl_domain_info(x, d, &di) )
    {
        xl_err(x, "Domain %u does not exist.\n", d);
        goto refused;
    }
    nr_vcpus = di.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID
               ? 0 : di.max_vcpu_id + 1;
    if ( vcpuid >= 0 && (unsigned long)vcpuid >= nr_vcpus )
    {
        cpu_span(span, sizeof(span), nr_vcpus);
        if ( nr_vcpus )
            xl_err(x, "Domain %u has no vCPU %ld (its vCPUs are %s).\n", d,
                   vcpuid, span);
        else
            xl_err(x, "Domain %u has no vCPUs.\n", d);
        goto refused;
    }

    if ( vcpuid >= 0 )
    {
        if ( pin_one(x, d, (unsigned int)vcpuid, hard, soft, force, &h) )
            goto refused;
        rc = XL_EXIT_OK;
        goto out;
    }
    for ( v = 0; v < nr_vcpus; v++ )
        if ( pin_one(x, d, v, hard, soft, false, &h) )
        {
            xl_err(x, "libxl: warning: Domain %u:Failed to set affinity for "
                   "%u\n", d, v);
            failed++;
        }
    if ( failed )
        xl_err(x, "Could not set affinity.\n");
    else
        rc = XL_EXIT_OK;
    goto out;

 refused:
    if ( vcpuid >= 0 )
        xl_err(x, "Could not set affinity for vcpu `%ld'.\n", vcpuid);
    else
        xl_err(x, "Could not set affinity.\n");
 out:
    free(maps);
    return rc;
}
