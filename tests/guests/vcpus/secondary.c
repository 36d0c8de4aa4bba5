/*
 * vcpus: what the secondary vCPUs run, through the runtime's mailbox
 * (<pvguest/smp.h>) or as their start function.  Each function records
 * what it saw in the struct vc_cpu of the vCPU it runs on, for vCPU 0 to
 * check; none of them prints or checks anything itself.
 */
#include "vcpus.h"

struct vc_cpu vc_cpus[VC_MAX];
unsigned int vc_nr;
struct vc_clock vc_clock;

/* Run first on every secondary: what it found at start of day. */
long vc_start(void *arg)
{
    unsigned int me = pv_smp_id();
    struct vc_cpu *c = &vc_cpus[me];
    unsigned long gs = ~0UL;
    uint32_t lar = 0;
    uint8_t ok = 0;

    c->start_area_state = c->area.state;
    pv_clock_read(&pv_smp_vcpu_info(me)->time, &c->start_clock);
    /* %gs:0 is pv_cpus[me].self when the context's gs_base_kernel took. */
    PV_TRY("mov %%gs:0, %[gs]", : [gs] "+r" (gs) : : "memory");
    c->entry_gs = gs;
    /* Selector 0x0b (GDT entry 1, RPL 3): only in vCPU 1's GDT frame. */
    asm volatile ( "lar %k[sel], %k[v]\n\tsetz %[ok]"
                   : [v] "+r" (lar), [ok] "=qm" (ok)
                   : [sel] "r" (0x0bU) : "cc" );
    c->lar_ok = ok;
    c->lar_val = lar;
    return 0;
}

long vc_bind_ipi(void *arg)
{
    unsigned int me = pv_smp_id();
    evtchn_port_t port;
    long rc = pv_evtchn_bind_ipi(me, &port);

    if ( !rc )
        vc_cpus[me].ipi_port = port;
    return rc;
}

long vc_send(void *arg)
{
    vc_cpus[pv_smp_id()].send_time = pv_now();
    return pv_evtchn_send((evtchn_port_t)(unsigned long)arg);
}

/*
 * SCHEDOP_block until our IPI arrives.  Masked while checking, so that an
 * event sent between the check and the block is not lost: SCHEDOP_block
 * unmasks and returns at once when one is pending (the upcall comes on
 * the way out).  Returns how many IPIs came.
 */
long vc_block(void *arg)
{
    unsigned int me = pv_smp_id();
    struct vc_cpu *c = &vc_cpus[me];
    uint32_t before = pv_evt_count[c->ipi_port];

    pv_evt_disable();
    c->nr_blocks = 0;
    c->woke_after_send = false;
    c->block_rc = 0;
    __atomic_store_n(&c->blocking, true, __ATOMIC_SEQ_CST);
    while ( pv_evt_count[c->ipi_port] == before && c->nr_blocks < 1000 )
    {
        c->nr_blocks++;
        c->block_rc = pv_block();
        pv_evt_disable();
    }
    c->woke_after_send = c->sent;
    __atomic_store_n(&c->blocking, false, __ATOMIC_SEQ_CST);
    pv_evt_enable();
    return pv_evt_count[c->ipi_port] - before;
}

static void vc_lock(volatile unsigned int *l)
{
    while ( __atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE) )
        while ( __atomic_load_n(l, __ATOMIC_RELAXED) )
            pv_cpu_relax();
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
long vc_clock_loop(void *arg)
{
    unsigned long iters = (unsigned long)arg, i, back = 0;
    unsigned int me = pv_smp_id(), k;
    struct vc_clock *g = &vc_clock;
    uint64_t prev = 0, t;

    while ( !__atomic_load_n(&g->start, __ATOMIC_ACQUIRE) )
        pv_cpu_relax();
    for ( i = 0; i < iters; i++ )
    {
        vc_lock(&g->lock);
        t = pv_now();
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
            pv_cpu_relax();
    }
    vc_cpus[me].clock_self_back = back;
    return 0;
}

long vc_runstate(void *arg)
{
    unsigned int me = pv_smp_id(), k;
    struct vc_cpu *c = &vc_cpus[me];

    c->rs_rc1 = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, me, &c->rs1);
    for ( k = 0; k < 200000; k++ )
        pv_cpu_relax();
    c->rs_rc2 = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, me, &c->rs2);
    c->rs_area_state = c->area.state;
    return 0;
}

long vc_spin(void *arg)
{
    struct vc_cpu *c = &vc_cpus[pv_smp_id()];

    while ( !__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE) )
    {
        c->counter++;
        pv_cpu_relax();
    }
    return 0;
}

long vc_self_down(void *arg)
{
    unsigned int me = pv_smp_id();
    struct vc_cpu *c = &vc_cpus[me];

    c->self_down_returned = false;
    c->self_down_rc = HYPERVISOR_vcpu_op(VCPUOP_down, me, NULL);
    __atomic_store_n(&c->self_down_returned, true, __ATOMIC_RELEASE);
    return 0;
}
