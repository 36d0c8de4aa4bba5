/*
 * The PV console of a domU: output and input through the console ring
 * page (start_info.console.domU, public/io/console.h) rather than
 * console_io, which Xen refuses to unprivileged domains.
 *
 * Output: pv_console_write() comes here when pv_xencons_active().  Bytes
 * go into the out ring ('\n' as "\r\n", for a terminal attached with xl
 * console), out_prod moves after a write barrier, and the backend is
 * kicked with EVTCHNOP_send.  out_prod is ours: we keep our own copy and
 * never read it back, so the backend cannot make us overwrite what it has
 * not taken.  out_cons is the backend's: read once per pass and checked
 * (at most one ring behind us), else the ring is not used for that write.
 *
 * When the ring is full we wait for the backend to drain it, in
 * SCHEDOP_poll on the console channel with a deadline.  A backend that
 * takes nothing for PV_XENCONS_STALL_NS (none attached, or one that
 * stopped) puts us in the stalled state: writes then keep what fits and
 * drop the rest without waiting, until out_cons moves again.  The event's
 * pending bit is cleared only when seen set, and the ring re-checked
 * after, so no wakeup is lost.
 *
 * Input: pv_xencons_read() takes what the backend put in the in ring,
 * with the same checks (in_prod at most one ring ahead of our in_cons).
 *
 * The ring page is in the boot mapping (the builder puts it after
 * start_info and the xenstore page).  The start-of-day banner is printed
 * before pv_mm_init(), so until then its address is found from
 * start_info's mfn_list and the M2P directly.  Hypercalls are made inline,
 * as console.c does, so that output does not depend on the mode a test
 * selected.  One vCPU at a time (the callers' per-vCPU line buffers make
 * whole lines; a domU kernel prints from vCPU 0).
 */
#include <pvguest/domu.h>
#include <public/io/console.h>

#define OUT_SIZE    sizeof(((struct xencons_interface *)0)->out)
#define IN_SIZE     sizeof(((struct xencons_interface *)0)->in)

static volatile struct xencons_interface *ring;
static evtchn_port_t port;
static XENCONS_RING_IDX out_prod, in_cons;
static bool stalled;
static XENCONS_RING_IDX stalled_cons;   /* out_cons when we stalled */

bool pv_xencons_active(void)
{
    const struct start_info *si = pv_start_info;

    return si && !(si->flags & SIF_INITDOMAIN) && si->console.domU.mfn;
}

/* The ring, found on first use; NULL if not a domU or not mapped. */
static volatile struct xencons_interface *get_ring(void)
{
    const struct start_info *si = pv_start_info;
    const unsigned long *p2m;
    unsigned long mfn, pfn;

    if ( ring || !pv_xencons_active() )
        return ring;
    mfn = si->console.domU.mfn;
    if ( pv_nr_boot_pfns )
        ring = mfn_to_virt(mfn);
    else
    {
        /* Before pv_mm_init(): the builder's p2m list and the M2P. */
        p2m = (const unsigned long *)si->mfn_list;
        if ( mfn >= (1UL << 40) )
            return NULL;
        pfn = pv_m2p[mfn];
        if ( pfn >= si->nr_pages || p2m[pfn] != mfn )
            return NULL;
        ring = pfn_to_virt(pfn);
    }
    if ( ring )
    {
        port = si->console.domU.evtchn;
        out_prod = ring->out_prod;
        in_cons = ring->in_cons;
    }
    return ring;
}

evtchn_port_t pv_xencons_port(void)
{
    return get_ring() ? port : 0;
}

static void notify(void)
{
    struct evtchn_send op = { .port = port };

    pv_hypercall_inline(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
                        (unsigned long)&op, 0, 0, 0);
}

static bool test_and_clear_pending(void)
{
    unsigned long bit = 1UL << (port % 64);

    return __atomic_fetch_and(&pv_shared_info->evtchn_pending[port / 64],
                              ~bit, __ATOMIC_SEQ_CST) & bit;
}

/* Free bytes in the out ring now; -1 if the backend's index is bad. */
static long out_space(void)
{
    XENCONS_RING_IDX cons = ring->out_cons;

    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if ( (XENCONS_RING_IDX)(out_prod - cons) > OUT_SIZE )
        return -1;
    if ( stalled && cons != stalled_cons )
        stalled = false;                /* the backend moved again */
    return OUT_SIZE - (XENCONS_RING_IDX)(out_prod - cons);
}

/*
 * Wait until the out ring has room: true, or false when the backend took
 * nothing for PV_XENCONS_STALL_NS (and from then on we do not wait).
 */
static bool wait_room(void)
{
    uint64_t deadline;
    long space;

    /* No shared_info yet (the first lines of start of day): no clock. */
    if ( stalled || !pv_shared_info )
        return false;
    deadline = pv_now() + PV_XENCONS_STALL_NS;
    for ( ; ; )
    {
        struct sched_poll p = { .nr_ports = 1, .timeout = deadline };

        if ( (space = out_space()) != 0 )
            return space > 0;
        if ( test_and_clear_pending() )
            continue;                   /* look again before sleeping */
        if ( pv_now() >= deadline )
        {
            stalled = true;
            stalled_cons = ring->out_cons;
            return false;
        }
        set_xen_guest_handle(p.ports, &port);
        pv_hypercall_inline(__HYPERVISOR_sched_op, SCHEDOP_poll,
                            (unsigned long)&p, 0, 0, 0);
    }
}

void pv_xencons_write(const char *s, size_t len)
{
    size_t i = 0;
    bool cr_done = false;               /* "\r" of the '\n' at s[i] sent */

    if ( !get_ring() )
        return;
    while ( i < len )
    {
        long space = out_space();
        bool moved = false;

        if ( space < 0 )
            return;                     /* broken backend: drop */
        if ( space == 0 )
        {
            if ( !wait_room() )
                return;                 /* stalled: drop the rest */
            continue;
        }
        for ( ; space > 0 && i < len; space-- )
        {
            char c = s[i];

            if ( c == '\n' && !cr_done )
            {
                c = '\r';
                cr_done = true;
            }
            else
            {
                cr_done = false;
                i++;
            }
            ring->out[MASK_XENCONS_IDX(out_prod, ring->out)] = c;
            out_prod++;
            moved = true;
        }
        if ( moved )
        {
            __atomic_thread_fence(__ATOMIC_RELEASE);
            ring->out_prod = out_prod;
            notify();
        }
    }
}

size_t pv_xencons_read(char *buf, size_t len)
{
    XENCONS_RING_IDX prod;
    size_t n = 0;

    if ( !get_ring() )
        return 0;
    prod = ring->in_prod;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if ( (XENCONS_RING_IDX)(prod - in_cons) > IN_SIZE )
        return 0;                       /* the backend's index is bad */
    while ( in_cons != prod && n < len )
        buf[n++] = ring->in[MASK_XENCONS_IDX(in_cons++, ring->in)];
    if ( n )
    {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        ring->in_cons = in_cons;
        notify();                       /* it may wait for room */
    }
    return n;
}
