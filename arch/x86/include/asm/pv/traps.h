/*
 * PV guest entry, exit and exception delivery (arch/x86/pv/traps.c,
 * arch/x86/pv/domain.c).
 */
#ifndef ASM_PV_TRAPS_H
#define ASM_PV_TRAPS_H

#include <keel/domain.h>
#include <asm/percpu.h>
#include <asm/regs.h>

#define TRAP_syscall 256                    /* entry_vector of SYSCALL */

/* The frame of the guest running on this CPU (top of the stack). */
static inline struct cpu_user_regs *guest_cpu_user_regs(void)
{
    return (struct cpu_user_regs *)get_cpu_info() - 1;
}

static inline bool guest_mode(const struct cpu_user_regs *regs)
{
    return (regs->cs & 3) == 3;
}

/* Entry hooks called by the assembly. */
void do_guest_syscall(struct cpu_user_regs *regs);
void pv_exit_to_guest(struct cpu_user_regs *regs);
/* From do_trap() for an exception taken in guest mode. */
void pv_do_guest_trap(struct cpu_user_regs *regs);
/* Any entry from guest mode: the previous return to it worked. */
void pv_guest_entered(void);
/* INT 0x80 from guest code (a DPL-3 gate). */
void pv_do_int80(struct cpu_user_regs *regs);

/*
 * Deliver `vector` to the guest's registered handler (with error_code if
 * has_ec).  Returns 0, or -EFAULT/-ENOENT after crashing the domain when
 * the frame cannot be written or no handler is registered.
 */
int pv_inject_trap(struct cpu_user_regs *regs, unsigned int vector,
                   bool has_ec, uint32_t error_code);
int pv_inject_page_fault(struct cpu_user_regs *regs, uint64_t cr2,
                         uint32_t error_code);

/* Switch a vCPU between its kernel and user mode (CR3, GS bases). */
void pv_toggle_guest_mode(struct vcpu *v);
/* Load CR3 for v's current mode (after a base pointer change). */
void pv_update_cr3(struct vcpu *v);

/* Refresh v's vcpu_time_info (pvclock). */
void pv_update_vcpu_time(struct vcpu *v);

/* Switch this CPU from prev to next (either may be NULL: idle). */
void pv_context_switch(struct vcpu *prev, struct vcpu *next);
int pv_vcpu_alloc_fpu(struct vcpu *v);

/* Start running v (its arch.user_regs) on this CPU.  Never returns. */
void __noreturn pv_start_vcpu(struct vcpu *v);
/* The current vCPU must not run again: go idle on a fresh stack. */
void __noreturn pv_leave_dead_vcpu(void);

/* Assembly helpers (arch/x86/entry/entry.S). */
void __noreturn enter_guest_frame(struct cpu_user_regs *frame);
void __noreturn reset_stack_and_call(void (*fn)(void), unsigned long top);

/*
 * Emulation glue (arch/x86/pv/emulate.c): each returns true when it
 * handled the fault (the guest resumes, possibly with an injected
 * exception) and false when the original fault should be delivered.
 */
bool pv_emulate_privileged(struct cpu_user_regs *regs);
bool pv_emulate_invalid_op(struct cpu_user_regs *regs);
bool pv_ptwr_emulate(struct cpu_user_regs *regs, uint64_t cr2);

/* CR4 bits the guest controls; load the running vCPU's CR4.TSD. */
uint64_t pv_cr4_allowed(void);
void pv_load_guest_cr4(const struct vcpu *v);

/* MSR setup for SYSCALL/SYSENTER on this CPU. */
void pv_syscall_init_cpu(void);

#endif /* ASM_PV_TRAPS_H */
