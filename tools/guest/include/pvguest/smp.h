/*
 * Secondary vCPUs for PV test kernels (smp.c, smp_entry.S).
 *
 * vCPU 0 runs test_main().  Every other vCPU is brought up with
 * VCPUOP_initialise and VCPUOP_up on a context the runtime builds (the
 * kernel's L4, trap table and callbacks, flat selectors, a stack of its
 * own from pv_smp_stacks), enters at pv_smp_entry and, after an optional
 * start function, serves a mailbox: pv_smp_call(n, fn, arg) runs fn(arg)
 * on vCPU n and returns its result.  Between calls a secondary waits in
 * SCHEDOP_poll with no ports and a 1 ms timeout (so it wakes for any event
 * of the domain, and at least every millisecond), with upcalls as the
 * last function left them (enabled at start).
 *
 * Which vCPU runs is told by the stack (pv_smp_id()): a secondary always
 * runs in kernel mode on its own PV_SMP_STACK_SIZE-aligned stack, events
 * included; anything else is vCPU 0.  Per-vCPU state is pv_cpus[id]; a
 * secondary's %gs base (kernel) points at it.
 *
 * What is safe on every vCPU: printf (one console write per line, a line
 * buffer per vCPU), the CHECK and test_* counters (atomic), the event
 * upcall (event.c: each vCPU scans its own selector and takes only the
 * ports bound to it, see pv_evt_owner), pv_evt_enable/disable and pv_now
 * (the calling vCPU's upcall mask and pvclock).  vcpu_mask() and
 * vcpu_set_mask() are vCPU 0's.  PV_TRY and pv_last_fault are shared:
 * one vCPU at a time.  User mode (pv_run_user) is vCPU 0's only.
 */
#ifndef PVGUEST_SMP_H
#define PVGUEST_SMP_H

#include <pvguest/lib.h>
#include <pvguest/event.h>

#define PV_SMP_MAX          8               /* vCPUs the runtime drives */
#define PV_SMP_STACK_SIZE   16384           /* a power of two: pv_smp_id() */
#define PV_SMP_TIMEOUT_NS   PV_MS(60000)    /* a vCPU that does not answer */
#define PV_SMP_IDLE_NS      PV_MS(1)        /* idle poll timeout */

typedef long (*pv_smp_fn_t)(void *arg);

/* Per-vCPU state.  Fields written by the vCPU itself unless noted. */
struct pv_cpu {
    struct pv_cpu *self;                /* first: %gs:0 on a secondary */
    unsigned int id;                    /* (c) */
    struct vcpu_info *vinfo;            /* its vcpu_info ([0]: see
                                           pv_vcpu_info); a test that moves
                                           one with register_vcpu_info
                                           updates it */

    /* Start of day (secondaries). */
    volatile bool online;               /* entered and serving */
    volatile unsigned int starts;       /* entries through pv_smp_entry */
    pv_smp_fn_t start_fn;               /* [caller] run once at entry */
    void *start_arg;
    unsigned long entry_rdi, entry_rsp, entry_rbx, entry_r15;
    unsigned long entry_rflags;         /* as the context gave them */
    uint8_t entry_mask;                 /* upcall mask found at entry */

    /* Mailbox: the caller fills fn and arg, then bumps seq; the vCPU runs
     * fn(arg), stores result and sets done = seq. */
    volatile pv_smp_fn_t fn;            /* [caller] */
    void *volatile arg;                 /* [caller] */
    volatile unsigned long seq;         /* [caller] */
    volatile unsigned long done;
    volatile long result;
    volatile unsigned int posting;      /* [caller] one caller at a time */
    volatile unsigned long idle_polls;  /* idle SCHEDOP_polls so far */

    /* Event upcalls taken on this vCPU (event.c). */
    volatile unsigned long nr_upcalls;  /* through pv_evt_entry */
    volatile unsigned long nr_ports;    /* ports taken */
    volatile unsigned long nr_empty;    /* upcalls with selector 0 */
    volatile unsigned long last_sel;    /* selector of the last upcall */
    volatile uint8_t last_mask;         /* upcall mask on its entry */
    volatile uint8_t last_pending;      /* upcall_pending on its entry */
    volatile unsigned long nr_default;  /* through the default callback */
} __aligned(64);

extern struct pv_cpu pv_cpus[PV_SMP_MAX];
extern char pv_smp_stacks[PV_SMP_MAX][PV_SMP_STACK_SIZE];
extern char pv_smp_entry[];

/* vCPUs of the domain the runtime drives: min(pv_nr_vcpus(), PV_SMP_MAX). */
extern unsigned int pv_smp_nr;

/* The vCPU running this code. */
static inline unsigned int pv_smp_id(void)
{
    unsigned long sp = (unsigned long)__builtin_frame_address(0);
    unsigned long base = (unsigned long)pv_smp_stacks;

    if ( sp > base && sp <= base + sizeof(pv_smp_stacks) )
        return (sp - 1 - base) / PV_SMP_STACK_SIZE;
    return 0;
}

/* That vCPU's vcpu_info. */
static inline struct vcpu_info *pv_smp_vcpu_info(unsigned int id)
{
    return id ? pv_cpus[id].vinfo : pv_vcpu_info;
}

static inline void pv_cpu_relax(void)
{
    asm volatile ( "pause" ::: "memory" );
}

/*
 * Wait for COND (spinning, with SCHEDOP_yield now and then) for up to
 * TIMEOUT ns of the calling vCPU's system time; its final value.
 */
#define PV_WAIT_FOR(cond, timeout) ({                                   \
    uint64_t dl_ = pv_now() + (timeout);                                \
    unsigned long n_ = 0;                                               \
    bool ok_;                                                           \
    while ( !(ok_ = (cond)) && pv_now() < dl_ )                         \
    {                                                                   \
        if ( (++n_ & 255) == 0 )                                        \
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);                   \
        else                                                            \
            pv_cpu_relax();                                             \
    }                                                                   \
    ok_;                                                                \
})

/*
 * Count the vCPUs (pv_smp_nr) and fill pv_cpus; idempotent.  Called by
 * every function below.
 */
void pv_smp_setup(void);

/*
 * The runtime's context for vCPU N: RIP pv_smp_entry, RSP the top of its
 * stack, RDI &pv_cpus[N], flat kernel selectors, RFLAGS 0x2 (Xen sets
 * IF), the kernel L4 in ctrlreg[3], our trap table and callbacks (the
 * event callback as pv_evt_init() left vCPU 0's), VGCF_in_kernel,
 * gs_base_kernel &pv_cpus[N], no GDT frames.  A test may change it before
 * VCPUOP_initialise (the entry records RDI, RSP, RBX, R15 and RFLAGS).
 */
void pv_smp_context(struct vcpu_guest_context *c, unsigned int n);

/*
 * Bring vCPU N up on C (VCPUOP_initialise, VCPUOP_up) and wait until it
 * serves its mailbox: 0, the hypercall's -errno, or -XEN_ETIMEDOUT.  With
 * FN set, vCPU N runs FN(ARG) first, with upcalls enabled (its result is
 * dropped), and serves its mailbox once FN returns.  A test that makes
 * the hypercalls itself sets pv_cpus[N].start_fn/start_arg before
 * VCPUOP_up.
 */
long pv_smp_start(unsigned int n, const struct vcpu_guest_context *c,
                  pv_smp_fn_t fn, void *arg);
/* Wait until vCPU N serves its mailbox (after VCPUOP_up); false: timeout. */
bool pv_smp_wait_online(unsigned int n);

/*
 * Bring up every secondary the runtime drives that is not online yet, on
 * its default context.  Returns the number of online vCPUs (vCPU 0
 * included); a failure is reported with test_fail.
 */
unsigned int pv_smp_init(void);
/* Is vCPU N online (vCPU 0 always is)? */
bool pv_smp_online(unsigned int n);

/*
 * The mailbox.  pv_smp_post() hands FN(ARG) to online vCPU N (not the
 * caller); pv_smp_wait() waits for it up to TIMEOUT_NS (0: the default)
 * and returns false on timeout; pv_smp_call() is both, and ends the test
 * with ERROR if N does not answer.  On the caller's own vCPU, FN runs
 * directly.
 */
void pv_smp_post(unsigned int n, pv_smp_fn_t fn, void *arg);
bool pv_smp_wait(unsigned int n, uint64_t timeout_ns, long *result);
long pv_smp_call(unsigned int n, pv_smp_fn_t fn, void *arg);
/*
 * FN(ARG) on every online vCPU at once (vCPU 0 is the caller); results[i]
 * gets vCPU i's (RESULTS may be NULL).
 */
void pv_smp_call_all(pv_smp_fn_t fn, void *arg, long *results);

/*
 * A reusable spinning barrier for COUNT vCPUs (zero-initialised); the
 * test ends with ERROR when the others do not come within
 * PV_SMP_TIMEOUT_NS.
 */
struct pv_smp_barrier {
    volatile unsigned int count, gen;
};
void pv_smp_barrier_wait(struct pv_smp_barrier *b, unsigned int count);

/* The vCPU's pvclock, read on whichever vCPU runs this. */
uint64_t pv_now_of(unsigned int vcpu);

#endif /* PVGUEST_SMP_H */
