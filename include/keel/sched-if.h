/*
 * The SMP scheduler (common/sched/sched.c): per-CPU run queues of vCPUs,
 * proportional share by domain weight (virtual run time), per-domain caps,
 * hard and soft affinity, and runstate accounting.
 *
 * A vCPU is in exactly one of: running (on a CPU), runnable (on a run
 * queue), blocked (waiting for an event or timer), offline (down, or its
 * domain paused or dead).  The decision what runs next is taken on the
 * way back to a guest (pv_exit_to_guest) and in the idle loop, never in
 * interrupt context.
 *
 * Locks: each CPU's run queue lock guards its queue and the sched fields
 * of the vCPUs on it; it is a leaf (no other lock is taken inside).
 */
#ifndef KEEL_SCHED_IF_H
#define KEEL_SCHED_IF_H

#include <keel/types.h>
#include <asm/time.h>

#define SCHED_DEFAULT_WEIGHT 256
#define SCHED_MAX_WEIGHT     65535
#define SCHED_CPUMASK_WORDS  2              /* NR_CPUS 128 */

typedef struct { uint64_t bits[SCHED_CPUMASK_WORDS]; } cpumask_t;

static inline bool cpumask_test(const cpumask_t *m, unsigned int cpu)
{
    return cpu < 64 * SCHED_CPUMASK_WORDS &&
           (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}

static inline void cpumask_setall(cpumask_t *m)
{
    m->bits[0] = m->bits[1] = ~0ULL;
}

static inline void cpumask_only(cpumask_t *m, unsigned int cpu)
{
    m->bits[0] = m->bits[1] = 0;
    if ( cpu < 64 * SCHED_CPUMASK_WORDS )
        m->bits[cpu / 64] = 1ULL << (cpu % 64);
}

struct vcpu;
struct domain;

/* Per-vCPU scheduler state (embedded in struct vcpu). */
struct sched_vcpu {
    int runstate;                   /* [rq] RUNSTATE_* */
    s_time_t state_entry;           /* [rq] when runstate was entered */
    uint64_t time[4];               /* [rq] ns per runstate */
    uint64_t vruntime;              /* [rq] weighted ns run */
    s_time_t run_start;             /* [rq] when it last got the CPU */
    bool on_runq;                   /* [rq] */
    struct vcpu *next;              /* [rq] run-queue link */
    cpumask_t hard, soft;           /* [rq] affinity */
    uint32_t wait;                  /* [atomic] SCHED_WAIT_*, see below */
    s_time_t poll_deadline;         /* [atomic] the current poll's timeout */
    bool poll_left;                 /* [this vCPU] a poll may have left its
                                       poll-mask bit and timer behind */
    bool ctx_busy;                  /* [atomic] its registers are still
                                       being saved by the CPU it left */
};

/*
 * What a vCPU waits for (SCHEDOP_block or SCHEDOP_poll, common/sched/
 * core.c), in one word so that ending a wait is a compare-and-swap: the
 * kind in bits 0-1, above them a count of the vCPU's waits.  Only the vCPU
 * itself starts a wait; anyone may end it.  A wake-up meant for one wait
 * (a poll's port or timeout, arriving late from another CPU) finds a later
 * wait's count, or another kind, and leaves it alone.
 */
#define SCHED_WAIT_NONE      0u
#define SCHED_WAIT_BLOCK     1u
#define SCHED_WAIT_POLL      2u
#define SCHED_WAIT_KIND(w)   ((w) & 3u)
#define SCHED_WAIT_COUNT_ONE 4u

/* Is v blocked or polling (not runnable until woken)? */
static inline bool sched_vcpu_waiting(const struct sched_vcpu *s)
{
    return SCHED_WAIT_KIND(__atomic_load_n(&s->wait, __ATOMIC_SEQ_CST)) !=
           SCHED_WAIT_NONE;
}

void sched_init(void);              /* boot CPU, before dom0 */
void sched_init_cpu(unsigned int cpu);
/* Place a new vCPU (offline until it is up and its domain unpaused). */
void sched_insert_vcpu(struct vcpu *v);
void sched_remove_vcpu(struct vcpu *v);
/* Re-evaluate whether v can run (up, unpaused, not blocked) and queue it. */
void vcpu_wake(struct vcpu *v);
/* v stops being runnable (blocked, down, paused); it leaves its CPU soon. */
void vcpu_sleep(struct vcpu *v);
/* v gives up the rest of its time slice (SCHEDOP_yield). */
void vcpu_yield(struct vcpu *v);
/* Does this CPU need to pick again before returning to a guest? */
bool sched_need_resched(void);
/* The vCPU this CPU should run now (NULL: idle).  Updates accounting. */
struct vcpu *sched_pick_next(struct vcpu *prev);
/* Account the current run of v (called around switches). */
void sched_runstate_change(struct vcpu *v, int new_state);
void sched_set_affinity(struct vcpu *v, const cpumask_t *hard,
                        const cpumask_t *soft);
struct vcpu_runstate_info;
/* v's runstate; include_current adds the time in the current state. */
void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *rs,
                        bool include_current);
void sched_dump(void);

#endif /* KEEL_SCHED_IF_H */
