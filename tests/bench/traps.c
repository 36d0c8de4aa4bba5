/*
 * pvbench: transitions between guest user mode, the guest kernel and the
 * hypervisor.
 *
 *  user_syscall      SYSCALL in guest user mode, through the hypervisor to
 *                    the guest kernel's syscall callback, which returns at
 *                    once with HYPERVISOR_iret (VGCF_in_syscall), back to
 *                    user mode: a null system call of a PV guest.  Both
 *                    directions switch page tables (user L4 / kernel L4).
 *                    Timed in user mode.
 *  pagefault_bounce  a load from an unmapped kernel address: #PF into the
 *                    hypervisor, bounced to the guest kernel's #PF entry,
 *                    whose handler (the runtime's fixup table) resumes
 *                    after the load with HYPERVISOR_iret.
 */
#include "bench.h"

/* entry.S hard-codes these. */
_Static_assert(VGCF_in_syscall == 0x100, "VGCF_in_syscall moved");
_Static_assert(__HYPERVISOR_iret == 23, "iret's number changed");

static unsigned int user_warmup;

/* Runs in guest user mode. */
static long user_syscall_loop(long total)
{
    long i, rax;
    uint64_t t0, t1;

    for ( i = 0; i < total; i++ )
    {
        t0 = bench_tsc();
        rax = BENCH_SYSCALL_NR;
        asm volatile ( "syscall" : "+a" (rax) : : "rcx", "r11", "memory" );
        t1 = bench_tsc();
        if ( rax != BENCH_SYSCALL_NR )
            return -1;
        if ( i >= user_warmup )
            bench_samples[i - user_warmup] = t1 - t0;
    }
    return 0;
}

static long set_syscall_callback(void *entry)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_syscall,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)entry,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

static void user_syscall(void)
{
    struct pv_user_exit e;
    long rc;

    if ( (rc = set_syscall_callback(bench_syscall_entry)) )
    {
        bench_error("user_syscall", "callback_op register: %s",
                    bench_errname(rc));
        return;
    }
    user_warmup = bench_warmup;
    pv_run_user(user_syscall_loop, bench_warmup + bench_reps, &e);
    if ( (rc = set_syscall_callback(pv_entry_syscall)) )
        test_abort("restoring the syscall callback: %s", bench_errname(rc));

    if ( !e.by_syscall )
        bench_error("user_syscall", "user mode ended by exception %lu "
                    "(error code %#lx) at %#lx", e.vector,
                    e.regs.error_code, e.regs.rip);
    else if ( e.regs.rax )
        bench_error("user_syscall", "the syscall returned a wrong rax");
    else
        bench_report("user_syscall", bench_samples, bench_reps);
}

static void pagefault_bounce(void)
{
    unsigned int i, n = bench_reps, warm = bench_warmup;
    unsigned long va = pv_scratch_va(0);
    uint64_t t0, t1;
    long rc;

    if ( (rc = pv_unmap_va(va)) )
    {
        bench_error("pagefault_bounce", "unmapping %#lx: %s", va,
                    bench_errname(rc));
        return;
    }
    for ( i = 0; i < warm + n; i++ )
    {
        t0 = bench_tsc();
        PV_TRY("mov (%0), %%rax", : : "r" (va) : "rax", "memory");
        t1 = bench_tsc();
        if ( pv_last_fault.vector != 14 )
        {
            bench_error("pagefault_bounce", "vector %d, not #PF",
                        pv_last_fault.vector);
            return;
        }
        if ( i >= warm )
            bench_samples[i - warm] = t1 - t0;
    }
    bench_report("pagefault_bounce", bench_samples, n);
}

void bench_traps(void)
{
    user_syscall();
    pagefault_bounce();
}
