/*
 * Exceptions, events and system calls of PV guests.
 *
 * Delivery ("bouncing") writes the PV exception frame on the guest kernel
 * stack and resumes the guest at its registered handler.  From guest user
 * mode the vCPU first switches to kernel mode (kernel L4, kernel GS) and
 * to the stack given with stack_switch.  Frame, lowest address first:
 *
 *     rcx, r11, [error code], rip, cs | upcall_mask << 32, rflags, rsp, ss
 *
 * with the RPL of cs cleared when the guest was in kernel mode and
 * rflags.IF standing for the virtual interrupt flag (!upcall_mask).  A frame
 * that cannot be written (bad kernel stack) crashes the domain; so does an
 * exception with no registered handler.  Nothing a guest does here can
 * fault the hypervisor: every guest access goes through copy_to_guest.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/softirq.h>
#include <keel/sched.h>
#include <keel/sched-if.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/pv/traps.h>
#include <asm/pv/desc.h>
#include <asm/x86-defs.h>
#include <public/xen.h>

#define BOUNCE_CLEAR_FLAGS (X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_RF | \
                            X86_EFLAGS_NT | X86_EFLAGS_TF)
#define PFEC_PRESENT    (1u << 0)
#define PFEC_WRITE      (1u << 1)
#define PFEC_USER       (1u << 2)
#define GP_IDT          2u                  /* #GP error code: IDT entry */
#define INT_INSN_LEN    2                   /* cd nn */

static struct vcpu_info *vinfo(struct vcpu *v)
{
    return v->vcpu_info;
}

/*
 * Write the bounce frame and point regs at `handler`.  `mask_events`
 * sets the upcall mask for the handler (trap-table flag or callback).
 */
static int bounce(struct cpu_user_regs *regs, uint64_t handler,
                  bool mask_events, bool has_ec, uint32_t error_code)
{
    struct vcpu *v = current;
    struct vcpu_info *vi = vinfo(v);
    uint64_t frame[9], sp, cs = regs->cs;
    unsigned int n = 0;
    uint8_t mask = vi->evtchn_upcall_mask;

    if ( v->arch.kernel_mode )
    {
        sp = regs->rsp;
        cs &= ~3ULL;                        /* kernel: RPL cleared */
    }
    else
    {
        pv_toggle_guest_mode(v);
        sp = v->arch.kernel_sp;
    }

    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    if ( has_ec )
        frame[n++] = error_code;
    frame[n++] = regs->rip;
    frame[n++] = cs | ((uint64_t)mask << 32);
    frame[n++] = (regs->rflags & ~(uint64_t)X86_EFLAGS_IF) |
                 (mask ? 0 : X86_EFLAGS_IF);
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;

    sp = (sp & ~15ULL) - n * sizeof(uint64_t);
    if ( copy_to_guest(sp, frame, n * sizeof(uint64_t)) )
    {
        printk(KLOG_ERR "d%u: cannot write an exception frame at %#lx\n",
               v->domain->domain_id, (unsigned long)sp);
        domain_crash_current("bad kernel stack during exception delivery");
    }

    regs->rsp = sp;
    regs->ss = FLAT_RING3_DS;
    regs->cs = FLAT_RING3_CS64;
    regs->rip = handler;
    regs->rflags = (regs->rflags & ~(uint64_t)BOUNCE_CLEAR_FLAGS) |
                   X86_EFLAGS_IF;
    if ( mask_events )
        vi->evtchn_upcall_mask = 1;
    return 0;
}

static bool has_error_code(unsigned int vector)
{
    return vector == X86_EXC_DF || (vector >= X86_EXC_TS &&
           vector <= X86_EXC_PF) || vector == X86_EXC_AC ||
           vector == X86_EXC_CP;
}

int pv_inject_trap(struct cpu_user_regs *regs, unsigned int vector,
                   bool has_ec, uint32_t error_code)
{
    struct vcpu *v = current;
    const struct pv_trap *t = &v->arch.traps[vector & 0xff];

    if ( !t->address )
    {
        printk(KLOG_ERR "d%u: unhandled exception %u at %#lx (no trap "
               "handler registered)\n", v->domain->domain_id, vector,
               (unsigned long)regs->rip);
        domain_crash_current("unhandled exception");
    }
    return bounce(regs, t->address, t->mask_events, has_ec, error_code);
}

int pv_inject_page_fault(struct cpu_user_regs *regs, uint64_t cr2,
                         uint32_t error_code)
{
    vinfo(current)->arch.cr2 = cr2;
    return pv_inject_trap(regs, X86_EXC_PF, true, error_code);
}

static int inject_callback(struct cpu_user_regs *regs,
                           const struct pv_callback *cb, const char *what)
{
    if ( !cb->address )
    {
        printk(KLOG_ERR "d%u: no %s callback registered\n",
               current->domain->domain_id, what);
        domain_crash_current("missing callback");
    }
    return bounce(regs, cb->address, cb->mask_events, false, 0);
}

/* INT n from guest code arrives as #GP with error code (n << 3) | 2. */
static bool soft_int(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    unsigned int vector = regs->error_code >> 3;
    const struct pv_trap *t;
    /* The guest kernel counts as ring 1 for gate DPL checks, as in Xen. */
    unsigned int cpl = v->arch.kernel_mode ? 1 : 3;

    if ( (regs->error_code & 7) != GP_IDT || vector >= PV_NR_VECTORS )
        return false;
    t = &v->arch.traps[vector];
    if ( !t->address || t->dpl < cpl )
        return false;                       /* #GP to the guest instead */
    regs->rip += INT_INSN_LEN;
    bounce(regs, t->address, t->mask_events, false, 0);
    return true;
}

static void guest_page_fault(struct cpu_user_regs *regs)
{
    uint64_t cr2 = read_cr2();
    struct vcpu *v = current;

    /* The guest kernel runs in ring 3; it sees its faults as supervisor. */
    if ( v->arch.kernel_mode )
        regs->error_code &= ~PFEC_USER;
    if ( v->arch.kernel_mode &&
         (regs->error_code & (PFEC_PRESENT | PFEC_WRITE)) ==
         (PFEC_PRESENT | PFEC_WRITE) &&
         pv_ptwr_emulate(regs, cr2) )
        return;
    pv_inject_page_fault(regs, cr2, regs->error_code);
}

static void guest_general_protection(struct cpu_user_regs *regs)
{
    if ( soft_int(regs) || pv_ldt_fault(regs) )
        return;
    /* The emulator applies the CPL rules (IOPL, TSD, ...) itself. */
    if ( regs->error_code == 0 && pv_emulate_privileged(regs) )
        return;
    pv_inject_trap(regs, X86_EXC_GP, true, regs->error_code);
}

static void guest_invalid_op(struct cpu_user_regs *regs)
{
    if ( pv_emulate_invalid_op(regs) )
        return;
    pv_inject_trap(regs, X86_EXC_UD, false, 0);
}

static void guest_device_not_available(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;

    /* The FPU is the guest's: make it usable, then tell the guest. */
    write_cr0(read_cr0() & ~X86_CR0_TS);
    if ( v->arch.fpu_ts )
    {
        v->arch.fpu_ts = false;
        pv_inject_trap(regs, X86_EXC_NM, false, 0);
    }
}

void pv_do_guest_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    switch ( vec )
    {
    case X86_EXC_PF:
        guest_page_fault(regs);
        break;
    case X86_EXC_GP:
        guest_general_protection(regs);
        break;
    case X86_EXC_UD:
        guest_invalid_op(regs);
        break;
    case X86_EXC_NM:
        guest_device_not_available(regs);
        break;
    case X86_EXC_NMI:
    case X86_EXC_MC:
        printk(KLOG_WARNING "%s while a guest ran on CPU %u\n",
               vec == X86_EXC_NMI ? "NMI" : "Machine check",
               smp_processor_id());
        break;
    case X86_EXC_DF:
        domain_crash_current("double fault");
        break;
    case X86_EXC_DB:
    {
        /* The guest reads DR6 for the cause: merge the hardware's. */
        unsigned long dr6;

        __asm__ __volatile__ ( "mov %%db6, %0" : "=r" (dr6) );
        __asm__ __volatile__ ( "mov %0, %%db6" :: "r" (DR6_INIT) );
        current->arch.debugreg[6] |= dr6 & ~DR6_INIT;
        pv_inject_trap(regs, vec, false, 0);
        break;
    }
    default:
        pv_inject_trap(regs, vec, has_error_code(vec), regs->error_code);
        break;
    }
}

/*
 * INT 0x80 has a DPL-3 gate of its own (system calls of 32-bit and old
 * user code): it goes straight to the guest's 0x80 handler whatever that
 * entry's DPL, as Xen does; without a handler it is the #GP it would be.
 */
#define INT80_VECTOR 0x80

void pv_do_int80(struct cpu_user_regs *regs)
{
    const struct pv_trap *t = &current->arch.traps[INT80_VECTOR];

    if ( !t->address )
    {
        regs->rip -= INT_INSN_LEN;
        pv_inject_trap(regs, X86_EXC_GP, true, (INT80_VECTOR << 3) | GP_IDT);
        return;
    }
    bounce(regs, t->address, t->mask_events, false, 0);
}

/* The guest ran since the last return: a pending iret fault is over. */
void pv_guest_entered(void)
{
    struct vcpu *v = current;

    if ( v )
        v->arch.iret_faulted = false;
}

/*
 * Returning to the guest faulted (see iret_fault in entry.S): deliver the
 * fault as if the guest's own iret had raised it at the target.  A second
 * fault before the guest ran again (its handler is unusable) crashes it.
 */
void pv_iret_fault(struct cpu_user_regs *regs);
void pv_iret_fault(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    const struct cpu_info *ci = get_cpu_info();

    if ( v->arch.iret_faulted )
        domain_crash_current("cannot return to the guest's fault handler");
    v->arch.iret_faulted = true;
    pv_inject_trap(regs, ci->fixup_vector,
                   has_error_code(ci->fixup_vector), ci->fixup_error_code);
}

void do_guest_syscall(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;

    pv_guest_entered();
    if ( v->arch.kernel_mode )
    {
        pv_hypercall(regs);
        return;
    }
    /* A system call of the guest's own user code. */
    if ( regs->cs == FLAT_RING3_CS32 && v->arch.syscall32_cb.address )
        inject_callback(regs, &v->arch.syscall32_cb, "syscall32");
    else if ( v->arch.syscall_cb.address )
        inject_callback(regs, &v->arch.syscall_cb, "syscall");
    else
    {
        /* No callback: the instruction is undefined for this guest. */
        regs->rip -= 2;
        pv_inject_trap(regs, X86_EXC_UD, false, 0);
    }
}

void do_guest_sysenter(struct cpu_user_regs *regs);
void do_guest_sysenter(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;

    if ( v->arch.kernel_mode || !v->arch.sysenter_cb.address )
    {
        /* Kernel-mode SYSENTER or no callback: #GP(0) as Xen does. */
        regs->rip = 0;
        pv_inject_trap(regs, X86_EXC_GP, true, 0);
        return;
    }
    inject_callback(regs, &v->arch.sysenter_cb, "sysenter");
}

void pv_exit_to_guest(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    unsigned int cpu = smp_processor_id();
    struct vcpu_info *vi;

    for ( ; ; )
    {
        if ( softirq_pending(cpu) )
        {
            local_irq_enable();
            do_softirq();
            local_irq_disable();
            continue;
        }
        if ( sched_need_resched() || v->domain->state != DOMSTATE_RUNNING )
        {
            struct vcpu *next = sched_pick_next(v);

            if ( next != v )
            {
                pv_context_switch(v, next);     /* NULL: goes idle */
                v = next;
                continue;
            }
            /*
             * It keeps its CPU: a block or poll that was ended before it
             * left paused its periodic timer, which runs again now.
             */
            if ( !__atomic_load_n(&v->periodic_running, __ATOMIC_SEQ_CST) )
                sched_periodic_resume(v);
        }
        vi = vinfo(v);
        if ( vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask &&
             v->arch.event_cb.address )
        {
            bounce(regs, v->arch.event_cb.address, true, false, 0);
            continue;
        }
        return;
    }
}
