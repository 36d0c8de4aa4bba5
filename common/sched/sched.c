/*
 * The SMP scheduler: proportional share by domain weight, caps, affinity.
 *
 * Each CPU has a run queue of runnable vCPUs.  A vCPU's virtual run time
 * grows by the real time it runs times SCHED_DEFAULT_WEIGHT / weight, and
 * a CPU runs the allowed vCPU with the least virtual time, so CPU time is
 * shared in proportion to weight.  A woken vCPU starts no further back
 * than one time slice behind its queue's minimum, so sleeping earns no
 * unbounded credit.  A domain with a cap (percent of one CPU) that used
 * its share of the current cap period is skipped until the next period.
 * A CPU with nothing allowed to run takes work from other CPUs' queues
 * (respecting hard affinity; soft affinity breaks ties).
 *
 * Time slices: while a vCPU runs, its CPU's tick timer asks for a new
 * decision every SLICE_NS; decisions happen on the way back to a guest
 * and in the idle loop (see pv_exit_to_guest, idle_loop).
 */
#include <keel/dom0_params.h>
#include <keel/domctl.h>
#include <keel/keyhandler.h>
#include <keel/domain.h>
#include <keel/lib.h>
#include <keel/sched-if.h>
#include <keel/softirq.h>
#include <keel/spinlock.h>
#include <keel/timer.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <public/vcpu.h>

#define SLICE_NS          10000000LL        /* 10 ms */
#define CAP_PERIOD_NS     100000000LL       /* 100 ms */

struct runq {
    spinlock_t lock;
    struct vcpu *head;                      /* [lock] runnable vCPUs */
    struct vcpu *curr;                      /* [lock] running, or NULL */
    uint64_t min_vruntime;                  /* [lock] */
    bool need_resched;                      /* [atomic] */
    struct timer tick;                      /* (c) this CPU's slice timer */
};

static struct runq runqs[NR_CPUS];
static struct timer cap_timer;

static bool vcpu_runnable(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return v->is_up && !sched_vcpu_waiting(&v->sched) &&
           v->pause_count == 0 &&
           d->pause_count == 0 && d->state == DOMSTATE_RUNNING;
}

static bool cap_exhausted(const struct domain *d)
{
    return d->sched_cap &&
           d->cap_used >= (uint64_t)CAP_PERIOD_NS * d->sched_cap / 100;
}

static void resched_cpu(unsigned int cpu)
{
    __atomic_store_n(&runqs[cpu].need_resched, true, __ATOMIC_SEQ_CST);
    cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}

/* Lock the run queue v belongs to (v->processor may move meanwhile). */
static struct runq *lock_vcpu_rq(struct vcpu *v, unsigned long *flags)
{
    for ( ; ; )
    {
        unsigned int cpu = __atomic_load_n(&v->processor, __ATOMIC_SEQ_CST);
        struct runq *rq = &runqs[cpu];

        *flags = local_irq_save();
        spin_lock(&rq->lock);
        if ( v->processor == cpu )
            return rq;
        spin_unlock(&rq->lock);
        local_irq_restore(*flags);
    }
}

static void unlock_rq(struct runq *rq, unsigned long flags)
{
    spin_unlock(&rq->lock);
    local_irq_restore(flags);
}

void sched_runstate_change(struct vcpu *v, int new_state)
{
    s_time_t now = NOW();
    struct sched_vcpu *s = &v->sched;

    if ( s->state_entry && now > s->state_entry )
        s->time[s->runstate & 3] += now - s->state_entry;
    s->runstate = new_state;
    s->state_entry = now;
}

static void enqueue(struct runq *rq, struct vcpu *v)
{
    v->sched.next = rq->head;
    rq->head = v;
    v->sched.on_runq = true;
}

static void dequeue(struct runq *rq, struct vcpu *v)
{
    struct vcpu **pp;

    for ( pp = &rq->head; *pp; pp = &(*pp)->sched.next )
        if ( *pp == v )
        {
            *pp = v->sched.next;
            break;
        }
    v->sched.next = NULL;
    v->sched.on_runq = false;
}

/*
 * How long the chosen vCPU may run before the next decision: a slice, or
 * less when its domain's cap budget for this period runs out first (so a
 * cap is not overshot by up to a slice every period).
 */
static s_time_t slice_for(const struct domain *d)
{
    uint64_t budget, used;

    if ( !d->sched_cap )
        return SLICE_NS;
    budget = (uint64_t)CAP_PERIOD_NS * d->sched_cap / 100;
    used = __atomic_load_n(&d->cap_used, __ATOMIC_RELAXED);
    if ( used >= budget )
        return SLICE_NS;
    return budget - used < (uint64_t)SLICE_NS ? (s_time_t)(budget - used)
                                              : SLICE_NS;
}

/* Charge prev's run so far; returns the ns it ran. */
static void account(struct vcpu *v, s_time_t now)
{
    struct domain *d = v->domain;
    s_time_t ran = now - v->sched.run_start;

    if ( ran <= 0 )
        return;
    v->sched.vruntime += (uint64_t)ran * SCHED_DEFAULT_WEIGHT /
                         (d->sched_weight ? d->sched_weight : 1);
    __atomic_fetch_add(&d->cap_used, (uint64_t)ran, __ATOMIC_RELAXED);
    v->sched.run_start = now;
}

/* Best candidate for cpu in rq (caller holds the lock). */
static struct vcpu *best_in(struct runq *rq, unsigned int cpu)
{
    struct vcpu *v, *best = NULL;

    for ( v = rq->head; v; v = v->sched.next )
    {
        if ( !cpumask_test(&v->sched.hard, cpu) || cap_exhausted(v->domain) )
            continue;
        if ( !best || v->sched.vruntime < best->sched.vruntime ||
             (v->sched.vruntime == best->sched.vruntime &&
              cpumask_test(&v->sched.soft, cpu) &&
              !cpumask_test(&best->sched.soft, cpu)) )
            best = v;
    }
    return best;
}

/* Nothing running and nothing queued (a hint: read without the lock). */
static bool cpu_is_idle(unsigned int cpu)
{
    return !__atomic_load_n(&runqs[cpu].curr, __ATOMIC_RELAXED) &&
           !__atomic_load_n(&runqs[cpu].head, __ATOMIC_RELAXED);
}

/*
 * Where a waking vCPU goes: the CPU it last ran on when that one is idle
 * (or when no allowed CPU is), else an idle CPU it may use, soft affinity
 * first -- rather than queueing behind a busy CPU while another idles
 * until its next steal.
 */
static unsigned int choose_cpu(const struct vcpu *v)
{
    unsigned int cpu;
    bool prev_ok = cpumask_test(&v->sched.hard, v->processor) &&
                   v->processor < nr_cpus_online;

    if ( prev_ok && cpu_is_idle(v->processor) )
        return v->processor;
    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
        if ( cpumask_test(&v->sched.hard, cpu) &&
             cpumask_test(&v->sched.soft, cpu) && cpu_is_idle(cpu) )
            return cpu;
    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
        if ( cpumask_test(&v->sched.hard, cpu) && cpu_is_idle(cpu) )
            return cpu;
    if ( prev_ok )
        return v->processor;
    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
        if ( cpumask_test(&v->sched.hard, cpu) &&
             cpumask_test(&v->sched.soft, cpu) )
            return cpu;
    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
        if ( cpumask_test(&v->sched.hard, cpu) )
            return cpu;
    return v->processor;                /* nowhere allowed: stays parked */
}

void vcpu_wake(struct vcpu *v)
{
    unsigned long flags;
    struct runq *rq = lock_vcpu_rq(v, &flags);
    unsigned int cpu;

    if ( v->sched.on_runq || v->sched.runstate == RUNSTATE_running ||
         !vcpu_runnable(v) )
    {
        /*
         * Xen: a vCPU whose wait ended while it is down or paused is
         * offline from then on, no longer blocked.
         */
        if ( v->sched.runstate == RUNSTATE_blocked &&
             !sched_vcpu_waiting(&v->sched) )
            sched_runstate_change(v, RUNSTATE_offline);
        unlock_rq(rq, flags);
        return;
    }
    /* Move an idle-waiting vCPU to the CPU its affinity prefers. */
    cpu = choose_cpu(v);
    if ( &runqs[cpu] != rq )
    {
        unlock_rq(rq, flags);
        __atomic_store_n(&v->processor, cpu, __ATOMIC_SEQ_CST);
        rq = lock_vcpu_rq(v, &flags);
    }
    if ( v->sched.vruntime + SLICE_NS < rq->min_vruntime )
        v->sched.vruntime = rq->min_vruntime - SLICE_NS;
    enqueue(rq, v);
    sched_runstate_change(v, RUNSTATE_runnable);
    cpu = v->processor;
    unlock_rq(rq, flags);
    resched_cpu(cpu);
}

void vcpu_sleep(struct vcpu *v)
{
    unsigned long flags;
    struct runq *rq = lock_vcpu_rq(v, &flags);
    unsigned int cpu = v->processor;

    if ( v->sched.on_runq )
    {
        dequeue(rq, v);
        sched_runstate_change(v, sched_vcpu_waiting(&v->sched)
                                 ? RUNSTATE_blocked : RUNSTATE_offline);
    }
    unlock_rq(rq, flags);
    if ( rq->curr == v )
        resched_cpu(cpu);               /* it leaves on its way out */
}

/*
 * SCHEDOP_yield: v gives up the rest of its slice.  It moves behind every
 * other vCPU queued on its CPU, and the CPU decides again on the way out.
 */
void vcpu_yield(struct vcpu *v)
{
    unsigned long flags;
    struct runq *rq = lock_vcpu_rq(v, &flags);
    struct vcpu *o;
    unsigned int cpu = v->processor;

    for ( o = rq->head; o; o = o->sched.next )
        if ( o->sched.vruntime >= v->sched.vruntime )
            v->sched.vruntime = o->sched.vruntime + 1;
    unlock_rq(rq, flags);
    resched_cpu(cpu);
}

bool sched_need_resched(void)
{
    return __atomic_load_n(&runqs[smp_processor_id()].need_resched,
                           __ATOMIC_SEQ_CST);
}

/* Take a runnable vCPU allowed on cpu from another CPU's queue. */
static struct vcpu *steal(unsigned int cpu)
{
    unsigned int other;

    for ( other = 0; other < nr_cpus_online; other++ )
    {
        struct runq *rq = &runqs[other];
        struct vcpu *v;

        if ( other == cpu || !rq->head )
            continue;
        spin_lock(&rq->lock);
        v = best_in(rq, cpu);
        if ( v )
        {
            dequeue(rq, v);
            __atomic_store_n(&v->processor, cpu, __ATOMIC_SEQ_CST);
        }
        spin_unlock(&rq->lock);
        if ( v )
            return v;
    }
    return NULL;
}

struct vcpu *sched_pick_next(struct vcpu *prev)
{
    unsigned int cpu = smp_processor_id();
    struct runq *rq = &runqs[cpu];
    unsigned long flags = local_irq_save();
    s_time_t now = NOW();
    struct vcpu *next;

    spin_lock(&rq->lock);
    __atomic_store_n(&rq->need_resched, false, __ATOMIC_SEQ_CST);
    if ( prev )
        account(prev, now);
    next = best_in(rq, cpu);
    if ( prev && vcpu_runnable(prev) && cpumask_test(&prev->sched.hard, cpu) &&
         !cap_exhausted(prev->domain) &&
         (!next || prev->sched.vruntime <= next->sched.vruntime) )
        next = prev;                        /* keep running */
    if ( next && next != prev )
        dequeue(rq, next);
    if ( prev && next != prev )
    {
        /* Until this CPU has saved it, no other CPU may load it. */
        __atomic_store_n(&prev->sched.ctx_busy, true, __ATOMIC_SEQ_CST);
        if ( vcpu_runnable(prev) )
        {
            enqueue(rq, prev);
            sched_runstate_change(prev, RUNSTATE_runnable);
        }
        else
            sched_runstate_change(prev, sched_vcpu_waiting(&prev->sched)
                                        ? RUNSTATE_blocked : RUNSTATE_offline);
    }
    spin_unlock(&rq->lock);

    if ( !next )
        next = steal(cpu);

    spin_lock(&rq->lock);
    if ( next && next != prev )
        sched_runstate_change(next, RUNSTATE_running);
    if ( next )
    {
        next->sched.run_start = now;
        if ( next->sched.vruntime > rq->min_vruntime )
            rq->min_vruntime = next->sched.vruntime;
    }
    rq->curr = next;
    spin_unlock(&rq->lock);
    local_irq_restore(flags);

    /* Slice timer: only needed while something could take our place. */
    if ( next )
        set_timer(&rq->tick, now + slice_for(next->domain));
    else
        stop_timer(&rq->tick);
    return next;
}

static void tick_fn(void *data)
{
    unsigned int cpu = (unsigned long)data;

    resched_cpu(cpu);
}

/*
 * A new cap period: the budget is granted again, less whatever the domain
 * ran past it in the last period (a decision can come late: a slice
 * boundary, an interrupt delayed while the host was busy), so that over
 * time a capped domain gets exactly its cap.  Unused budget is not kept.
 */
static void cap_reset(struct domain *d, void *arg)
{
    uint64_t budget = (uint64_t)CAP_PERIOD_NS * d->sched_cap / 100;
    uint64_t used = __atomic_load_n(&d->cap_used, __ATOMIC_RELAXED);

    while ( !__atomic_compare_exchange_n(&d->cap_used, &used,
                                         used > budget ? used - budget : 0,
                                         false, __ATOMIC_RELAXED,
                                         __ATOMIC_RELAXED) )
        continue;
}

static void cap_period_fn(void *data)
{
    unsigned int cpu;

    domain_for_each(cap_reset, NULL);
    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
        resched_cpu(cpu);
    set_timer(&cap_timer, NOW() + CAP_PERIOD_NS);
}

static void schedule_softirq(void)
{
    /* The decision itself is taken on the way back to a guest or idle. */
    __atomic_store_n(&runqs[smp_processor_id()].need_resched, true,
                     __ATOMIC_SEQ_CST);
}

void sched_init_cpu(unsigned int cpu)
{
    init_timer(&runqs[cpu].tick, tick_fn, (void *)(unsigned long)cpu, cpu,
               "sched slice");
}

static void dump_key(unsigned char key)
{
    sched_dump();
}

void sched_init(void)
{
    /* Run-queue locks are zero-initialised (unlocked) static data. */
    open_softirq(SCHEDULE_SOFTIRQ, schedule_softirq);
    sched_init_cpu(0);
    init_timer(&cap_timer, cap_period_fn, NULL, 0, "sched cap period");
    set_timer(&cap_timer, NOW() + CAP_PERIOD_NS);
    register_keyhandler('r', dump_key, "dump run queues");
    printk("Scheduler: proportional share (%s), %u CPU(s)\n", sched_name(),
           nr_cpus_online);
}

void sched_insert_vcpu(struct vcpu *v)
{
    cpumask_setall(&v->sched.hard);
    cpumask_setall(&v->sched.soft);
    v->processor = v->vcpu_id % (nr_cpus_online ? nr_cpus_online : 1);
    if ( v->domain->domain_id == 0 && opt_dom0_vcpus_pin &&
         v->vcpu_id < nr_cpus_online )
        cpumask_only(&v->sched.hard, v->vcpu_id);
    v->sched.runstate = RUNSTATE_offline;
    v->sched.state_entry = NOW();
}

void sched_remove_vcpu(struct vcpu *v)
{
    v->is_up = false;
    vcpu_sleep(v);
}

void sched_set_affinity(struct vcpu *v, const cpumask_t *hard,
                        const cpumask_t *soft)
{
    unsigned long flags;
    struct runq *rq = lock_vcpu_rq(v, &flags);

    v->sched.hard = *hard;
    v->sched.soft = *soft;
    unlock_rq(rq, flags);
    /* Wherever it is now may no longer be allowed: decide again. */
    vcpu_sleep(v);
    vcpu_wake(v);
}

void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *rs,
                        bool include_current)
{
    unsigned long flags;
    struct runq *rq = lock_vcpu_rq(v, &flags);
    unsigned int i;

    rs->state = v->sched.runstate;
    rs->state_entry_time = v->sched.state_entry;
    for ( i = 0; i < 4; i++ )
        rs->time[i] = v->sched.time[i];
    if ( include_current && NOW() > v->sched.state_entry )
        rs->time[v->sched.runstate & 3] += NOW() - v->sched.state_entry;
    unlock_rq(rq, flags);
}

void sched_dump(void)
{
    unsigned int cpu;

    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
    {
        struct runq *rq = &runqs[cpu];
        struct vcpu *v;
        unsigned long flags = local_irq_save();

        spin_lock(&rq->lock);
        printk("CPU%u: running %s", cpu, rq->curr ? "" : "idle");
        if ( rq->curr )
            printk("d%uv%u", rq->curr->domain->domain_id, rq->curr->vcpu_id);
        printk(", queue:");
        for ( v = rq->head; v; v = v->sched.next )
            printk(" d%uv%u(vt %lu)", v->domain->domain_id, v->vcpu_id,
                   (unsigned long)(v->sched.vruntime / 1000));
        printk("\n");
        spin_unlock(&rq->lock);
        local_irq_restore(flags);
    }
}
