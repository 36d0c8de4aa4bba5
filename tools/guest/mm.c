/*
 * Memory helpers for PV test kernels.
 *
 * At start of day the domain builder has mapped one contiguous virtual
 * range from VIRT_BASE: pfn N at VIRT_BASE + N * 4096, for every pfn up to
 * the end of the boot mapping (kernel, p2m, start_info, the initial page
 * tables, a stack page, then at least 512 KiB of spare pages up to a 4 MiB
 * boundary).  The frames after the boot stack page are free: the page
 * allocator hands them out, still mapped writable at their boot address.
 * The last PV_NR_SCRATCH pages of the boot mapping are kept back as
 * scratch virtual addresses that tests may remap at will (their L1 table
 * exists, which is all update_va_mapping needs).
 *
 * Page tables are walked through the boot mapping too: every table frame
 * the builder made, and every frame the allocator hands out, has a
 * (possibly read-only) mapping there.  The machine-to-phys table is read
 * at its ABI address.
 */
#include <pvguest/lib.h>
#include <pvguest/layout.h>

unsigned long *pv_p2m;
const unsigned long *pv_m2p = (const unsigned long *)MACH2PHYS_VIRT_START;
unsigned long pv_virt_start = PV_VIRT_BASE;
unsigned long pv_nr_boot_pfns;
unsigned long pv_first_free_pfn;
unsigned long pv_kernel_l4_mfn;
static unsigned long next_free_pfn, end_free_pfn;

unsigned long pfn_to_mfn(unsigned long pfn)
{
    return pv_p2m[pfn];
}

unsigned long mfn_to_pfn(unsigned long mfn)
{
    return pv_m2p[mfn];
}

void *pfn_to_virt(unsigned long pfn)
{
    return (void *)(pv_virt_start + (pfn << PAGE_SHIFT));
}

unsigned long virt_to_pfn(const void *va)
{
    return ((unsigned long)va - pv_virt_start) >> PAGE_SHIFT;
}

unsigned long virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}

void *mfn_to_virt(unsigned long mfn)
{
    unsigned long pfn;

    if ( mfn >= (1UL << 40) )
        return NULL;
    pfn = mfn_to_pfn(mfn);
    if ( pfn >= pv_nr_boot_pfns || pv_p2m[pfn] != mfn )
        return NULL;
    return pfn_to_virt(pfn);
}

static unsigned int pt_index(unsigned long va, int level)
{
    return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* Walk down to LEVEL; returns the table holding the entry, or NULL. */
static uint64_t *walk(unsigned long va, int level, unsigned long *mfn_out)
{
    unsigned long mfn = pv_kernel_l4_mfn;
    int l;

    for ( l = 4; ; l-- )
    {
        uint64_t *t = mfn_to_virt(mfn), e;

        if ( !t )
            return NULL;
        if ( l == level )
        {
            if ( mfn_out )
                *mfn_out = mfn;
            return t;
        }
        e = t[pt_index(va, l)];
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return NULL;
        mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    }
}

uint64_t pv_pte_maddr(unsigned long va, int level)
{
    unsigned long mfn;

    if ( !walk(va, level, &mfn) )
        return 0;
    return (mfn << PAGE_SHIFT) + pt_index(va, level) * 8;
}

uint64_t pv_pte_read(unsigned long va, int level)
{
    uint64_t *t = walk(va, level, NULL);

    return t ? t[pt_index(va, level)] : 0;
}

void pv_mm_init(void)
{
    struct start_info *si = pv_start_info;
    unsigned long boot_end, pfn;

    pv_p2m = (unsigned long *)si->mfn_list;
    pfn = virt_to_pfn((void *)si->pt_base);
    pv_kernel_l4_mfn = pv_p2m[pfn];

    /* Page tables, then the builder's stack page. */
    boot_end = si->pt_base + si->nr_pt_frames * PAGE_SIZE + PAGE_SIZE;
    pv_first_free_pfn = virt_to_pfn((void *)boot_end);
    if ( (unsigned long)_end > boot_end )
        test_abort("kernel image ends at %p, after the boot area %#lx",
                   _end, boot_end);

    /* Extend over the spare pages for as long as the boot mapping goes. */
    pv_nr_boot_pfns = pv_first_free_pfn;
    while ( pv_nr_boot_pfns < si->nr_pages )
    {
        unsigned long va = (unsigned long)pfn_to_virt(pv_nr_boot_pfns);
        uint64_t e = pv_pte_read(va, 1);

        if ( !(e & _PAGE_PRESENT) ||
             ((e & PTE_ADDR_MASK) >> PAGE_SHIFT) != pv_p2m[pv_nr_boot_pfns] )
            break;
        pv_nr_boot_pfns++;
    }
    if ( pv_nr_boot_pfns < pv_first_free_pfn + PV_NR_SCRATCH + 16 )
        test_abort("only %lu spare pages in the boot mapping",
                   pv_nr_boot_pfns - pv_first_free_pfn);
    next_free_pfn = pv_first_free_pfn;
    end_free_pfn = pv_nr_boot_pfns - PV_NR_SCRATCH;
}

unsigned long pv_scratch_va(unsigned int idx)
{
    return (unsigned long)pfn_to_virt(end_free_pfn + idx);
}

void *pv_alloc_page(void)
{
    void *va;

    if ( next_free_pfn >= end_free_pfn )
        return NULL;
    va = pfn_to_virt(next_free_pfn++);
    memset(va, 0, PAGE_SIZE);
    return va;
}

unsigned long pv_nr_free_pages(void)
{
    return end_free_pfn - next_free_pfn;
}

long pv_map_va(unsigned long va, unsigned long mfn, unsigned long flags)
{
    return HYPERVISOR_update_va_mapping(va, (mfn << PAGE_SHIFT) | flags,
                                        UVMF_INVLPG);
}

long pv_unmap_va(unsigned long va)
{
    return HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG);
}

long pv_set_page_ro(void *va)
{
    return pv_map_va((unsigned long)va, virt_to_mfn(va), _PAGE_PRESENT);
}

long pv_set_page_rw(void *va)
{
    return pv_map_va((unsigned long)va, virt_to_mfn(va),
                     _PAGE_PRESENT | _PAGE_RW);
}

long pv_mmuext1(unsigned int cmd, unsigned long arg1, unsigned long arg2)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;
    op.arg2.src_mfn = arg2;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long pv_pin(unsigned int cmd, unsigned long mfn)
{
    return pv_mmuext1(cmd, mfn, 0);
}

long pv_unpin(unsigned long mfn)
{
    return pv_mmuext1(MMUEXT_UNPIN_TABLE, mfn, 0);
}

long pv_mmu_update1(uint64_t ptr, uint64_t val)
{
    struct mmu_update u = { .ptr = ptr, .val = val };

    return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

unsigned long read_cr3(void)
{
    unsigned long cr3;

    asm volatile ( "mov %%cr3, %0" : "=r" (cr3) );
    return cr3;
}
