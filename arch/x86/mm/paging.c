/*
 * The hypervisor's page tables.  Built once on the boot CPU from a static
 * pool (so no allocator is needed yet and every table sits below 4 GiB,
 * where the AP trampoline can load CR3 from 32-bit code), then shared by
 * all CPUs:
 *
 *   - image: 4 KiB pages; .text read-only+executable, .rodata read-only+NX,
 *     .data/.bss writable+NX;
 *   - direct map of physical [0, end) at DIRECTMAP_VIRT_START with 1 GiB
 *     pages (2 MiB without CPU support), writable+NX;
 *   - nothing outside PML4 slots 256-271 except the low identity map that
 *     the AP trampoline needs while secondary CPUs start.
 */
#include <keel/lib.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/processor.h>

#define PT_POOL_PAGES 96
#define PTE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static pte_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pt_pool_used;
static pte_t *idle_l4;
static uint64_t nx_bit;
static pte_t *low_l3;                   /* for the trampoline identity map */

extern const char __image_start[], __text_end[], __rodata_end[],
                  __image_end[];

/* Page tables are in the image, so their machine address is image-based. */
static paddr_t pt_maddr(const pte_t *t)
{
    return virt_to_maddr(t);
}

static pte_t *pt_alloc(void)
{
    if ( pt_pool_used >= PT_POOL_PAGES )
        return NULL;
    return pt_pool[pt_pool_used++];     /* .bss: already zero */
}

/* Return the next-level table for va, creating it if needed. */
static pte_t *pt_next(pte_t *table, unsigned long va, unsigned int shift)
{
    pte_t *e = &table[pt_index(va, shift)];
    pte_t *next;

    if ( *e & _PAGE_PRESENT )
        return (pte_t *)((unsigned long)(*e & PADDR_MASK) + KEEL_VIRT_START);
    next = pt_alloc();
    if ( !next )
        return NULL;
    *e = pt_maddr(next) | PTE_TABLE;
    return next;
}

static void map_image(void)
{
    unsigned long va;

    for ( va = (unsigned long)__image_start; va < (unsigned long)__image_end;
          va += PAGE_SIZE )
    {
        pte_t *l3 = pt_next(idle_l4, va, L4_SHIFT);
        pte_t *l2 = l3 ? pt_next(l3, va, L3_SHIFT) : NULL;
        pte_t *l1 = l2 ? pt_next(l2, va, L2_SHIFT) : NULL;
        pte_t flags = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL;

        if ( !l1 )
            panic("paging: page-table pool exhausted mapping the image\n");
        if ( va >= (unsigned long)__rodata_end )
            flags |= _PAGE_RW | _PAGE_DIRTY | nx_bit;       /* data, bss */
        else if ( va >= (unsigned long)__text_end )
            flags |= nx_bit;                                /* rodata */
        l1[pt_index(va, L1_SHIFT)] = virt_to_maddr((void *)va) | flags;
    }
}

/*
 * 1 GiB pages where the CPU has them (one L3 page then maps 512 GiB),
 * otherwise 2 MiB pages (one L2 page per GiB).
 */
static paddr_t map_direct(paddr_t end, bool gb_pages)
{
    unsigned int shift = gb_pages ? L3_SHIFT : L2_SHIFT;
    paddr_t pa;

    for ( pa = 0; pa < end; pa += 1UL << shift )
    {
        unsigned long va = DIRECTMAP_VIRT_START + pa;
        pte_t *l3 = pt_next(idle_l4, va, L4_SHIFT);
        pte_t *l2 = l3 && !gb_pages ? pt_next(l3, va, L3_SHIFT) : l3;

        if ( !l2 || va >= DIRECTMAP_VIRT_END )
        {
            printk(KLOG_WARNING "paging: direct map stops at %#lx: memory "
                   "above it is not used (raise PT_POOL_PAGES)\n",
                   (unsigned long)pa);
            return pa;
        }
        l2[pt_index(va, shift)] = pa | PTE_TABLE | _PAGE_PSE |
                                  _PAGE_GLOBAL | nx_bit;
    }
    return end;
}

paddr_t paging_init(paddr_t directmap_end, bool have_nx, bool gb_pages)
{
    paddr_t mapped;

    nx_bit = have_nx ? _PAGE_NX : 0;
    idle_l4 = pt_alloc();
    map_image();
    mapped = map_direct(ROUNDUP(directmap_end, 1UL << L2_SHIFT), gb_pages);
    write_cr4(read_cr4() | X86_CR4_PGE);
    write_cr3(pt_maddr(idle_l4));
    return mapped;
}

paddr_t idle_l4_maddr(void)
{
    return pt_maddr(idle_l4);
}

const pte_t *idle_l4_table(void)
{
    return idle_l4;
}

void paging_set_idle_l4e(unsigned int slot, pte_t e)
{
    if ( slot < HYPERVISOR_SLOT_FIRST || slot > HYPERVISOR_SLOT_LAST ||
         (idle_l4[slot] & _PAGE_PRESENT) )
        panic("paging: idle L4 slot %u is not a free hypervisor slot\n",
              slot);
    idle_l4[slot] = e;
}

pte_t paging_nx_bit(void)
{
    return nx_bit;
}

void paging_map_low_identity(bool on)
{
    if ( on )
    {
        pte_t *l2;

        if ( !low_l3 && !(low_l3 = pt_alloc()) )
            panic("paging: page-table pool exhausted\n");
        l2 = pt_next(low_l3, 0, L3_SHIFT);
        if ( !l2 )
            panic("paging: page-table pool exhausted\n");
        l2[0] = 0 | PTE_TABLE | _PAGE_PSE;          /* 0-2 MiB, executable */
        idle_l4[0] = pt_maddr(low_l3) | PTE_TABLE;
    }
    else
        idle_l4[0] = 0;
    write_cr3(pt_maddr(idle_l4));                   /* flush non-global */
}

/* The leaf entry mapping va, or 0 (no large pages in the image). */
static pte_t image_leaf(unsigned long va)
{
    const pte_t *t = idle_l4;
    unsigned int shift;

    for ( shift = L4_SHIFT; shift > L1_SHIFT; shift -= 9 )
    {
        pte_t e = t[pt_index(va, shift)];

        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return 0;
        t = (const pte_t *)((unsigned long)(e & PADDR_MASK) + KEEL_VIRT_START);
    }
    return t[pt_index(va, L1_SHIFT)];
}

int paging_self_check(void)
{
    unsigned long va;
    unsigned int slot, bad = 0;

    for ( slot = 0; slot < PT_ENTRIES; slot++ )
        if ( (slot < HYPERVISOR_SLOT_FIRST || slot > HYPERVISOR_SLOT_LAST) &&
             (idle_l4[slot] & _PAGE_PRESENT) )
        {
            printk(KLOG_ERR "paging: PML4 slot %u is mapped outside the "
                   "hypervisor's slots %u-%u\n", slot, HYPERVISOR_SLOT_FIRST,
                   HYPERVISOR_SLOT_LAST);
            bad++;
        }

    for ( va = (unsigned long)__image_start; va < (unsigned long)__image_end;
          va += PAGE_SIZE )
    {
        pte_t e = image_leaf(va);
        bool text = va < (unsigned long)__text_end;
        bool ro = va < (unsigned long)__rodata_end;
        bool ok = (e & _PAGE_PRESENT) &&
                  !(e & _PAGE_RW) == ro &&
                  (!nx_bit || !(e & _PAGE_NX) == text);

        if ( !ok && bad++ < 8 )
            printk(KLOG_ERR "paging: image page %#lx has flags %#lx\n", va,
                   (unsigned long)(e & ~PADDR_MASK));
    }
    if ( bad )
        return -1;
    printk("Paging: image W^X verified (text RX, rodata R+NX, data RW+NX); "
           "all mappings in PML4 slots %u-%u\n", HYPERVISOR_SLOT_FIRST,
           HYPERVISOR_SLOT_LAST);
    return 0;
}

bool paging_va_mapped(unsigned long va)
{
    const pte_t *t = idle_l4;
    unsigned int shift;

    for ( shift = L4_SHIFT; ; shift -= 9 )
    {
        pte_t e = t[pt_index(va, shift)];

        if ( !(e & _PAGE_PRESENT) )
            return false;
        if ( shift == L1_SHIFT || (shift < L4_SHIFT && (e & _PAGE_PSE)) )
            return true;
        t = (const pte_t *)((unsigned long)(e & PADDR_MASK) + KEEL_VIRT_START);
    }
}
