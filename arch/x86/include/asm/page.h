/*
 * The hypervisor's virtual address layout and page-table entry bits.
 *
 * Every hypervisor mapping lives in PML4 slots 256-271, the range the PV
 * ABI reserves for the hypervisor in each guest's address space:
 *
 *   slot 256  0xffff800000000000  read-only M2P for guests (later issue)
 *   slot 257  0xffff808000000000  reserved for guest linear/per-domain maps
 *   slot 258  0xffff810000000000  frame table (struct page_info per frame)
 *   slot 259  0xffff818000000000  ioremap area (MMIO: APIC, HPET, ECAM)
 *   slot 260  0xffff820000000000  reserved
 *   slot 261  0xffff828000000000  hypervisor image at 0xffff82d080000000
 *   slots 262-271                 direct map of all RAM (5 TiB)
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#define PML4_SLOT_VA(s)       (0xffff000000000000 | ((s) << 39))
#define HYPERVISOR_SLOT_FIRST 256
#define HYPERVISOR_SLOT_LAST  271

#define FRAMETABLE_VIRT_START 0xffff810000000000
#define IOREMAP_VIRT_START    0xffff818000000000
#define IOREMAP_VIRT_END      0xffff820000000000
#define KEEL_VIRT_START       0xffff82d080000000
#define DIRECTMAP_VIRT_START  0xffff830000000000
#define DIRECTMAP_VIRT_END    0xffff880000000000

/* Physical load address of the image (set by the Multiboot ELF headers). */
#define KEEL_PHYS_START       0x200000

#define _PAGE_PRESENT  0x001
#define _PAGE_RW       0x002
#define _PAGE_USER     0x004
#define _PAGE_PWT      0x008
#define _PAGE_PCD      0x010
#define _PAGE_ACCESSED 0x020
#define _PAGE_DIRTY    0x040
#define _PAGE_PSE      0x080
#define _PAGE_GLOBAL   0x100
#define _PAGE_NX       (1ULL << 63)

#ifndef __ASSEMBLY__
#include <keel/types.h>

#define PADDR_MASK     0x000ffffffffff000ULL

static inline void *maddr_to_virt(paddr_t ma)
{
    return (void *)(DIRECTMAP_VIRT_START + ma);
}

static inline paddr_t virt_to_maddr(const void *va)
{
    unsigned long v = (unsigned long)va;

    /* Image addresses are translated through the image mapping. */
    if ( v >= KEEL_VIRT_START && v < DIRECTMAP_VIRT_START )
        return v - KEEL_VIRT_START;
    return v - DIRECTMAP_VIRT_START;
}

static inline void *mfn_to_virt(mfn_t mfn)
{
    return maddr_to_virt((paddr_t)mfn_x(mfn) << PAGE_SHIFT);
}

static inline mfn_t virt_to_mfn(const void *va)
{
    return _mfn(virt_to_maddr(va) >> PAGE_SHIFT);
}
#endif

#endif /* ASM_PAGE_H */
