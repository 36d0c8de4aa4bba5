/*
 * Hypercall dispatch (common/hypercall.c) and continuations.
 *
 * A hypercall handler takes up to five unsigned long arguments (rdi, rsi,
 * rdx, r10, r8 of the guest) and returns 0 or a negative errno from
 * <keel/errno.h> (some return a positive value as the ABI says, e.g.
 * xen_version).  Long operations check hypercall_preempt_check() every
 * so often and, when it is true, record where they got to with
 * hypercall_create_continuation(): the guest then re-executes the same
 * hypercall with the updated arguments after the hypervisor has done
 * other work.  No guest input may keep a CPU busy without such a check.
 */
#ifndef KEEL_HYPERCALL_H
#define KEEL_HYPERCALL_H

#include <keel/types.h>
#include <asm/regs.h>

typedef long hypercall_fn_t(unsigned long, unsigned long, unsigned long,
                            unsigned long, unsigned long);

/* Called from the SYSCALL entry path for a guest in kernel mode. */
void pv_hypercall(struct cpu_user_regs *regs);

/* True when the current hypercall should stop and continue later. */
bool hypercall_preempt_check(void);

/*
 * Arrange for hypercall `op` to be re-issued with these arguments (nr
 * values, at most 5).  Returns the value the handler must return.
 */
long hypercall_create_continuation(unsigned int op, unsigned int nr,
                                   const unsigned long *args);

/* Inside a multicall batch? (continuations then go through multicall). */
bool hypercall_in_multicall(void);

/*
 * Every handler has the uniform signature hypercall_fn_t; arguments a
 * hypercall does not use are simply ignored.
 */
#define HYPERCALL_ARGS unsigned long, unsigned long, unsigned long, \
                       unsigned long, unsigned long
long do_set_trap_table(HYPERCALL_ARGS);
long do_mmu_update(HYPERCALL_ARGS);
long do_set_gdt(HYPERCALL_ARGS);
long do_stack_switch(HYPERCALL_ARGS);
long do_set_callbacks(HYPERCALL_ARGS);
long do_fpu_taskswitch(HYPERCALL_ARGS);
long do_set_debugreg(HYPERCALL_ARGS);
long do_get_debugreg(HYPERCALL_ARGS);
long do_update_descriptor(HYPERCALL_ARGS);
long do_memory_op(HYPERCALL_ARGS);
long do_multicall(HYPERCALL_ARGS);
long do_update_va_mapping(HYPERCALL_ARGS);
long do_xen_version(HYPERCALL_ARGS);
long do_console_io(HYPERCALL_ARGS);
long do_vm_assist(HYPERCALL_ARGS);
long do_update_va_mapping_otherdomain(HYPERCALL_ARGS);
long do_iret(HYPERCALL_ARGS);
long do_vcpu_op(HYPERCALL_ARGS);
long do_set_segment_base(HYPERCALL_ARGS);
long do_mmuext_op(HYPERCALL_ARGS);
long do_xsm_op(HYPERCALL_ARGS);
long do_nmi_op(HYPERCALL_ARGS);
long do_sched_op(HYPERCALL_ARGS);
long do_callback_op(HYPERCALL_ARGS);
long do_physdev_op(HYPERCALL_ARGS);
long do_event_channel_op(HYPERCALL_ARGS);
long do_grant_table_op(HYPERCALL_ARGS);
long do_set_timer_op(HYPERCALL_ARGS);
long do_sched_op_compat(HYPERCALL_ARGS);
long do_event_channel_op_compat(HYPERCALL_ARGS);
long do_domctl(HYPERCALL_ARGS);
long do_sysctl(HYPERCALL_ARGS);

#endif /* KEEL_HYPERCALL_H */
