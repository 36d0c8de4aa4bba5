/*
 * vcpus: secondary vCPUs of a 64-bit PV domain (vcpu_op) and what they
 * lean on: event channel IPIs, blocking, pvclock and runstate accounting.
 * Needs at least two vCPUs (QEMU -smp 2 or more: dom0 gets one per CPU);
 * with one it SKIPs, saying why.  At most VC_MAX vCPUs are used.
 *
 * Cases:
 *  - ids: VCPUOP_is_up(0) is 1; is_up, initialise, up, down,
 *    get_runstate_info and register_runstate_memory_area of vCPU N (the
 *    first that does not exist), N + 1, 4096 and 0xffffffff give -ENOENT;
 *    EVTCHNOP_bind_ipi to vCPU N gives -ENOENT; initialise of vCPU 0
 *    (running) gives -EEXIST.  Xen: the vCPU id is an unsigned int, so
 *    is_up(2^32) answers for vCPU 0.
 *  - before initialise: is_up 0; up -EINVAL (and still down); the runstate
 *    is offline with no running time; a runstate area registered for it
 *    from vCPU 0 is filled at once (offline).  vCPU 0's own area is filled
 *    with its real runstate (running, the state_entry_time and offline
 *    time get_runstate_info gives).  An area or a get_runstate_info
 *    buffer in the hypervisor, or unmapped for the latter, -EFAULT.
 *  - hostile contexts, on the last vCPU, each -EINVAL unless said: the
 *    context pointer unmapped or in the hypervisor (-EFAULT);
 *    non-canonical rip, rsp, kernel_sp, gs_base_kernel, fs_base, event,
 *    failsafe and syscall callbacks, trap table address; gdt_ents past the
 *    reserved entries; ldt_base not page-aligned; ctrlreg[3] (the kernel
 *    L4) a writable data page, an L1 table, an L3 table, a frame past the
 *    end of memory.  Afterwards the vCPU is still uninitialised (up
 *    -EINVAL, and a good context is accepted later).  A context wrongly
 *    accepted leaves that vCPU out of everything after.
 *  - bring-up: each secondary gets a context with flat selectors, its own
 *    stack, our kernel L4 (ctrlreg[3] = its machine address), trap table
 *    and callbacks, VGCF_in_kernel, gs_base_kernel = its own struct, and
 *    gdt_ents 0 -- except vCPU 1, which gets one GDT frame with a flat
 *    DPL 3 data descriptor in entry 1 (the runtime's context,
 *    pv_smp_context, with RDI, RBX and R15 set apart and the GDT frame
 *    added).  initialise 0, again -EEXIST, is_up 0 until up; up 0, is_up
 *    1, up again 0.  It runs, and records (the runtime's entry, then
 *    vc_start): RIP/RSP/RDI/RBX/R15 from the context, RFLAGS.IF set, %gs:0
 *    its own struct, the upcall mask we left in its vcpu_info slot, its own
 *    pvclock (even version, a multiplier, and -- see time -- not earlier
 *    than vCPU 0's clock before VCPUOP_up), its runstate area reading running, and LAR of
 *    selector 0x0b (valid with the descriptor's rights only on vCPU 1).
 *  - IPIs: every vCPU binds an IPI port to itself (status: ipi, its vCPU);
 *    vCPU 0 binds one for vCPU 1 too; bind_vcpu of an IPI port -EINVAL.
 *    Every vCPU sends to every vCPU's port, one at a time: the upcall
 *    comes on the bound vCPU (and, see time, its pvclock at the upcall is
 *    not earlier than the sender's before the send).  With vCPU 0 masked, a send from
 *    vCPU 1 sets the pending bit, vCPU 0's selector bit and upcall_pending
 *    and no other vCPU's selector bit; unmasking delivers it on vCPU 0.
 *  - SCHEDOP_block on each secondary: it blocks (runstate blocked, also
 *    in its runstate area) and stays blocked (one SCHEDOP_block call)
 *    until vCPU 0 sends its IPI; blocked time grows while it is blocked
 *    (Xen's get_runstate_info counts the current state up to now; the
 *    area follows at the context switch, a little later), it wakes with the event delivered, and the
 *    runstate area then shows more blocked time than before.
 *  - time: every vCPU reads its own pvclock in a loop under one lock and
 *    compares it with the last reading published by any vCPU (the lock
 *    orders them: a shared sequence).  Never backwards on one vCPU.
 *    Across vCPUs only when every vCPU's pvclock has
 *    XEN_PVCLOCK_TSC_STABLE_BIT: without it Xen keeps a time line per
 *    physical CPU (Xen 4.17 under QEMU TCG, which has no invariant TSC,
 *    steps back 10-40 us between vCPUs), so the case SKIPs with the
 *    counts printed; the cross-vCPU orderings above are checked under
 *    the same condition.
 *  - runstate while running: get_runstate_info of a spinning secondary
 *    (vc_spin) from vCPU 0 and of itself shows running, with running time
 *    growing; the same for vCPU 0.  (Between calls a secondary waits in
 *    SCHEDOP_poll: the runtime's idle.)
 *  - VCPUOP_down of each secondary while it spins: is_up 0, runstate (and
 *    area) offline, its counter stops growing, initialise -EEXIST, down
 *    again 0; up: it goes on where it was (the counter grows again, no
 *    second start), with more offline time.  A secondary taking itself
 *    down: is_up 0, offline; after up its VCPUOP_down returns 0.
 *  - at the end the IPI ports are closed and the secondaries taken down.
 */
#include "vcpus.h"

const char test_name[] = "vcpus";

#define BAD_PTR_LOW     ((void *)0x1000)
#define BAD_PTR_XEN     ((void *)0xffff830000000000UL)
#define NONCANON        0x8000000000000000UL
#define CLOCK_ITERS     3000
#define GDT_DATA_DESC   0x00cff3000000ffffUL   /* flat data, DPL 3, RW, A */
#define GDT_DATA_LAR    0x00c0f300U

static struct vcpu_guest_context ctx;
static bool vc_ok[VC_MAX];              /* up and answering */
static bool vc_poisoned[VC_MAX];        /* a hostile context was taken */
static unsigned long vc_gdt_mfn;
static uint64_t vc_up_time[VC_MAX];

/* ---- helpers ------------------------------------------------------------ */

static void vc_yield(void)
{
    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* Wait (spinning, yielding now and then) for COND; false on timeout. */
#define WAIT_FOR(cond) ({                                               \
    uint64_t dl_ = pv_now() + VC_TIMEOUT_NS;                            \
    unsigned long n_ = 0;                                               \
    bool ok_;                                                           \
    while ( !(ok_ = (cond)) && pv_now() < dl_ )                         \
    {                                                                   \
        if ( (++n_ & 255) == 0 )                                        \
            vc_yield();                                                 \
        else                                                            \
            pv_cpu_relax();                                             \
    }                                                                   \
    ok_;                                                                \
})

static void vc_delay(uint64_t ns)
{
    uint64_t end = pv_now() + ns;

    while ( pv_now() < end )
        pv_cpu_relax();
}

static long vcpu_op(int cmd, unsigned long vcpu, void *arg)
{
    return pv_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg,
                        0, 0);
}

static long runstate(unsigned int vcpu, struct vcpu_runstate_info *rs)
{
    memset(rs, 0xa5, sizeof(*rs));
    return vcpu_op(VCPUOP_get_runstate_info, vcpu, rs);
}

static int runstate_now(unsigned int vcpu)
{
    struct vcpu_runstate_info rs;

    return runstate(vcpu, &rs) ? -1 : rs.state;
}

static long register_area(unsigned int vcpu, struct vcpu_runstate_info *a)
{
    struct vcpu_register_runstate_memory_area r = { .addr.v = a };

    return vcpu_op(VCPUOP_register_runstate_memory_area, vcpu, &r);
}

static void vc_events_on(void)
{
    pv_evt_enable();
}

/*
 * Whether every vCPU in use has XEN_PVCLOCK_TSC_STABLE_BIT: only then is
 * one vCPU's pvclock reading ordered with another's (Xen without it
 * keeps a time line per physical CPU, a few microseconds apart).
 */
static bool clock_stable(void)
{
    unsigned int i;

    for ( i = 0; i < vc_nr; i++ )
        if ( (!i || vc_ok[i]) &&
             !(pv_shared_info->vcpu_info[i].time.flags &
               XEN_PVCLOCK_TSC_STABLE_BIT) )
            return false;
    return true;
}

static const char *const rs_names[] = {
    "running", "runnable", "blocked", "offline",
};

static const char *rs_name(int s)
{
    return s >= 0 && s < 4 ? rs_names[s] : "?";
}

/*
 * Wait for what secondary I was given with pv_smp_post(); false (and I is
 * left out from now on) if it does not answer.  *RESULT: its result.
 */
static bool vc_done(unsigned int i, long *result, const char *what)
{
    char name[64];

    if ( pv_smp_wait(i, VC_TIMEOUT_NS, result) )
        return true;
    snprintf(name, sizeof(name), "vCPU %u: %s", i, what);
    test_fail(name, "no answer within %lu ms (counter %lu, runstate %s); "
              "left out from now on",
              (unsigned long)(VC_TIMEOUT_NS / PV_MS(1)), vc_cpus[i].counter,
              rs_name(runstate_now(i)));
    vc_ok[i] = false;
    return false;
}

/* FN(ARG) on secondary I, waited for. */
static bool vc_do(unsigned int i, pv_smp_fn_t fn, void *arg, long *result,
                  const char *what)
{
    pv_smp_post(i, fn, arg);
    return vc_done(i, result, what);
}

/* Secondary I spins in vc_spin, counting, until vc_spin_stop(). */
static void vc_spin_start(unsigned int i)
{
    vc_cpus[i].stop = false;
    pv_smp_post(i, vc_spin, NULL);
}

static bool vc_spin_stop(unsigned int i)
{
    __atomic_store_n(&vc_cpus[i].stop, true, __ATOMIC_RELEASE);
    return vc_done(i, NULL, "stop spinning");
}

static void __printf(2, 3) vc_result(bool ok, const char *fmt, ...)
{
    char name[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    if ( ok )
        test_pass(name);
    else
        test_fail(name, "see above");
}

static unsigned int nr_ok(void)
{
    unsigned int i, n = 0;

    for ( i = 1; i < vc_nr; i++ )
        n += vc_ok[i];
    return n;
}

/*
 * A good context for vCPU I: the runtime's, with RDI, RBX and R15 that
 * the entry must hand over unchanged, and vCPU 1's GDT frame.
 */
static void make_ctx(struct vcpu_guest_context *c, unsigned int i)
{
    pv_smp_context(c, i);
    c->user_regs.rdi = (unsigned long)&vc_cpus[i];
    c->user_regs.rbx = VC_MAGIC_RBX | i;
    c->user_regs.r15 = VC_MAGIC_R15;
    if ( i == 1 && vc_gdt_mfn )
    {
        c->gdt_frames[0] = vc_gdt_mfn;
        c->gdt_ents = 512;
    }
}

/* ---- ids, and vCPUs before initialise ---------------------------------- */

static void check_ids(unsigned int n)
{
    const unsigned long bad[] = { n, n + 1, 4096, 0xffffffffUL };
    struct vcpu_runstate_info rs;
    evtchn_port_t port;
    unsigned int k, f = test_nr_fail;

    CHECK_RC(1, vcpu_op(VCPUOP_is_up, 0, NULL));
    make_ctx(&ctx, 1);
    for ( k = 0; k < ARRAY_SIZE(bad); k++ )
    {
        unsigned long id = bad[k];

        CHECK_RC(-XEN_ENOENT, vcpu_op(VCPUOP_is_up, id, NULL));
        CHECK_RC(-XEN_ENOENT, vcpu_op(VCPUOP_initialise, id, &ctx));
        CHECK_RC(-XEN_ENOENT, vcpu_op(VCPUOP_up, id, NULL));
        CHECK_RC(-XEN_ENOENT, vcpu_op(VCPUOP_down, id, NULL));
        CHECK_RC(-XEN_ENOENT, vcpu_op(VCPUOP_get_runstate_info, id, &rs));
        CHECK_RC(-XEN_ENOENT, register_area(id, &rs));
    }
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_ipi(n, &port));
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_ipi(0xffffffffU, &port));
    /* The id is an unsigned int: bits 32 and up are not part of it. */
    CHECK_RC(1, vcpu_op(VCPUOP_is_up, 1UL << 32, NULL));
    /* vCPU 0 is running: it has its context. */
    make_ctx(&ctx, 0);
    CHECK_RC(-XEN_EEXIST, vcpu_op(VCPUOP_initialise, 0, &ctx));
    vc_result(f == test_nr_fail, "ids: bad vCPU ids -ENOENT, initialise of "
              "vCPU 0 -EEXIST");
}

static void check_before_init(void)
{
    struct vcpu_runstate_info rs;
    unsigned int i, f = test_nr_fail;

    for ( i = 1; i < vc_nr; i++ )
    {
        struct vc_cpu *c = &vc_cpus[i];

        CHECK_RC(0, vcpu_op(VCPUOP_is_up, i, NULL));
        CHECK_RC(-XEN_EINVAL, vcpu_op(VCPUOP_up, i, NULL));
        CHECK_RC(0, vcpu_op(VCPUOP_is_up, i, NULL));
        if ( CHECK_RC(0, runstate(i, &rs)) )
        {
            CHECK_EQ(RUNSTATE_offline, rs.state);
            CHECK_EQ(0, rs.time[RUNSTATE_running]);
        }
        memset(&c->area, 0xa5, sizeof(c->area));
        CHECK_RC(0, register_area(i, &c->area));
        /* Xen copies the current runstate out when the area is set. */
        if ( !CHECK_EQ(RUNSTATE_offline, c->area.state) )
            printf("  vCPU %u: runstate area after registering from vCPU 0:"
                   " state %#x\n", i, c->area.state);
        /* No upcalls until the vCPU has said that it runs. */
        pv_shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
    }
    /* vCPU 0's own: its real runstate, as get_runstate_info has it (which
     * adds the time in the current state up to now). */
    memset(&vc_cpus[0].area, 0xa5, sizeof(vc_cpus[0].area));
    CHECK_RC(0, register_area(0, &vc_cpus[0].area));
    CHECK_RC(0, runstate(0, &rs));
    CHECK_EQ(RUNSTATE_running, vc_cpus[0].area.state);
    CHECK(vc_cpus[0].area.state_entry_time != 0);
    CHECK_EQ(rs.state_entry_time, vc_cpus[0].area.state_entry_time);
    CHECK_EQ(rs.time[RUNSTATE_offline], vc_cpus[0].area.time[RUNSTATE_offline]);
    CHECK(rs.time[RUNSTATE_running] >= vc_cpus[0].area.time[RUNSTATE_running]);
    /* Areas and runstate buffers outside guest memory. */
    CHECK_RC(-XEN_EFAULT, register_area(0, BAD_PTR_XEN));
    CHECK_RC(-XEN_EFAULT, vcpu_op(VCPUOP_get_runstate_info, 0, BAD_PTR_XEN));
    CHECK_RC(-XEN_EFAULT, vcpu_op(VCPUOP_get_runstate_info, 0, BAD_PTR_LOW));
    CHECK_RC(0, register_area(0, &vc_cpus[0].area));
    vc_result(f == test_nr_fail, "before initialise: down, up -EINVAL, "
              "offline, runstate areas filled");
}

/* ---- hostile contexts ---------------------------------------------------- */

enum bad_ctx {
    BAD_PTR_LOW_CASE, BAD_PTR_XEN_CASE, BAD_RIP, BAD_RSP, BAD_GS_KERNEL,
    BAD_FS, BAD_GDT_ENTS, BAD_L4_DATA, BAD_L4_L1, BAD_L4_L3, BAD_L4_NOMEM,
    BAD_KERNEL_SP, BAD_EVENT_CB, BAD_FAILSAFE_CB, BAD_SYSCALL_CB,
    BAD_TRAP_ADDR, BAD_LDT_BASE, NR_BAD,
};

static const struct {
    const char *name;
    long rc;
} bad_ctx[NR_BAD] = {
    [BAD_PTR_LOW_CASE] = { "context pointer unmapped", -XEN_EFAULT },
    [BAD_PTR_XEN_CASE] = { "context pointer in the hypervisor", -XEN_EFAULT },
    [BAD_RIP] =         { "non-canonical rip", -XEN_EINVAL },
    [BAD_RSP] =         { "non-canonical rsp", -XEN_EINVAL },
    [BAD_GS_KERNEL] =   { "non-canonical gs_base_kernel", -XEN_EINVAL },
    [BAD_FS] =          { "non-canonical fs_base", -XEN_EINVAL },
    [BAD_GDT_ENTS] =    { "gdt_ents past the reserved entries", -XEN_EINVAL },
    [BAD_L4_DATA] =     { "kernel L4 a writable data page", -XEN_EINVAL },
    [BAD_L4_L1] =       { "kernel L4 an L1 table", -XEN_EINVAL },
    [BAD_L4_L3] =       { "kernel L4 an L3 table", -XEN_EINVAL },
    [BAD_L4_NOMEM] =    { "kernel L4 past the end of memory", -XEN_EINVAL },
    [BAD_KERNEL_SP] =   { "non-canonical kernel_sp", -XEN_EINVAL },
    [BAD_EVENT_CB] =    { "non-canonical event callback", -XEN_EINVAL },
    [BAD_FAILSAFE_CB] = { "non-canonical failsafe callback", -XEN_EINVAL },
    [BAD_SYSCALL_CB] =  { "non-canonical syscall callback", -XEN_EINVAL },
    [BAD_TRAP_ADDR] =   { "non-canonical trap table address", -XEN_EINVAL },
    [BAD_LDT_BASE] =    { "ldt_base not page-aligned", -XEN_EINVAL },
};

static void check_bad_contexts(void)
{
    unsigned int v = vc_nr - 1, k;
    void *data = pv_alloc_page();
    char name[120];
    long rc;

    if ( !data )
        test_abort("no page for the hostile contexts");
    for ( k = 0; k < NR_BAD; k++ )
    {
        void *arg = &ctx;

        snprintf(name, sizeof(name), "initialise vCPU %u: %s", v,
                 bad_ctx[k].name);
        if ( vc_poisoned[v] )
        {
            test_skip(name, "the vCPU took an earlier hostile context");
            continue;
        }
        make_ctx(&ctx, v);
        switch ( k )
        {
        case BAD_PTR_LOW_CASE: arg = BAD_PTR_LOW; break;
        case BAD_PTR_XEN_CASE: arg = BAD_PTR_XEN; break;
        case BAD_RIP:         ctx.user_regs.rip = NONCANON; break;
        case BAD_RSP:         ctx.user_regs.rsp = NONCANON; break;
        case BAD_GS_KERNEL:   ctx.gs_base_kernel = NONCANON; break;
        case BAD_FS:          ctx.fs_base = NONCANON; break;
        case BAD_GDT_ENTS:
            ctx.gdt_ents = FIRST_RESERVED_GDT_ENTRY + 1;
            break;
        case BAD_L4_DATA:
            ctx.ctrlreg[3] = xen_pfn_to_cr3(virt_to_mfn(data));
            break;
        case BAD_L4_L1:
            ctx.ctrlreg[3] = pv_pte_maddr((unsigned long)data, 1) &
                             PTE_ADDR_MASK;
            break;
        case BAD_L4_L3:
            ctx.ctrlreg[3] = pv_pte_maddr((unsigned long)data, 3) &
                             PTE_ADDR_MASK;
            break;
        case BAD_L4_NOMEM:    ctx.ctrlreg[3] = xen_pfn_to_cr3(0xfffffffffUL);
                              break;
        case BAD_KERNEL_SP:   ctx.kernel_sp = NONCANON; break;
        case BAD_EVENT_CB:    ctx.event_callback_eip = NONCANON; break;
        case BAD_FAILSAFE_CB: ctx.failsafe_callback_eip = NONCANON; break;
        case BAD_SYSCALL_CB:  ctx.syscall_callback_eip = NONCANON; break;
        case BAD_TRAP_ADDR:   ctx.trap_ctxt[14].address = NONCANON; break;
        case BAD_LDT_BASE:
            ctx.ldt_base = (unsigned long)data + 8;
            ctx.ldt_ents = 1;
            break;
        }
        rc = vcpu_op(VCPUOP_initialise, v, arg);
        if ( rc == bad_ctx[k].rc )
            test_pass(name);
        else
            test_fail(name, "expected %ld, got %ld", bad_ctx[k].rc, rc);
        if ( !rc )
        {
            vc_poisoned[v] = true;
            printf("vcpus: vCPU %u is initialised with a hostile context: "
                   "it is left out from now on\n", v);
        }
    }
    if ( !vc_poisoned[v] )
    {
        CHECK_RC(0, vcpu_op(VCPUOP_is_up, v, NULL));
        CHECK_RC(-XEN_EINVAL, vcpu_op(VCPUOP_up, v, NULL));
        CHECK_RC(0, vcpu_op(VCPUOP_is_up, v, NULL));
    }
}

/* ---- bring-up ------------------------------------------------------------ */

static void make_gdt_frame(void)
{
    uint64_t *gdt = pv_alloc_page();

    if ( !gdt )
        test_abort("no page for vCPU 1's GDT");
    gdt[1] = GDT_DATA_DESC;
    if ( pv_set_page_ro(gdt) )
        test_abort("cannot make the GDT frame read-only");
    vc_gdt_mfn = virt_to_mfn(gdt);
}

static void bring_up(unsigned int i)
{
    char name[80];
    long rc;

    snprintf(name, sizeof(name), "vCPU %u: initialise and up", i);
    make_ctx(&ctx, i);
    rc = vcpu_op(VCPUOP_initialise, i, &ctx);
    if ( rc )
    {
        test_fail(name, "VCPUOP_initialise: %ld", rc);
        return;
    }
    CHECK_RC(-XEN_EEXIST, vcpu_op(VCPUOP_initialise, i, &ctx));
    CHECK_RC(0, vcpu_op(VCPUOP_is_up, i, NULL));
    CHECK_EQ(RUNSTATE_offline, runstate_now(i));
    CHECK(!pv_smp_online(i));
    pv_cpus[i].start_fn = vc_start;
    vc_up_time[i] = pv_now();
    rc = vcpu_op(VCPUOP_up, i, NULL);
    if ( rc )
    {
        test_fail(name, "VCPUOP_up: %ld", rc);
        return;
    }
    CHECK_RC(1, vcpu_op(VCPUOP_is_up, i, NULL));
    if ( !pv_smp_wait_online(i) )
    {
        test_fail(name, "up, but it never ran (runstate %s, starts %u)",
                  rs_name(runstate_now(i)), pv_cpus[i].starts);
        return;
    }
    CHECK_RC(0, vcpu_op(VCPUOP_up, i, NULL));       /* already up */
    CHECK_RC(-XEN_EEXIST, vcpu_op(VCPUOP_initialise, i, &ctx));
    vc_ok[i] = true;
    test_pass(name);
}

static void check_start_record(unsigned int i)
{
    struct vc_cpu *c = &vc_cpus[i];
    struct pv_cpu *p = &pv_cpus[i];
    const struct pv_clock_sample *s = &c->start_clock;
    char name[80];
    unsigned int f = test_nr_fail;

    CHECK_EQ(1, p->starts);
    CHECK_EQ((unsigned long)pv_smp_stacks[i] + PV_SMP_STACK_SIZE,
             p->entry_rsp);
    CHECK_EQ((unsigned long)&vc_cpus[i], p->entry_rdi);
    CHECK_EQ(VC_MAGIC_RBX | i, p->entry_rbx);
    CHECK_EQ(VC_MAGIC_R15, p->entry_r15);
    CHECK(p->entry_rflags & 0x200);
    CHECK_EQ(0, p->entry_rflags & 0x3000);          /* IOPL 0 */
    CHECK_EQ((unsigned long)&pv_cpus[i], c->entry_gs);
    CHECK_EQ(1, p->entry_mask);
    CHECK_EQ(0, s->version & 1);
    CHECK(s->version != 0);
    CHECK(s->mul != 0);
    if ( clock_stable() )
        CHECK(s->now >= vc_up_time[i]);
    CHECK_EQ(RUNSTATE_running, c->start_area_state);
    if ( i == 1 && vc_gdt_mfn )
    {
        CHECK(c->lar_ok);
        CHECK_EQ(GDT_DATA_LAR, c->lar_val);
    }
    else
        CHECK(!c->lar_ok);
    snprintf(name, sizeof(name), "vCPU %u: start state (registers, %%gs, "
             "pvclock, runstate area%s)", i, i == 1 ? ", GDT frame" : "");
    vc_result(f == test_nr_fail, "%s", name);
}

/* ---- IPIs ---------------------------------------------------------------- */

/* S sends to PORT, bound to T: the upcall must come on T. */
static void ipi_one(unsigned int s, unsigned int t, evtchn_port_t port)
{
    uint32_t before = pv_evt_count[port];
    uint64_t sent;
    long rc;

    pv_evt_taker[port] = 0xff;
    if ( s == 0 )
    {
        sent = pv_now();
        rc = pv_evtchn_send(port);
    }
    else
    {
        if ( !vc_do(s, vc_send, (void *)(unsigned long)port, &rc,
                    "EVTCHNOP_send") )
            return;
        sent = vc_cpus[s].send_time;
    }
    if ( rc )
    {
        test_fail("ipi", "vCPU %u: EVTCHNOP_send(%u) gave %ld", s, port, rc);
        return;
    }
    if ( !WAIT_FOR(pv_evt_count[port] != before) )
    {
        test_fail("ipi", "vCPU %u -> vCPU %u (port %u): no upcall took it "
                  "(pending %d, sel bit on vCPU %u: %d, upcall_pending %u, "
                  "mask %u)", s, t, port, pv_evtchn_is_pending(port), t,
                  pv_evtchn_sel_bit(t, port / 64),
                  pv_shared_info->vcpu_info[t].evtchn_upcall_pending,
                  pv_shared_info->vcpu_info[t].evtchn_upcall_mask);
        return;
    }
    if ( pv_evt_taker[port] != t )
        test_fail("ipi", "vCPU %u -> vCPU %u (port %u): upcall on vCPU %d",
                  s, t, port, pv_evt_taker[port]);
    else if ( pv_evt_time[port] < sent && clock_stable() )
        test_fail("ipi", "vCPU %u -> vCPU %u: pvclock at the upcall %lu is "
                  "before the sender's %lu (TSC_STABLE set)", s, t,
                  (unsigned long)pv_evt_time[port], (unsigned long)sent);
    else
        vc_result(true, "ipi: vCPU %u -> vCPU %u (port %u) upcall on "
                  "vCPU %u", s, t, port, t);
}

static evtchn_port_t remote_port;

static void check_ipis(void)
{
    struct evtchn_status st;
    unsigned int i, s, t, w, f;
    evtchn_port_t p0;
    uint32_t before;
    long rc;

    if ( !CHECK_RC(0, pv_evtchn_bind_ipi(0, &p0)) )
        test_abort("vCPU 0: no IPI port");
    vc_cpus[0].ipi_port = p0;
    for ( i = 1; i < vc_nr; i++ )
        if ( vc_ok[i] &&
             vc_do(i, vc_bind_ipi, NULL, &rc, "EVTCHNOP_bind_ipi") )
            CHECK_RC(0, rc);
    for ( i = 0; i < vc_nr; i++ )
    {
        evtchn_port_t p = vc_cpus[i].ipi_port;

        if ( i && !vc_ok[i] )
            continue;
        if ( !CHECK(p != 0 && p < PV_EVT_NR_PORTS) )
        {
            printf("  vCPU %u: no usable IPI port (%u): left out\n", i, p);
            vc_ok[i] = false;
            continue;
        }
        for ( t = 0; t < i; t++ )
            CHECK(vc_cpus[t].ipi_port != p);
        CHECK_RC(0, pv_evtchn_status(DOMID_SELF, p, &st));
        CHECK_EQ(EVTCHNSTAT_ipi, st.status);
        CHECK_EQ(i, st.vcpu);
    }
    /* vCPU 0 binds one for vCPU 1. */
    if ( CHECK_RC(0, pv_evtchn_bind_ipi(1, &remote_port)) )
    {
        CHECK_RC(0, pv_evtchn_status(DOMID_SELF, remote_port, &st));
        CHECK_EQ(EVTCHNSTAT_ipi, st.status);
        CHECK_EQ(1, st.vcpu);
    }
    /* An IPI port cannot be rebound. */
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(p0, 1));

    vc_events_on();
    for ( t = 0; t < vc_nr; t++ )
        for ( s = 0; s < vc_nr; s++ )
            if ( (!t || vc_ok[t]) && (!s || vc_ok[s]) )
                ipi_one(s, t, vc_cpus[t].ipi_port);
    if ( remote_port && vc_ok[1] )
        ipi_one(0, 1, remote_port);

    /* vCPU 0 masked: pending, selector and upcall_pending on vCPU 0 only. */
    if ( !vc_ok[1] )
        return;
    f = test_nr_fail;
    vcpu_set_mask(1);
    before = pv_evt_count[p0];
    w = p0 / 64;
    if ( vc_do(1, vc_send, (void *)(unsigned long)p0, &rc,
               "EVTCHNOP_send") &&
         CHECK_RC(0, rc) &&
         CHECK(WAIT_FOR(pv_evtchn_is_pending(p0))) )
    {
        vc_delay(PV_MS(5));
        CHECK_EQ(before, pv_evt_count[p0]);
        CHECK(pv_evtchn_sel_bit(0, w));
        CHECK_EQ(1, pv_vcpu_info->evtchn_upcall_pending);
        for ( i = 1; i < vc_nr; i++ )
            if ( !CHECK(!pv_evtchn_sel_bit(i, w)) )
                printf("  selector bit %u set on vCPU %u for a port bound to "
                       "vCPU 0\n", w, i);
        pv_evt_taker[p0] = 0xff;
        vc_events_on();
        CHECK(WAIT_FOR(pv_evt_count[p0] != before));
        CHECK_EQ(0, pv_evt_taker[p0]);
    }
    vc_result(f == test_nr_fail, "ipi to a masked vCPU: pending and "
              "selector on it only, delivered on unmask");
    vc_events_on();
}

/* ---- blocking ------------------------------------------------------------ */

static void check_block(unsigned int i)
{
    struct vc_cpu *c = &vc_cpus[i];
    struct vcpu_runstate_info b0, r1, r2, r3;
    unsigned int f = test_nr_fail;
    long result = 0;
    bool done;

    if ( !CHECK_RC(0, runstate(i, &b0)) )
        return;
    c->sent = false;
    pv_smp_post(i, vc_block, NULL);
    if ( !CHECK(WAIT_FOR(c->blocking)) )
        goto out;
    if ( !WAIT_FOR(runstate_now(i) == RUNSTATE_blocked) )
    {
        test_fail("block", "vCPU %u: in SCHEDOP_block, but its runstate "
                  "stays %s (%lu block calls, rc %ld)", i,
                  rs_name(runstate_now(i)), c->nr_blocks, c->block_rc);
        goto out;
    }
    CHECK_RC(0, runstate(i, &r1));
    /* Xen: the area follows at the context switch, a little later. */
    if ( !CHECK(WAIT_FOR(c->area.state == RUNSTATE_blocked)) )
        printf("  vCPU %u blocked: its runstate area says %s\n", i,
               rs_name(c->area.state));
    vc_delay(PV_MS(20));
    CHECK_RC(0, runstate(i, &r2));
    CHECK_EQ(RUNSTATE_blocked, r2.state);
    /* Xen: get_runstate_info counts the current state up to now. */
    if ( !CHECK(r2.time[RUNSTATE_blocked] > r1.time[RUNSTATE_blocked]) )
        printf("  vCPU %u blocked: blocked time %lu then %lu after 20 ms\n",
               i, (unsigned long)r1.time[RUNSTATE_blocked],
               (unsigned long)r2.time[RUNSTATE_blocked]);
    CHECK(c->blocking);
    CHECK_EQ(1, c->nr_blocks);          /* no early return */

 out:
    c->sent = true;
    barrier();
    CHECK_RC(0, pv_evtchn_send(c->ipi_port));
    done = vc_done(i, &result, "SCHEDOP_block until an IPI");
    if ( done )
    {
        if ( !CHECK_EQ(1, result) )
            printf("  vCPU %u: %lu SCHEDOP_block calls, last rc %ld, no "
                   "upcall\n", i, c->nr_blocks, c->block_rc);
        CHECK(c->woke_after_send);
        CHECK_RC(0, c->block_rc);
        CHECK_RC(0, runstate(i, &r3));
        CHECK(r3.time[RUNSTATE_blocked] > b0.time[RUNSTATE_blocked]);
        /* The area is refreshed when the vCPU runs again. */
        CHECK(WAIT_FOR(c->area.state == RUNSTATE_running));
        CHECK(c->area.time[RUNSTATE_blocked] > b0.time[RUNSTATE_blocked]);
    }
    vc_result(f == test_nr_fail && done, "vCPU %u: SCHEDOP_block until "
              "vCPU 0 sends an IPI; blocked time grows", i);
}

/* ---- time across vCPUs --------------------------------------------------- */

static void check_clock(void)
{
    struct vc_clock *g = &vc_clock;
    unsigned int i, n = 1;
    unsigned int f = test_nr_fail;

    memset(g, 0, sizeof(*g));
    for ( i = 1; i < vc_nr; i++ )
        if ( vc_ok[i] )
        {
            pv_smp_post(i, vc_clock_loop, (void *)(unsigned long)CLOCK_ITERS);
            n++;
        }
    __atomic_store_n(&g->start, 1, __ATOMIC_RELEASE);
    vc_clock_loop((void *)(unsigned long)CLOCK_ITERS);
    for ( i = 1; i < vc_nr; i++ )
        if ( vc_ok[i] )
            vc_done(i, NULL, "pvclock loop");
    printf("vcpus: pvclock loop: %lu readings by %u vCPUs, %lu hand-offs "
           "between vCPUs, %lu steps back (worst %lu ns, vCPU %u then vCPU "
           "%u)\n", g->seq, n, g->handoffs, g->backwards,
           (unsigned long)g->worst, g->worst_from, g->worst_to);
    for ( i = 0; i < vc_nr; i++ )
        if ( !i || vc_ok[i] )
            CHECK_EQ(0, vc_cpus[i].clock_self_back);
    CHECK_EQ((unsigned long)n * CLOCK_ITERS, g->seq);
    vc_result(f == test_nr_fail, "pvclock never goes backwards on any of %u "
              "vCPUs", n);
    if ( !clock_stable() )
    {
        test_skip("pvclock across vCPUs", "XEN_PVCLOCK_TSC_STABLE_BIT is "
                  "clear: the hypervisor does not promise one time line "
                  "across vCPUs (Xen 4.17 under TCG: tens of microseconds back)");
        return;
    }
    if ( !CHECK_EQ(0, g->backwards) )
        printf("  with XEN_PVCLOCK_TSC_STABLE_BIT set\n");
    vc_result(!g->backwards, "pvclock never goes backwards across %u vCPUs "
              "(shared sequence, TSC_STABLE set)", n);
}

/* ---- runstate while running ---------------------------------------------- */

static void check_running(unsigned int i)
{
    struct vc_cpu *c = &vc_cpus[i];
    struct vcpu_runstate_info r1, r2;
    unsigned long cnt;
    unsigned int f = test_nr_fail;

    vc_spin_start(i);
    cnt = c->counter;
    CHECK(WAIT_FOR(c->counter > cnt + 100));
    CHECK_RC(0, runstate(i, &r1));
    cnt = c->counter;
    CHECK(WAIT_FOR(c->counter > cnt + 20000));
    CHECK_RC(0, runstate(i, &r2));
    CHECK_EQ(RUNSTATE_running, r2.state);
    if ( !CHECK(r2.time[RUNSTATE_running] > r1.time[RUNSTATE_running]) )
        printf("  vCPU %u spinning: running time %lu then %lu (state entered"
               " at %lu, now %lu)\n", i,
               (unsigned long)r1.time[RUNSTATE_running],
               (unsigned long)r2.time[RUNSTATE_running],
               (unsigned long)r2.state_entry_time,
               (unsigned long)pv_now());
    vc_result(f == test_nr_fail, "vCPU %u spinning: running time grows "
              "(get_runstate_info from vCPU 0)", i);
    if ( !vc_spin_stop(i) )
        return;

    f = test_nr_fail;
    if ( vc_do(i, vc_runstate, NULL, NULL, "get_runstate_info of itself") )
    {
        CHECK_RC(0, c->rs_rc1);
        CHECK_RC(0, c->rs_rc2);
        CHECK_EQ(RUNSTATE_running, c->rs1.state);
        CHECK_EQ(RUNSTATE_running, c->rs2.state);
        CHECK(c->rs2.time[RUNSTATE_running] > c->rs1.time[RUNSTATE_running]);
        CHECK_EQ(RUNSTATE_running, c->rs_area_state);
    }
    vc_result(f == test_nr_fail, "vCPU %u: its own runstate (call and area)"
              " running, running time grows", i);
}

static void check_running_self(void)
{
    struct vcpu_runstate_info r1, r2;
    unsigned int f = test_nr_fail;

    CHECK_RC(0, runstate(0, &r1));
    vc_delay(PV_MS(5));
    CHECK_RC(0, runstate(0, &r2));
    CHECK_EQ(RUNSTATE_running, r1.state);
    CHECK(r2.time[RUNSTATE_running] > r1.time[RUNSTATE_running]);
    CHECK_EQ(RUNSTATE_running, vc_cpus[0].area.state);
    vc_result(f == test_nr_fail, "vCPU 0: runstate running, running time "
              "grows");
}

/* ---- down and up --------------------------------------------------------- */

static void check_down_up(unsigned int i)
{
    struct vc_cpu *c = &vc_cpus[i];
    struct vcpu_runstate_info b, a;
    unsigned long c0, c1, c2;
    unsigned int f = test_nr_fail;

    vc_spin_start(i);
    c0 = c->counter;
    if ( !CHECK(WAIT_FOR(c->counter > c0 + 100)) )
    {
        vc_spin_stop(i);
        return;
    }
    CHECK_RC(0, runstate(i, &b));
    CHECK_RC(0, vcpu_op(VCPUOP_down, i, NULL));
    CHECK_RC(0, vcpu_op(VCPUOP_is_up, i, NULL));
    if ( !WAIT_FOR(runstate_now(i) == RUNSTATE_offline) )
        test_fail("down", "vCPU %u: runstate stays %s after VCPUOP_down", i,
                  rs_name(runstate_now(i)));
    c1 = c->counter;
    vc_delay(PV_MS(50));
    c2 = c->counter;
    if ( !CHECK_EQ(c1, c2) )
        printf("  vCPU %u: counter still grows after VCPUOP_down\n", i);
    CHECK_EQ(RUNSTATE_offline, c->area.state);
    make_ctx(&ctx, i);
    CHECK_RC(-XEN_EEXIST, vcpu_op(VCPUOP_initialise, i, &ctx));
    CHECK_RC(0, vcpu_op(VCPUOP_down, i, NULL));     /* already down */
    CHECK_RC(0, vcpu_op(VCPUOP_is_up, i, NULL));
    vc_result(f == test_nr_fail, "vCPU %u: VCPUOP_down stops it (is_up 0, "
              "offline, counter stops)", i);

    f = test_nr_fail;
    CHECK_RC(0, vcpu_op(VCPUOP_up, i, NULL));
    CHECK_RC(1, vcpu_op(VCPUOP_is_up, i, NULL));
    if ( !CHECK(WAIT_FOR(c->counter > c2)) )
    {
        vc_ok[i] = false;
        return;
    }
    CHECK_EQ(1, pv_cpus[i].starts);     /* went on, did not start again */
    CHECK_RC(0, runstate(i, &a));
    CHECK(a.time[RUNSTATE_offline] > b.time[RUNSTATE_offline]);
    CHECK(WAIT_FOR(c->area.state == RUNSTATE_running));
    vc_spin_stop(i);
    vc_result(f == test_nr_fail, "vCPU %u: VCPUOP_up again: it goes on "
              "where it was", i);
}

static void check_self_down(unsigned int i)
{
    struct vc_cpu *c = &vc_cpus[i];
    unsigned int f = test_nr_fail;

    c->self_down_returned = false;
    pv_smp_post(i, vc_self_down, NULL);
    CHECK(WAIT_FOR(vcpu_op(VCPUOP_is_up, i, NULL) == 0));
    CHECK(WAIT_FOR(runstate_now(i) == RUNSTATE_offline));
    vc_delay(PV_MS(10));
    CHECK(!c->self_down_returned);
    CHECK_RC(0, vcpu_op(VCPUOP_up, i, NULL));
    if ( !CHECK(WAIT_FOR(c->self_down_returned)) )
    {
        vc_ok[i] = false;
        return;
    }
    CHECK_RC(0, c->self_down_rc);
    CHECK(vc_done(i, NULL, "VCPUOP_down of itself"));
    vc_result(f == test_nr_fail, "vCPU %u: VCPUOP_down of itself; after "
              "up the call returns 0", i);
}

/* ---- the end --------------------------------------------------------------- */

static void teardown(void)
{
    struct evtchn_status st;
    unsigned int i;

    vcpu_set_mask(1);
    /* The default callback on every vCPU, while the secondaries serve. */
    CHECK_RC(0, pv_evt_fini());
    for ( i = 0; i < vc_nr; i++ )
    {
        evtchn_port_t p = vc_cpus[i].ipi_port;

        if ( !p )
            continue;
        CHECK_RC(0, pv_evtchn_close(p));
        CHECK_RC(0, pv_evtchn_status(DOMID_SELF, p, &st));
        CHECK_EQ(EVTCHNSTAT_closed, st.status);
    }
    if ( remote_port )
        CHECK_RC(0, pv_evtchn_close(remote_port));
    for ( i = 1; i < vc_nr; i++ )
    {
        if ( vc_poisoned[i] || !pv_smp_online(i) )
            continue;
        CHECK_RC(0, vcpu_op(VCPUOP_down, i, NULL));
        CHECK(WAIT_FOR(runstate_now(i) == RUNSTATE_offline));
        CHECK_RC(0, vcpu_op(VCPUOP_is_up, i, NULL));
        register_area(i, NULL);
    }
    register_area(0, NULL);
}

void test_main(void)
{
    unsigned int n = pv_nr_vcpus(), i;

    printf("vcpus: the domain has %u vCPU(s)\n", n);
    if ( n < 2 )
    {
        test_skip("vcpus", "the domain has one vCPU: no secondary to bring "
                  "up (boot with 2 or more CPUs, or dom0_max_vcpus >= 2)");
        return;
    }
    pv_smp_setup();
    vc_nr = pv_smp_nr;
    /* Every vCPU's upcalls through the runtime's pv_evt_entry. */
    if ( pv_evt_init() )
        test_abort("cannot register the event callback");

    check_ids(n);
    check_before_init();
    check_bad_contexts();
    make_gdt_frame();
    for ( i = 1; i < vc_nr; i++ )
        if ( !vc_poisoned[i] )
            bring_up(i);
    if ( !nr_ok() )
    {
        test_skip("vcpus", "no secondary vCPU is running: nothing more to "
                  "test");
        return;
    }
    for ( i = 1; i < vc_nr; i++ )
        if ( vc_ok[i] )
            check_start_record(i);

    check_ipis();
    for ( i = 1; i < vc_nr; i++ )
        if ( vc_ok[i] )
            check_block(i);
    check_clock();
    check_running_self();
    for ( i = 1; i < vc_nr; i++ )
        if ( vc_ok[i] )
            check_running(i);
    for ( i = 1; i < vc_nr; i++ )
        if ( vc_ok[i] )
            check_down_up(i);
    for ( i = 1; i < vc_nr; i++ )
        if ( vc_ok[i] )
            check_self_down(i);
    teardown();
}
