/*
 * user: guest user mode of a 64-bit PV guest.
 *
 * Cases (user.c; iret.c has the failsafe callback, iret, MOV SS and
 * SYSENTER):
 *  - the iret to RPL 3 switches to the user L4 (NEW_USER_BASEPTR): a
 *    mapping only in the user L4 is readable from user mode and a #PF
 *    (not present, CR2) from kernel mode; a mapping only in the kernel L4
 *    is #PF with the user bit from user mode; a write to a read-only page
 *    from user mode is #PF error 7.
 *  - segment bases: user mode sees the user GS base, kernel mode the
 *    kernel one; the FS base is shared.
 *  - SYSCALL from user mode reaches the syscall callback with the exact
 *    frame: RCX = RIP = the instruction after SYSCALL, R11 = RFLAGS = the
 *    user RFLAGS, CS 0xe033 with saved mask 0, the user RSP, SS 0xe02b, on
 *    the stack_switch stack; other registers intact; with
 *    CALLBACKF_mask_events the upcall mask is 1 on entry, without it 0.
 *  - SYSCALL with no syscall callback: #UD at the SYSCALL, with RCX and
 *    R11 as the instruction left them (next RIP, RFLAGS).
 *  - INT n from user mode: vector 0 with DPL 3 delivered, RIP after the
 *    INT; with DPL 0 (or 1: kernel only) #GP((n << 3) | 2) at the INT;
 *    INT 0x21 with DPL 0 #GP (QEMU TCG reports n * 16 + 2, see traps);
 *    INT 0x80 with DPL 3 and TI_MASK_EVENTS: exact frame, mask set on
 *    entry.  Xen: int3 and INT 3 from user mode are delivered even when
 *    the trap table entry has DPL 0 (Xen's own gate is DPL 3 and it does
 *    not check the guest's).
 *  - exceptions from user mode bounce to the kernel on the stack_switch
 *    stack: #UD (RCX/R11 as user left them), #DE, HLT #GP(0), #NM after
 *    fpu_taskswitch(1), each with RIP at the instruction and CS 0xe033.
 */
#include "user.h"

const char test_name[] = "user";

unsigned long us_rsp, us_rflags;

void *new_page(void)
{
    void *p = pv_alloc_page();

    if ( !p )
        test_abort("out of pages");
    return p;
}

long make_ro(void *va)
{
    return pv_set_page_ro(va);
}

long cb_register(unsigned int type, unsigned int flags, void *addr)
{
    struct callback_register cb = {
        .type = type, .flags = flags, .address = (unsigned long)addr,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

/* ---- page tables ------------------------------------------------------ */
#define USER_VA     0x0000008000000000UL    /* L4 slot 1: user L4 only */
#define KERN_VA     0x0000010000000000UL    /* L4 slot 2: kernel L4 only */

static void check_user_l4(void)
{
    uint64_t *l3 = new_page(), *l2 = new_page(), *l1 = new_page();
    unsigned long *data = new_page();
    struct pv_user_exit e;
    uint64_t ul4e = (pv_user_l4_mfn << PAGE_SHIFT) + 1 * 8;
    uint64_t kl4e = (pv_kernel_l4_mfn << PAGE_SHIFT) + 2 * 8;
    unsigned long v;

    data[0] = 0x5a5a0000c0c0UL;
    l1[0] = (virt_to_mfn(data) << PAGE_SHIFT) | PTE_RW;
    l1[1] = (virt_to_mfn(data) << PAGE_SHIFT) | _PAGE_PRESENT;
    l2[0] = (virt_to_mfn(l1) << PAGE_SHIFT) | PTE_TABLE;
    l3[0] = (virt_to_mfn(l2) << PAGE_SHIFT) | PTE_TABLE;
    CHECK_RC(0, make_ro(l1));
    CHECK_RC(0, make_ro(l2));
    CHECK_RC(0, make_ro(l3));
    CHECK_RC(0, pv_mmu_update1(ul4e, (virt_to_mfn(l3) << PAGE_SHIFT) |
                               PTE_TABLE));
    CHECK_RC(0, pv_mmu_update1(kl4e, (virt_to_mfn(l3) << PAGE_SHIFT) |
                               PTE_TABLE));

    pv_run_user(us_read, USER_VA, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(data[0], e.regs.rdi);
    PV_TRY("mov (%1), %0", : "=r" (v) : "r" (USER_VA) : "memory");
    CHECK_EQ(14, pv_last_fault.vector);
    CHECK_EQ(0, pv_last_fault.error_code);
    CHECK_EQ(USER_VA, pv_last_fault.cr2);
    CHECK_EQ(data[0], *(volatile unsigned long *)KERN_VA);

    /* Kernel-only mapping, from user mode: not present, user. */
    pv_run_user(us_read, KERN_VA, &e);
    CHECK(!e.by_syscall);
    CHECK_EQ(14, e.vector);
    CHECK_EQ(4, e.regs.error_code);
    CHECK_EQ(KERN_VA, pv_vcpu_info->arch.cr2);
    CHECK_EQ((unsigned long)us_read_insn, e.regs.rip);
    CHECK_EQ(0xe033, e.regs.cs);
    CHECK_EQ(user_frame(true), e.frame_addr);

    /* Read-only page, written from user mode: present, write, user. */
    pv_run_user(us_write, USER_VA + PAGE_SIZE, &e);
    CHECK_EQ(14, e.vector);
    CHECK_EQ(7, e.regs.error_code);
    CHECK_EQ(USER_VA + PAGE_SIZE, pv_vcpu_info->arch.cr2);
    CHECK_EQ(data[0], *(volatile unsigned long *)KERN_VA);
    /* ... and the writable one works. */
    pv_run_user(us_write, USER_VA, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(USER_VA, data[0]);

    CHECK_RC(0, pv_mmu_update1(ul4e, 0));
    CHECK_RC(0, pv_mmu_update1(kl4e, 0));
    pv_run_user(us_read, USER_VA, &e);
    CHECK_EQ(14, e.vector);
    CHECK_EQ(4, e.regs.error_code);
}

/* ---- segment bases ---------------------------------------------------- */
static unsigned long gs_user_var = 0x1111, gs_kern_var = 0x2222;
static unsigned long fs_var = 0x3333;

static void check_bases(void)
{
    struct pv_user_exit e;
    unsigned long v;

    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
                                            (unsigned long)&gs_user_var));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                            (unsigned long)&gs_kern_var));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_FS,
                                            (unsigned long)&fs_var));
    pv_run_user(us_segs, 0, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(0x1111, e.regs.rdi);
    CHECK_EQ(0x3333, e.regs.rsi);
    asm volatile ( "mov %%gs:0, %0" : "=r" (v) );
    CHECK_EQ(0x2222, v);
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_FS, 0));
}

/* ---- SYSCALL ---------------------------------------------------------- */
static void check_syscall(void)
{
    struct pv_user_exit e;
    const struct pv_regs *r = &e.regs;

    pv_run_user(us_syscall, 0, &e);
    printf("syscall: rflags %#lx r11 %#lx user rflags %#lx\n", r->rflags,
           r->r11, us_rflags);
    CHECK(e.by_syscall);
    CHECK_EQ(0x1234, r->rax);
    CHECK_EQ((unsigned long)us_syscall_after, r->rcx);
    CHECK_EQ((unsigned long)us_syscall_after, r->rip);
    CHECK_EQ(us_rflags, r->r11);
    CHECK_EQ(us_rflags, r->rflags);
    CHECK_EQ(0xe033, r->cs);
    CHECK_EQ(us_rsp, r->rsp);
    CHECK_EQ(0xe02b, r->ss);
    CHECK_EQ(0x7777, r->rdi);
    CHECK_EQ(0x8888, r->r8);
    CHECK_EQ(0, r->error_code);
    CHECK_EQ(user_frame(false), e.frame_addr);
    CHECK_EQ(1, e.mask);

    /* Without CALLBACKF_mask_events the mask stays as it was (0). */
    CHECK_RC(0, cb_register(CALLBACKTYPE_syscall, 0, pv_entry_syscall));
    pv_run_user(us_syscall, 0, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(0, e.mask);
    CHECK_EQ(0xe033, r->cs);

    /* No callback: #UD at the SYSCALL, on the kernel stack. */
    CHECK_RC(0, cb_register(CALLBACKTYPE_syscall, 0, NULL));
    pv_run_user(us_syscall, 0, &e);
    printf("syscall without callback: rcx %#lx r11 %#lx rflags %#lx\n",
           r->rcx, r->r11, r->rflags);
    CHECK(!e.by_syscall);
    CHECK_EQ(6, e.vector);
    CHECK_EQ((unsigned long)us_syscall_insn, r->rip);
    CHECK_EQ(0xe033, r->cs);
    CHECK_EQ(us_rsp, r->rsp);
    CHECK_EQ(0x1234, r->rax);
    /* RCX and R11 as the SYSCALL instruction left them. */
    CHECK_EQ((unsigned long)us_syscall_after, r->rcx);
    CHECK_EQ(us_rflags, r->r11);
    CHECK_EQ(user_frame(false), e.frame_addr);
    CHECK_RC(0, cb_register(CALLBACKTYPE_syscall, CALLBACKF_mask_events,
                            pv_entry_syscall));
}

/* ---- INT n and exceptions ------------------------------------------- */
static void check_int_n(void)
{
    struct pv_user_exit e;
    const struct pv_regs *r = &e.regs;

    CHECK_RC(0, pv_set_trap_flags(0, 3));
    pv_run_user(us_int0, 0, &e);
    CHECK_EQ(0, e.vector);
    CHECK_EQ((unsigned long)us_int0_after, r->rip);
    CHECK_EQ(0xe033, r->cs);
    CHECK_EQ(us_rsp, r->rsp);
    CHECK_EQ(user_frame(false), e.frame_addr);

    CHECK_RC(0, pv_set_trap_flags(0, 1));
    pv_run_user(us_int0, 0, &e);
    CHECK_EQ(13, e.vector);
    CHECK_EQ(2, r->error_code);
    CHECK_EQ((unsigned long)us_int0_insn, r->rip);
    CHECK_EQ(user_frame(true), e.frame_addr);
    CHECK_RC(0, pv_set_trap_flags(0, 0));
    pv_run_user(us_int0, 0, &e);
    CHECK_EQ(13, e.vector);
    CHECK_EQ(2, r->error_code);

    /* Denied: #GP with the IDT index (TCG: doubled, see traps.c). */
    CHECK_RC(0, pv_set_trap_flags(0x21, 0));
    CHECK_RC(0, pv_set_trap_flags(0x42, 0));
    pv_run_user(us_int21, 0, &e);
    CHECK_EQ(13, e.vector);
    CHECK(r->error_code == ((0x21 << 3) | 2) ||
          r->error_code == ((0x21 << 4) | 2));
    CHECK_EQ((unsigned long)us_int21_insn, r->rip);

    CHECK_RC(0, pv_set_trap_flags(0x80, 3 | TI_MASK_EVENTS));
    pv_run_user(us_int80, 0, &e);
    CHECK_EQ(0x80, e.vector);
    CHECK_EQ((unsigned long)us_int80_after, r->rip);
    CHECK_EQ(0xe033, r->cs);            /* saved mask 0 */
    CHECK_EQ(us_rsp, r->rsp);
    CHECK_EQ(0xe02b, r->ss);
    CHECK_EQ(1, e.mask);
    CHECK_EQ(user_frame(false), e.frame_addr);
    CHECK_RC(0, pv_set_trap_flags(0x80, 3));
    pv_run_user(us_int80, 0, &e);
    CHECK_EQ(0x80, e.vector);
    CHECK_EQ(0, e.mask);

    /* Xen: #BP from user mode whatever the entry's DPL. */
    CHECK_RC(0, pv_set_trap_flags(3, 0));
    pv_run_user(us_int3, 0, &e);
    CHECK_EQ(3, e.vector);
    CHECK_EQ((unsigned long)us_int3_after, r->rip);
    pv_run_user(us_intn3, 0, &e);
    CHECK_EQ(3, e.vector);
    CHECK_EQ((unsigned long)us_intn3_after, r->rip);
    CHECK_RC(0, pv_set_trap_flags(3, 3));
    pv_run_user(us_intn3, 0, &e);
    CHECK_EQ(3, e.vector);
    CHECK_EQ((unsigned long)us_intn3_after, r->rip);
}

static void check_exceptions(void)
{
    struct pv_user_exit e;
    const struct pv_regs *r = &e.regs;

    pv_run_user(us_ud2, 0, &e);
    CHECK_EQ(6, e.vector);
    CHECK_EQ((unsigned long)us_ud2_insn, r->rip);
    CHECK_EQ(0x1111, r->rcx);
    CHECK_EQ(0x2222, r->r11);
    CHECK_EQ(0xe033, r->cs);
    CHECK_EQ(us_rsp, r->rsp);
    CHECK_EQ(0xe02b, r->ss);
    CHECK_EQ(us_rflags, r->rflags);
    CHECK_EQ(user_frame(false), e.frame_addr);

    pv_run_user(us_div0, 0, &e);
    CHECK_EQ(0, e.vector);
    CHECK_EQ((unsigned long)us_div0_insn, r->rip);

    pv_run_user(us_hlt, 0, &e);
    CHECK_EQ(13, e.vector);
    CHECK_EQ(0, r->error_code);
    CHECK_EQ((unsigned long)us_hlt_insn, r->rip);
    CHECK_EQ(user_frame(true), e.frame_addr);

    CHECK_RC(0, HYPERVISOR_fpu_taskswitch(1));
    pv_run_user(us_fnop, 0, &e);
    CHECK_EQ(7, e.vector);
    CHECK_EQ((unsigned long)us_fnop_insn, r->rip);
    /* Xen cleared TS on delivering #NM: the next try runs. */
    pv_run_user(us_fnop, 0, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(0x77, r->rdi);
}

void test_user(void)
{
    check_user_l4();
    check_bases();
    check_syscall();
    check_int_n();
    check_exceptions();
}

void test_main(void)
{
    test_user();
    test_iret();
}
