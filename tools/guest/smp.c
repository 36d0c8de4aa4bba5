/*
 * Secondary vCPUs: their contexts, bring-up, the mailbox they serve and
 * a barrier.  See <pvguest/smp.h>.
 *
 * Invariants: pv_cpus[n] is vCPU n's; a secondary only ever runs on
 * pv_smp_stacks[n] (so pv_smp_id() is right in its event upcalls too);
 * its mailbox has one caller at a time (posting), and done == seq when it
 * has nothing to do.
 */
#include <pvguest/smp.h>

struct pv_cpu pv_cpus[PV_SMP_MAX];
char pv_smp_stacks[PV_SMP_MAX][PV_SMP_STACK_SIZE]
    __aligned(PV_SMP_STACK_SIZE);
unsigned int pv_smp_nr;

void __noreturn pv_smp_main(unsigned long rdi, unsigned long rsp,
                            unsigned long rbx, unsigned long r15,
                            unsigned long rflags);

void pv_smp_setup(void)
{
    unsigned int i, n;

    if ( pv_smp_nr )
        return;
    n = pv_nr_vcpus();
    for ( i = 0; i < PV_SMP_MAX; i++ )
    {
        pv_cpus[i].self = &pv_cpus[i];
        pv_cpus[i].id = i;
        pv_cpus[i].vinfo = &pv_shared_info->vcpu_info[i];
    }
    pv_cpus[0].online = true;
    pv_smp_nr = n < PV_SMP_MAX ? n : PV_SMP_MAX;
    if ( n > PV_SMP_MAX )
        printf("%s: %u vCPUs, the runtime drives vCPUs 0-%u\n", test_name,
               n, PV_SMP_MAX - 1);
}

void pv_smp_context(struct vcpu_guest_context *c, unsigned int n)
{
    unsigned long top = (unsigned long)pv_smp_stacks[n] + PV_SMP_STACK_SIZE;

    pv_smp_setup();
    memset(c, 0, sizeof(*c));
    c->flags = VGCF_in_kernel | VGCF_syscall_disables_events;
    c->user_regs.rip = (unsigned long)pv_smp_entry;
    c->user_regs.rsp = top;
    c->user_regs.rdi = (unsigned long)&pv_cpus[n];
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS;
    c->user_regs.rflags = 0x2;
    memcpy(c->trap_ctxt, pv_trap_table, sizeof(c->trap_ctxt));
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = top;
    c->ctrlreg[3] = xen_pfn_to_cr3(pv_kernel_l4_mfn);
    c->event_callback_eip = (unsigned long)pv_evt_callback;
    c->failsafe_callback_eip = (unsigned long)pv_entry_failsafe;
    c->syscall_callback_eip = (unsigned long)pv_entry_syscall;
    c->vm_assist = 1UL << VMASST_TYPE_writable_pagetables;
    c->gs_base_kernel = (unsigned long)&pv_cpus[n];
}

bool pv_smp_online(unsigned int n)
{
    return n == 0 ||
           (n < PV_SMP_MAX &&
            __atomic_load_n(&pv_cpus[n].online, __ATOMIC_ACQUIRE));
}

bool pv_smp_wait_online(unsigned int n)
{
    return PV_WAIT_FOR(pv_smp_online(n), PV_SMP_TIMEOUT_NS);
}

long pv_smp_start(unsigned int n, const struct vcpu_guest_context *c,
                  pv_smp_fn_t fn, void *arg)
{
    long rc;

    pv_smp_setup();
    if ( n == 0 || n >= pv_smp_nr )
        return -XEN_ENOENT;
    pv_cpus[n].start_fn = fn;
    pv_cpus[n].start_arg = arg;
    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, n, (void *)c);
    if ( !rc )
        rc = HYPERVISOR_vcpu_op(VCPUOP_up, n, NULL);
    if ( !rc && !pv_smp_wait_online(n) )
        rc = -XEN_ETIMEDOUT;
    return rc;
}

unsigned int pv_smp_init(void)
{
    static struct vcpu_guest_context ctx;
    struct vcpu_guest_context *c = &ctx;
    unsigned int i, online = 1;
    char name[48];
    long rc;

    pv_smp_setup();
    for ( i = 1; i < pv_smp_nr; i++ )
    {
        if ( pv_smp_online(i) )
        {
            online++;
            continue;
        }
        pv_smp_context(c, i);
        rc = pv_smp_start(i, c, NULL, NULL);
        if ( rc )
        {
            snprintf(name, sizeof(name), "smp: bring up vCPU %u", i);
            test_fail(name, "%ld", rc);
            continue;
        }
        online++;
    }
    return online;
}

/* ---- the secondary's side ---------------------------------------------- */

/* Run the posted function, if any.  Returns true if it ran one. */
static bool serve(struct pv_cpu *c)
{
    unsigned long seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);

    if ( seq == c->done )
        return false;
    c->result = c->fn(c->arg);
    __atomic_store_n(&c->done, seq, __ATOMIC_RELEASE);
    return true;
}

void pv_smp_main(unsigned long rdi, unsigned long rsp, unsigned long rbx,
                 unsigned long r15, unsigned long rflags)
{
    unsigned int me = pv_smp_id();
    struct pv_cpu *c = &pv_cpus[me];

    c->entry_rdi = rdi;
    c->entry_rsp = rsp;
    c->entry_rbx = rbx;
    c->entry_r15 = r15;
    c->entry_rflags = rflags;
    c->entry_mask = c->vinfo->evtchn_upcall_mask;
    __atomic_fetch_add(&c->starts, 1, __ATOMIC_SEQ_CST);
    if ( me == 0 )
        test_abort("pv_smp_entry entered on a stack outside pv_smp_stacks "
                   "(rsp %#lx)", rsp);

    c->done = c->seq;
    pv_evt_enable();
    if ( c->start_fn )
        c->start_fn(c->start_arg);
    __atomic_store_n(&c->online, true, __ATOMIC_RELEASE);

    for ( ;; )
    {
        if ( serve(c) )
            continue;
        c->idle_polls++;
        pv_poll(NULL, 0, pv_now() + PV_SMP_IDLE_NS);
    }
}

/* ---- the caller's side ------------------------------------------------- */

void pv_smp_post(unsigned int n, pv_smp_fn_t fn, void *arg)
{
    struct pv_cpu *c = &pv_cpus[n];

    if ( n >= PV_SMP_MAX || n == pv_smp_id() || !pv_smp_online(n) )
        test_abort("smp: vCPU %u cannot take a call from vCPU %u", n,
                   pv_smp_id());
    if ( __atomic_exchange_n(&c->posting, 1, __ATOMIC_ACQUIRE) )
        test_abort("smp: two callers for vCPU %u at once", n);
    if ( c->done != c->seq )
        test_abort("smp: vCPU %u is still busy with a call", n);
    c->fn = fn;
    c->arg = arg;
    __atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
}

bool pv_smp_wait(unsigned int n, uint64_t timeout_ns, long *result)
{
    struct pv_cpu *c = &pv_cpus[n];

    if ( !PV_WAIT_FOR(__atomic_load_n(&c->done, __ATOMIC_ACQUIRE) == c->seq,
                       timeout_ns ? timeout_ns : PV_SMP_TIMEOUT_NS) )
        return false;
    if ( result )
        *result = c->result;
    __atomic_store_n(&c->posting, 0, __ATOMIC_RELEASE);
    return true;
}

long pv_smp_call(unsigned int n, pv_smp_fn_t fn, void *arg)
{
    long result;

    if ( n == pv_smp_id() )
        return fn(arg);
    pv_smp_post(n, fn, arg);
    if ( !pv_smp_wait(n, 0, &result) )
        test_abort("smp: vCPU %u did not answer a call within %lu ms", n,
                   (unsigned long)(PV_SMP_TIMEOUT_NS / PV_MS(1)));
    return result;
}

void pv_smp_call_all(pv_smp_fn_t fn, void *arg, long *results)
{
    unsigned int i, me = pv_smp_id();
    long r;

    for ( i = 0; i < pv_smp_nr; i++ )
        if ( i != me && pv_smp_online(i) )
            pv_smp_post(i, fn, arg);
    r = fn(arg);
    if ( results )
        results[me] = r;
    for ( i = 0; i < pv_smp_nr; i++ )
    {
        if ( i == me || !pv_smp_online(i) )
            continue;
        if ( !pv_smp_wait(i, 0, &r) )
            test_abort("smp: vCPU %u did not answer a call within %lu ms", i,
                       (unsigned long)(PV_SMP_TIMEOUT_NS / PV_MS(1)));
        if ( results )
            results[i] = r;
    }
}

void pv_smp_barrier_wait(struct pv_smp_barrier *b, unsigned int count)
{
    unsigned int gen = __atomic_load_n(&b->gen, __ATOMIC_ACQUIRE);

    if ( __atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == count )
    {
        __atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&b->gen, gen + 1, __ATOMIC_RELEASE);
        return;
    }
    if ( !PV_WAIT_FOR(__atomic_load_n(&b->gen, __ATOMIC_ACQUIRE) != gen,
                      PV_SMP_TIMEOUT_NS) )
        test_abort("smp: vCPU %u waited %lu ms at a barrier: %u of %u "
                   "vCPUs came", pv_smp_id(),
                   (unsigned long)(PV_SMP_TIMEOUT_NS / PV_MS(1)), b->count,
                   count);
}

uint64_t pv_now_of(unsigned int vcpu)
{
    struct pv_clock_sample s;

    pv_clock_read(&pv_smp_vcpu_info(vcpu)->time, &s);
    return s.now;
}
