/*
 * user, part 2: iret corner cases, the failsafe callback, MOV SS and
 * SYSENTER.
 *
 * Cases:
 *  - MOV SS, then SYSCALL in its shadow, from user mode: the syscall
 *    callback as usual.  With a data breakpoint (DR0/DR7) on the selector
 *    MOV SS loads, from user mode and (as a hypercall) from kernel mode:
 *    the SYSCALL completes normally; Xen under QEMU TCG delivers the #DB
 *    to the guest at the SYSCALL (TCG does not hold it across the MOV SS
 *    shadow; on hardware Xen takes it in its own context and drops it),
 *    DR6 shows B0.
 *  - SYSENTER from user mode on this (AMD-like) CPU: #UD at the SYSENTER,
 *    RCX and RSP as user mode left them, even with a sysenter callback.
 *  - iret hypercall to a frame whose selectors do not load.  Xen 4.17
 *    does not use the failsafe callback for this: the fault of its own
 *    IRETQ is turned into the guest's fault at the target, so the guest
 *    gets #GP(selector) with RIP = the target, the CS and RSP it asked for
 *    (CS with RPL cleared when it asked for kernel mode), RAX/RCX/R11 as
 *    the iret restored them; in kernel mode on the target RSP, in user
 *    mode on the stack_switch stack.  Cases: kernel with CS 0x1230 (an
 *    empty GDT slot), user with CS 0x1233, kernel with a null SS (Xen
 *    forces RPL 3 on SS too: the frame shows SS 3), user
 *    with a data selector as CS (#GP(0xe028)).  The failsafe callback is
 *    only for data selectors that fail to reload at a context switch,
 *    which a single-vCPU dom0 cannot provoke: not tested.
 *  - last (Keel crashes the domain here): iret to a non-canonical RIP,
 *    to kernel mode, to user mode and SYSRET-style (VGCF_in_syscall):
 *    Xen: #GP(0) to the guest with RIP = the non-canonical address.
 */
#include "user.h"

static struct pv_regs gp_regs;
static unsigned long fs_count, gp_count, gp_frame;
extern unsigned long iret_raw_sp;

/* The failsafe callback, should it come: count it, go back to iret_raw. */
static bool failsafe_hook(struct pv_regs *regs)
{
    fs_count++;
    regs->rip = (unsigned long)iret_raw_resume;
    regs->cs = 0xe030;
    regs->ss = 0xe02b;
    regs->rsp = iret_raw_sp;
    regs->rflags = 0x2;                 /* back with events masked */
    return true;
}

/* A fault at the iret's target: note it and go back the same way. */
static bool target_fault(struct pv_regs *regs)
{
    unsigned long top = regs->rip >> 47;

    /* Ours: the landing label, or any non-canonical RIP. */
    if ( regs->rip != (unsigned long)iret_raw_landed &&
         regs->rip != (unsigned long)iret_raw_user_landed &&
         (top == 0 || top == 0x1ffff) )
        return false;
    gp_regs = *regs;
    gp_frame = (unsigned long)&regs->rcx;
    gp_count++;
    regs->rip = (unsigned long)iret_raw_resume;
    regs->cs = 0xe030;
    regs->ss = 0xe02b;
    regs->rsp = iret_raw_sp;
    regs->rflags = 0x2;
    return true;
}

static char target_stack[2048] __aligned(16);
#define FS_STACK_TOP    ((unsigned long)target_stack + \
                         sizeof(target_stack) - 8)

static long iret_to(unsigned long rip, unsigned long cs, unsigned long rsp,
                    unsigned long ss, unsigned long rflags)
{
    struct iret_context c = {
        .rax = 0x11, .r11 = 0x22, .rcx = 0x33, .flags = 0,
        .rip = rip, .cs = cs, .rflags = rflags, .rsp = rsp, .ss = ss,
    };
    long rc;

    fs_count = gp_count = 0;
    memset(&gp_regs, 0, sizeof(gp_regs));
    rc = iret_raw(&c);
    vcpu_set_mask(1);
    return rc;
}

/* Expect the iret to have ended in #GP(ERR) at its target. */
static void check_gp_at_target(long rc, unsigned long err, unsigned long cs,
                               unsigned long ss, unsigned long rip, bool user)
{
    CHECK_EQ(1, rc);
    CHECK_EQ(0, fs_count);
    if ( !CHECK_EQ(1, gp_count) )
        return;
    CHECK_EQ(13, gp_regs.vector);
    CHECK_EQ(err, gp_regs.error_code);
    CHECK_EQ(rip, gp_regs.rip);
    CHECK_EQ(cs, gp_regs.cs);           /* saved mask 0 in bits 32-39 */
    CHECK_EQ(FS_STACK_TOP, gp_regs.rsp);
    CHECK_EQ(ss, gp_regs.ss);
    CHECK_EQ(0x11, gp_regs.rax);
    CHECK_EQ(0x22, gp_regs.r11);
    CHECK_EQ(0x33, gp_regs.rcx);
    CHECK_EQ(user ? user_frame(true) : (FS_STACK_TOP & ~0xfUL) - 8 * 8,
             gp_frame);
}

static void catch_target_faults(bool on)
{
    pv_failsafe_hook = on ? failsafe_hook : NULL;
    pv_set_trap_handler(13, on ? target_fault : NULL);
    /* An iret that wrongly lands in user mode comes back by SYSCALL. */
    if ( cb_register(CALLBACKTYPE_syscall, CALLBACKF_mask_events,
                     on ? iret_raw_user_cb : pv_entry_syscall) )
        test_abort("registering the syscall callback");
}

static void check_iret_faults(void)
{
    unsigned long land = (unsigned long)iret_raw_landed;
    unsigned long uland = (unsigned long)iret_raw_user_landed;
    long rc;

    catch_target_faults(true);
    rc = iret_to(land, 0xe030, FS_STACK_TOP, 0xe02b, 0x202);
    CHECK_EQ(0, rc);
    CHECK_EQ(0, gp_count);

    rc = iret_to(land, 0x1230, FS_STACK_TOP, 0xe02b, 0x202);
    check_gp_at_target(rc, 0x1230, 0x1230, 0xe02b, land, false);
    rc = iret_to(uland, 0x1233, FS_STACK_TOP, 0xe02b, 0x202);
    check_gp_at_target(rc, 0x1230, 0x1233, 0xe02b, uland, true);
    /* Xen: SS gets RPL 3 forced, so the frame shows 3. */
    rc = iret_to(land, 0xe030, FS_STACK_TOP, 0, 0x202);
    check_gp_at_target(rc, 0, 0xe030, 3, land, false);
    rc = iret_to(uland, 0xe02b, FS_STACK_TOP, 0xe02b, 0x202);
    check_gp_at_target(rc, 0xe028, 0xe02b, 0xe02b, uland, true);
    catch_target_faults(false);
}

/* Last: non-canonical RIP.  Keel crashes the domain on these. */
static void check_iret_noncanonical(void)
{
    struct iret_context c = {
        .rax = 0x11, .r11 = 0x22, .rcx = 0x33, .flags = VGCF_in_syscall,
        .rip = NONCANON | 0x1000, .cs = 0xe033, .rflags = 0x202,
        .rsp = FS_STACK_TOP, .ss = 0xe02b,
    };
    long rc;

    catch_target_faults(true);
    printf("iret to a non-canonical RIP\n");
    rc = iret_to(NONCANON | 0x1000, 0xe030, FS_STACK_TOP, 0xe02b, 0x202);
    check_gp_at_target(rc, 0, 0xe030, 0xe02b, NONCANON | 0x1000, false);
    rc = iret_to(0x0000800000000000UL, 0xe033, FS_STACK_TOP, 0xe02b, 0x202);
    check_gp_at_target(rc, 0, 0xe033, 0xe02b, 0x0000800000000000UL,
                       true);
    /* SYSRET-style return: Xen takes the IRETQ path for it. */
    fs_count = gp_count = 0;
    rc = iret_raw(&c);
    vcpu_set_mask(1);
    CHECK_EQ(1, rc);
    CHECK_EQ(1, gp_count);
    CHECK_EQ(0, gp_regs.error_code);
    CHECK_EQ(NONCANON | 0x1000, gp_regs.rip);
    CHECK_EQ(0xe033, gp_regs.cs);
    catch_target_faults(false);
}

static unsigned long db_count, db_rip;

static bool db_handler(struct pv_regs *regs)
{
    db_count++;
    db_rip = regs->rip;
    return true;
}

static void check_movss(void)
{
    struct pv_user_exit e;
    unsigned long dr6;
    long rc;

    pv_run_user(us_movss_syscall, 0, &e);
    CHECK(e.by_syscall);
    CHECK_EQ((unsigned long)us_movss_insn + 2, e.regs.rip);
    CHECK_EQ(0xe033, e.regs.cs);

    /* A data breakpoint on the selector MOV SS reads. */
    CHECK_RC(0, HYPERVISOR_set_debugreg(0, (unsigned long)&us_ss_var));
    CHECK_RC(0, HYPERVISOR_set_debugreg(7, 0x70001)); /* L0, RW, 2 bytes */
    pv_set_trap_handler(1, db_handler);
    db_count = 0;
    pv_run_user(us_movss_mem_syscall, 0, &e);
    dr6 = HYPERVISOR_get_debugreg(6);
    printf("MOV SS (watched) + SYSCALL from user mode: #DB %lu at %#lx, "
           "DR6 %#lx\n", db_count, db_rip, dr6);
    CHECK(e.by_syscall);
    CHECK_EQ((unsigned long)us_movss_mem_after, e.regs.rip);
    CHECK_EQ(0x99, e.regs.rax);
    CHECK(db_count == 0 || (db_count == 1 &&
                            db_rip == (unsigned long)us_movss_mem_insn));
    CHECK_EQ(1, dr6 & 1);

    CHECK_RC(0, HYPERVISOR_set_debugreg(6, 0xffff0ff0));
    db_count = 0;
    rc = k_movss_hypercall();
    dr6 = HYPERVISOR_get_debugreg(6);
    printf("MOV SS (watched) + hypercall: #DB %lu at %#lx, DR6 %#lx\n",
           db_count, db_rip, dr6);
    CHECK_RC(HYPERVISOR_xen_version(XENVER_version, NULL), rc);
    CHECK(db_count == 0 || (db_count == 1 &&
                            db_rip == (unsigned long)k_movss_insn));
    CHECK_EQ(1, dr6 & 1);

    CHECK_RC(0, HYPERVISOR_set_debugreg(7, 0));
    CHECK_RC(0, HYPERVISOR_set_debugreg(0, 0));
    CHECK_RC(0, HYPERVISOR_set_debugreg(6, 0xffff0ff0));
    pv_set_trap_handler(1, NULL);
    /* Nothing left armed. */
    pv_run_user(us_movss_mem_syscall, 0, &e);
    CHECK(e.by_syscall);
}

static void check_sysenter(void)
{
    struct pv_user_exit e;

    CHECK_RC(0, cb_register(CALLBACKTYPE_sysenter, 0, pv_entry_sysenter));
    pv_run_user(us_sysenter, 0, &e);
    CHECK(!e.by_syscall);
    CHECK_EQ(6, e.vector);
    CHECK_EQ((unsigned long)us_sysenter_insn, e.regs.rip);
    CHECK_EQ(0x4444, e.regs.rcx);
    CHECK_EQ(us_rsp, e.regs.rsp);
    CHECK_EQ(0xe033, e.regs.cs);
}

void test_iret(void)
{
    check_movss();
    check_sysenter();
    check_iret_faults();
    check_iret_noncanonical();
}
