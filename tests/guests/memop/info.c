/*
 * memop, part 3: the informational sub-ops.
 *
 * Cases:
 *  - maximum_gpfn: from shared_info.arch.max_pfn, which the guest sets
 *    (Xen: (max_pfn ?: 1) - 1); a missing domain; bad pointers.
 *  - current_reservation / maximum_reservation: self by DOMID_SELF and
 *    by id; every reserved id and a missing domain (-ESRCH); the domain
 *    id read from a read-only page; bad pointers (-EFAULT).
 *  - machphys_mfn_list: max_extents 0 (nothing written, even through a
 *    bad list pointer); a list pointer in the hypervisor's range, low,
 *    read-only (-EFAULT); the argument itself bad or read-only.
 *  - machine_memory_map: a NULL buffer (just the count), a buffer of
 *    exactly that many entries (too small: the hypervisor wants room for
 *    one more), one more (fine), a buffer running into an unmapped page,
 *    in the hypervisor's range, non-canonical; the argument bad.
 *  - a start extent in the command of a sub-op without extents: -EINVAL
 *    for the common ones, -ENOSYS for the x86 ones; unknown sub-ops.
 */
#include "memop.h"

static long memop_dom(unsigned int cmd, domid_t dom)
{
    static domid_t d;

    d = dom;
    return HYPERVISOR_memory_op(cmd, &d);
}

static void check_maximum_gpfn(void)
{
    unsigned long saved = pv_shared_info->arch.max_pfn;

    printf("shared_info max_pfn %#lx, maximum_gpfn %ld\n", saved,
           memop_dom(XENMEM_maximum_gpfn, DOMID_SELF));
    pv_shared_info->arch.max_pfn = 0;
    CHECK_RC(0, memop_dom(XENMEM_maximum_gpfn, DOMID_SELF));
    pv_shared_info->arch.max_pfn = pv_start_info->nr_pages;
    CHECK_RC(pv_start_info->nr_pages - 1,
             memop_dom(XENMEM_maximum_gpfn, DOMID_SELF));
    CHECK_RC(pv_start_info->nr_pages - 1, memop_dom(XENMEM_maximum_gpfn, 0));
    pv_shared_info->arch.max_pfn = 0x123456789UL;
    CHECK_RC(0x123456788L, memop_dom(XENMEM_maximum_gpfn, DOMID_SELF));
    pv_shared_info->arch.max_pfn = saved;
    CHECK_RC(-XEN_ESRCH, memop_dom(XENMEM_maximum_gpfn, 77));
    CHECK_RC(-XEN_ESRCH, memop_dom(XENMEM_maximum_gpfn, DOMID_XEN));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_maximum_gpfn, NULL));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_maximum_gpfn,
                                               BAD_PTR_XEN));
}

static void check_reservation_info(void)
{
    static const domid_t bad[] = {
        1, 77, 0x7fef, DOMID_IO, DOMID_XEN, DOMID_COW, DOMID_INVALID,
        0x7ff5, DOMID_IDLE, 0x8000, 0xfff0, 0xffff,
    };
    domid_t *ro = ro_page();
    long cur = cur_pages();
    unsigned int i;

    CHECK(cur > 0);
    CHECK_RC(cur, memop_dom(XENMEM_current_reservation, 0));
    CHECK_RC(0xffffffffL, memop_dom(XENMEM_maximum_reservation, 0));
    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        CHECK_RC(-XEN_ESRCH, memop_dom(XENMEM_current_reservation, bad[i]));
        CHECK_RC(-XEN_ESRCH, memop_dom(XENMEM_maximum_reservation, bad[i]));
    }
    /* Read-only is enough: nothing is written back. */
    CHECK_EQ(0, *ro);
    CHECK_RC(cur, HYPERVISOR_memory_op(XENMEM_current_reservation, ro));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_current_reservation,
                                               NULL));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_maximum_reservation,
                                               BAD_PTR_XEN));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_maximum_reservation,
                                               BAD_PTR_NONCANON));
}

static void check_machphys_mfn_list(void)
{
    struct xen_machphys_mfn_list *ml = new_page(), *rml = new_page();
    xen_pfn_t *buf = new_page(), *ro = ro_page();
    long n;

    ml->max_extents = 0;
    ml->nr_extents = 99;
    set_xen_guest_handle(ml->extent_start, (xen_pfn_t *)BAD_PTR_XEN);
    CHECK_RC(0, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, ml));
    CHECK_EQ(0, ml->nr_extents);

    ml->max_extents = 512;
    set_xen_guest_handle(ml->extent_start, buf);
    CHECK_RC(0, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, ml));
    n = ml->nr_extents;
    CHECK(n > 0);
    CHECK(buf[0] != 0);
    /* One less room than needed: the first ones only. */
    if ( n > 1 )
    {
        ml->max_extents = n - 1;
        CHECK_RC(0, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, ml));
        CHECK_EQ(n - 1, ml->nr_extents);
    }
    ml->max_extents = 512;
    set_xen_guest_handle(ml->extent_start, (xen_pfn_t *)BAD_PTR_XEN);
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, ml));
    set_xen_guest_handle(ml->extent_start, (xen_pfn_t *)BAD_PTR_NONCANON);
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, ml));
    set_xen_guest_handle(ml->extent_start, ro);
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, ml));
    CHECK_EQ(0, ro[0]);
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list,
                                               NULL));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list,
                                               BAD_PTR_XEN));
    /* The argument read-only: the list is written, the count is not. */
    rml->max_extents = 512;
    set_xen_guest_handle(rml->extent_start, buf);
    if ( pv_set_page_ro(rml) )
        test_abort("making the argument read-only");
    buf[0] = 0;
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list,
                                               rml));
    CHECK_EQ(0, rml->nr_extents);
}

static long mmap_call(struct xen_memory_map *m, unsigned int nr, void *buf)
{
    m->nr_entries = nr;
    set_xen_guest_handle(m->buffer, buf);
    return HYPERVISOR_memory_op(XENMEM_machine_memory_map, m);
}

static void check_machine_memory_map(void)
{
    static struct xen_memory_map map;
    struct pv_e820_entry *e820 = new_page();
    char *edge = (char *)page_before_hole() + PAGE_SIZE;
    unsigned int n;

    /* Xen: a NULL buffer only reports how many entries there are. */
    CHECK_RC(0, mmap_call(&map, 0, NULL));
    n = map.nr_entries;
    printf("machine_memory_map: %u entries\n", n);
    CHECK(n > 1 && n < 100);
    /* Xen: the buffer needs room for one more than it gets. */
    CHECK_RC(-XEN_EINVAL, mmap_call(&map, n, e820));
    CHECK_EQ(n, map.nr_entries);
    CHECK_RC(-XEN_EINVAL, mmap_call(&map, 1, e820));
    CHECK_RC(-XEN_EINVAL, mmap_call(&map, 0, e820));
    CHECK_RC(0, mmap_call(&map, n + 1, e820));
    CHECK_EQ(n, map.nr_entries);
    CHECK_EQ(0, e820[0].addr);
    CHECK_EQ(1, e820[0].type);
    CHECK(e820[n - 1].size != 0);
    /* Room enough by count, but the buffer runs into an unmapped page. */
    CHECK_RC(-XEN_EFAULT, mmap_call(&map, n + 1,
                                    edge - sizeof(*e820) * (n - 1)));
    CHECK_RC(-XEN_EFAULT, mmap_call(&map, n + 1, BAD_PTR_XEN));
    CHECK_RC(-XEN_EFAULT, mmap_call(&map, n + 1, BAD_PTR_NONCANON));
    CHECK_RC(-XEN_EFAULT, mmap_call(&map, n + 1, BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machine_memory_map,
                                               BAD_PTR_XEN));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_machine_memory_map,
                                               NULL));
}

static void check_start_on_others(void)
{
    static struct xen_machphys_mapping mm;
    unsigned long s = 1UL << XENMEMOP_EXTENT_SHIFT;
    domid_t dom = DOMID_SELF;

    CHECK_RC(-XEN_EINVAL, HYPERVISOR_memory_op(XENMEM_maximum_ram_page | s,
                                               NULL));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_memory_op(
                 XENMEM_current_reservation | s, &dom));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_memory_op(
                 XENMEM_maximum_reservation | s, &dom));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_memory_op(XENMEM_maximum_gpfn | s,
                                               &dom));
    /* Xen: the x86 sub-ops see the whole command: unknown. */
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_memory_op(XENMEM_machphys_mapping | s,
                                               &mm));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_memory_op(XENMEM_machphys_mfn_list | s,
                                               &mm));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_memory_op(XENMEM_machine_memory_map | s,
                                               &mm));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_memory_op(63, &mm));
    CHECK_RC(-XEN_ENOSYS, HC(memory_op, ~0UL, &mm, 0, 0, 0));
}

void test_info(void)
{
    check_maximum_gpfn();
    check_reservation_info();
    check_machphys_mfn_list();
    check_machine_memory_map();
    check_start_on_others();
}
