/*
 * Event channels for PV test kernels: the upcall handler behind
 * pv_evt_entry (event_entry.S), the EVTCHNOP wrappers, the 2-level bitmap
 * helpers and the blocking sched_ops.  See <pvguest/event.h>.
 *
 * The upcall runs on whichever vCPU took it (pv_smp_id()) and serves that
 * vCPU only: its vcpu_info's flag and selector, and of the ports in the
 * words the selector names only those bound to it (pv_evt_owner, kept by
 * the bind wrappers below), as Linux does: a word holds ports of several
 * vCPUs, and each port's own vCPU is notified of it.
 */
#include <pvguest/event.h>
#include <pvguest/smp.h>

volatile uint32_t pv_evt_count[PV_EVT_NR_PORTS];
volatile uint8_t pv_evt_taker[PV_EVT_NR_PORTS];
volatile uint8_t pv_evt_owner[PV_EVT_NR_PORTS];
volatile uint64_t pv_evt_time[PV_EVT_NR_PORTS];
volatile unsigned long pv_evt_nr_upcalls, pv_evt_nr_ports, pv_evt_nr_empty;
volatile unsigned long pv_evt_nr_foreign;
volatile unsigned long pv_evt_last_sel;
volatile uint8_t pv_evt_last_mask, pv_evt_last_pending;
struct pv_evt_frame pv_evt_last_frame;
void (*volatile pv_evt_hook)(evtchn_port_t port);
void *pv_evt_callback = pv_entry_event;

void pv_evt_upcall(const struct pv_evt_frame *f);

#define ATOMIC_INC(x)   __atomic_fetch_add(&(x), 1, __ATOMIC_SEQ_CST)

/* Called by pv_evt_entry with events masked by the delivery itself. */
void pv_evt_upcall(const struct pv_evt_frame *f)
{
    unsigned int me = pv_smp_id();
    struct pv_cpu *c = &pv_cpus[me];
    struct vcpu_info *vi = pv_smp_vcpu_info(me);
    struct shared_info *sh = pv_shared_info;
    unsigned long sel, bits;
    unsigned int w, b;

    ATOMIC_INC(pv_evt_nr_upcalls);
    c->nr_upcalls++;
    pv_evt_last_mask = c->last_mask = vi->evtchn_upcall_mask;
    pv_evt_last_pending = c->last_pending = vi->evtchn_upcall_pending;
    pv_evt_last_frame = *f;

    vi->evtchn_upcall_pending = 0;
    barrier();
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    pv_evt_last_sel = c->last_sel = sel;
    if ( !sel )
    {
        ATOMIC_INC(pv_evt_nr_empty);
        c->nr_empty++;
    }

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
            if ( pv_evt_owner[port] != me )
            {
                /* Its own vCPU was notified and takes it. */
                ATOMIC_INC(pv_evt_nr_foreign);
                continue;
            }
            if ( !(__atomic_fetch_and(&sh->evtchn_pending[w], ~(1UL << b),
                                      __ATOMIC_SEQ_CST) & (1UL << b)) )
                continue;
            pv_evt_time[port] = pv_now();
            pv_evt_taker[port] = me;
            ATOMIC_INC(pv_evt_count[port]);
            ATOMIC_INC(pv_evt_nr_ports);
            c->nr_ports++;
            if ( pv_evt_hook )
                pv_evt_hook(port);
        }
    }
}

static long register_event_callback(void *entry)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_event, .flags = 0,
        .address = (unsigned long)entry,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

void pv_evt_reset_counts(void)
{
    unsigned int i;

    memset((void *)pv_evt_count, 0, sizeof(pv_evt_count));
    memset((void *)pv_evt_taker, 0xff, sizeof(pv_evt_taker));
    pv_evt_nr_upcalls = pv_evt_nr_ports = pv_evt_nr_empty = 0;
    pv_evt_nr_foreign = 0;
    pv_evt_last_sel = 0;
    for ( i = 0; i < PV_SMP_MAX; i++ )
    {
        struct pv_cpu *c = &pv_cpus[i];

        c->nr_upcalls = c->nr_ports = c->nr_empty = c->last_sel = 0;
    }
}

static long register_on_vcpu(void *entry)
{
    return register_event_callback(entry);
}

/* The event callback of vCPU 0, then of every online secondary. */
static long register_everywhere(void *entry)
{
    long rc = register_event_callback(entry);
    unsigned int i;

    pv_evt_callback = entry;
    for ( i = 1; i < PV_SMP_MAX; i++ )
        if ( pv_smp_online(i) &&
             pv_smp_call(i, register_on_vcpu, entry) != 0 )
            test_abort("vCPU %u: CALLBACKOP_register of the event callback "
                       "failed", i);
    return rc;
}

long pv_evt_init(void)
{
    pv_evt_reset_counts();
    return register_everywhere(pv_evt_entry);
}

long pv_evt_fini(void)
{
    return register_everywhere(pv_entry_event);
}

void pv_evt_enable(void)
{
    struct vcpu_info *vi = pv_smp_vcpu_info(pv_smp_id());

    vi->evtchn_upcall_mask = 0;
    barrier();
    if ( vi->evtchn_upcall_pending )
        HYPERVISOR_xen_version(XENVER_version, NULL);
}

void pv_evt_disable(void)
{
    pv_smp_vcpu_info(pv_smp_id())->evtchn_upcall_mask = 1;
    barrier();
}

/* ---- EVTCHNOP ---------------------------------------------------------- */
void pv_evt_set_owner(evtchn_port_t port, unsigned int vcpu)
{
    if ( port < PV_EVT_NR_PORTS )
        pv_evt_owner[port] = vcpu < PV_SMP_MAX ? vcpu : 0;
}

long pv_evtchn_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = dom, .remote_dom = remote };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    if ( !rc && dom == DOMID_SELF )
        pv_evt_set_owner(op.port, 0);
    if ( port )
        *port = rc ? 0 : op.port;
    return rc;
}

long pv_evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
                                evtchn_port_t *lport)
{
    struct evtchn_bind_interdomain op = {
        .remote_dom = remote, .remote_port = rport,
    };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    if ( !rc )
        pv_evt_set_owner(op.local_port, 0);
    if ( lport )
        *lport = rc ? 0 : op.local_port;
    return rc;
}

long pv_evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

    if ( !rc )
        pv_evt_set_owner(op.port, vcpu);
    if ( port )
        *port = rc ? 0 : op.port;
    return rc;
}

long pv_evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

    if ( !rc )
        pv_evt_set_owner(op.port, vcpu);
    if ( port )
        *port = rc ? 0 : op.port;
    return rc;
}

long pv_evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);

    if ( !rc )
        pv_evt_set_owner(port, vcpu);
    return rc;
}

long pv_evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

long pv_evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);

    if ( !rc )
        pv_evt_set_owner(port, 0);
    return rc;
}

long pv_evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

long pv_evtchn_status(domid_t dom, evtchn_port_t port,
                      struct evtchn_status *st)
{
    memset(st, 0xa5, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

long pv_evtchn_reset(domid_t dom)
{
    struct evtchn_reset op = { .dom = dom };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_reset, &op);

    if ( !rc )
        memset((void *)pv_evt_owner, 0, sizeof(pv_evt_owner));
    return rc;
}

long pv_evtchn_loopback(evtchn_port_t *a, evtchn_port_t *b)
{
    long rc = pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, a);

    *b = 0;
    if ( rc )
        return rc;
    rc = pv_evtchn_bind_interdomain(DOMID_SELF, *a, b);
    if ( rc )
        pv_evtchn_close(*a);
    return rc;
}

/* ---- 2-level bitmaps ----------------------------------------------------- */
bool pv_evtchn_is_pending(evtchn_port_t port)
{
    return (__atomic_load_n(&pv_shared_info->evtchn_pending[port / 64],
                            __ATOMIC_SEQ_CST) >> (port % 64)) & 1;
}

bool pv_evtchn_is_masked(evtchn_port_t port)
{
    return (__atomic_load_n(&pv_shared_info->evtchn_mask[port / 64],
                            __ATOMIC_SEQ_CST) >> (port % 64)) & 1;
}

void pv_evtchn_clear_pending(evtchn_port_t port)
{
    __atomic_fetch_and(&pv_shared_info->evtchn_pending[port / 64],
                       ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

void pv_evtchn_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&pv_shared_info->evtchn_mask[port / 64],
                      1UL << (port % 64), __ATOMIC_SEQ_CST);
}

void pv_evtchn_clear_mask(evtchn_port_t port)
{
    __atomic_fetch_and(&pv_shared_info->evtchn_mask[port / 64],
                       ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

bool pv_evtchn_sel_bit(unsigned int vcpu, unsigned int word)
{
    return (__atomic_load_n(&pv_shared_info->vcpu_info[vcpu].evtchn_pending_sel,
                            __ATOMIC_SEQ_CST) >> word) & 1;
}

/* ---- sched_op ------------------------------------------------------------ */
long pv_block(void)
{
    return HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

long pv_poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = nr, .timeout = timeout };

    set_xen_guest_handle(p.ports, ports);
    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

unsigned int pv_nr_vcpus(void)
{
    unsigned int n = 0;

    while ( n < 4096 && HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL) >= 0 )
        n++;
    return n;
}
