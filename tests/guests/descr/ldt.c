/*
 * descr, part 2: the LDT (MMUEXT_SET_LDT) and loading bad selectors.
 *
 * Cases:
 *  - SET_LDT to a read-only page of descriptors, 4 entries: an LDT data
 *    selector loads into DS and SS, LSL/LAR see it, a far return to its
 *    code selector runs there; Xen fixes a DPL 0 descriptor up to DPL 3 in
 *    our page when it first maps it; a selector past the 4 entries is
 *    #GP(selector); a two-page LDT: an entry in the second page works.
 *  - a page in use as an LDT cannot be mapped writable (Xen: -EBUSY)
 *    until SET_LDT moves away from it.
 *  - Xen: SET_LDT itself checks only the base and count; the page is
 *    validated when the CPU first touches it.  Still mapped writable, or
 *    holding a present TSS descriptor, or not mapped at all: the selector
 *    load is a #PF to the guest with CR2 = the descriptor's address in the
 *    LDT (error code as the CPU gave it: a supervisor read of a
 *    not-present page, 0).
 *  - no LDT (SET_LDT 0 entries): an LDT selector is #GP(selector).
 *  - bad selectors: Xen's own ring-0 CS and DS (0xe008, 0xe010) #GP; the
 *    last selector 0xfff8 (Xen's reserved, empty) #GP; a null SS #GP(0);
 *    SS with RPL 0 #GP(sel); SS from a code selector #GP; DS from an
 *    execute-only code segment #GP(sel); a not-present descriptor #NP(sel);
 *    a far jump to a data selector #GP(sel), to Xen's ring-0 CS or the
 *    null selector #GP (QEMU TCG: far transfers use LJMP, see
 *    run_in_cs()).
 */
#include "descr.h"

static long set_ldt(unsigned long base, unsigned int nr)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };

    op.arg1.linear_addr = base;
    op.arg2.nr_ents = nr;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

#define LSEL(i)     (((i) << 3) | 4 | 3)

static void fill_ldt(uint64_t *l)
{
    l[0] = mkdesc(0, 0xfffff, ACC_DATA3, FL_DB);
    l[1] = mkdesc(0, 0x5555, ACC_DATA0, FL_BYTE);
    l[2] = mkdesc(0, 0xfffff, ACC_CODE3, FL_L);
    l[3] = mkdesc(0, 0x3333, ACC_DATA3 & 0x7f, FL_BYTE);
}

static void check_ldt_positive(void)
{
    uint64_t *ldt = new_page(), *two = new_page();
    uint32_t v;

    fill_ldt(ldt);
    CHECK_RC(0, make_ro(ldt));
    CHECK_RC(0, set_ldt((unsigned long)ldt, 4));
    CHECK_EQ(-1, load_ds(LSEL(0)));
    CHECK_EQ(LSEL(0), read_ds());
    CHECK_EQ(-1, load_ds(orig_ds));
    CHECK_EQ(-1, load_ss(LSEL(0)));
    CHECK(lsl(LSEL(1), &v));
    CHECK_EQ(0x5555, v);
    CHECK(lar(LSEL(1), &v));
    CHECK_EQ(0x0040f300, v & 0x00f0ff00);
    /* Xen fixed the DPL in our page when it mapped it. */
    CHECK_EQ(mkdesc(0, 0x5555, ACC_DATA3, FL_BYTE), ldt[1]);
    CHECK_EQ(LSEL(2), run_in_cs(LSEL(2)));
    CHECK_EQ(11, load_ds(LSEL(3)));
    CHECK_EQ(LSEL(3) & ~3, pv_last_fault.error_code);
    /* Past the limit (4 entries). */
    CHECK_EQ(13, load_ds(LSEL(4)));
    CHECK_EQ(LSEL(4) & ~3, pv_last_fault.error_code);
    CHECK(!lsl(LSEL(4), &v));

    /* In use as an LDT: no writable mapping. */
    CHECK_RC(-XEN_EBUSY, pv_set_page_rw(ldt));

    /* Two pages: 1024 entries. */
    two[600 - 512] = mkdesc(0, 0x600, ACC_DATA3, FL_BYTE);
    CHECK_RC(0, make_ro(two));
    if ( virt_to_pfn(two) != virt_to_pfn(ldt) + 1 )
        test_abort("the allocator did not give consecutive pages");
    CHECK_RC(0, set_ldt((unsigned long)ldt, 1024));
    CHECK(lsl(LSEL(600), &v));
    CHECK_EQ(0x600, v);
    CHECK_EQ(-1, load_ds(LSEL(600)));
    CHECK_EQ(-1, load_ds(LSEL(1)));
    CHECK_EQ(-1, load_ds(orig_ds));
    CHECK_EQ(13, load_ds(LSEL(1024)));
    CHECK_EQ(LSEL(1024) & ~3, pv_last_fault.error_code);

    /* No LDT. */
    CHECK_RC(0, set_ldt(0, 0));
    CHECK_EQ(13, load_ds(LSEL(0)));
    CHECK_EQ(LSEL(0) & ~3, pv_last_fault.error_code);
    CHECK(!lsl(LSEL(0), &v));
    CHECK_RC(0, pv_set_page_rw(ldt));
    CHECK_RC(0, pv_set_page_rw(two));
}

static void check_ldt_lazy(void)
{
    uint64_t *ldt = new_page(), *bad = new_page();
    unsigned long va = pv_scratch_va(1);

    /* Still writable: SET_LDT is fine, the first use is not. */
    fill_ldt(ldt);
    CHECK_RC(0, set_ldt((unsigned long)ldt, 4));
    CHECK_EQ(14, load_ds(LSEL(1)));
    printf("LDT mapped writable: #PF error %#lx cr2 %#lx (LDT %p)\n",
           pv_last_fault.error_code, pv_last_fault.cr2, ldt);
    CHECK_EQ((unsigned long)ldt + 8, pv_last_fault.cr2);
    CHECK_EQ(0, pv_last_fault.error_code);
    /* Read-only now: the same selector works. */
    CHECK_RC(0, make_ro(ldt));
    CHECK_EQ(-1, load_ds(LSEL(1)));
    CHECK_EQ(-1, load_ds(orig_ds));

    /* A present TSS descriptor in the page: it never validates. */
    fill_ldt(bad);
    bad[3] = mkdesc(0x1000, 0x67, ACC_TSS, 0);
    CHECK_RC(0, make_ro(bad));
    CHECK_RC(0, set_ldt((unsigned long)bad, 4));
    CHECK_EQ(14, load_ds(LSEL(0)));
    CHECK_EQ((unsigned long)bad, pv_last_fault.cr2);
    CHECK_EQ(0, pv_last_fault.error_code);

    /* Not mapped. */
    CHECK_RC(0, pv_unmap_va(va));
    CHECK_RC(0, set_ldt(va, 16));
    CHECK_EQ(14, load_ds(LSEL(2)));
    CHECK_EQ(va + 16, pv_last_fault.cr2);
    CHECK_EQ(0, pv_last_fault.error_code);

    CHECK_RC(0, set_ldt(0, 0));
}

static void check_bad_selectors(void)
{
    CHECK_EQ(13, load_ds(0xe008));
    CHECK_EQ(0xe008, pv_last_fault.error_code);
    CHECK_EQ(13, load_ds(0xe010));
    CHECK_EQ(0xe010, pv_last_fault.error_code);
    CHECK_EQ(13, load_ds(0xfffb));
    CHECK_EQ(0xfff8, pv_last_fault.error_code);
    /* The flat selectors Xen provides load, at RPL 3. */
    CHECK_EQ(-1, load_ds(FLAT_KERNEL_DS));
    CHECK_EQ(-1, load_ds(FLAT_USER_DS32));
    CHECK_EQ(-1, load_ds(orig_ds));

    CHECK_EQ(13, load_ss(0));
    CHECK_EQ(0, pv_last_fault.error_code);
    CHECK_EQ(13, load_ss(0x13 & ~3));   /* our data, RPL 0 */
    CHECK_EQ(0x10, pv_last_fault.error_code);
    CHECK_EQ(13, load_ss(0x0b));        /* code */
    CHECK_EQ(0x08, pv_last_fault.error_code);
    CHECK_EQ(13, load_ss(0xe033));
    CHECK_EQ(0xe030, pv_last_fault.error_code);

    CHECK_EQ(13, load_ds(0x33));        /* execute-only code */
    CHECK_EQ(0x30, pv_last_fault.error_code);
    CHECK_EQ(11, load_ds(0x5b));        /* not present */
    CHECK_EQ(0x58, pv_last_fault.error_code);
    /* Not present with DPL 2 (never fixed up): the DPL check comes first. */
    CHECK_EQ(13, load_ds(0x2b));
    CHECK_EQ(0x28, pv_last_fault.error_code);

    CHECK_EQ(13, ljmp_to(0x13));        /* data as CS (far jump) */
    CHECK_EQ(0x10, pv_last_fault.error_code);
    CHECK_EQ(13, ljmp_to(0xe008));      /* Xen's CS: DPL 0 */
    CHECK_EQ(0xe008, pv_last_fault.error_code);
    CHECK_EQ(13, ljmp_to(0));
    CHECK_EQ(0, pv_last_fault.error_code);
    CHECK_EQ(-1, load_ds(orig_ds));
}

void test_ldt(void)
{
    check_ldt_positive();
    check_ldt_lazy();
    check_bad_selectors();
}
