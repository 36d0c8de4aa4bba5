/*
 * mmu: the memory-management hypercalls of a 64-bit PV guest.  The cases
 * are listed at the top of each part: pt.c, mmuext.c, memop.c.
 */
#include "mmu.h"

const char test_name[] = "mmu";

void *new_page(void)
{
    void *p = pv_alloc_page();

    if ( !p )
        test_abort("out of pages");
    return p;
}

long make_ro(void *va)
{
    return pv_set_page_ro(va);
}

void test_main(void)
{
    printf("mmu: %lu free pages, kernel L4 mfn %#lx\n", pv_nr_free_pages(),
           pv_kernel_l4_mfn);
    test_pt();
    test_mmuext();
    test_memop();
}
