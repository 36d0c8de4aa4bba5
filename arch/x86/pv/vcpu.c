/*
 * vcpu_op and physdev_op for PV guests.  Multi-vCPU operations (initialise,
 * up, down) and the vCPU timers arrive with the scheduler; this file has
 * the per-vCPU registrations a single-vCPU guest needs and the virtual I/O
 * privilege controls.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/sched.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/smp.h>
#include <asm/pv/traps.h>
#include <public/physdev.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <xsm/xsm.h>

#define MAX_IOPL        3
#define MAX_IO_PORTS    65536

static long register_vcpu_info(struct vcpu *v, unsigned long arg)
{
    struct domain *d = v->domain;
    struct vcpu_register_vcpu_info info;
    struct page_info *pg;
    struct vcpu_info *new;

    if ( copy_from_guest(&info, arg, sizeof(info)) )
        return -EFAULT;
    if ( info.offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
         (info.offset & (sizeof(uint64_t) - 1)) || info.rsvd )
        return -EINVAL;
    if ( v->arch.vcpu_info_mfn )
        return -EINVAL;                     /* only once */
    if ( !mfn_valid(_mfn(info.mfn)) )
        return -EINVAL;
    pg = mfn_to_page(_mfn(info.mfn));
    if ( !get_page_and_type(pg, d, PGT_writable_page) )
        return -EINVAL;

    new = (struct vcpu_info *)((char *)mfn_to_virt(_mfn(info.mfn)) +
                               info.offset);
    *new = *v->vcpu_info;
    /* Events pending in the old slot stay pending in the new one. */
    new->evtchn_pending_sel = ~0UL;
    new->evtchn_upcall_pending = 1;
    v->vcpu_info = new;
    v->arch.vcpu_info_mfn = info.mfn;
    v->arch.vcpu_info_offset = info.offset;
    return 0;
}

long do_vcpu_op(unsigned long cmd, unsigned long vcpuid, unsigned long arg,
                unsigned long a4, unsigned long a5)
{
    struct domain *d = current->domain;
    struct vcpu *v;

    if ( vcpuid >= d->max_vcpus || (v = d->vcpu[vcpuid]) == NULL )
        return -ENOENT;

    switch ( cmd )
    {
    case VCPUOP_is_up:
        return v == current || v->is_up;

    case VCPUOP_register_vcpu_info:
        if ( v != current )
            return -EINVAL;
        return register_vcpu_info(v, arg);

    case VCPUOP_register_runstate_memory_area:
    {
        struct vcpu_register_runstate_memory_area area;
        struct vcpu_runstate_info rs;

        if ( copy_from_guest(&area, arg, sizeof(area)) )
            return -EFAULT;
        v->arch.runstate_area = area.addr.p;
        if ( !area.addr.p )
            return 0;
        memset(&rs, 0, sizeof(rs));
        rs.state = v == current ? RUNSTATE_running : RUNSTATE_offline;
        if ( v == current && copy_to_guest(area.addr.p, &rs, sizeof(rs)) )
            return -EFAULT;
        return 0;
    }

    case VCPUOP_set_singleshot_timer:
    {
        struct vcpu_set_singleshot_timer t;

        if ( v != current )
            return -EINVAL;
        if ( copy_from_guest(&t, arg, sizeof(t)) )
            return -EFAULT;
        return sched_set_singleshot(v, (s_time_t)MIN(t.timeout_abs_ns,
                                                     (uint64_t)INT64_MAX),
                                    t.flags & VCPU_SSHOTTMR_future);
    }
    case VCPUOP_stop_singleshot_timer:
        if ( v != current )
            return -EINVAL;
        sched_stop_singleshot(v);
        return 0;
    case VCPUOP_set_periodic_timer:
    {
        struct vcpu_set_periodic_timer t;

        if ( copy_from_guest(&t, arg, sizeof(t)) )
            return -EFAULT;
        return sched_set_periodic(v, t.period_ns);
    }
    case VCPUOP_stop_periodic_timer:
        sched_stop_periodic(v);
        return 0;

    case VCPUOP_get_physid:
    {
        struct vcpu_get_physid id;

        if ( xsm_default_action(XSM_PRIV, d, NULL) )
            return -EPERM;
        id.phys_id = cpu_apic_id[v->processor] |
                     ((uint64_t)v->processor << 32);
        return copy_to_guest(arg, &id, sizeof(id)) ? -EFAULT : 0;
    }
    }
    return -ENOSYS;
}

long do_physdev_op(unsigned long cmd, unsigned long arg, unsigned long a3,
                   unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    switch ( cmd )
    {
    case PHYSDEVOP_set_iopl:
    {
        struct physdev_set_iopl s;

        if ( copy_from_guest(&s, arg, sizeof(s)) )
            return -EFAULT;
        if ( s.iopl > MAX_IOPL )
            return -EINVAL;
        v->arch.iopl = s.iopl;
        return 0;
    }
    case PHYSDEVOP_set_iobitmap:
    {
        struct physdev_set_iobitmap s;

        if ( copy_from_guest(&s, arg, sizeof(s)) )
            return -EFAULT;
        if ( s.nr_ports > MAX_IO_PORTS ||
             !guest_range_ok(xen_guest_handle_addr(s.bitmap),
                             (s.nr_ports + 7) / 8) )
            return -EINVAL;
        v->arch.iobmp = xen_guest_handle_addr(s.bitmap);
        v->arch.iobmp_limit = s.nr_ports;
        return 0;
    }
    }
    return -ENOSYS;
}
