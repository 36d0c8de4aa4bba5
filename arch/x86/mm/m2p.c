/*
 * The machine-to-phys table (M2P): for every machine frame, the pseudo-
 * physical frame its owning PV guest calls it (INVALID_M2P_ENTRY for
 * frames no guest has named).  Guests read it at MACH2PHYS_VIRT_START;
 * the hypervisor writes it (MMU_MACHPHYS_UPDATE, populate_physmap,
 * freeing) through the direct map.
 *
 *   idle L4 slot 256 -> m2p_l3 -> m2p_l2[i] -> 2 MiB chunks (heap blocks)
 *
 * Each chunk holds M2P_CHUNK_ENTRIES entries and is mapped by one
 * superpage entry: present, user, read-only, no-execute.  The L3 and L2
 * tables live in the image (the idle-table walkers in paging.c expect
 * every table there); guest L4s copy the slot when validated
 * (pagetable.c).  Built once at boot, sized by max_page; constant after.
 *
 * Entries are written with single 8-byte stores; a guest reading
 * concurrently sees the old or the new value.
 */
#include <keel/lib.h>
#include <keel/mm.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <public/xen.h>

#define M2P_CHUNK_ORDER (M2P_CHUNK_SHIFT - PAGE_SHIFT)
#define M2P_MAX_L2      4               /* 4 GiB of table: 2 TiB of RAM */
#define M2P_MAX_CHUNKS  (M2P_MAX_L2 * PT_ENTRIES)
#define M2P_TABLE_FLAGS (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

BUILD_BUG_ON(((MACH2PHYS_VIRT_START >> L4_SHIFT) & (PT_ENTRIES - 1)) !=
             M2P_L4_SLOT);
BUILD_BUG_ON((unsigned long)M2P_MAX_CHUNKS << M2P_CHUNK_SHIFT >
             MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START);

static pte_t m2p_l3[PT_ENTRIES] __aligned(PAGE_SIZE);
static pte_t m2p_l2[M2P_MAX_L2][PT_ENTRIES] __aligned(PAGE_SIZE);
static mfn_t chunk_mfn[M2P_MAX_CHUNKS];            /* (c) */
static unsigned long nr_chunks;                    /* (c) */
static pte_t slot_entry;                           /* (c) */

void m2p_init(void)
{
    unsigned long need = (max_page + M2P_CHUNK_ENTRIES - 1) /
                         M2P_CHUNK_ENTRIES, i;
    pte_t nx = paging_nx_bit();

    if ( need > M2P_MAX_CHUNKS )
    {
        printk(KLOG_WARNING "M2P: covers only the first %lu GiB of RAM\n",
               (M2P_MAX_CHUNKS * M2P_CHUNK_ENTRIES) >> (30 - PAGE_SHIFT));
        need = M2P_MAX_CHUNKS;
    }
    for ( i = 0; i < need; i++ )
    {
        struct page_info *pg = alloc_heap_pages(M2P_CHUNK_ORDER,
                                                MEMF_no_scrub);

        if ( !pg )
            panic("M2P: no memory for %lu MiB of table\n",
                  (need << M2P_CHUNK_SHIFT) >> 20);
        chunk_mfn[i] = page_to_mfn(pg);
        memset(mfn_to_virt(chunk_mfn[i]), 0xff, 1UL << M2P_CHUNK_SHIFT);
        m2p_l2[i / PT_ENTRIES][i % PT_ENTRIES] =
            pte_from_mfn(chunk_mfn[i], M2P_TABLE_FLAGS | _PAGE_PSE | nx);
    }
    nr_chunks = need;
    for ( i = 0; i * PT_ENTRIES < need; i++ )
        m2p_l3[i] = virt_to_maddr(m2p_l2[i]) | M2P_TABLE_FLAGS;
    slot_entry = virt_to_maddr(m2p_l3) | M2P_TABLE_FLAGS;
    paging_set_idle_l4e(M2P_L4_SLOT, slot_entry);
    printk("M2P: %lu MiB for %lu frames, read-only for guests at %#lx\n",
           (need << M2P_CHUNK_SHIFT) >> 20, max_page,
           (unsigned long)MACH2PHYS_VIRT_START);
}

/* The entry for mfn, or NULL beyond the table. */
static unsigned long *m2p_entry(mfn_t mfn)
{
    unsigned long c = mfn_x(mfn) / M2P_CHUNK_ENTRIES;

    if ( c >= nr_chunks )
        return NULL;
    return (unsigned long *)mfn_to_virt(chunk_mfn[c]) +
           mfn_x(mfn) % M2P_CHUNK_ENTRIES;
}

void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn)
{
    unsigned long *e = m2p_entry(mfn);

    if ( e )
        __atomic_store_n(e, pfn, __ATOMIC_RELAXED);
}

unsigned long get_gpfn_from_mfn(mfn_t mfn)
{
    const unsigned long *e = m2p_entry(mfn);

    return e ? __atomic_load_n(e, __ATOMIC_RELAXED) : INVALID_M2P_ENTRY;
}

pte_t m2p_l4e(void)
{
    return slot_entry;
}

unsigned long m2p_nr_chunks(void)
{
    return nr_chunks;
}

mfn_t m2p_chunk_mfn(unsigned long i)
{
    return i < nr_chunks ? chunk_mfn[i] : INVALID_MFN;
}
