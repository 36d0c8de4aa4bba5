/*
 * pvbench: switching between two vCPUs of the domain on one physical CPU.
 *
 *  vcpu_switch  a yield ping-pong.  vCPU 1 is started with
 *               VCPUOP_initialise and VCPUOP_up (its own stack, our trap
 *               table, callbacks and page tables, events masked).  Each
 *               round vCPU 0 hands the turn over in shared memory and
 *               calls SCHEDOP_yield until it has it back; vCPU 1 takes the
 *               turn, hands it back and yields.  One round is two
 *               SCHEDOP_yield calls and two vCPU context switches; with
 *               QEMU -smp 1 both vCPUs share the one CPU.  Timed on vCPU
 *               0 from handing the turn over to getting it back.
 *
 * Unsupported when VCPUOP_initialise answers -ENOSYS, or when the domain
 * has no vCPU 1 (-ENOENT; give the hypervisor dom0_max_vcpus=2).  vCPU 1
 * is taken down (VCPUOP_down) at the end.
 */
#include "bench.h"

#define METRIC          "vcpu_switch"
#define V1_STACK_SIZE   16384
#define SPIN_LIMIT      1000000

static volatile unsigned int turn;      /* 1: vCPU 1's turn */
static volatile bool v1_running, v1_stop;
static unsigned long v1_rounds;
static char v1_stack[V1_STACK_SIZE] __aligned(16);
static struct vcpu_guest_context v1_ctxt;

static void __noreturn vcpu1_main(void)
{
    v1_running = true;
    while ( !v1_stop )
    {
        if ( turn == 1 )
        {
            v1_rounds++;
            turn = 0;
        }
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    v1_running = false;
    for ( ;; )
        HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);
}

static void yield(void)
{
    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* Yield until COND holds, at most SPIN_LIMIT times: true if it does. */
#define YIELD_UNTIL(cond) ({                                            \
    unsigned long spins_ = 0;                                           \
    while ( !(cond) && spins_++ < SPIN_LIMIT )                          \
        yield();                                                        \
    (bool)(cond);                                                       \
})

static long start_vcpu1(void)
{
    struct vcpu_guest_context *c = &v1_ctxt;
    unsigned long top = (unsigned long)v1_stack + V1_STACK_SIZE;
    long rc;

    memset(c, 0, sizeof(*c));
    c->flags = VGCF_in_kernel;
    c->user_regs.rip = (unsigned long)vcpu1_main;
    c->user_regs.rsp = top - 8;             /* as if called */
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.rflags = 0x2;
    memcpy(c->trap_ctxt, pv_trap_table, sizeof(c->trap_ctxt));
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = top;
    c->ctrlreg[3] = pv_kernel_l4_mfn << PAGE_SHIFT;
    c->event_callback_eip = (unsigned long)pv_entry_event;
    c->failsafe_callback_eip = (unsigned long)pv_entry_failsafe;
    c->syscall_callback_eip = (unsigned long)pv_entry_syscall;
    /* No upcalls on vCPU 1: the runtime handles events on vCPU 0 only. */
    pv_shared_info->vcpu_info[1].evtchn_upcall_mask = 1;

    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c);
    if ( rc )
        return rc;
    return HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL);
}

void bench_vcpu(void)
{
    unsigned int i, n = bench_reps, warm = bench_warmup;
    uint64_t t0, t1;
    long rc;

    rc = start_vcpu1();
    if ( rc == -XEN_ENOSYS || rc == -XEN_ENOENT )
    {
        bench_unsupported(METRIC, "VCPUOP_initialise of vCPU 1: %s%s",
                          bench_errname(rc),
                          rc == -XEN_ENOENT ? " (no vCPU 1)" : "");
        return;
    }
    if ( rc )
    {
        bench_error(METRIC, "starting vCPU 1: %s", bench_errname(rc));
        return;
    }
    if ( !YIELD_UNTIL(v1_running) )
    {
        bench_error(METRIC, "vCPU 1 is up but never ran");
        return;
    }

    for ( i = 0; i < warm + n; i++ )
    {
        unsigned long spins = 0;

        t0 = bench_tsc();
        turn = 1;
        while ( turn && spins++ < SPIN_LIMIT )
            yield();
        t1 = bench_tsc();
        if ( turn )
            break;
        if ( i >= warm )
            bench_samples[i - warm] = t1 - t0;
    }

    v1_stop = true;
    if ( !YIELD_UNTIL(!v1_running) ||
         !YIELD_UNTIL(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL) == 0) )
        test_fail(METRIC, "vCPU 1 did not go down");
    printf("BENCH-INFO vcpu_switch: vCPU 1 answered %lu rounds\n",
           v1_rounds);
    if ( i < warm + n )
        bench_error(METRIC, "vCPU 1 did not answer round %u", i);
    else
        bench_report(METRIC, bench_samples, n);
}
