/*
 * misc, part 2: port I/O under the virtual IOPL and the I/O bitmap, and
 * CLI/STI.
 *
 * Cases:
 *  - PHYSDEVOP_set_iopl: IOPL 1 lets kernel mode use ports (0x80, IN
 *    and OUT), user mode still #GP(0); IOPL 3 lets user mode too; IOPL 0
 *    #GP(0) again; iopl 4 and ~0 -EINVAL; a bad pointer -EFAULT; an
 *    unknown physdev op -ENOSYS.
 *  - PHYSDEVOP_set_iobitmap (IOPL 0): with a bitmap allowing port 0x80
 *    and Xen's COM1 status port 0x3fd over 0x400 ports: inb/outb 0x80
 *    work in kernel mode, inb in user mode; 0x81 (bit set) #GP(0) for IN
 *    and OUT; inw 0x80 (covers the denied 0x81) #GP(0); 0x500 (past
 *    nr_ports) #GP(0); 0x3fd passes the bitmap but is not dom0's: reads
 *    0xff; the bitmap is read at each access (a change applies at once).
 *    Xen: a bitmap pointer into the hypervisor is -EINVAL (not -EFAULT),
 *    an unmapped guest one is accepted and denies everything; nr_ports
 *    65537 -EINVAL, 65536 fine; a bad argument pointer -EFAULT; nr_ports
 *    0 removes it.
 *  - CLI/STI: at IOPL 0 #GP(0).  Xen: at IOPL >= 1 in kernel mode they
 *    are emulated as no-ops (the upcall mask does not change); from user
 *    mode they need IOPL 3.
 */
#include "misc.h"

long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl a = { .iopl = iopl };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &a);
}

static int inb_try(uint16_t port, uint8_t *v)
{
    uint8_t x = 0x5a;

    PV_TRY("inb %w1, %b0", : "+a" (x) : "d" (port) : "memory");
    *v = x;
    return pv_last_fault.vector;
}

static int outb_try(uint16_t port, uint8_t v)
{
    PV_TRY("outb %b0, %w1", : : "a" (v), "d" (port) : "memory");
    return pv_last_fault.vector;
}

static int inw_try(uint16_t port)
{
    uint16_t x = 0;

    PV_TRY("inw %w1, %w0", : "+a" (x) : "d" (port) : "memory");
    return pv_last_fault.vector;
}

static void check_iopl(void)
{
    struct pv_user_exit e;
    uint8_t v;

    CHECK_EQ(13, inb_try(0x80, &v));
    CHECK_EQ(0, pv_last_fault.error_code);
    CHECK_RC(-XEN_EINVAL, set_iopl(4));
    CHECK_RC(-XEN_EINVAL, set_iopl(~0U));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl,
                                                BAD_PTR_XEN));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_physdev_op(999, NULL));

    CHECK_EQ(13, outb_try(0x80, 0));
    CHECK_RC(0, set_iopl(1));
    CHECK_EQ(-1, inb_try(0x80, &v));
    CHECK_EQ(-1, outb_try(0x80, 0x5a));
    pv_run_user(mu_inb, 0x80, &e);
    CHECK_EQ(13, e.vector);
    CHECK_EQ(0, e.regs.error_code);
    CHECK_EQ((unsigned long)mu_inb_insn, e.regs.rip);

    CHECK_RC(0, set_iopl(3));
    CHECK_EQ(-1, inb_try(0x80, &v));
    pv_run_user(mu_inb, 0x80, &e);
    CHECK(e.by_syscall);
    /* Xen's own UART: allowed by IOPL, but not dom0's: all ones. */
    pv_run_user(mu_inb, 0x3fd, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(0xff, e.regs.rdi);

    CHECK_RC(0, set_iopl(0));
    CHECK_EQ(13, inb_try(0x80, &v));
    pv_run_user(mu_inb, 0x80, &e);
    CHECK_EQ(13, e.vector);
}

static uint8_t iobmp[8192];

static long set_iobitmap(void *bmp, unsigned int nr)
{
    struct physdev_set_iobitmap a = { .nr_ports = nr };

    set_xen_guest_handle(a.bitmap, bmp);
    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &a);
}

static void check_iobitmap(void)
{
    struct pv_user_exit e;
    uint8_t v;

    memset(iobmp, 0xff, sizeof(iobmp));
    iobmp[0x80 / 8] &= ~(1 << (0x80 % 8));
    iobmp[0x3fd / 8] &= ~(1 << (0x3fd % 8));
    CHECK_RC(0, set_iobitmap(iobmp, 0x400));

    CHECK_EQ(-1, inb_try(0x80, &v));
    CHECK_EQ(-1, outb_try(0x80, 0));
    pv_run_user(mu_inb, 0x80, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(13, inb_try(0x81, &v));
    CHECK_EQ(13, outb_try(0x81, 0));
    CHECK_EQ(0, pv_last_fault.error_code);
    CHECK_EQ(13, inw_try(0x80));
    CHECK_EQ(13, inb_try(0x500, &v));
    pv_run_user(mu_inb, 0x81, &e);
    CHECK_EQ(13, e.vector);
    CHECK_EQ(-1, inb_try(0x3fd, &v));
    CHECK_EQ(0xff, v);

    /* The bitmap is read when used: a change takes effect at once. */
    iobmp[0x81 / 8] &= ~(1 << (0x81 % 8));
    CHECK_EQ(-1, inb_try(0x81, &v));
    CHECK_EQ(-1, inw_try(0x80));

    /* Hostile arguments. */
    CHECK_RC(-XEN_EINVAL, set_iobitmap(iobmp, 65537));
    CHECK_RC(-XEN_EINVAL, set_iobitmap(iobmp, ~0U));
    CHECK_RC(-XEN_EINVAL, set_iobitmap(BAD_PTR_XEN, 0x400));
    CHECK_RC(-XEN_EINVAL, set_iobitmap((void *)NONCANON, 0x400));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap,
                                                BAD_PTR_LOW));
    CHECK_RC(0, set_iobitmap(iobmp, 65536));
    CHECK_EQ(-1, inb_try(0x80, &v));
    /* Unmapped (but a guest address): accepted, and denies everything. */
    CHECK_RC(0, set_iobitmap(BAD_PTR_LOW, 0x400));
    CHECK_EQ(13, inb_try(0x80, &v));
    CHECK_RC(0, set_iobitmap(NULL, 0));
    CHECK_EQ(13, inb_try(0x80, &v));
}

static void check_cli_sti(void)
{
    struct pv_user_exit e;

    PV_TRY("cli", : : : "memory");
    CHECK_EQ(13, pv_last_fault.vector);
    CHECK_EQ(0, pv_last_fault.error_code);
    PV_TRY("sti", : : : "memory");
    CHECK_EQ(13, pv_last_fault.vector);

    CHECK_RC(0, set_iopl(1));
    vcpu_set_mask(0);
    PV_TRY("cli", : : : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(0, vcpu_mask());           /* Xen: a no-op */
    vcpu_set_mask(1);
    PV_TRY("sti", : : : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(1, vcpu_mask());
    pv_run_user(mu_cli, 0, &e);
    CHECK_EQ(13, e.vector);
    CHECK_EQ((unsigned long)mu_cli_insn, e.regs.rip);

    CHECK_RC(0, set_iopl(3));
    pv_run_user(mu_cli, 0, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(0xc1, e.regs.rdi);
    CHECK_RC(0, set_iopl(0));
}

void test_io(void)
{
    check_iopl();
    check_iobitmap();
    check_cli_sti();
}
