/*
 * vcpus: the secondary vCPUs' side and the event upcall of every vCPU.
 *
 * A secondary starts in vc_secondary_main() (through vc_secondary_start),
 * records what it found (the registers its context gave it, its %gs
 * base, its pvclock, a selector of the GDT frame it may have been given,
 * its runstate area), says that it runs, enables upcalls and then spins:
 * each round it runs a pending mailbox command and counts up
 * vc_cpu.counter, so that vCPU 0 can see whether it is running.
 *
 * Which vCPU we are is told by the stack: every secondary runs on its own
 * VC_STACK_SIZE-aligned stack in vc_stacks (events come on the stack in
 * use, since everything runs in kernel mode), vCPU 0 on the boot stack.
 */
#include "vcpus.h"

struct vc_cpu vc_cpus[VC_MAX];
char vc_stacks[VC_MAX][VC_STACK_SIZE] __aligned(VC_STACK_SIZE);
unsigned int vc_nr;

volatile int vc_port_taker[VC_MAX_PORTS];
volatile uint32_t vc_port_count[VC_MAX_PORTS];
volatile uint32_t vc_port_untracked;
volatile uint64_t vc_port_time[VC_MAX_PORTS];
struct vc_clock vc_clock;

void vc_upcall(void);
void __noreturn vc_secondary_main(unsigned long rdi, unsigned long rsp,
                                  unsigned long rbx, unsigned long r15,
                                  unsigned long rflags);

void vc_cpu_relax(void)
{
    asm volatile ( "pause" ::: "memory" );
}

unsigned int vc_self(void)
{
    unsigned long sp = (unsigned long)__builtin_frame_address(0);
    unsigned long base = (unsigned long)vc_stacks;

    if ( sp > base && sp <= base + sizeof(vc_stacks) )
        return (sp - 1 - base) / VC_STACK_SIZE;
    return 0;
}

uint64_t vc_now(unsigned int vcpu)
{
    struct pv_clock_sample s;

    pv_clock_read(&pv_shared_info->vcpu_info[vcpu].time, &s);
    return s.now;
}

/* One line on the console in one write (printf is for vCPU 0 only). */
static void __printf(1, 2) vc_print(const char *fmt, ...)
{
    char buf[200];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if ( n >= (int)sizeof(buf) )
        n = sizeof(buf) - 1;
    pv_console_write(buf, n);
}

/*
 * The upcall, on whichever vCPU it arrives: take that vCPU's selector
 * and every pending, unmasked port in the words it names (the 2-level
 * ABI), and note for each port which vCPU took it and when.  The tests
 * send one event at a time, so the vCPU that takes a port is the one the
 * hypervisor notified.
 */
void vc_upcall(void)
{
    unsigned int me = vc_self();
    struct vc_cpu *c = &vc_cpus[me];
    struct vcpu_info *vi = &pv_shared_info->vcpu_info[me];
    struct shared_info *sh = pv_shared_info;
    unsigned long sel, bits;
    unsigned int w, b;

    c->nr_upcalls++;
    vi->evtchn_upcall_pending = 0;
    barrier();
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while ( sel )
    {
        w = __builtin_ctzl(sel);
        sel &= sel - 1;
        bits = __atomic_load_n(&sh->evtchn_pending[w], __ATOMIC_SEQ_CST) &
               ~__atomic_load_n(&sh->evtchn_mask[w], __ATOMIC_SEQ_CST);
        while ( bits )
        {
            evtchn_port_t port;

            b = __builtin_ctzl(bits);
            bits &= bits - 1;
            port = w * 64 + b;
            __atomic_fetch_and(&sh->evtchn_pending[w], ~(1UL << b),
                               __ATOMIC_SEQ_CST);
            if ( port >= VC_MAX_PORTS )
            {
                __atomic_fetch_add(&vc_port_untracked, 1, __ATOMIC_SEQ_CST);
                continue;
            }
            vc_port_time[port] = vc_now(me);
            vc_port_taker[port] = me;
            __atomic_fetch_add(&vc_port_count[port], 1, __ATOMIC_SEQ_CST);
            if ( port == c->ipi_port )
                c->ipi_count++;
        }
    }
}

/* Upcall mask 0, and anything already pending delivered now. */
static void vc_enable_events(unsigned int me)
{
    struct vcpu_info *vi = &pv_shared_info->vcpu_info[me];

    vi->evtchn_upcall_mask = 0;
    barrier();
    if ( vi->evtchn_upcall_pending )
        HYPERVISOR_xen_version(XENVER_version, NULL);
}

static void vc_lock(volatile unsigned int *l)
{
    while ( __atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE) )
        while ( __atomic_load_n(l, __ATOMIC_RELAXED) )
            vc_cpu_relax();
}

static void vc_unlock(volatile unsigned int *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/*
 * The ordering loop: under one lock, read our own pvclock and compare it
 * with the last reading any vCPU published; the lock orders the readings
 * (a shared sequence), so a reading below the last one is time going
 * backwards across vCPUs.
 */
void vc_clock_loop(unsigned int me, unsigned long iters)
{
    struct vc_clock *g = &vc_clock;
    uint64_t prev = 0, t;
    unsigned long i, back = 0;
    unsigned int k;

    while ( !__atomic_load_n(&g->start, __ATOMIC_ACQUIRE) )
        vc_cpu_relax();
    for ( i = 0; i < iters; i++ )
    {
        vc_lock(&g->lock);
        t = vc_now(me);
        if ( t < g->last )
        {
            g->backwards++;
            if ( g->last - t > g->worst )
            {
                g->worst = g->last - t;
                g->worst_from = g->last_vcpu;
                g->worst_to = me;
            }
        }
        if ( g->seq && g->last_vcpu != me )
            g->handoffs++;
        g->last = t;
        g->last_vcpu = me;
        g->seq++;
        vc_unlock(&g->lock);
        if ( t < prev )
            back++;
        prev = t;
        for ( k = 0; k < (i & 7); k++ )
            vc_cpu_relax();
    }
    vc_cpus[me].clock_self_back = back;
}

/* Run C's command.  Returns false when it already reported done. */
static bool vc_run(struct vc_cpu *c, unsigned int me, unsigned long seq)
{
    struct vcpu_info *vi = &pv_shared_info->vcpu_info[me];
    evtchn_port_t port;
    unsigned long before;
    unsigned int k;

    switch ( c->cmd )
    {
    case VC_CMD_BIND_IPI:
        c->result = pv_evtchn_bind_ipi(me, &port);
        if ( !c->result )
            c->ipi_port = port;
        break;

    case VC_CMD_SEND:
        c->send_time = vc_now(me);
        c->result = pv_evtchn_send(c->arg);
        break;

    case VC_CMD_BLOCK:
        /* Masked while checking, so that an event sent between the check
         * and the block is not lost: SCHEDOP_block unmasks and returns at
         * once when one is pending (the upcall comes on the way out). */
        vi->evtchn_upcall_mask = 1;
        barrier();
        before = c->ipi_count;
        c->nr_blocks = 0;
        c->woke_after_send = false;
        c->block_rc = 0;
        __atomic_store_n(&c->blocking, true, __ATOMIC_SEQ_CST);
        while ( c->ipi_count == before && c->nr_blocks < 1000 )
        {
            c->nr_blocks++;
            c->block_rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
            vi->evtchn_upcall_mask = 1;
            barrier();
        }
        c->woke_after_send = c->sent;
        __atomic_store_n(&c->blocking, false, __ATOMIC_SEQ_CST);
        c->result = c->ipi_count - before;
        vc_enable_events(me);
        break;

    case VC_CMD_CLOCK:
        vc_clock_loop(me, c->arg);
        c->result = 0;
        break;

    case VC_CMD_RUNSTATE:
        c->rs_rc1 = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, me, &c->rs1);
        for ( k = 0; k < 200000; k++ )
            vc_cpu_relax();
        c->rs_rc2 = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, me, &c->rs2);
        c->rs_area_state = c->area.state;
        c->result = 0;
        break;

    case VC_CMD_SELF_DOWN:
        c->self_down_returned = false;
        c->result = 0;
        __atomic_store_n(&c->done_seq, seq, __ATOMIC_RELEASE);
        c->self_down_rc = HYPERVISOR_vcpu_op(VCPUOP_down, me, NULL);
        __atomic_store_n(&c->self_down_returned, true, __ATOMIC_RELEASE);
        return false;

    default:
        c->result = -1;
        break;
    }
    return true;
}

void vc_secondary_main(unsigned long rdi, unsigned long rsp,
                       unsigned long rbx, unsigned long r15,
                       unsigned long rflags)
{
    unsigned int me = vc_self();
    struct vc_cpu *c = &vc_cpus[me];
    struct vcpu_info *vi = &pv_shared_info->vcpu_info[me];
    unsigned long gs = ~0UL, seq;
    uint32_t lar = 0;
    uint8_t ok = 0;

    c->entry_rdi = rdi;
    c->entry_rsp = rsp;
    c->entry_rbx = rbx;
    c->entry_r15 = r15;
    c->entry_rflags = rflags;
    c->entry_mask = vi->evtchn_upcall_mask;
    c->start_area_state = c->area.state;
    pv_clock_read(&vi->time, &c->start_clock);

    /* %gs:0 is vc_cpu.self when the context's gs_base_kernel took. */
    PV_TRY("mov %%gs:0, %[gs]", : [gs] "+r" (gs) : : "memory");
    c->entry_gs = gs;
    /* Selector 0x0b (GDT entry 1, RPL 3): only in vCPU 1's GDT frame. */
    asm volatile ( "lar %k[sel], %k[v]\n\tsetz %[ok]"
                   : [v] "+r" (lar), [ok] "=qm" (ok)
                   : [sel] "r" (0x0bU) : "cc" );
    c->lar_ok = ok;
    c->lar_val = lar;

    __atomic_fetch_add(&c->starts, 1, __ATOMIC_SEQ_CST);
    vc_print("vcpus: vCPU %u running: pvclock %lu ns (version %u), "
             "vcpu_info slot %u, stack top %#lx\n", me,
             (unsigned long)c->start_clock.now, c->start_clock.version, me,
             rsp);
    __atomic_store_n(&c->alive, true, __ATOMIC_RELEASE);
    vc_enable_events(me);

    for ( ;; )
    {
        seq = __atomic_load_n(&c->cmd_seq, __ATOMIC_ACQUIRE);
        if ( seq != c->done_seq && vc_run(c, me, seq) )
            __atomic_store_n(&c->done_seq, seq, __ATOMIC_RELEASE);
        c->counter++;
        vc_cpu_relax();
    }
}
