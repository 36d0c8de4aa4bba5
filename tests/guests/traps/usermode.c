/*
 * traps, part 3: guest user mode, the callbacks and stack_switch.
 *
 * Cases:
 *  - a function run in user mode returns by SYSCALL to the syscall
 *    callback: the frame holds RCX = the user RIP after SYSCALL, R11 = the
 *    user RFLAGS, CS 0xe033 (RPL 3: from user mode), SS 0xe02b and the
 *    user RSP, on the kernel stack given to stack_switch (16-byte aligned
 *    frame just below its top); RAX carries the return value.
 *  - INT 0x80 from user mode with DPL 3 reaches the trap entry with CS
 *    RPL 3.  Xen: with DPL 1 too (its int80 path ignores the DPL).
 *  - a privileged instruction in user mode is #GP(0), not emulated.
 *  - stack_switch to another stack moves the next user-to-kernel frame.
 *  - callback_op: register every x86-64 type (event, failsafe, syscall,
 *    syscall32, sysenter, nmi); unregistering event, failsafe, syscall
 *    is -EINVAL, nmi works; Xen: an unknown type (3, 6, 99) and an
 *    unknown command are -ENOSYS, not -EINVAL; a bad pointer -EFAULT;
 *    set_callbacks.
 *  - SYSCALL from user mode with a null syscall callback: #UD.
 */
#include "traps.h"

static long user_ret(long arg)
{
    return arg * 3;
}

static long user_int80(long arg)
{
    asm volatile ( "int $0x80" : : : "memory" );
    return arg;
}

static long user_rdmsr(long arg)
{
    uint32_t lo, hi;

    asm volatile ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (0x277) );
    return arg;
}

static long user_syscall_regs(long arg)
{
    asm volatile ( "mov $0x77, %%eax\n\t"
                   "mov %%rsp, %%rdi\n\t"
                   "syscall" : : : "rax", "rdi", "rcx", "r11", "memory" );
    return arg;
}

static void check_syscall_frame(void)
{
    struct pv_user_exit e;
    unsigned long top = pv_user_kstack_top;

    pv_run_user(user_ret, 14, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(42, e.regs.rax);
    CHECK_EQ(0xe033, e.regs.cs);
    CHECK_EQ(0xe02b, e.regs.ss);
    CHECK_EQ(e.regs.rip, e.regs.rcx);
    CHECK_EQ(e.regs.rflags & ~0x10000UL, e.regs.r11 & ~0x10000UL);
    CHECK_EQ((top & ~0xfUL) - 7 * 8, e.frame_addr);
    printf("syscall frame: rip %#lx rflags %#lx rsp %#lx r11 %#lx\n",
           e.regs.rip, e.regs.rflags, e.regs.rsp, e.regs.r11);

    pv_run_user(user_syscall_regs, 0, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(0x77, e.regs.rax);
    CHECK_EQ(e.regs.rdi, e.regs.rsp);
    CHECK_EQ(0x77, e.regs.rax);
}

static void check_user_int(void)
{
    struct pv_user_exit e;

    CHECK_RC(0, pv_set_trap_flags(0x80, 3));
    pv_run_user(user_int80, 0, &e);
    CHECK(!e.by_syscall);
    CHECK_EQ(0x80, e.vector);
    CHECK_EQ(0xe033, e.regs.cs & 0xffff);

    /* Xen: even from user mode, INT 0x80 ignores the entry's DPL. */
    CHECK_RC(0, pv_set_trap_flags(0x80, 1));
    pv_run_user(user_int80, 0, &e);
    CHECK_EQ(0x80, e.vector);
    CHECK_EQ(0xe033, e.regs.cs & 0xffff);
    CHECK_RC(0, pv_set_trap_flags(0x80, 3));

    pv_run_user(user_rdmsr, 0, &e);
    CHECK_EQ(13, e.vector);
    CHECK_EQ(0, e.regs.error_code);
}

static void check_stack_switch(void)
{
    struct pv_user_exit e;
    char *stack = pv_alloc_page();
    unsigned long top = (unsigned long)stack + PAGE_SIZE - 8;

    CHECK_RC(0, HYPERVISOR_stack_switch(FLAT_KERNEL_SS, top));
    pv_run_user(user_ret, 1, &e);
    CHECK(e.by_syscall);
    CHECK_EQ((top & ~0xfUL) - 7 * 8, e.frame_addr);
    CHECK_RC(0, HYPERVISOR_stack_switch(FLAT_KERNEL_SS, pv_user_kstack_top));
    pv_run_user(user_ret, 1, &e);
    CHECK_EQ((pv_user_kstack_top & ~0xfUL) - 7 * 8, e.frame_addr);
}

static long cb_register(unsigned int type, unsigned int flags, void *addr)
{
    struct callback_register cb = {
        .type = type, .flags = flags, .address = (unsigned long)addr,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

static long cb_unregister(unsigned int type)
{
    struct callback_unregister cb = { .type = type };

    return HYPERVISOR_callback_op(CALLBACKOP_unregister, &cb);
}

static void check_callbacks(void)
{
    struct pv_user_exit e;

    CHECK_RC(0, cb_register(CALLBACKTYPE_event, 0, pv_entry_event));
    CHECK_RC(0, cb_register(CALLBACKTYPE_failsafe, 0, pv_entry_failsafe));
    CHECK_RC(0, cb_register(CALLBACKTYPE_syscall, CALLBACKF_mask_events,
                            pv_entry_syscall));
    CHECK_RC(0, cb_register(CALLBACKTYPE_syscall32, 0, pv_entry_syscall32));
    CHECK_RC(0, cb_register(CALLBACKTYPE_sysenter, 0, pv_entry_sysenter));
    CHECK_RC(0, cb_register(CALLBACKTYPE_nmi, 0, pv_entry_event));
    CHECK_RC(0, cb_unregister(CALLBACKTYPE_nmi));
    CHECK_RC(-XEN_ENOSYS, cb_register(3, 0, pv_entry_event));
    CHECK_RC(-XEN_ENOSYS, cb_register(6, 0, pv_entry_event));
    CHECK_RC(-XEN_ENOSYS, cb_register(99, 0, pv_entry_event));
    CHECK_RC(-XEN_EINVAL, cb_unregister(CALLBACKTYPE_event));
    CHECK_RC(-XEN_EINVAL, cb_unregister(CALLBACKTYPE_failsafe));
    CHECK_RC(-XEN_EINVAL, cb_unregister(CALLBACKTYPE_syscall));
    CHECK_RC(-XEN_ENOSYS, cb_unregister(99));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_callback_op(2, &(struct
                                                      callback_register){ 0 }));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_callback_op(CALLBACKOP_register,
                                                 BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_callback_op(CALLBACKOP_unregister,
                                                 BAD_PTR_XEN));

    CHECK_RC(0, HYPERVISOR_set_callbacks((unsigned long)pv_entry_event,
                                         (unsigned long)pv_entry_failsafe,
                                         (unsigned long)pv_entry_syscall));
    pv_run_user(user_ret, 2, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(6, e.regs.rax);

    /* No syscall callback: SYSCALL from user mode is #UD. */
    CHECK_RC(0, cb_register(CALLBACKTYPE_syscall, 0, NULL));
    pv_run_user(user_ret, 2, &e);
    CHECK(!e.by_syscall);
    CHECK_EQ(6, e.vector);
    CHECK_RC(0, cb_register(CALLBACKTYPE_syscall, CALLBACKF_mask_events,
                            pv_entry_syscall));
    pv_run_user(user_ret, 2, &e);
    CHECK(e.by_syscall);
}

void test_usermode(void)
{
    check_syscall_frame();
    check_user_int();
    check_stack_switch();
    check_callbacks();
}
