/*
 * memop: XENMEM_* for a 64-bit PV dom0, positive and hostile.  The cases
 * are listed at the top of each part: reserve.c, exchange.c, info.c,
 * long.c.  This file holds the frame helpers they share.
 *
 * Frames: the boot mapping's free pages come from pv_alloc_page(); the
 * domain's pages past the boot mapping are not mapped anywhere, so they
 * can be given away, pinned as page tables or filled through a scratch
 * address without touching the kernel.
 */
#include "memop.h"

const char test_name[] = "memop";

unsigned long xen_mfn;
static unsigned long next_pfn;

void *new_page(void)
{
    void *p = pv_alloc_page();

    if ( !p )
        test_abort("out of boot pages");
    return p;
}

unsigned long take_pfn(void)
{
    if ( next_pfn >= pv_start_info->nr_pages )
        test_abort("out of frames past the boot mapping");
    return next_pfn++;
}

long cur_pages(void)
{
    domid_t dom = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &dom);
}

unsigned long release_page(void *va)
{
    unsigned long pfn = virt_to_pfn(va), mfn = pv_p2m[pfn];
    long rc = pv_unmap_va((unsigned long)va);

    if ( rc )
        test_abort("unmapping %p: %ld", va, rc);
    pv_p2m[pfn] = P2M_INVALID;
    return mfn;
}

long try_map_slot(unsigned int slot, unsigned long mfn, bool rw)
{
    return pv_map_va(pv_scratch_va(slot), mfn, rw ? PTE_RW : PTE_RO);
}

void *map_slot(unsigned int slot, unsigned long mfn, bool rw)
{
    long rc = try_map_slot(slot, mfn, rw);

    if ( rc )
        test_abort("mapping mfn %#lx at scratch slot %u: %ld", mfn, slot, rc);
    return (void *)pv_scratch_va(slot);
}

void unmap_slot(unsigned int slot)
{
    long rc = pv_unmap_va(pv_scratch_va(slot));

    if ( rc )
        test_abort("unmapping scratch slot %u: %ld", slot, rc);
}

long set_m2p(unsigned long mfn, unsigned long pfn)
{
    struct mmu_update u = {
        .ptr = (mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, .val = pfn,
    };

    if ( pfn < pv_start_info->nr_pages )
        pv_p2m[pfn] = mfn;
    return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

void *page_before_hole(void)
{
    char *p = new_page(), *hole = new_page();

    if ( hole != p + PAGE_SIZE )
        test_abort("boot pages not contiguous");
    release_page(hole);
    return p;
}

void *ro_page(void)
{
    void *p = new_page();
    long rc = pv_set_page_ro(p);

    if ( rc )
        test_abort("making %p read-only: %ld", p, rc);
    return p;
}

long reservation(unsigned int cmd, xen_pfn_t *list, unsigned long nr,
                 unsigned int order, unsigned int flags, domid_t dom)
{
    static struct xen_memory_reservation r;

    memset(&r, 0, sizeof(r));
    set_xen_guest_handle(r.extent_start, list);
    r.nr_extents = nr;
    r.extent_order = order;
    r.mem_flags = flags;
    r.domid = dom;
    return HYPERVISOR_memory_op(cmd, &r);
}

static void find_xen_frame(void)
{
    const uint64_t *l4 = mfn_to_virt(pv_kernel_l4_mfn);
    unsigned int slot;

    for ( slot = 256; slot < 272; slot++ )
        if ( l4[slot] & _PAGE_PRESENT )
        {
            xen_mfn = (l4[slot] & PTE_ADDR_MASK) >> PAGE_SHIFT;
            return;
        }
    test_abort("no hypervisor L4 slot is present");
}

void test_main(void)
{
    next_pfn = pv_nr_boot_pfns;
    find_xen_frame();
    printf("memop: %lu pages, %lu mapped at boot, %lu free there; "
           "current_reservation %ld\n", pv_start_info->nr_pages,
           pv_nr_boot_pfns, pv_nr_free_pages(), cur_pages());
    test_reserve();
    test_exchange();
    test_info();
    test_long();
}
