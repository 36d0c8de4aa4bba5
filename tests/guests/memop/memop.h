/*
 * memop: shared declarations of the memory_op conformance kernel:
 * reservations (reserve.c), exchange (exchange.c), the informational
 * sub-ops (info.c) and the long, preemptible operations (long.c).
 */
#ifndef MEMOP_TEST_H
#define MEMOP_TEST_H

#include <pvguest/lib.h>

#define BAD_PTR_LOW     ((void *)0x1000)
#define BAD_PTR_XEN     ((void *)0xffff830000000000UL)
#define BAD_PTR_NONCANON ((void *)0x8000000000000000UL)
#define PTE_RW          (_PAGE_PRESENT | _PAGE_RW)
#define PTE_RO          _PAGE_PRESENT
#define PTE_TABLE       (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
                         _PAGE_ACCESSED | _PAGE_DIRTY)
#define M2P_INVALID     (~0UL)
#define P2M_INVALID     (~0UL)

/* A frame of the hypervisor's (from an L4 slot it owns). */
extern unsigned long xen_mfn;
/* The caller's page count right now (XENMEM_current_reservation). */
long cur_pages(void);

/* A page of the boot mapping, zeroed, for buffers. */
void *new_page(void);
/* A pfn past the boot mapping: ours, not mapped anywhere. */
unsigned long take_pfn(void);
/*
 * Give up a page of the boot mapping: unmap its address and take its
 * frame out of the p2m.  Returns the machine frame (still ours until
 * decrease_reservation or exchange takes it).
 */
unsigned long release_page(void *va);
/* Map MFN at scratch address SLOT (0-7), writable or read-only; abort on
 * failure. */
void *map_slot(unsigned int slot, unsigned long mfn, bool rw);
long try_map_slot(unsigned int slot, unsigned long mfn, bool rw);
void unmap_slot(unsigned int slot);
/* Point p2m[pfn] at MFN and M2P[mfn] at PFN (MMU_MACHPHYS_UPDATE). */
long set_m2p(unsigned long mfn, unsigned long pfn);
/* The page after VA's page is unmapped: for buffers that run off it. */
void *page_before_hole(void);
/* A read-only page of ours, its content readable. */
void *ro_page(void);

/* One reservation call: the raw return value. */
long reservation(unsigned int cmd, xen_pfn_t *list, unsigned long nr,
                 unsigned int order, unsigned int flags, domid_t dom);

void test_reserve(void);
void test_exchange(void);
void test_info(void);
void test_long(void);

#endif /* MEMOP_TEST_H */
