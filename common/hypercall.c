/*
 * Hypercall dispatch.  One table maps hypercall numbers to handlers; the
 * dispatcher bounds-checks the number (with a speculation barrier), calls
 * the handler with the guest's argument registers (rdi, rsi, rdx, r10,
 * r8) and stores the result in rax.  Numbers without a handler return
 * -ENOSYS.
 *
 * Continuations: a handler that stops early calls
 * hypercall_create_continuation(), which rewrites the argument registers
 * and rewinds rip over the 2-byte SYSCALL so the guest issues the call
 * again.  Inside a multicall the rewritten arguments go back into the
 * guest's multicall entry instead, and the multicall itself continues
 * from that entry.
 *
 * Multicall: entries run in order; each result is written back to the
 * entry.  An iret ends the batch (its register state must not be
 * overwritten by further calls: XSA-213), and a multicall may not nest.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/nospec.h>
#include <keel/softirq.h>
#include <asm/percpu.h>
#include <asm/pv/traps.h>
#include <public/xen.h>

#define SYSCALL_INSN_LEN 2

static hypercall_fn_t *const hypercall_table[] = {
    [__HYPERVISOR_set_trap_table]      = do_set_trap_table,
    [__HYPERVISOR_mmu_update]          = do_mmu_update,
    [__HYPERVISOR_set_gdt]             = do_set_gdt,
    [__HYPERVISOR_stack_switch]        = do_stack_switch,
    [__HYPERVISOR_set_callbacks]       = do_set_callbacks,
    [__HYPERVISOR_fpu_taskswitch]      = do_fpu_taskswitch,
    [__HYPERVISOR_set_debugreg]        = do_set_debugreg,
    [__HYPERVISOR_get_debugreg]        = do_get_debugreg,
    [__HYPERVISOR_update_descriptor]   = do_update_descriptor,
    [__HYPERVISOR_memory_op]           = do_memory_op,
    [__HYPERVISOR_set_timer_op]        = do_set_timer_op,
    [__HYPERVISOR_sched_op_compat]     = do_sched_op_compat,
    [__HYPERVISOR_event_channel_op_compat] = do_event_channel_op_compat,
    [__HYPERVISOR_multicall]           = do_multicall,
    [__HYPERVISOR_update_va_mapping]   = do_update_va_mapping,
    [__HYPERVISOR_xen_version]         = do_xen_version,
    [__HYPERVISOR_console_io]          = do_console_io,
    [__HYPERVISOR_vm_assist]           = do_vm_assist,
    [__HYPERVISOR_update_va_mapping_otherdomain] =
                                         do_update_va_mapping_otherdomain,
    [__HYPERVISOR_iret]                = do_iret,
    [__HYPERVISOR_vcpu_op]             = do_vcpu_op,
    [__HYPERVISOR_set_segment_base]    = do_set_segment_base,
    [__HYPERVISOR_mmuext_op]           = do_mmuext_op,
    [__HYPERVISOR_xsm_op]              = do_xsm_op,
    [__HYPERVISOR_nmi_op]              = do_nmi_op,
    [__HYPERVISOR_sched_op]            = do_sched_op,
    [__HYPERVISOR_callback_op]         = do_callback_op,
    [__HYPERVISOR_physdev_op]          = do_physdev_op,
    [__HYPERVISOR_event_channel_op]    = do_event_channel_op,
    [__HYPERVISOR_grant_table_op]      = do_grant_table_op,
    [__HYPERVISOR_sysctl]              = do_sysctl,
    [__HYPERVISOR_domctl]              = do_domctl,
};

static hypercall_fn_t *lookup(unsigned long op)
{
    if ( op >= ARRAY_SIZE(hypercall_table) )
        return NULL;
    return hypercall_table[array_index_nospec(op, ARRAY_SIZE(hypercall_table))];
}

/* Per-CPU multicall state: which entry runs, and its rewritten args. */
struct mc_state {
    bool active;
    bool preempted;
    unsigned long args[6];
};
static struct mc_state mc_state[NR_CPUS];

bool hypercall_in_multicall(void)
{
    return mc_state[smp_processor_id()].active;
}

bool hypercall_preempt_check(void)
{
    return softirq_pending(smp_processor_id());
}

long hypercall_create_continuation(unsigned int op, unsigned int nr,
                                   const unsigned long *args)
{
    struct mc_state *mcs = &mc_state[smp_processor_id()];
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    unsigned long *slots[5] = { &regs->rdi, &regs->rsi, &regs->rdx,
                                &regs->r10, &regs->r8 };
    unsigned int i;

    if ( nr > 5 )
        nr = 5;
    if ( mcs->active )
    {
        mcs->preempted = true;
        for ( i = 0; i < nr; i++ )
            mcs->args[i] = args[i];
        return op;
    }
    for ( i = 0; i < nr; i++ )
        *slots[i] = args[i];
    regs->rip -= SYSCALL_INSN_LEN;
    return op;
}

void pv_hypercall(struct cpu_user_regs *regs)
{
    hypercall_fn_t *fn = lookup(regs->rax);

    if ( !fn )
    {
        regs->rax = -ENOSYS;
        return;
    }
    regs->rax = fn(regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8);
}

long do_multicall(unsigned long call_list, unsigned long nr_calls,
                  unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct mc_state *mcs = &mc_state[smp_processor_id()];
    struct multicall_entry e;
    unsigned long i;
    long rc = 0;

    if ( mcs->active )
        return -EINVAL;                     /* no nesting */
    if ( nr_calls > UINT32_MAX ||
         !guest_range_ok(call_list, nr_calls * sizeof(e)) )
        return -EFAULT;

    mcs->active = true;
    for ( i = 0; i < nr_calls; i++ )
    {
        hypercall_fn_t *fn;
        uint64_t entry_va = call_list + i * sizeof(e);

        if ( i && hypercall_preempt_check() )
        {
            unsigned long args[2] = { entry_va, nr_calls - i };

            mcs->active = false;
            return hypercall_create_continuation(__HYPERVISOR_multicall, 2,
                                                 args);
        }
        if ( copy_from_guest(&e, entry_va, sizeof(e)) )
        {
            rc = -EFAULT;
            break;
        }
        fn = lookup(e.op);
        mcs->preempted = false;
        e.result = fn ? fn(e.args[0], e.args[1], e.args[2], e.args[3],
                           e.args[4])
                      : -ENOSYS;
        if ( e.op == __HYPERVISOR_iret )
        {
            /* The guest's registers are the iret frame now: stop here. */
            mcs->active = false;
            return e.result;
        }
        if ( mcs->preempted )
        {
            /* Save the rewritten arguments; resume the batch there. */
            unsigned long args[2] = { entry_va, nr_calls - i };
            unsigned int k;

            for ( k = 0; k < 5; k++ )
                e.args[k] = mcs->args[k];
            mcs->active = false;
            if ( copy_to_guest(entry_va, &e, sizeof(e)) )
                return -EFAULT;
            return hypercall_create_continuation(__HYPERVISOR_multicall, 2,
                                                 args);
        }
        if ( copy_to_guest(entry_va + offsetof(struct multicall_entry,
                                               result),
                           &e.result, sizeof(e.result)) )
        {
            rc = -EFAULT;
            break;
        }
        if ( current->domain->state != DOMSTATE_RUNNING )
            break;
    }
    mcs->active = false;
    return rc;
}
