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
#include <keel/sched-if.h>
#include <keel/xmalloc.h>
#include <asm/pv/desc.h>
#include <asm/x86-defs.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/smp.h>
#include <asm/pv/traps.h>
#include <asm/pv/vcpu.h>
#include <public/physdev.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <xsm/xsm.h>

#define MAX_IOPL        3
#define MAX_IO_PORTS    65536
#define LDT_MAX_ENTS    8192
/* Guest-controllable RFLAGS bits: CF PF AF ZF SF TF DF OF NT AC ID. */
#define IRET_RFLAGS     0x254dd5ULL

static long register_vcpu_info(struct vcpu *v, unsigned long arg)
{
    struct domain *d = v->domain;
    struct vcpu_register_vcpu_info info;
    struct page_info *pg;
    struct vcpu_info *new;

    if ( copy_from_guest(&info, arg, sizeof(info)) )
        return -EFAULT;
    if ( info.offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
         (info.offset & (sizeof(uint64_t) - 1)) )
        return -ENXIO;
    if ( info.rsvd )
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

static bool canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/*
 * A vcpu_guest_context, judged with no side effect: canonical addresses,
 * an aligned LDT of at most 8192 entries, a GDT below the reserved
 * entries.  0 or -EINVAL.
 */
int pv_vcpu_check_context(const struct vcpu_guest_context *c)
{
    unsigned int i;

    if ( !canonical(c->user_regs.rip) || !canonical(c->user_regs.rsp) ||
         !canonical(c->kernel_sp) || !canonical(c->fs_base) ||
         !canonical(c->gs_base_kernel) || !canonical(c->gs_base_user) ||
         !canonical(c->event_callback_eip) ||
         !canonical(c->failsafe_callback_eip) ||
         !canonical(c->syscall_callback_eip) ||
         !canonical(c->ldt_base) || (c->ldt_base & (PAGE_SIZE - 1)) ||
         c->ldt_ents > LDT_MAX_ENTS ||
         c->gdt_ents > FIRST_RESERVED_GDT_ENTRY )
        return -EINVAL;
    for ( i = 0; i < PV_NR_VECTORS; i++ )
        if ( !canonical(c->trap_ctxt[i].address) )
            return -EINVAL;
    return 0;
}

/* The register and callback part of a checked context. */
static void load_registers(struct vcpu *v, const struct vcpu_guest_context *c)
{
    unsigned int i;

    v->arch.kernel_mode = c->flags & VGCF_in_kernel;
    v->arch.user_regs = (struct cpu_user_regs){
        .r15 = c->user_regs.r15, .r14 = c->user_regs.r14,
        .r13 = c->user_regs.r13, .r12 = c->user_regs.r12,
        .rbp = c->user_regs.rbp, .rbx = c->user_regs.rbx,
        .r11 = c->user_regs.r11, .r10 = c->user_regs.r10,
        .r9 = c->user_regs.r9, .r8 = c->user_regs.r8,
        .rax = c->user_regs.rax, .rcx = c->user_regs.rcx,
        .rdx = c->user_regs.rdx, .rsi = c->user_regs.rsi,
        .rdi = c->user_regs.rdi,
        .rip = c->user_regs.rip,
        .cs = (c->user_regs.cs & ~3) == (FLAT_RING3_CS32 & ~3)
              ? FLAT_RING3_CS32 : FLAT_RING3_CS64,
        .rflags = (c->user_regs.rflags & IRET_RFLAGS) | X86_EFLAGS_IF | 2,
        .rsp = c->user_regs.rsp,
        .ss = FLAT_RING3_DS,
    };
    for ( i = 0; i < PV_NR_VECTORS; i++ )
        v->arch.traps[c->trap_ctxt[i].vector] = (struct pv_trap){
            .address = c->trap_ctxt[i].address,
            .cs = c->trap_ctxt[i].cs,
            .dpl = c->trap_ctxt[i].flags & 3,
            .mask_events = !!(c->trap_ctxt[i].flags & 4),
        };
    v->arch.kernel_ss = c->kernel_ss;
    v->arch.kernel_sp = c->kernel_sp;
    v->arch.event_cb = (struct pv_callback){ c->event_callback_eip, true };
    v->arch.failsafe_cb = (struct pv_callback){
        c->failsafe_callback_eip, !!(c->flags & VGCF_failsafe_disables_events) };
    v->arch.syscall_cb = (struct pv_callback){
        c->syscall_callback_eip, !!(c->flags & VGCF_syscall_disables_events) };
    v->arch.fs_base = c->fs_base;
    v->arch.gs_base_kernel = c->gs_base_kernel;
    v->arch.gs_base_user = c->gs_base_user;
}

/*
 * Give v (which never ran: !is_initialised) its first context, checked
 * already: the kernel L4 at ctrlreg[3] must be the domain's and validate,
 * and the GDT frames must be its own; references on both are taken
 * before anything of v changes.  Used by VCPUOP_initialise and
 * XEN_DOMCTL_setvcpucontext.  0, -EEXIST or -EINVAL.
 */
int pv_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;
    struct page_info *l4 = NULL;
    unsigned long l4_mfn;
    int rc;

    if ( v->is_initialised )
        return -EEXIST;
    l4_mfn = c->ctrlreg[3] >> PAGE_SHIFT;
    if ( !mfn_valid(_mfn(l4_mfn)) ||
         !get_page_and_type(l4 = mfn_to_page(_mfn(l4_mfn)), d,
                            PGT_l4_page_table) )
        return -EINVAL;
    if ( c->gdt_ents && (rc = pv_gdt_install(v, c->gdt_frames, c->gdt_ents)) )
    {
        put_page_and_type(l4);
        return rc;
    }

    /* A kernel base pointer shows the read-only M2P (as NEW_BASEPTR). */
    l4_set_m2p_slot(_mfn(l4_mfn), true);
    v->arch.guest_table = _mfn(l4_mfn);
    load_registers(v, c);
    v->is_initialised = true;
    return 0;
}

/*
 * A context for an initialised vCPU (XEN_DOMCTL_setvcpucontext again):
 * as Xen, only the same kernel page-table base is accepted (registers,
 * callbacks and traps are replaced); another is -EOPNOTSUPP.
 */
int pv_vcpu_reload_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    if ( !v->is_initialised )
        return -EINVAL;
    if ( (c->ctrlreg[3] >> PAGE_SHIFT) != mfn_x(v->arch.guest_table) )
        return -EOPNOTSUPP;
    load_registers(v, c);
    return 0;
}

/* VCPUOP_initialise: give a vCPU that never ran its first context. */
static long vcpu_initialise(struct vcpu *v, unsigned long arg)
{
    struct vcpu_guest_context *c;
    long rc;

    if ( v->is_initialised )
        return -EEXIST;
    if ( (c = xmalloc(struct vcpu_guest_context)) == NULL )
        return -ENOMEM;
    if ( copy_from_guest(c, arg, sizeof(*c)) )
        rc = -EFAULT;
    else if ( (rc = pv_vcpu_check_context(c)) == 0 )
        rc = pv_vcpu_set_context(v, c);
    xfree(c);
    return rc;
}

long do_vcpu_op(unsigned long cmd_arg, unsigned long vcpuid_arg,
                unsigned long arg, unsigned long a4, unsigned long a5)
{
    struct domain *d = current->domain;
    int cmd = (int)cmd_arg;                 /* the ABI's types */
    unsigned int vcpuid = (unsigned int)vcpuid_arg;
    struct vcpu *v;

    if ( vcpuid >= d->max_vcpus || (v = d->vcpu[vcpuid]) == NULL )
        return -ENOENT;

    switch ( cmd )
    {
    case VCPUOP_initialise:
        return vcpu_initialise(v, arg);

    case VCPUOP_up:
        if ( !v->is_initialised )
            return -EINVAL;
        v->is_up = true;
        vcpu_wake(v);
        return 0;

    case VCPUOP_down:
        v->is_up = false;
        vcpu_sleep(v);
        return 0;

    case VCPUOP_is_up:
        return v->is_up;

    case VCPUOP_get_runstate_info:
    {
        struct vcpu_runstate_info rs;

        sched_get_runstate(v, &rs, true);
        return copy_to_guest(arg, &rs, sizeof(rs)) ? -EFAULT : 0;
    }

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
        if ( !guest_range_ok(area.addr.p, sizeof(rs)) )
            return -EFAULT;
        v->arch.runstate_area = area.addr.p;
        if ( !area.addr.p )
            return 0;
        /*
         * Filled at once, as Xen does (the caller's own record as stored,
         * another vCPU's with its current state's time); a copy that
         * faults is not an error: the area may be mapped later.
         */
        sched_get_runstate(v, &rs, v != current);
        (void)copy_to_guest(area.addr.p, &rs, sizeof(rs));
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
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_remove:
    {
        struct physdev_manage_pci m;

        /* Xen: the argument is read, then the privilege checked. */
        if ( copy_from_guest(&m, arg, sizeof(m)) )
            return -EFAULT;
        if ( xsm_default_action(XSM_PRIV, v->domain, NULL) )
            return -EPERM;
        return -ENOSYS;             /* device management: not yet */
    }
    }
    return -ENOSYS;
}
