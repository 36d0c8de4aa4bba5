/*
 * fuzz: generators for domctl and sysctl, run as dom0.  The argument
 * structure is the real one with the interface version usually right
 * (sometimes not), a command from the whole range, and fields from the
 * hostile pools; guest handles inside point at our arena, at read-only
 * memory or at nothing.
 *
 * What would end or cripple the fuzzer itself is kept away from dom0:
 * commands that change a domain (pause, destroy, memory limit, scheduler
 * parameters, affinity, permissions, contexts, shutdown) name dom0 only
 * when they are refused for it anyway (pausing or destroying oneself), or
 * another id; domains the fuzzer creates get everything.  readconsole
 * never clears the ring (the log of a failure must survive), and sysctl
 * sticks to commands that only read (see gen_sysctl()).
 */
#include "fuzz.h"
#include <public/domctl.h>
#include <public/sysctl.h>

#define PICK(a) ((a)[below(ARRAY_SIZE(a))])

static domid_t created[8];
static unsigned int nr_created;

/* A domain for a command that only reads, or may harm only domUs. */
static domid_t target(bool harmless)
{
    if ( nr_created && chance(40) )
        return created[below(nr_created)];
    if ( harmless && chance(30) )
        return 0;
    return chance(50) ? (domid_t)(1 + below(200)) : raw_domid();
}

static void fill_handles(void *p, size_t size)
{
    /* Overwrite a few 8-byte words with pointers: some are handles. */
    uint64_t *w = p;
    unsigned int i, n = size / 8;

    for ( i = 0; i < 3 && n; i++ )
        w[below(n)] = any_ptr();
}

void gen_domctl(struct call *c, bool top)
{
    static const unsigned int readers[] = {
        XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_getvcpuinfo,
        XEN_DOMCTL_getvcpuaffinity, XEN_DOMCTL_getvcpucontext,
        XEN_DOMCTL_get_address_size, XEN_DOMCTL_pausedomain,
        XEN_DOMCTL_destroydomain,
    };
    struct xen_domctl *op = arena_alloc(sizeof(*op));
    bool harmless;

    c->args[0] = bad_ptr();
    if ( !op )
        return;
    fill_content(op, sizeof(*op));
    op->interface_version = chance(90) ? XEN_DOMCTL_INTERFACE_VERSION
                                       : (uint32_t)any_int();
    op->cmd = chance(30) ? PICK(readers)
                         : (chance(90) ? below(90) : (uint32_t)any_int());
    /* Pausing or destroying oneself is refused: safe on dom0 too. */
    harmless = op->cmd == XEN_DOMCTL_getdomaininfo ||
               op->cmd == XEN_DOMCTL_getvcpuinfo ||
               op->cmd == XEN_DOMCTL_getvcpuaffinity ||
               op->cmd == XEN_DOMCTL_getvcpucontext ||
               op->cmd == XEN_DOMCTL_get_address_size ||
               op->cmd == XEN_DOMCTL_pausedomain ||
               op->cmd == XEN_DOMCTL_destroydomain;
    op->domain = target(harmless);
    if ( op->cmd == XEN_DOMCTL_createdomain )
    {
        memset(&op->u.createdomain, 0, sizeof(op->u.createdomain));
        op->domain = chance(80) ? 0 : (domid_t)any_int();
        op->u.createdomain.max_vcpus = chance(80) ? 1 + below(4)
                                                  : (uint32_t)any_int();
        op->u.createdomain.max_evtchn_port = chance(80) ? 1023
                                                        : (uint32_t)any_int();
        op->u.createdomain.max_grant_frames = chance(80) ? 4 : (int)any_int();
        op->u.createdomain.max_maptrack_frames = chance(80) ? 16
                                                   : (int)any_int();
        op->u.createdomain.grant_opts = chance(80) ? 1 : (uint32_t)any_int();
        op->u.createdomain.flags = chance(80) ? 0 : (uint32_t)any_int();
        if ( nr_created == ARRAY_SIZE(created) )
            op->u.createdomain.max_vcpus = 0;   /* enough of them */
    }
    else
        fill_handles(&op->u, sizeof(op->u));
    c->args[0] = (unsigned long)op;
    c->post = POST_DOMCTL;
}

void gen_sysctl(struct call *c, bool top)
{
    static const unsigned int cmds[] = {
        XEN_SYSCTL_readconsole, XEN_SYSCTL_physinfo, XEN_SYSCTL_sched_id,
        XEN_SYSCTL_getdomaininfolist, XEN_SYSCTL_cputopoinfo,
    };
    struct xen_sysctl *op = arena_alloc(sizeof(*op));

    c->args[0] = bad_ptr();
    if ( !op )
        return;
    fill_content(op, sizeof(*op));
    op->interface_version = chance(90) ? XEN_SYSCTL_INTERFACE_VERSION
                                       : (uint32_t)any_int();
    /*
     * Known commands that only read, or numbers past the defined ones.
     * Not the others: on Xen they press debug keys (one reboots), take
     * CPUs offline or move them between pools.
     */
    op->cmd = chance(85) ? PICK(cmds) : 30 + (uint32_t)below(100);
    fill_handles(&op->u, sizeof(op->u));
    if ( op->cmd == XEN_SYSCTL_readconsole )
    {
        op->u.readconsole.clear = 0;
        op->u.readconsole.count = chance(50) ? below(512) : any_count();
    }
    if ( op->cmd == XEN_SYSCTL_getdomaininfolist )
        op->u.getdomaininfolist.max_domains = chance(70) ? below(8)
                                                         : any_count();
    c->args[0] = (unsigned long)op;
}

/* A created domain's id comes back in the struct: remember it. */
void fuzz_note_domctl(const struct call *c, long result)
{
    const struct xen_domctl *op = (const void *)c->args[0];

    if ( result == 0 && op->cmd == XEN_DOMCTL_createdomain &&
         nr_created < ARRAY_SIZE(created) )
        created[nr_created++] = op->domain;
}
