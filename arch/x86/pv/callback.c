/*
 * Hypercalls that register a PV guest's entry points and CPU state:
 * set_trap_table, set_callbacks, callback_op, nmi_op, stack_switch,
 * fpu_taskswitch, set_debugreg/get_debugreg, set_segment_base and iret.
 * All act on the calling vCPU only.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <asm/processor.h>
#include <asm/pv/traps.h>
#include <asm/x86-defs.h>
#include <asm/desc.h>
#include <asm/extable.h>
#include <public/callback.h>
#include <public/nmi.h>
#include <public/xen.h>

#define TI_DPL_MASK       3u
#define TI_MASK_EVENTS    4u
#define X86_EFLAGS_IF_BIT X86_EFLAGS_IF
/* Guest-controllable RFLAGS bits on iret: CF PF AF ZF SF TF DF OF NT AC ID. */
#define IRET_RFLAGS_MASK  0x254dd5ULL
#define DR7_GD            (1u << 13)
#define DR7_RESERVED_ONE  0x400u
#define DR6_RESERVED_ONE  0xffff0ff0u

static bool is_canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

long do_set_trap_table(unsigned long traps, unsigned long a2, unsigned long a3,
                       unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;
    struct trap_info ti;

    if ( !traps )
    {
        memset(v->arch.traps, 0, sizeof(v->arch.traps));
        return 0;
    }
    for ( ; ; traps += sizeof(ti) )
    {
        if ( hypercall_preempt_check() )
            return hypercall_create_continuation(__HYPERVISOR_set_trap_table,
                                                 1, &traps);
        if ( copy_from_guest(&ti, traps, sizeof(ti)) )
            return -EFAULT;
        if ( ti.address == 0 )
            return 0;
        if ( !is_canonical(ti.address) )
            return -EINVAL;
        v->arch.traps[ti.vector] = (struct pv_trap){
            .address = ti.address,
            .cs = ti.cs,
            .dpl = ti.flags & TI_DPL_MASK,
            .mask_events = !!(ti.flags & TI_MASK_EVENTS),
        };
    }
}

static int register_callback(struct vcpu *v, const struct callback_register *r)
{
    bool mask = r->flags & CALLBACKF_mask_events;
    struct pv_callback cb = { r->address, mask };

    if ( !is_canonical(r->address) )
        return -EINVAL;

    switch ( r->type )
    {
    case CALLBACKTYPE_event:
        v->arch.event_cb = cb;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->arch.failsafe_cb = cb;
        return 0;
    case CALLBACKTYPE_syscall:
        v->arch.syscall_cb = cb;
        return 0;
    case CALLBACKTYPE_syscall32:
        v->arch.syscall32_cb = cb;
        return 0;
    case CALLBACKTYPE_sysenter:
        v->arch.sysenter_cb = cb;
        return 0;
    case CALLBACKTYPE_nmi:
        if ( v->vcpu_id != 0 )
            return -EINVAL;
        v->arch.nmi_cb = cb;
        return 0;
    }
    return -ENOSYS;
}

static int unregister_callback(struct vcpu *v, unsigned int type)
{
    switch ( type )
    {
    case CALLBACKTYPE_event:
    case CALLBACKTYPE_failsafe:
    case CALLBACKTYPE_syscall:
    case CALLBACKTYPE_syscall32:
    case CALLBACKTYPE_sysenter:
        return -EINVAL;                     /* cannot be withdrawn */
    case CALLBACKTYPE_nmi:
        v->arch.nmi_cb = (struct pv_callback){ 0, false };
        return 0;
    }
    return -ENOSYS;
}

long do_callback_op(unsigned long cmd, unsigned long arg, unsigned long a3,
                    unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    switch ( cmd )
    {
    case CALLBACKOP_register:
    {
        struct callback_register r;

        if ( copy_from_guest(&r, arg, sizeof(r)) )
            return -EFAULT;
        return register_callback(v, &r);
    }
    case CALLBACKOP_unregister:
    {
        struct callback_unregister u;

        if ( copy_from_guest(&u, arg, sizeof(u)) )
            return -EFAULT;
        return unregister_callback(v, u.type);
    }
    }
    return -ENOSYS;
}

long do_set_callbacks(unsigned long event, unsigned long failsafe,
                      unsigned long syscall, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    v->arch.event_cb = (struct pv_callback){ event, false };
    v->arch.failsafe_cb = (struct pv_callback){ failsafe, false };
    v->arch.syscall_cb = (struct pv_callback){ syscall, false };
    return 0;
}

long do_nmi_op(unsigned long cmd, unsigned long arg, unsigned long a3,
               unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    switch ( cmd )
    {
    case XENNMI_register_callback:
    {
        struct xennmi_callback cb;

        if ( copy_from_guest(&cb, arg, sizeof(cb)) )
            return -EFAULT;
        /* Xen ignores the pad word. */
        if ( v->vcpu_id != 0 || !is_canonical(cb.handler_address) )
            return -EINVAL;
        v->arch.nmi_cb = (struct pv_callback){ cb.handler_address, true };
        return 0;
    }
    case XENNMI_unregister_callback:
        v->arch.nmi_cb = (struct pv_callback){ 0, false };
        return 0;
    }
    return -ENOSYS;
}

long do_stack_switch(unsigned long ss, unsigned long sp, unsigned long a3,
                     unsigned long a4, unsigned long a5)
{
    current->arch.kernel_ss = ss;
    current->arch.kernel_sp = sp;
    return 0;
}

long do_fpu_taskswitch(unsigned long set, unsigned long a2, unsigned long a3,
                       unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    v->arch.fpu_ts = !!set;
    if ( set )
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        write_cr0(read_cr0() & ~X86_CR0_TS);
    return 0;
}

/* Load the debug registers the guest set into the CPU. */
static void load_debugreg(unsigned int reg, uint64_t val)
{
    switch ( reg )
    {
    case 0: __asm__ __volatile__ ( "mov %0, %%db0" :: "r" (val) ); break;
    case 1: __asm__ __volatile__ ( "mov %0, %%db1" :: "r" (val) ); break;
    case 2: __asm__ __volatile__ ( "mov %0, %%db2" :: "r" (val) ); break;
    case 3: __asm__ __volatile__ ( "mov %0, %%db3" :: "r" (val) ); break;
    case 6: __asm__ __volatile__ ( "mov %0, %%db6" :: "r" (val) ); break;
    case 7: __asm__ __volatile__ ( "mov %0, %%db7" :: "r" (val) ); break;
    }
}

long do_set_debugreg(unsigned long reg, unsigned long value, unsigned long a3,
                     unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    if ( reg == 4 || reg == 5 )
        reg += 2;                           /* aliases of DR6/DR7 */
    switch ( reg )
    {
    case 0: case 1: case 2: case 3:
        /* A breakpoint may only watch guest addresses. */
        if ( !guest_range_ok(value, sizeof(long)) )
            return -EPERM;
        break;
    case 6:
        value = (value & 0xffffffffUL) | DR6_RESERVED_ONE;
        break;
    case 7:
        if ( value & DR7_GD )
            return -EPERM;
        if ( value >> 32 )
            return -EINVAL;
        value |= DR7_RESERVED_ONE;
        break;
    default:
        return -ENODEV;
    }
    v->arch.debugreg[reg] = value;
    load_debugreg(reg, value);
    return 0;
}

long do_get_debugreg(unsigned long reg, unsigned long a2, unsigned long a3,
                     unsigned long a4, unsigned long a5)
{
    if ( reg == 4 || reg == 5 )
        reg += 2;                           /* aliases of DR6/DR7 */
    if ( reg > 7 )
        return -ENODEV;
    return current->arch.debugreg[reg];
}

/*
 * SEGBASE_GS_USER_SEL: load the selector into GS as the guest's user code
 * would, and keep the base the CPU took from its descriptor as the user GS
 * base.  A selector the CPU refuses leaves a null GS (base 0), as on Xen.
 * The kernel GS base (active now) is put back afterwards.
 */
static uint64_t gs_base_of_selector(uint16_t sel)
{
    uint64_t kernel_base = rdmsr(MSR_GS_BASE), user_base;
    unsigned long s = sel;

    __asm__ __volatile__ (
        "1: mov %w0, %%gs\n\t"
        "   jmp 3f\n\t"
        "2: xor %k0, %k0\n\t"
        "   mov %w0, %%gs\n\t"
        "3:\n\t"
        _ASM_EXTABLE(1b, 2b)
        : "+r" (s) :: "memory" );
    user_base = rdmsr(MSR_GS_BASE);
    wrmsr(MSR_GS_BASE, kernel_base);
    return user_base;
}

long do_set_segment_base(unsigned long which, unsigned long base,
                         unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    if ( which != SEGBASE_GS_USER_SEL && !is_canonical(base) )
        return -EINVAL;
    switch ( which )
    {
    case SEGBASE_FS:
        v->arch.fs_base = base;
        wrmsr(MSR_FS_BASE, base);
        return 0;
    case SEGBASE_GS_USER:
        v->arch.gs_base_user = base;        /* inactive while in kernel */
        return 0;
    case SEGBASE_GS_KERNEL:
        v->arch.gs_base_kernel = base;
        wrmsr(MSR_GS_BASE, base);
        return 0;
    case SEGBASE_GS_USER_SEL:
        v->arch.gs_base_user = gs_base_of_selector((uint16_t)base);
        return 0;
    }
    return -EINVAL;
}

/*
 * iret: the guest pushed struct iret_context and made the call; restore
 * that state.  Returning to a user-mode CS (RPL 3) switches to the user
 * page tables.  The upcall mask follows the saved IF.
 */
long do_iret(unsigned long a1, unsigned long a2, unsigned long a3,
             unsigned long a4, unsigned long a5)
{
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    struct vcpu *v = current;
    struct iret_context ic;
    bool to_user;

    if ( copy_from_guest(&ic, regs->rsp, sizeof(ic)) )
        domain_crash_current("iret: unreadable iret frame");
    /*
     * A bad rip or selector is the guest's #GP, raised when the hypervisor
     * returns (pv_iret_fault); only a non-canonical stack is fatal.
     */
    if ( !is_canonical(ic.rsp) )
        domain_crash_current("iret: non-canonical rsp");

    to_user = (ic.cs & 3) == 3;
    if ( to_user && !mfn_x(v->arch.guest_table_user) )
        domain_crash_current("iret to user mode without user page tables");
    if ( to_user != !v->arch.kernel_mode )
        pv_toggle_guest_mode(v);

    regs->rip = ic.rip;
    regs->cs = (uint16_t)ic.cs | 3;         /* the guest never gets ring 0 */
    regs->rflags = (ic.rflags & IRET_RFLAGS_MASK) | X86_EFLAGS_IF | 2;
    regs->rsp = ic.rsp;
    regs->ss = (uint16_t)ic.ss | 3;
    if ( ic.flags & VGCF_in_syscall )
    {
        /* Return as SYSRET would: rcx = rip, r11 = rflags. */
        regs->rcx = regs->rip;
        regs->r11 = regs->rflags;
    }
    else
    {
        regs->r11 = ic.r11;
        regs->rcx = ic.rcx;
        regs->entry_vector = 0;             /* they matter: not SYSRET */
    }
    v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
    /* A non-canonical rip is the guest's #GP(0) at that rip, as on Xen. */
    if ( !is_canonical(ic.rip) )
        pv_inject_trap(regs, X86_EXC_GP, true, 0);
    /* The hypercall's return value becomes rax: the saved one. */
    return ic.rax;
}
