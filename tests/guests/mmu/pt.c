/*
 * mmu, part 1: page-table updates with mmu_update, and pinning.
 *
 * Cases:
 *  - a new L3/L2/L1 chain pinned as an L3 and hooked into an empty L4
 *    slot with MMU_NORMAL_PT_UPDATE; a page mapped through it with an
 *    L1 update reads back; the entry as stored; `done` counts.
 *  - hostile L1 updates: mapping a page-table page writable (Xen:
 *    -EBUSY), a frame owned by Xen (Xen: -EBUSY even read-only), the
 *    LAPIC or a frame past the physical width (Xen: -EPERM); the
 *    software-available bits 52-62, GLOBAL and PAT (Xen: accepted); an
 *    update through a frame that is not a page table (Xen: a plain
 *    write), a pointer with bit 2 set (Xen: -ENOSYS), through Xen's frame
 *    (-EINVAL); a bad request pointer (-EFAULT); NO_TRANSLATE (Xen:
 *    works for PV).  Xen: an L1 update does not flush the TLB.
 *  - a superpage (PSE) L2 entry refused.
 *  - MMU_MACHPHYS_UPDATE: sets the M2P entry (read back through the
 *    read-only M2P) and is refused for a frame we do not own.
 *  - MMU_PT_UPDATE_PRESERVE_AD keeps the accessed/dirty bits.
 *  - an unknown mmu_update command.
 *  - the hypervisor's L4 slots 256-271 cannot be written; the M2P is
 *    readable at 0xffff800000000000 and inverts the p2m.
 *  - a linear (recursive) L4 entry is allowed read-only and gives the
 *    tables at the expected addresses; writable it is refused.
 *  - pinning: L1-L4 pin and unpin; double pin, unpin of an unpinned
 *    frame; pinning a page still mapped writable fails, and succeeds once
 *    it is read-only; mapping a pinned table writable fails (Xen:
 *    -EBUSY); pinning an L1 with an entry mapping a page table writable
 *    (Xen: -EBUSY); pinning or unpinning a frame we do not own.
 */
#include "mmu.h"

uint64_t *test_l1;
unsigned long test_l1_mfn;
static uint64_t *test_l2, *test_l3;
static unsigned long xen_mfn;           /* a frame of the hypervisor's */

uint64_t l1e_maddr(unsigned int idx)
{
    return (test_l1_mfn << PAGE_SHIFT) + idx * 8;
}

static uint64_t l4e_maddr(unsigned int slot)
{
    return (pv_kernel_l4_mfn << PAGE_SHIFT) + slot * 8;
}

static void build_test_region(void)
{
    long rc;

    test_l1 = new_page();
    test_l2 = new_page();
    test_l3 = new_page();
    test_l2[0] = (virt_to_mfn(test_l1) << PAGE_SHIFT) | PTE_TABLE;
    test_l3[0] = (virt_to_mfn(test_l2) << PAGE_SHIFT) | PTE_TABLE;
    CHECK_RC(0, make_ro(test_l1));
    CHECK_RC(0, make_ro(test_l2));
    CHECK_RC(0, make_ro(test_l3));
    test_l1_mfn = virt_to_mfn(test_l1);
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L3_TABLE, virt_to_mfn(test_l3)));
    rc = pv_mmu_update1(l4e_maddr(1),
                        (virt_to_mfn(test_l3) << PAGE_SHIFT) | PTE_TABLE);
    if ( rc )
        test_abort("hooking the test L3 into L4 slot 1: %ld", rc);
}

static void check_normal_update(void)
{
    unsigned long *data = new_page();
    volatile unsigned long *va = (void *)TEST_VA;
    struct mmu_update u[2];
    unsigned int done = 99;
    uint64_t val;

    data[0] = 0x1122334455667788UL;
    data[511] = 0x99aabbccddeeff00UL;
    val = (virt_to_mfn(data) << PAGE_SHIFT) | PTE_RW;
    u[0].ptr = l1e_maddr(0) | MMU_NORMAL_PT_UPDATE;
    u[0].val = val;
    u[1].ptr = l1e_maddr(1) | MMU_NORMAL_PT_UPDATE;
    u[1].val = (virt_to_mfn(data) << PAGE_SHIFT) | PTE_RO;
    CHECK_RC(0, HYPERVISOR_mmu_update(u, 2, &done, DOMID_SELF));
    CHECK_EQ(2, done);
    CHECK_EQ(0x1122334455667788UL, va[0]);
    CHECK_EQ(0x99aabbccddeeff00UL, va[511]);
    va[1] = 42;
    CHECK_EQ(42, data[1]);
    CHECK_EQ(42, va[512 + 1]);
    /* Stored with the user bit and bit 52 (a guest kernel mapping). */
    CHECK_EQ(val | XEN_L1_ADDED, test_l1[0] & ~(_PAGE_ACCESSED |
                                                _PAGE_DIRTY));
    /* Writing through the read-only second mapping: #PF(present|write). */
    PV_TRY("movq $1, (%0)", : : "r" (va + 512) : "memory");
    CHECK_EQ(14, pv_last_fault.vector);
    CHECK_EQ(3, pv_last_fault.error_code);
    /* Xen: an L1 update does not flush the TLB; the guest must. */
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(1), 0));
    CHECK_RC(0, pv_mmuext1(MMUEXT_INVLPG_LOCAL, (unsigned long)(va + 512),
                           0));
    PV_TRY("mov (%0), %%rax", : : "r" (va + 512) : "rax", "memory");
    CHECK_EQ(14, pv_last_fault.vector);
    CHECK_EQ(0, pv_last_fault.error_code);
}

static void find_xen_frame(void)
{
    const uint64_t *l4 = mfn_to_virt(pv_kernel_l4_mfn);
    unsigned int slot;

    for ( slot = 256; slot < 272; slot++ )
        if ( l4[slot] & _PAGE_PRESENT )
        {
            xen_mfn = (l4[slot] & PTE_ADDR_MASK) >> PAGE_SHIFT;
            printf("L4 slot %u: %#lx (hypervisor's)\n", slot, l4[slot]);
            return;
        }
    test_abort("no hypervisor L4 slot is present");
}

static void check_hostile_updates(void)
{
    unsigned long data_mfn = virt_to_mfn(new_page());
    struct mmu_update u;
    unsigned int done = 99;

    /* A page-table page, writable: never.  Xen: -EBUSY (type clash). */
    CHECK_RC(-XEN_EBUSY, pv_mmu_update1(l1e_maddr(2),
                                        (test_l1_mfn << PAGE_SHIFT) |
                                        PTE_RW));
    CHECK_RC(-XEN_EBUSY, pv_mmu_update1(l1e_maddr(2),
                                         (pv_kernel_l4_mfn << PAGE_SHIFT) |
                                         PTE_RW));
    /* Read-only is fine. */
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(2), (test_l1_mfn << PAGE_SHIFT) |
                               PTE_RO));
    CHECK_EQ(test_l1[0], ((volatile uint64_t *)(TEST_VA + 2 * PAGE_SIZE))[0]);

    /*
     * Frames that are not ours.  Xen: its own page-table frame (from an
     * L4 hypervisor slot) is -EBUSY even read-only; a frame that is not
     * RAM and not granted to dom0 as I/O memory (the local APIC, an
     * address past the physical width) is -EPERM.
     */
    CHECK_RC(-XEN_EBUSY, pv_mmu_update1(l1e_maddr(3),
                                        (xen_mfn << PAGE_SHIFT) | PTE_RO));
    CHECK_RC(-XEN_EBUSY, pv_mmu_update1(l1e_maddr(3),
                                        (xen_mfn << PAGE_SHIFT) | PTE_RW));
    CHECK_RC(-XEN_EPERM, pv_mmu_update1(l1e_maddr(3),
                                        (0xfee00UL << PAGE_SHIFT) | PTE_RW));
    CHECK_RC(-XEN_EPERM, pv_mmu_update1(l1e_maddr(3),
                                        (1UL << 51) | PTE_RW));

    /* Xen: the available bits 52-62, GLOBAL and PAT are all accepted. */
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(3), (data_mfn << PAGE_SHIFT) |
                               PTE_RW | (1UL << 62)));
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(3), (data_mfn << PAGE_SHIFT) |
                               PTE_RW | (1UL << 58)));
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(3), (data_mfn << PAGE_SHIFT) |
                               PTE_RW | _PAGE_GLOBAL));
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(3), (data_mfn << PAGE_SHIFT) |
                               PTE_RW | _PAGE_PSE));
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(3), 0));

    /*
     * The pointer.  Xen: through a frame of ours that is not a page table
     * the update is a plain write (0); a pointer whose low three bits are
     * not a command is -ENOSYS; through Xen's frame -EINVAL.
     */
    CHECK_RC(0, pv_mmu_update1(data_mfn << PAGE_SHIFT, 0x77));
    CHECK_EQ(0x77, *(volatile unsigned long *)mfn_to_virt(data_mfn));
    CHECK_RC(-XEN_ENOSYS, pv_mmu_update1(l1e_maddr(3) + 4, 0));
    CHECK_RC(-XEN_EINVAL, pv_mmu_update1(xen_mfn << PAGE_SHIFT, 0));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_mmu_update(BAD_PTR_LOW, 1, &done,
                                                DOMID_SELF));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_mmu_update(BAD_PTR_XEN, 1, &done,
                                                DOMID_SELF));
    CHECK_RC(0, HYPERVISOR_mmu_update(&u, 0, NULL, DOMID_SELF));
    /* Xen: MMU_PT_UPDATE_NO_TRANSLATE works for a PV guest too. */
    u.ptr = l1e_maddr(3) | MMU_PT_UPDATE_NO_TRANSLATE;
    u.val = (data_mfn << PAGE_SHIFT) | PTE_RO;
    CHECK_RC(0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    CHECK_EQ(u.val, test_l1[3] & ~(XEN_L1_ADDED | _PAGE_ACCESSED));
    u.ptr = l1e_maddr(3) | 4 | MMU_NORMAL_PT_UPDATE;
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(3), 0));
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(2), 0));

    /* A superpage L2 entry. */
    CHECK_RC(-XEN_EINVAL, pv_mmu_update1((virt_to_mfn(test_l2) <<
                                          PAGE_SHIFT) + 8,
                                         0x200000UL | PTE_RW | _PAGE_PSE));
}

static void check_machphys(void)
{
    unsigned long *page = new_page();
    unsigned long mfn = virt_to_mfn(page), pfn = virt_to_pfn(page);
    struct mmu_update u;

    CHECK_EQ(pfn, pv_m2p[mfn]);
    u.ptr = (mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
    u.val = 0x12345;
    CHECK_RC(0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    CHECK_EQ(0x12345, pv_m2p[mfn]);
    u.val = pfn;
    CHECK_RC(0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    CHECK_EQ(pfn, pv_m2p[mfn]);
    u.ptr = (xen_mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    u.ptr = (((1UL << 40) - 1) << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
}

static void check_preserve_ad(void)
{
    unsigned long mfn = virt_to_mfn(new_page());
    struct mmu_update u;

    CHECK_RC(0, pv_mmu_update1(l1e_maddr(4), (mfn << PAGE_SHIFT) | PTE_RW |
                               _PAGE_ACCESSED | _PAGE_DIRTY));
    CHECK_EQ(_PAGE_ACCESSED | _PAGE_DIRTY,
             test_l1[4] & (_PAGE_ACCESSED | _PAGE_DIRTY));
    u.ptr = l1e_maddr(4) | MMU_PT_UPDATE_PRESERVE_AD;
    u.val = (mfn << PAGE_SHIFT) | PTE_RO;
    CHECK_RC(0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    CHECK_EQ(_PAGE_ACCESSED | _PAGE_DIRTY,
             test_l1[4] & (_PAGE_ACCESSED | _PAGE_DIRTY));
    CHECK_EQ(0, test_l1[4] & _PAGE_RW);
    /* A plain update does not keep them. */
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(4), (mfn << PAGE_SHIFT) | PTE_RO));
    CHECK_EQ(0, test_l1[4] & _PAGE_DIRTY);
    CHECK_RC(0, pv_mmu_update1(l1e_maddr(4), 0));
}

static void check_xen_slots(void)
{
    const uint64_t *l4 = mfn_to_virt(pv_kernel_l4_mfn);
    unsigned int slot;
    unsigned long pfn;
    uint64_t old;

    for ( slot = 256; slot < 272; slot++ )
    {
        old = l4[slot];
        CHECK_RC(-XEN_EINVAL, pv_mmu_update1(l4e_maddr(slot), 0));
        CHECK_EQ(old, l4[slot]);
    }
    /* Even rewriting the value already there. */
    CHECK_RC(-XEN_EINVAL, pv_mmu_update1(l4e_maddr(256), l4[256]));
    /* The M2P at its ABI address inverts the p2m. */
    for ( pfn = 0; pfn < pv_start_info->nr_pages; pfn += 97 )
        if ( pv_m2p[pv_p2m[pfn]] != pfn )
            break;
    CHECK(pfn >= pv_start_info->nr_pages);
}

static void check_linear(void)
{
    unsigned long l4_mfn = pv_kernel_l4_mfn, slot = 2;
    const volatile uint64_t *self;
    const uint64_t *l4 = mfn_to_virt(l4_mfn);

    self = (void *)((slot << 39) | (slot << 30) | (slot << 21) |
                    (slot << 12));
    CHECK_RC(-XEN_EINVAL, pv_mmu_update1(l4e_maddr(slot),
                                         (l4_mfn << PAGE_SHIFT) | PTE_RW |
                                         _PAGE_USER));
    CHECK_RC(0, pv_mmu_update1(l4e_maddr(slot), (l4_mfn << PAGE_SHIFT) |
                               _PAGE_PRESENT | _PAGE_USER));
    CHECK_EQ(l4[511], self[511]);
    CHECK_EQ(l4[1], self[1]);
    /* The test L1 through the linear map: slot, 1, 0, 0. */
    CHECK_EQ(test_l1[0], ((volatile uint64_t *)((slot << 39) | (1UL << 30)))
             [0]);
    PV_TRY("movq $0, (%0)", : : "r" (self + 3) : "memory");
    CHECK_EQ(14, pv_last_fault.vector);
    CHECK_RC(0, pv_mmu_update1(l4e_maddr(slot), 0));
}

static void check_pinning(void)
{
    uint64_t *l1 = new_page(), *l2 = new_page(), *l4 = new_page();
    uint64_t *bad = new_page();
    const uint64_t *kl4 = mfn_to_virt(pv_kernel_l4_mfn);
    unsigned long l1_mfn = virt_to_mfn(l1), l4_mfn = virt_to_mfn(l4);
    unsigned int i;

    /* Still mapped writable: the pin must fail, and not half-happen. */
    CHECK_RC(-XEN_EINVAL, pv_pin(MMUEXT_PIN_L1_TABLE, l1_mfn));
    CHECK_RC(0, make_ro(l1));
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L1_TABLE, l1_mfn));
    CHECK_RC(-XEN_EINVAL, pv_pin(MMUEXT_PIN_L1_TABLE, l1_mfn));
    CHECK_RC(-XEN_EINVAL, pv_pin(MMUEXT_PIN_L2_TABLE, l1_mfn));
    /* Pinned: no writable mapping (Xen: -EBUSY). */
    CHECK_RC(-XEN_EBUSY, pv_set_page_rw(l1));
    CHECK_RC(0, pv_unpin(l1_mfn));
    CHECK_RC(-XEN_EINVAL, pv_unpin(l1_mfn));
    CHECK_RC(0, pv_set_page_rw(l1));
    CHECK_RC(0, make_ro(l1));

    l2[0] = (l1_mfn << PAGE_SHIFT) | PTE_TABLE;
    CHECK_RC(0, make_ro(l2));
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L2_TABLE, virt_to_mfn(l2)));
    /* The L1 is now in use as an L1 by the L2: still no RW mapping. */
    CHECK_RC(-XEN_EBUSY, pv_set_page_rw(l1));
    CHECK_RC(0, pv_unpin(virt_to_mfn(l2)));

    for ( i = 0; i < 512; i++ )
        if ( i < 256 || i >= 272 )
            l4[i] = kl4[i];
    CHECK_RC(0, make_ro(l4));
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L4_TABLE, l4_mfn));
    CHECK_RC(-XEN_EINVAL, pv_pin(MMUEXT_PIN_L4_TABLE, l4_mfn));
    CHECK_RC(0, pv_unpin(l4_mfn));
    /* The boot L4 is pinned already. */
    CHECK_RC(-XEN_EINVAL, pv_pin(MMUEXT_PIN_L4_TABLE, pv_kernel_l4_mfn));

    /* An L1 with an entry mapping a page table (in use) writable. */
    bad[5] = (test_l1_mfn << PAGE_SHIFT) | PTE_RW;
    CHECK_RC(0, make_ro(bad));
    CHECK_RC(-XEN_EBUSY, pv_pin(MMUEXT_PIN_L1_TABLE, virt_to_mfn(bad)));
    CHECK_RC(-XEN_EINVAL, pv_pin(MMUEXT_PIN_L1_TABLE, xen_mfn));
    CHECK_RC(-XEN_EINVAL, pv_pin(MMUEXT_PIN_L1_TABLE, (1UL << 40) - 1));
    CHECK_RC(-XEN_EINVAL, pv_unpin(xen_mfn));
}

void test_pt(void)
{
    build_test_region();
    find_xen_frame();
    check_normal_update();
    check_hostile_updates();
    check_machphys();
    check_preserve_ad();
    check_xen_slots();
    check_linear();
    check_pinning();
}
