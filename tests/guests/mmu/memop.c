/*
 * mmu, part 3: memory_op, update_va_mapping, multicall, vm_assist.
 *
 * Cases:
 *  - XENMEM maximum_ram_page, current/maximum_reservation (self, a
 *    domain that does not exist), memory_map, machine_memory_map (dom0),
 *    machphys_mapping, machphys_mfn_list; an unknown command; bad
 *    pointers.
 *  - update_va_mapping with UVMF_INVLPG, UVMF_TLB_FLUSH|UVMF_ALL and
 *    UVMF_NONE; in the hypervisor's range, non-canonical, where no L1
 *    exists; writable onto a page table; bad flags.
 *  - update_va_mapping_otherdomain with DOMID_SELF and a missing domain.
 *  - multicall: several calls with per-entry results; an unknown op
 *    inside (-ENOSYS in its entry); a nested multicall (Xen: -EINVAL in
 *    its entry, the batch goes on); count 0; a bad pointer.
 *  - vm_assist: known and unknown types, an unknown command.
 *
 * Xen's answers, where the ABI text leaves room: memory_map is -ENOSYS
 * for a PV dom0; machine_memory_map with too small a buffer is -EINVAL;
 * maximum_reservation is ~0U without dom0_mem=max:; a page table mapped
 * writable is -EBUSY; naming oneself by id in *_otherdomain is -ESRCH;
 * every vm_assist type 0-5 and m2p_strict are accepted.
 */
#include "mmu.h"

static void check_memory_op(void)
{
    struct xen_machphys_mapping mm;
    struct xen_machphys_mfn_list ml;
    struct xen_memory_map map;
    static struct pv_e820_entry e820[64];
    static unsigned long mfns[64];
    uint16_t dom = DOMID_SELF;
    long rc, cur;

    rc = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    printf("maximum_ram_page %ld\n", rc);
    CHECK(rc > 0);
    cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &dom);
    CHECK_EQ(pv_start_info->nr_pages, cur);
    /* Xen: with dom0_mem=64M and no max:, dom0 has no limit (~0U). */
    rc = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &dom);
    CHECK_RC(0xffffffffL, rc);
    dom = 0;
    CHECK_RC(cur, HYPERVISOR_memory_op(XENMEM_current_reservation, &dom));
    dom = 77;
    CHECK_RC(-XEN_ESRCH, HYPERVISOR_memory_op(XENMEM_current_reservation,
                                              &dom));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_current_reservation,
                                               BAD_PTR_LOW));

    /* Xen: a PV dom0 has no pseudo-physical map set: -ENOSYS. */
    map.nr_entries = ARRAY_SIZE(e820);
    set_xen_guest_handle(map.buffer, e820);
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_memory_op(XENMEM_memory_map, &map));
    map.nr_entries = ARRAY_SIZE(e820);
    set_xen_guest_handle(map.buffer, e820);
    CHECK_RC(0, HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map));
    printf("machine_memory_map: %u entries, first %#lx+%#lx type %u\n",
           map.nr_entries, e820[0].addr, e820[0].size, e820[0].type);
    CHECK(map.nr_entries > 0 && map.nr_entries <= ARRAY_SIZE(e820));
    CHECK_EQ(0, e820[0].addr);
    CHECK_EQ(1, e820[0].type);
    /* Xen: a buffer too small for the map is -EINVAL. */
    map.nr_entries = 1;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_memory_op(XENMEM_machine_memory_map,
                                               &map));
    map.nr_entries = ARRAY_SIZE(e820);
    set_xen_guest_handle(map.buffer, BAD_PTR_LOW);
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machine_memory_map,
                                               &map));

    CHECK_RC(0, HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mm));
    printf("machphys_mapping %#lx-%#lx max_mfn %#lx\n", mm.v_start,
           mm.v_end, mm.max_mfn);
    CHECK_EQ(MACH2PHYS_VIRT_START, mm.v_start);
    CHECK(mm.v_end > mm.v_start && mm.v_end <= HYPERVISOR_VIRT_END);
    CHECK(mm.max_mfn >= pv_kernel_l4_mfn);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL) - 1,
             mm.max_mfn);

    ml.max_extents = ARRAY_SIZE(mfns);
    set_xen_guest_handle(ml.extent_start, mfns);
    ml.nr_extents = 0;
    CHECK_RC(0, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &ml));
    printf("machphys_mfn_list: %u extents, first %#lx\n", ml.nr_extents,
           mfns[0]);
    /* One 2 MiB extent per 256Ki frames of M2P. */
    CHECK_EQ((mm.max_mfn + 1 + (1UL << 18) - 1) >> 18, ml.nr_extents);
    set_xen_guest_handle(ml.extent_start, (xen_pfn_t *)BAD_PTR_LOW);
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list,
                                               &ml));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_memory_op(99, &mm));
}

static void check_update_va_mapping(void)
{
    unsigned long va = pv_scratch_va(2), mfn;
    unsigned long *page = new_page();
    volatile unsigned long *p = (void *)va;

    mfn = virt_to_mfn(page);
    page[0] = 0xfeed;
    CHECK_RC(0, HYPERVISOR_update_va_mapping(va, (mfn << PAGE_SHIFT) |
                                             PTE_RW, UVMF_INVLPG));
    CHECK_EQ(0xfeed, p[0]);
    CHECK_RC(0, HYPERVISOR_update_va_mapping(va, (mfn << PAGE_SHIFT) |
                                             PTE_RO, UVMF_TLB_FLUSH |
                                             UVMF_ALL));
    PV_TRY("movq $1, (%0)", : : "r" (p) : "memory");
    CHECK_EQ(14, pv_last_fault.vector);
    CHECK_RC(0, HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG |
                                             UVMF_LOCAL));
    PV_TRY("mov (%0), %%rax", : : "r" (p) : "rax", "memory");
    CHECK_EQ(14, pv_last_fault.vector);
    CHECK_RC(0, HYPERVISOR_update_va_mapping(va, (mfn << PAGE_SHIFT) |
                                             PTE_RW, UVMF_NONE));

    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_va_mapping(
                 HYPERVISOR_VIRT_START + 0x1000, (mfn << PAGE_SHIFT) | PTE_RO,
                 0));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_va_mapping(
                 NONCANON, (mfn << PAGE_SHIFT) | PTE_RO, 0));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_va_mapping(
                 0x1000, (mfn << PAGE_SHIFT) | PTE_RO, 0));
    /* Xen: a page table mapped writable is -EBUSY. */
    CHECK_RC(-XEN_EBUSY, HYPERVISOR_update_va_mapping(
                 va, (test_l1_mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG));
    /* Xen: flags 3 (both flush kinds) is accepted; a vcpumask pointer
     * (UVMF_MULTI) that does not point anywhere is -EFAULT. */
    CHECK_RC(0, HYPERVISOR_update_va_mapping(va, (mfn << PAGE_SHIFT) |
                                             PTE_RW, 3));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_update_va_mapping(
                 va, (mfn << PAGE_SHIFT) | PTE_RW, 0x1000 | UVMF_INVLPG));

    CHECK_RC(0, HYPERVISOR_update_va_mapping_otherdomain(
                 va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG, DOMID_SELF));
    CHECK_EQ(0xfeed, p[0]);
    /* Xen: naming oneself by domain id (0), not DOMID_SELF, is -ESRCH. */
    CHECK_RC(-XEN_ESRCH, HYPERVISOR_update_va_mapping_otherdomain(
                 va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG, 77));
    CHECK_RC(-XEN_ESRCH, HYPERVISOR_update_va_mapping_otherdomain(
                 va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG, 0));
}

static void check_multicall(void)
{
    static struct multicall_entry mc[4];
    static struct multicall_entry nested[2];
    long rc;

    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = XENVER_pagesize;
    mc[1].op = __HYPERVISOR_xen_version;
    mc[1].args[0] = XENVER_version;
    mc[2].op = 47;                      /* no such hypercall */
    mc[3].op = __HYPERVISOR_memory_op;
    mc[3].args[0] = XENMEM_maximum_ram_page;
    CHECK_RC(0, HYPERVISOR_multicall(mc, 4));
    CHECK_EQ(PAGE_SIZE, mc[0].result);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_version, NULL), mc[1].result);
    CHECK_RC(-XEN_ENOSYS, mc[2].result);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL),
             mc[3].result);

    memset(nested, 0, sizeof(nested));
    nested[0].op = __HYPERVISOR_xen_version;
    nested[0].args[0] = XENVER_pagesize;
    mc[0].op = __HYPERVISOR_multicall;
    mc[0].args[0] = (unsigned long)nested;
    mc[0].args[1] = 1;
    mc[0].result = 0x5a;
    mc[1].result = 0x5a;
    nested[0].result = 0x5a;
    rc = HYPERVISOR_multicall(mc, 2);
    /* Xen: the nested entry fails with -EINVAL, the batch goes on. */
    CHECK_RC(0, rc);
    CHECK_RC(-XEN_EINVAL, mc[0].result);
    CHECK_EQ(0x5a, nested[0].result);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_version, NULL), mc[1].result);

    CHECK_RC(0, HYPERVISOR_multicall(mc, 0));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_multicall(BAD_PTR_LOW, 1));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_multicall(BAD_PTR_XEN, 2));
}

static void check_vm_assist(void)
{
    unsigned int t;

    /* Xen: every type 0-5 is accepted for a 64-bit PV guest, even
     * 4gb_segments, which only means something to 32-bit guests. */
    for ( t = 0; t < 6; t++ )
        CHECK_RC(0, HYPERVISOR_vm_assist(VMASST_CMD_enable, t));
    for ( t = 0; t < 6; t++ )
        if ( t != VMASST_TYPE_writable_pagetables )
            CHECK_RC(0, HYPERVISOR_vm_assist(VMASST_CMD_disable, t));
    CHECK_RC(0, HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                     VMASST_TYPE_m2p_strict));
    CHECK_RC(0, HYPERVISOR_vm_assist(VMASST_CMD_disable,
                                     VMASST_TYPE_m2p_strict));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_vm_assist(VMASST_CMD_enable, 31));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_vm_assist(VMASST_CMD_enable, 64));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_vm_assist(2, 0));
}

void test_memop(void)
{
    check_memory_op();
    check_update_va_mapping();
    check_multicall();
    check_vm_assist();
}
