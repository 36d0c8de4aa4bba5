/*
 * traps, part 2: privileged instructions a PV kernel executes in ring 3
 * and Xen emulates, and the hypercalls that stand in for them.
 *
 * Cases:
 *  - RDMSR: PAT reads Xen's fixed 0x0000050100070406; EFER has LME, LMA,
 *    SCE; an unknown MSR is #GP(0).  WRMSR FS_BASE: canonical takes
 *    effect (a %fs read sees it, RDMSR returns it), non-canonical #GP(0).
 *  - MOV from CR3: the machine address of the current L4.  MOV to CR0
 *    changing only TS works; changing another bit is #GP(0).  CLTS.
 *  - IN/OUT: with the virtual IOPL 0 #GP(0); physdev_op set_iopl 1 then
 *    allowed: a port Xen keeps (its COM1) reads all ones, writes dropped;
 *    set_iopl with iopl 4 -EINVAL.
 *  - WBINVD emulated without a fault; RDTSC monotonic.
 *  - set_debugreg/get_debugreg: DR0/DR3 round trips; a hypervisor or
 *    non-canonical address -EPERM; DR7 with high bits -EINVAL; DR6, DR7
 *    (and DR4, an alias of DR6) read their reset values.  Xen: register
 *    8 or -1 is -ENODEV, not -EINVAL.
 *  - set_segment_base: FS, kernel GS (seen through %fs:/%gs: reads),
 *    non-canonical -EINVAL, an unknown selector -EINVAL.
 */
#include "traps.h"

#define MSR_EFER        0xc0000080U
#define MSR_FS_BASE     0xc0000100U
#define MSR_PAT         0x00000277U

static unsigned long fs_target = 0x0123456789abcdefUL;
static unsigned long gs_target = 0xfedcba9876543210UL;

static unsigned long rdmsr_try(uint32_t msr)
{
    uint32_t lo = 0, hi = 0;

    PV_TRY("rdmsr", : "=a" (lo), "=d" (hi) : "c" (msr) : "memory");
    return ((unsigned long)hi << 32) | lo;
}

static void wrmsr_try(uint32_t msr, unsigned long v)
{
    PV_TRY("wrmsr", : : "c" (msr), "a" ((uint32_t)v), "d" (v >> 32)
           : "memory");
}

static unsigned long read_fs0(void)
{
    unsigned long v;

    asm volatile ( "mov %%fs:0, %0" : "=r" (v) : : "memory" );
    return v;
}

static unsigned long read_gs0(void)
{
    unsigned long v;

    asm volatile ( "mov %%gs:0, %0" : "=r" (v) : : "memory" );
    return v;
}

static void check_msrs(void)
{
    unsigned long v;

    v = rdmsr_try(MSR_PAT);
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(PAT_XEN_VALUE, v);

    v = rdmsr_try(MSR_EFER);
    printf("EFER %#lx\n", v);
    CHECK_EQ(-1, pv_last_fault.vector);
    /* Xen under QEMU: exactly SCE, LME, LMA, NXE. */
    CHECK_EQ(0xd01, v);

    rdmsr_try(0x12345678);
    CHECK_EQ(13, pv_last_fault.vector);
    CHECK_EQ(0, pv_last_fault.error_code);

    wrmsr_try(MSR_FS_BASE, (unsigned long)&fs_target);
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(fs_target, read_fs0());
    CHECK_EQ((unsigned long)&fs_target, rdmsr_try(MSR_FS_BASE));

    wrmsr_try(MSR_FS_BASE, NONCANON);
    CHECK_EQ(13, pv_last_fault.vector);
    CHECK_EQ(0, pv_last_fault.error_code);
    CHECK_EQ((unsigned long)&fs_target, rdmsr_try(MSR_FS_BASE));
    wrmsr_try(MSR_FS_BASE, 0);
}

static void check_crs(void)
{
    unsigned long cr0, cr3, cr4;

    asm volatile ( "mov %%cr3, %0" : "=r" (cr3) );
    CHECK_EQ(pv_kernel_l4_mfn << PAGE_SHIFT, cr3);

    asm volatile ( "mov %%cr0, %0" : "=r" (cr0) );
    asm volatile ( "mov %%cr4, %0" : "=r" (cr4) );
    printf("CR0 %#lx CR4 %#lx\n", cr0, cr4);
    PV_TRY("mov %0, %%cr0", : : "r" (cr0 | 8) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    PV_TRY("fnop", : : : "memory");
    CHECK_EQ(7, pv_last_fault.vector);
    PV_TRY("mov %0, %%cr0", : : "r" (cr0 & ~8UL) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    PV_TRY("fnop", : : : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    /* Any bit other than TS: #GP(0). */
    PV_TRY("mov %0, %%cr0", : : "r" (cr0 ^ (1UL << 30)) : "memory");
    CHECK_EQ(13, pv_last_fault.vector);
    CHECK_EQ(0, pv_last_fault.error_code);
}

static uint8_t inb_try(uint16_t port)
{
    uint8_t v = 0x5a;

    PV_TRY("inb %w1, %b0", : "+a" (v) : "d" (port) : "memory");
    return v;
}

static void outb_try(uint16_t port, uint8_t v)
{
    PV_TRY("outb %b0, %w1", : : "a" (v), "d" (port) : "memory");
}

static void check_io(void)
{
    struct physdev_set_iopl iopl;
    uint8_t v;

    inb_try(0x80);
    CHECK_EQ(13, pv_last_fault.vector);
    CHECK_EQ(0, pv_last_fault.error_code);
    outb_try(0x80, 0);
    CHECK_EQ(13, pv_last_fault.vector);

    iopl.iopl = 4;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl));
    iopl.iopl = 1;
    CHECK_RC(0, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl,
                                                BAD_PTR_LOW));

    outb_try(0x80, 0);
    CHECK_EQ(-1, pv_last_fault.vector);
    inb_try(0x80);
    CHECK_EQ(-1, pv_last_fault.vector);
    /* Xen's own serial port: denied to dom0, so reads are all ones. */
    v = inb_try(0x3fd);
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(0xff, v);
    outb_try(0x3f9, 0);                 /* dropped: Xen's UART keeps going */
    CHECK_EQ(-1, pv_last_fault.vector);

    iopl.iopl = 0;
    CHECK_RC(0, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl));
    inb_try(0x80);
    CHECK_EQ(13, pv_last_fault.vector);
}

static void check_misc_insns(void)
{
    uint32_t lo, hi;
    unsigned long t1, t2;

    PV_TRY("wbinvd", : : : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);

    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );
    t1 = ((unsigned long)hi << 32) | lo;
    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );
    t2 = ((unsigned long)hi << 32) | lo;
    CHECK(t2 > t1);
}

static void check_debugregs(void)
{
    CHECK_RC(0, HYPERVISOR_set_debugreg(0, 0x1000));
    CHECK_RC(0x1000, HYPERVISOR_get_debugreg(0));
    CHECK_RC(0, HYPERVISOR_set_debugreg(3, 0x7ffffffff000UL));
    CHECK_RC(0x7ffffffff000UL, HYPERVISOR_get_debugreg(3));
    CHECK_RC(-XEN_EPERM, HYPERVISOR_set_debugreg(0, HYPERVISOR_VIRT_START));
    CHECK_RC(-XEN_EPERM, HYPERVISOR_set_debugreg(1, 0xffff830000000000UL));
    CHECK_RC(-XEN_EPERM, HYPERVISOR_set_debugreg(2, NONCANON));
    CHECK_RC(0x1000, HYPERVISOR_get_debugreg(0));
    /* Xen: an unknown debug register number is -ENODEV, not -EINVAL. */
    CHECK_RC(-XEN_ENODEV, HYPERVISOR_set_debugreg(8, 0));
    CHECK_RC(-XEN_ENODEV, HYPERVISOR_get_debugreg(8));
    CHECK_RC(-XEN_ENODEV, HYPERVISOR_set_debugreg(-1, 0));
    /* DR7 with bits 32-63 set: -EINVAL.  DR4 reads as DR6 (CR4.DE clear);
     * DR6 and DR7 read their architectural reset values. */
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_debugreg(7, 1UL << 32));
    CHECK_RC(0xffff0ff0, HYPERVISOR_get_debugreg(6));
    CHECK_RC(0xffff0ff0, HYPERVISOR_get_debugreg(4));
    CHECK_RC(0x400, HYPERVISOR_get_debugreg(7));
    CHECK_RC(0, HYPERVISOR_set_debugreg(0, 0));
    CHECK_RC(0, HYPERVISOR_set_debugreg(3, 0));
}

static void check_segment_base(void)
{
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_FS,
                                            (unsigned long)&fs_target));
    CHECK_EQ(fs_target, read_fs0());
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                            (unsigned long)&gs_target));
    CHECK_EQ(gs_target, read_gs0());
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0x5000));
    CHECK_EQ(gs_target, read_gs0());    /* the user base is not live */
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(SEGBASE_FS, NONCANON));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                                      NONCANON));
    CHECK_EQ(fs_target, read_fs0());
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(4, 0));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(0x7fffffff, 0));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_FS, 0));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0));
}

void test_privop(void)
{
    check_msrs();
    check_crs();
    check_io();
    check_misc_insns();
    check_debugregs();
    check_segment_base();
}
