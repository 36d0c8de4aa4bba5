/* The hypervisor's own page tables (arch/x86/mm/paging.c). */
#ifndef ASM_PAGING_H
#define ASM_PAGING_H

#include <keel/types.h>

#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_ENTRIES 512
#define pt_index(va, shift) (((va) >> (shift)) & (PT_ENTRIES - 1))

typedef uint64_t pte_t;

/*
 * Build the final page tables (image mapped W^X with 4 KiB pages, direct
 * map of [0, directmap_end) with 1 GiB or 2 MiB pages, no identity map) and switch
 * to them.  Returns the end of what the direct map covers.
 */
paddr_t paging_init(paddr_t directmap_end, bool have_nx, bool gb_pages);

/* Physical address of the idle (hypervisor-only) L4 table; below 4 GiB. */
paddr_t idle_l4_maddr(void);

/*
 * The idle L4 itself: guest L4s copy its hypervisor slots (256-271) when
 * they are validated (arch/x86/mm/pagetable.c).
 */
const pte_t *idle_l4_table(void);
/*
 * Install a boot-time mapping in an empty hypervisor slot of the idle L4
 * (the M2P in slot 256).  The tables it points to must live in the image,
 * as every table the walkers in paging.c follow does.  Panics otherwise.
 */
void paging_set_idle_l4e(unsigned int slot, pte_t e);
/* _PAGE_NX when EFER.NXE is on, else 0. */
pte_t paging_nx_bit(void);

/* Temporarily identity-map the low 2 MiB (for the AP trampoline). */
void paging_map_low_identity(bool on);

/*
 * Verify the live tables: every image page has the permissions of its
 * section, and nothing is mapped outside PML4 slots 256-271.  Logs the
 * result; returns 0 or -1.
 */
int paging_self_check(void);

/* Is va mapped by the hypervisor's tables?  For debug output. */
bool paging_va_mapped(unsigned long va);

#endif
