/*
 * mmu, part 2: mmuext_op beyond pinning.
 *
 * Cases:
 *  - NEW_BASEPTR to a pinned copy of the kernel L4 (CR3 follows) and
 *    back; to a frame that is not an L4.
 *  - NEW_USER_BASEPTR to another L4 and back.
 *  - TLB_FLUSH_LOCAL/MULTI/ALL and INVLPG_LOCAL/MULTI/ALL; a stale
 *    translation is gone after INVLPG; a bad vcpumask pointer.
 *  - SET_LDT: none, a valid page, an unaligned base, too many entries, a
 *    hypervisor address.
 *  - COPY_PAGE and CLEAR_PAGE on our pages; onto a page table.
 *  - MARK_SUPER/UNMARK_SUPER -EOPNOTSUPP; unknown commands -ENOSYS; a
 *    bad op pointer; count 0; `done` after a batch that fails midway.
 *  - Xen: a bad vcpumask pointer is -EINVAL for the MULTI flushes;
 *    INVLPG of a non-canonical address is accepted.
 */
#include "mmu.h"

static void check_baseptr(void)
{
    uint64_t *l4 = new_page();
    const uint64_t *kl4 = mfn_to_virt(pv_kernel_l4_mfn);
    unsigned long l4_mfn = virt_to_mfn(l4), kmfn = pv_kernel_l4_mfn;
    unsigned long *data = new_page();
    unsigned int i;

    for ( i = 0; i < 512; i++ )
        if ( i < 256 || i >= 272 )
            l4[i] = kl4[i];
    CHECK_RC(0, make_ro(l4));
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L4_TABLE, l4_mfn));
    CHECK_RC(0, pv_mmuext1(MMUEXT_NEW_BASEPTR, l4_mfn, 0));
    CHECK_EQ(l4_mfn << PAGE_SHIFT, read_cr3());
    CHECK_EQ(0x1122334455667788UL, *(volatile unsigned long *)TEST_VA);
    CHECK_RC(0, pv_mmuext1(MMUEXT_NEW_BASEPTR, kmfn, 0));
    CHECK_EQ(kmfn << PAGE_SHIFT, read_cr3());

    CHECK_RC(-XEN_EINVAL, pv_mmuext1(MMUEXT_NEW_BASEPTR, virt_to_mfn(data),
                                     0));
    CHECK_RC(-XEN_EINVAL, pv_mmuext1(MMUEXT_NEW_BASEPTR, test_l1_mfn, 0));
    CHECK_RC(-XEN_EINVAL, pv_mmuext1(MMUEXT_NEW_BASEPTR, (1UL << 40) - 1,
                                     0));
    CHECK_EQ(kmfn << PAGE_SHIFT, read_cr3());

    CHECK_RC(0, pv_mmuext1(MMUEXT_NEW_USER_BASEPTR, l4_mfn, 0));
    CHECK_RC(0, pv_mmuext1(MMUEXT_NEW_USER_BASEPTR, pv_user_l4_mfn, 0));
    CHECK_RC(0, pv_unpin(l4_mfn));
}

static void check_flushes(void)
{
    unsigned long mask = 1, va = TEST_VA + 8 * PAGE_SIZE;
    unsigned long *a = new_page(), *b = new_page();
    struct mmuext_op op = { 0 };
    struct mmu_update u;
    volatile unsigned long *p = (void *)va;

    CHECK_RC(0, pv_mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0));
    CHECK_RC(0, pv_mmuext1(MMUEXT_TLB_FLUSH_ALL, 0, 0));
    CHECK_RC(0, pv_mmuext1(MMUEXT_INVLPG_LOCAL, TEST_VA, 0));
    CHECK_RC(0, pv_mmuext1(MMUEXT_INVLPG_ALL, TEST_VA, 0));
    op.cmd = MMUEXT_TLB_FLUSH_MULTI;
    set_xen_guest_handle(op.arg2.vcpumask, &mask);
    CHECK_RC(0, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
    op.cmd = MMUEXT_INVLPG_MULTI;
    op.arg1.linear_addr = TEST_VA;
    CHECK_RC(0, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
    /* Xen: a bad vcpumask pointer is -EINVAL here (but -EFAULT in
     * update_va_mapping's UVMF_MULTI, see memop.c). */
    set_xen_guest_handle(op.arg2.vcpumask, BAD_PTR_LOW);
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
    op.cmd = MMUEXT_TLB_FLUSH_MULTI;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
    /* Xen: INVLPG of a non-canonical address is accepted (a no-op). */
    CHECK_RC(0, pv_mmuext1(MMUEXT_INVLPG_LOCAL, NONCANON, 0));

    /* Map a, read; repoint at b: mmu_update itself flushes. */
    a[0] = 0xa;
    b[0] = 0xb;
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(8), (virt_to_mfn(a) << PAGE_SHIFT) |
                               PTE_RW));
    CHECK_EQ(0xa, p[0]);
    u.ptr = l1e_maddr(8);
    u.val = (virt_to_mfn(b) << PAGE_SHIFT) | PTE_RW;
    CHECK_RC(0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    CHECK_RC(0, pv_mmuext1(MMUEXT_INVLPG_LOCAL, va, 0));
    CHECK_EQ(0xb, p[0]);
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(8), 0));
    CHECK_RC(0, pv_mmuext1(MMUEXT_INVLPG_LOCAL, va, 0));
    PV_TRY("mov (%0), %%rax", : : "r" (p) : "rax", "memory");
    CHECK_EQ(14, pv_last_fault.vector);
}

static long set_ldt(unsigned long base, unsigned int nr)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };

    op.arg1.linear_addr = base;
    op.arg2.nr_ents = nr;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static void check_set_ldt(void)
{
    void *ldt = new_page();

    CHECK_RC(0, set_ldt(0, 0));
    CHECK_RC(0, make_ro(ldt));
    CHECK_RC(0, set_ldt((unsigned long)ldt, 512));
    CHECK_RC(0, set_ldt(0, 0));
    CHECK_RC(-XEN_EINVAL, set_ldt((unsigned long)ldt + 8, 16));
    CHECK_RC(-XEN_EINVAL, set_ldt((unsigned long)ldt, 8193));
    CHECK_RC(-XEN_EINVAL, set_ldt(HYPERVISOR_VIRT_START, 16));
    CHECK_RC(-XEN_EINVAL, set_ldt(NONCANON, 16));
    CHECK_RC(-XEN_EINVAL, set_ldt(0xffff87fffffff000UL, 512));
    CHECK_RC(0, set_ldt(0, 0));
}

static void check_copy_clear(void)
{
    unsigned long *src = new_page(), *dst = new_page();

    src[0] = 0x5555;
    src[511] = 0x6666;
    dst[7] = 0x7777;
    CHECK_RC(0, pv_mmuext1(MMUEXT_COPY_PAGE, virt_to_mfn(dst),
                           virt_to_mfn(src)));
    CHECK_EQ(0x5555, dst[0]);
    CHECK_EQ(0x6666, dst[511]);
    CHECK_EQ(0, dst[7]);
    CHECK_RC(0, pv_mmuext1(MMUEXT_CLEAR_PAGE, virt_to_mfn(src), 0));
    CHECK_EQ(0, src[0]);
    CHECK_EQ(0, src[511]);
    CHECK_RC(-XEN_EINVAL, pv_mmuext1(MMUEXT_COPY_PAGE, test_l1_mfn,
                                     virt_to_mfn(src)));
    CHECK_RC(-XEN_EINVAL, pv_mmuext1(MMUEXT_CLEAR_PAGE, test_l1_mfn, 0));
    CHECK_RC(-XEN_EINVAL, pv_mmuext1(MMUEXT_CLEAR_PAGE, (1UL << 40) - 1, 0));
    CHECK_RC(-XEN_EINVAL, pv_mmuext1(MMUEXT_COPY_PAGE, virt_to_mfn(dst),
                                     (1UL << 40) - 1));
    CHECK_EQ(0x1122334455667788UL, *(volatile unsigned long *)TEST_VA);
}

static void check_misc(void)
{
    struct mmuext_op ops[3] = { { 0 } };
    unsigned int done = 99;

    long rc;

    CHECK_RC(-XEN_EOPNOTSUPP, pv_mmuext1(MMUEXT_MARK_SUPER, 0, 0));
    CHECK_RC(-XEN_EOPNOTSUPP, pv_mmuext1(MMUEXT_UNMARK_SUPER, 0, 0));
    CHECK_RC(-XEN_ENOSYS, pv_mmuext1(14, 0, 0));
    CHECK_RC(-XEN_ENOSYS, pv_mmuext1(99, 0, 0));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_mmuext_op(BAD_PTR_LOW, 1, NULL,
                                               DOMID_SELF));
    CHECK_RC(0, HYPERVISOR_mmuext_op(ops, 0, NULL, DOMID_SELF));
    ops[0].cmd = MMUEXT_TLB_FLUSH_LOCAL;
    ops[1].cmd = MMUEXT_UNPIN_TABLE;
    ops[1].arg1.mfn = virt_to_mfn(new_page());
    ops[2].cmd = MMUEXT_TLB_FLUSH_LOCAL;
    rc = HYPERVISOR_mmuext_op(ops, 3, &done, DOMID_SELF);
    CHECK_RC(-XEN_EINVAL, rc);
    CHECK_EQ(1, done);
}

void test_mmuext(void)
{
    check_baseptr();
    check_flushes();
    check_set_ldt();
    check_copy_clear();
    check_misc();
}
