/*
 * Domain and vCPU lifecycle.  A domain is created paused, gains memory and
 * a context from its builder, runs once unpaused, and ends through
 * shutdown (a guest request with a reason) or crash (the hypervisor's
 * verdict on a misbehaving guest).  dom0 ending ends the machine: Keel
 * reports the reason and reboots, or halts with `noreboot`.
 *
 * Reference counting: the domain list holds one reference; each user
 * that looks a domain up takes one with domain_get() and drops it with
 * domain_put().
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/event.h>
#include <keel/grant_table.h>
#include <keel/lib.h>
#include <keel/misc_params.h>
#include <keel/sched.h>
#include <keel/shutdown.h>
#include <keel/xmalloc.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <public/sched.h>
#include <public/xen.h>

struct domain *hardware_domain;

#define MAX_DOMAINS 64
static struct domain *domain_table[MAX_DOMAINS];   /* [domlist_lock] */
static DEFINE_SPINLOCK(domlist_lock);

struct vcpu *get_current(void)
{
    return get_cpu_info()->current_vcpu;
}

void set_current(struct vcpu *v)
{
    get_cpu_info()->current_vcpu = v;
}

static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = xzalloc(struct vcpu);

    if ( !v )
        return NULL;
    if ( arch_vcpu_create(v) )
    {
        xfree(v);
        return NULL;
    }
    v->vcpu_id = id;
    v->domain = d;
    v->pause_count = 0;
    v->vcpu_info = id < MAX_VIRT_CPUS ? &d->shared_info->vcpu_info[id]
                                      : NULL;
    v->arch.kernel_mode = true;
    v->arch.debugreg[6] = DR6_INIT;
    v->arch.debugreg[7] = DR7_INIT;
    sched_vcpu_init(v);
    sched_insert_vcpu(v);
    return v;
}

struct domain *domain_create(domid_t domid, unsigned int max_vcpus,
                             bool privileged)
{
    struct domain *d;
    struct page_info *si;
    unsigned int i;

    if ( domid >= MAX_DOMAINS || !max_vcpus || max_vcpus > MAX_VIRT_CPUS )
        return NULL;
    d = xzalloc(struct domain);
    if ( !d )
        return NULL;
    d->domain_id = domid;
    d->is_privileged = privileged;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->page_alloc_lock);
    d->page_list.next = d->page_list.prev = PAGE_LIST_NULL;
    d->state = DOMSTATE_PAUSED_NEW;
    d->pause_count = 1;
    d->refcnt = 1;
    d->max_vcpus = max_vcpus;
    d->sched_weight = SCHED_DEFAULT_WEIGHT;
    d->arch.pv_linear_pt = opt_pv_linear_pt;

    /* shared_info: a hypervisor page the guest may map. */
    si = alloc_heap_pages(0, 0);
    if ( !si )
        goto fail;
    d->shared_info_mfn = page_to_mfn(si);
    d->shared_info = mfn_to_virt(d->shared_info_mfn);
    memset(d->shared_info, 0, PAGE_SIZE);
    if ( domain_assign_page(d, si, 0, true) )
    {
        free_heap_pages(si, 0);
        goto fail;
    }
    for ( i = 0; i < MAX_VIRT_CPUS; i++ )
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;

    d->vcpu = xzalloc_array(struct vcpu *, max_vcpus);
    if ( !d->vcpu )
        goto fail;
    for ( i = 0; i < max_vcpus; i++ )
        if ( (d->vcpu[i] = vcpu_create(d, i)) == NULL )
            goto fail;
    if ( evtchn_init(d) )
        goto fail;
    if ( grant_table_init(d) )
        goto fail;

    spin_lock(&domlist_lock);
    if ( domain_table[domid] )
    {
        spin_unlock(&domlist_lock);
        goto fail;
    }
    domain_table[domid] = d;
    spin_unlock(&domlist_lock);
    return d;

 fail:
    printk(KLOG_ERR "d%u: cannot create domain (out of memory)\n", domid);
    evtchn_destroy(d);
    grant_table_destroy(d);
    domain_relinquish_memory(d);
    if ( d->vcpu )
        for ( i = 0; i < max_vcpus; i++ )
            if ( d->vcpu[i] )
            {
                arch_vcpu_destroy(d->vcpu[i]);
                xfree(d->vcpu[i]);
            }
    xfree(d->vcpu);
    xfree(d);
    return NULL;
}

void domain_relinquish_memory(struct domain *d)
{
    /* Boot-time and teardown use: run the preemptible release to the end. */
    while ( arch_domain_relinquish(d) == -ERESTART )
        continue;
}

void domain_destroy(struct domain *d)
{
    spin_lock(&domlist_lock);
    if ( domain_table[d->domain_id] == d )
        domain_table[d->domain_id] = NULL;
    spin_unlock(&domlist_lock);
    evtchn_destroy(d);              /* peers see their ends unbound */
    grant_table_destroy(d);         /* before its memory goes */
    domain_relinquish_memory(d);    /* marks it dying */
    spin_lock(&d->lock);
    d->state = DOMSTATE_DEAD;
    spin_unlock(&d->lock);
    domain_put(d);                  /* the list's reference */
}

bool domain_get(struct domain *d)
{
    unsigned int old = __atomic_load_n(&d->refcnt, __ATOMIC_RELAXED);

    do {
        if ( old == 0 )
            return false;               /* being freed */
    } while ( !__atomic_compare_exchange_n(&d->refcnt, &old, old + 1, false,
                                           __ATOMIC_ACQUIRE,
                                           __ATOMIC_RELAXED) );
    return true;
}

void domain_put(struct domain *d)
{
    unsigned int i;

    if ( __atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_RELEASE) )
        return;
    /* Last reference: the domain was destroyed and unlisted already. */
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        sched_vcpu_destroy(d->vcpu[i]);
        arch_vcpu_destroy(d->vcpu[i]);
        xfree(d->vcpu[i]);
    }
    xfree(d->vcpu);
    xfree(d);
}

struct domain *sched_domain_iter(unsigned int *i)
{
    while ( *i < MAX_DOMAINS )
    {
        struct domain *d = domain_table[(*i)++];

        if ( d )
            return d;
    }
    return NULL;
}

struct domain *domain_get_by_id(domid_t id, struct domain *cur)
{
    struct domain *d = NULL;

    if ( id == DOMID_SELF )
        id = cur->domain_id;
    if ( id >= MAX_DOMAINS )
        return NULL;
    spin_lock(&domlist_lock);
    if ( domain_table[id] && domain_get(domain_table[id]) )
        d = domain_table[id];
    spin_unlock(&domlist_lock);
    return d;
}

void domain_pause(struct domain *d)
{
    unsigned int i;

    __atomic_fetch_add(&d->pause_count, 1, __ATOMIC_SEQ_CST);
    for ( i = 0; i < d->max_vcpus; i++ )
        vcpu_sleep(d->vcpu[i]);
}

void domain_unpause(struct domain *d)
{
    unsigned int i;

    if ( __atomic_sub_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST) == 0 )
    {
        spin_lock(&d->lock);
        if ( d->state == DOMSTATE_PAUSED_NEW )
            d->state = DOMSTATE_RUNNING;
        spin_unlock(&d->lock);
        for ( i = 0; i < d->max_vcpus; i++ )
            vcpu_wake(d->vcpu[i]);
    }
}

static const char *const shutdown_names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

static const char *shutdown_name(unsigned int reason)
{
    return reason < ARRAY_SIZE(shutdown_names) && shutdown_names[reason]
           ? shutdown_names[reason] : "unknown";
}

/* dom0 is gone: nothing left to run.  Reboot, or halt with noreboot. */
static void __noreturn hardware_domain_ended(struct domain *d)
{
    printk("Hardware domain (d%u) shut down: reason %u (%s).\n",
           d->domain_id, d->shutdown_reason, shutdown_name(d->shutdown_reason));
    if ( d->shutdown_reason == SHUTDOWN_poweroff && opt_noreboot )
        machine_halt();
    if ( d->shutdown_reason == SHUTDOWN_poweroff ||
         d->shutdown_reason == SHUTDOWN_reboot )
    {
        if ( opt_noreboot )
            machine_halt();
        machine_restart(0);
    }
    machine_panic_stop();
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    spin_lock(&d->lock);
    if ( d->state >= DOMSTATE_SHUTDOWN )
    {
        spin_unlock(&d->lock);
        return;
    }
    d->state = DOMSTATE_SHUTDOWN;
    d->shutdown_reason = reason;
    spin_unlock(&d->lock);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        vcpu_sleep(d->vcpu[i]);

    if ( d == hardware_domain )
        hardware_domain_ended(d);
    send_global_virq(VIRQ_DOM_EXC);         /* tell dom0 */
    printk("d%u: shut down, reason %u (%s)\n", d->domain_id, reason,
           shutdown_name(reason));
}

void domain_crash(struct domain *d, const char *why)
{
    printk(KLOG_ERR "d%u: crashed: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}

void domain_crash_current(const char *why)
{
    struct vcpu *v = current;

    domain_crash(v->domain, why);
    /* Never return to the guest: the exit path sees the domain is dead. */
    arch_vcpu_abandon();
}
