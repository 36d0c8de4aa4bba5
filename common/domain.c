/*
 * Domain and vCPU lifecycle.  A domain is created paused, gains memory and
 * a context from its builder, runs once unpaused, and ends through
 * shutdown (a guest request with a reason) or crash (the hypervisor's
 * verdict on a misbehaving guest).  dom0 ending ends the machine: Keel
 * reports the reason and reboots, or halts with `noreboot`.  Other
 * domains are destroyed by the toolstack (domain_kill(), preemptible);
 * a destroyed domain stays listed as a zombie while references remain.
 *
 * Reference counting: the domain list holds one reference, dropped when
 * the domain is killed; each user that looks a domain up takes one with
 * domain_get() and drops it with domain_put(); a domain owning pages
 * holds one on itself (arch/x86/mm/mm.c).  The last put unlists the
 * domain (its id becomes free) and frees it.
 *
 * The domain table: see include/keel/domain.h.  domlist_lock is a leaf;
 * chunks are allocated outside it and never freed (at most
 * DOMID_NR_CHUNKS * DOMID_CHUNK pointers, 256 KiB).
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/event.h>
#include <keel/grant_table.h>
#include <keel/lib.h>
#include <keel/misc_params.h>
#include <keel/nospec.h>
#include <keel/rangeset.h>
#include <keel/sched.h>
#include <keel/shutdown.h>
#include <keel/xmalloc.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

struct domain *hardware_domain;

#define DOMID_CHUNK_SHIFT   8
#define DOMID_CHUNK         (1u << DOMID_CHUNK_SHIFT)
#define DOMID_NR_CHUNKS     ((DOMID_FIRST_RESERVED + DOMID_CHUNK - 1) / \
                             DOMID_CHUNK)
#define DOMID_BITMAP_WORDS  ((DOMID_FIRST_RESERVED + 63) / 64)

static DEFINE_SPINLOCK(domlist_lock);
static struct domain **domain_chunks[DOMID_NR_CHUNKS];  /* [domlist_lock] */
static uint64_t domid_used[DOMID_BITMAP_WORDS];         /* [domlist_lock]
                                                   listed or reserved */
static domid_t domid_rover;                             /* [domlist_lock] */

struct vcpu *get_current(void)
{
    return get_cpu_info()->current_vcpu;
}

void set_current(struct vcpu *v)
{
    get_cpu_info()->current_vcpu = v;
}

/* ---- the domain table --------------------------------------------------- */

static bool domid_test(domid_t id)
{
    return (domid_used[id / 64] >> (id % 64)) & 1;
}

static void domid_set(domid_t id, bool used)
{
    if ( used )
        domid_used[id / 64] |= 1ULL << (id % 64);
    else
        domid_used[id / 64] &= ~(1ULL << (id % 64));
}

/* The slot for id (caller holds domlist_lock; its chunk exists). */
static struct domain **domain_slot(domid_t id)
{
    return &domain_chunks[id >> DOMID_CHUNK_SHIFT][id & (DOMID_CHUNK - 1)];
}

static struct domain *domain_lookup_locked(domid_t id)
{
    ASSERT_SPIN_LOCKED(&domlist_lock);
    if ( id >= DOMID_FIRST_RESERVED ||
         !domain_chunks[id >> DOMID_CHUNK_SHIFT] )
        return NULL;
    return *domain_slot(array_index_nospec(id, DOMID_FIRST_RESERVED));
}

/* First id >= from with its bit equal to `used` (DOMID_FIRST_RESERVED: none). */
static unsigned int domid_scan(unsigned int from, bool used)
{
    unsigned int w;

    for ( w = from / 64; w < DOMID_BITMAP_WORDS && from < DOMID_FIRST_RESERVED;
          w++, from = w * 64 )
    {
        uint64_t bits = used ? domid_used[w] : ~domid_used[w];

        bits &= ~0ULL << (from % 64);
        if ( bits )
        {
            unsigned int id = w * 64 + __builtin_ctzll(bits);

            return id < DOMID_FIRST_RESERVED ? id : DOMID_FIRST_RESERVED;
        }
    }
    return DOMID_FIRST_RESERVED;
}

/*
 * Reserve an id for a domain being built: domid itself, or (DOMID_INVALID)
 * the first free id after the rover, wrapping from DOMID_FIRST_RESERVED - 1
 * to 1 as Xen does, so that ids keep increasing across create/destroy.
 */
static int domid_reserve(domid_t domid, domid_t *out)
{
    struct domain **chunk = NULL;
    unsigned int id;
    int rc = 0;

    for ( ; ; )
    {
        unsigned int c;

        spin_lock(&domlist_lock);
        if ( domid != DOMID_INVALID )
            id = domid;
        else
        {
            id = domid_scan(domid_rover + 1u, false);
            if ( id >= DOMID_FIRST_RESERVED )
                id = domid_scan(1, false);
            if ( id >= DOMID_FIRST_RESERVED ||
                 (id == domid_rover && domid_test(id)) )
            {
                spin_unlock(&domlist_lock);
                rc = -ENOMEM;
                break;
            }
        }
        if ( id >= DOMID_FIRST_RESERVED )
            rc = -EINVAL;
        else if ( domid_test(id) )
            rc = -EEXIST;
        if ( rc )
        {
            spin_unlock(&domlist_lock);
            break;
        }
        c = id >> DOMID_CHUNK_SHIFT;
        if ( !domain_chunks[c] && chunk )
        {
            domain_chunks[c] = chunk;
            chunk = NULL;
        }
        if ( domain_chunks[c] )
        {
            domid_set(id, true);
            if ( domid == DOMID_INVALID )
                domid_rover = id;
            spin_unlock(&domlist_lock);
            *out = id;
            break;
        }
        spin_unlock(&domlist_lock);
        /* Allocate the chunk outside the lock, then try again. */
        if ( (chunk = xzalloc_array(struct domain *, DOMID_CHUNK)) == NULL )
            return -ENOMEM;
    }
    xfree(chunk);                           /* lost a race: not needed */
    return rc;
}

static void domid_release(domid_t id)
{
    spin_lock(&domlist_lock);
    *domain_slot(id) = NULL;
    domid_set(id, false);
    spin_unlock(&domlist_lock);
}

void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg)
{
    unsigned int id;

    spin_lock(&domlist_lock);
    for ( id = domid_scan(0, true); id < DOMID_FIRST_RESERVED;
          id = domid_scan(id + 1, true) )
    {
        struct domain *d = *domain_slot(id);

        if ( d )
            fn(d, arg);
    }
    spin_unlock(&domlist_lock);
}

struct domain *domain_get_next(domid_t first)
{
    struct domain *d = NULL;
    unsigned int id;

    spin_lock(&domlist_lock);
    for ( id = domid_scan(first, true); id < DOMID_FIRST_RESERVED;
          id = domid_scan(id + 1, true) )
    {
        d = *domain_slot(id);
        if ( d && domain_get(d) )
            break;
        d = NULL;                           /* reserved, or being freed */
    }
    spin_unlock(&domlist_lock);
    return d;
}

struct domain *domain_get_by_exact_id(domid_t id)
{
    struct domain *d;

    spin_lock(&domlist_lock);
    d = domain_lookup_locked(id);
    if ( d && !domain_get(d) )
        d = NULL;
    spin_unlock(&domlist_lock);
    return d;
}

struct domain *domain_get_by_id(domid_t id, struct domain *cur)
{
    if ( id == DOMID_SELF )
        id = cur->domain_id;
    return domain_get_by_exact_id(id);
}

/* ---- creation ------------------------------------------------------------ */

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

/* Free what domain_create_config() built (nothing listed, no vCPU ran). */
static void domain_free_parts(struct domain *d)
{
    unsigned int i;

    if ( d->vcpu )
        for ( i = 0; i < d->max_vcpus; i++ )
            if ( d->vcpu[i] )
            {
                sched_vcpu_destroy(d->vcpu[i]);
                arch_vcpu_destroy(d->vcpu[i]);
                xfree(d->vcpu[i]);
            }
    xfree(d->vcpu);
    xfree(d->iomem_caps);
    xfree(d->ioport_caps);
    xfree(d->irq_caps);
    xfree(d);
}

int domain_create_config(domid_t domid, const struct domain_config *cfg,
                         struct domain **out)
{
    struct domain *d;
    struct page_info *si;
    unsigned int i;
    domid_t id;
    int rc;

    if ( !cfg->max_vcpus || cfg->max_vcpus > MAX_VIRT_CPUS )
        return -EINVAL;
    if ( (rc = domid_reserve(domid, &id)) != 0 )
        return rc;
    rc = -ENOMEM;
    d = xzalloc(struct domain);
    if ( !d )
        goto fail_id;
    d->domain_id = id;
    d->is_privileged = cfg->privileged;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->page_alloc_lock);
    d->page_list.next = d->page_list.prev = PAGE_LIST_NULL;
    d->state = DOMSTATE_PAUSED_NEW;
    d->shutdown_reason = SHUTDOWN_CODE_INVALID;
    /*
     * Created paused: by the toolstack (its unpausedomain undoes it) or,
     * for dom0, until its builder unpauses it.
     */
    d->pause_count = 1;
    d->controller_pause_count = cfg->controller_paused;
    d->refcnt = 1;
    d->ssidref = cfg->ssidref;
    if ( cfg->handle )
        memcpy(d->handle, cfg->handle, sizeof(d->handle));
    d->max_vcpus = cfg->max_vcpus;
    d->vcpus_published = !cfg->controller_paused;
    d->sched_weight = SCHED_DEFAULT_WEIGHT;
    d->arch.pv_linear_pt = opt_pv_linear_pt;

    d->iomem_caps = xzalloc(struct rangeset);
    d->ioport_caps = xzalloc(struct rangeset);
    d->irq_caps = xzalloc(struct rangeset);
    if ( !d->iomem_caps || !d->ioport_caps || !d->irq_caps )
        goto fail_free;
    rangeset_init(d->iomem_caps);
    rangeset_init(d->ioport_caps);
    rangeset_init(d->irq_caps);
    if ( cfg->privileged )
    {
        /* dom0 reaches the machine (Keel's own ports are filtered later). */
        rangeset_add_range(d->iomem_caps, 0, PADDR_MASK >> PAGE_SHIFT);
        rangeset_add_range(d->ioport_caps, 0, 0xffff);
        rangeset_add_range(d->irq_caps, 0, DOMAIN_NR_PIRQS - 1);
    }

    /* shared_info: a hypervisor page the guest may map. */
    si = alloc_heap_pages(0, 0);
    if ( !si )
        goto fail_free;
    d->shared_info_mfn = page_to_mfn(si);
    d->shared_info = mfn_to_virt(d->shared_info_mfn);
    memset(d->shared_info, 0, PAGE_SIZE);
    if ( domain_assign_page(d, si, 0, true) )
    {
        free_heap_pages(si, 0);
        goto fail_free;
    }
    for ( i = 0; i < MAX_VIRT_CPUS; i++ )
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;

    d->vcpu = xzalloc_array(struct vcpu *, cfg->max_vcpus);
    if ( !d->vcpu )
        goto fail_mem;
    for ( i = 0; i < cfg->max_vcpus; i++ )
        if ( (d->vcpu[i] = vcpu_create(d, i)) == NULL )
            goto fail_mem;
    if ( (rc = evtchn_init(d)) != 0 )
        goto fail_mem;
    if ( cfg->max_evtchn_port != ~0u &&
         (rc = evtchn_set_max_port(d, cfg->max_evtchn_port)) != 0 )
        goto fail_mem;
    if ( (rc = grant_table_init(d)) != 0 ||
         (rc = grant_table_set_limits(d, cfg->max_grant_frames,
                                      cfg->max_maptrack_frames)) != 0 )
        goto fail_mem;
    wallclock_publish(d);

    spin_lock(&domlist_lock);
    *domain_slot(id) = d;
    spin_unlock(&domlist_lock);
    *out = d;
    return 0;

 fail_mem:
    if ( !rc )
        rc = -ENOMEM;                   /* an allocation above failed */
    evtchn_destroy(d);
    grant_table_destroy(d);
    domain_relinquish_memory(d);
 fail_free:
    domain_free_parts(d);
 fail_id:
    printk(KLOG_ERR "d%u: cannot create domain (%d)\n", id, rc);
    domid_release(id);
    return rc;
}

struct domain *domain_create(domid_t domid, unsigned int max_vcpus,
                             bool privileged)
{
    struct domain_config cfg = {
        .max_vcpus = max_vcpus, .privileged = privileged,
        .max_evtchn_port = ~0u, .max_grant_frames = -1,
        .max_maptrack_frames = -1,
    };
    struct domain *d;

    return domain_create_config(domid, &cfg, &d) ? NULL : d;
}

void domain_relinquish_memory(struct domain *d)
{
    /* Boot-time and teardown use: run the preemptible release to the end. */
    while ( arch_domain_relinquish(d) == -ERESTART )
        continue;
}

/* ---- destruction --------------------------------------------------------- */

int domain_kill(struct domain *d)
{
    int rc;

    spin_lock(&d->lock);
    if ( d->state == DOMSTATE_DEAD )
    {
        spin_unlock(&d->lock);
        return 0;
    }
    if ( d->state < DOMSTATE_DYING )
    {
        d->state = DOMSTATE_DYING;      /* nothing new binds or maps now */
        spin_unlock(&d->lock);
        domain_pause_sync(d);           /* for good: never undone */
    }
    else
        spin_unlock(&d->lock);

    evtchn_destroy(d);                  /* peers see their ends unbound */
    grant_table_destroy(d);             /* before its memory goes */
    rc = arch_domain_relinquish(d);     /* preemptible */
    if ( rc )
        return rc;

    spin_lock(&d->lock);
    d->state = DOMSTATE_DEAD;
    spin_unlock(&d->lock);
    printk("d%u: destroyed%s\n", d->domain_id,
           d->tot_pages ? " (pages still mapped elsewhere: a zombie)" : "");
    send_global_virq(VIRQ_DOM_EXC);     /* Xen tells dom0 here too */
    domain_put(d);                      /* the list's reference */
    return 0;
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
    if ( __atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_RELEASE) )
        return;
    /* Last reference: the domain was killed; its id becomes free. */
    spin_lock(&domlist_lock);
    if ( domain_lookup_locked(d->domain_id) == d )
    {
        *domain_slot(d->domain_id) = NULL;
        domid_set(d->domain_id, false);
    }
    spin_unlock(&domlist_lock);
    domain_free_parts(d);
}

/* ---- pausing ---------------------------------------------------------------- */

void domain_pause(struct domain *d)
{
    unsigned int i;

    __atomic_fetch_add(&d->pause_count, 1, __ATOMIC_SEQ_CST);
    for ( i = 0; i < d->max_vcpus; i++ )
        vcpu_sleep(d->vcpu[i]);
}

bool vcpu_is_running(const struct vcpu *v)
{
    unsigned int cpu;

    /*
     * What a CPU runs, not the runstate: a vCPU abandoned by its crashing
     * domain leaves its CPU without the scheduler seeing it go.
     */
    if ( __atomic_load_n(&v->sched.ctx_busy, __ATOMIC_SEQ_CST) )
        return true;
    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
        if ( cpu_stack_block[cpu] &&
             __atomic_load_n(&cpu_info_of_stack(
                                 (unsigned long)cpu_stack_block[cpu])
                                 ->current_vcpu, __ATOMIC_SEQ_CST) == v )
            return true;
    return false;
}

void domain_pause_sync(struct domain *d)
{
    unsigned int i;

    domain_pause(d);
    /*
     * Each vCPU leaves its CPU on its way out to the guest (an IPI was
     * sent): wait for it.  Never d == the caller's domain.
     */
    for ( i = 0; i < d->max_vcpus; i++ )
        while ( vcpu_is_running(d->vcpu[i]) )
            cpu_relax();
}

void vcpu_pause_sync(struct vcpu *v)
{
    __atomic_fetch_add(&v->pause_count, 1, __ATOMIC_SEQ_CST);
    vcpu_sleep(v);
    while ( vcpu_is_running(v) )
        cpu_relax();
}

void vcpu_unpause(struct vcpu *v)
{
    if ( __atomic_sub_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST) == 0 )
        vcpu_wake(v);
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

#define CONTROLLER_PAUSE_MAX 255        /* Xen's limit */

int domain_pause_by_controller(struct domain *d)
{
    spin_lock(&d->lock);
    if ( d->controller_pause_count >= CONTROLLER_PAUSE_MAX )
    {
        spin_unlock(&d->lock);
        return -EOVERFLOW;
    }
    d->controller_pause_count++;
    spin_unlock(&d->lock);
    domain_pause_sync(d);
    return 0;
}

int domain_unpause_by_controller(struct domain *d)
{
    spin_lock(&d->lock);
    if ( !d->controller_pause_count )
    {
        spin_unlock(&d->lock);
        return -EINVAL;
    }
    d->controller_pause_count--;
    spin_unlock(&d->lock);
    domain_unpause(d);
    return 0;
}

void domain_set_time_offset(struct domain *d, int64_t seconds)
{
    spin_lock(&d->lock);
    d->time_offset_seconds = seconds;
    spin_unlock(&d->lock);
    wallclock_publish(d);
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
    /* A code given earlier (SCHEDOP_shutdown_code) wins, as in Xen. */
    if ( d->shutdown_reason == SHUTDOWN_CODE_INVALID )
        d->shutdown_reason = reason;
    reason = d->shutdown_reason;
    if ( d->state >= DOMSTATE_SHUTDOWN )
    {
        spin_unlock(&d->lock);
        return;
    }
    d->state = DOMSTATE_SHUTDOWN;
    d->is_shut_down = true;
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
