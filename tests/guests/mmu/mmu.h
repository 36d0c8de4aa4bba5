/*
 * mmu: shared declarations of the memory-management conformance kernel:
 * page-table updates and pinning (pt.c), mmuext_op (mmuext.c), and
 * memory_op, multicall, update_va_mapping and vm_assist (memop.c).
 */
#ifndef MMU_TEST_H
#define MMU_TEST_H

#include <pvguest/lib.h>

#define BAD_PTR_LOW     ((void *)0x1000)
#define BAD_PTR_XEN     ((void *)0xffff830000000000UL)
#define NONCANON        0x8000000000000000UL

/* The test region: L4 slot 1, built and pinned by pt.c. */
#define TEST_VA         0x0000008000000000UL
#define PTE_RW          (_PAGE_PRESENT | _PAGE_RW)
#define PTE_RO          _PAGE_PRESENT
#define PTE_TABLE       (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
                         _PAGE_ACCESSED | _PAGE_DIRTY)
/* Bits Xen may add to a guest kernel's L1 entry: user, bit 52. */
#define XEN_L1_ADDED    (_PAGE_USER | (1UL << 52))

extern uint64_t *test_l1;               /* read-only view of its L1 */
extern unsigned long test_l1_mfn;

/* A fresh page for a table of LEVEL, filled by the caller, then made
 * read-only: returns its VA. */
void *new_page(void);
long make_ro(void *va);
uint64_t l1e_maddr(unsigned int idx);

void test_pt(void);
void test_mmuext(void);
void test_memop(void);

#endif /* MMU_TEST_H */
