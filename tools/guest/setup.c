/*
 * C start of day: remember start_info, map shared_info, install the trap
 * table and callbacks, set up the memory helpers and user mode, then run
 * the test kernel's test_main() and report.
 */
#include <pvguest/lib.h>

struct start_info *pv_start_info;
struct shared_info *pv_shared_info;
struct vcpu_info *volatile pv_vcpu_info;

/* shared_info gets its own page-aligned slot in .bss to be mapped over. */
static char shared_info_page[PAGE_SIZE] __aligned(PAGE_SIZE);

void pv_start(struct start_info *si);

void pv_start(struct start_info *si)
{
    long rc;

    pv_start_info = si;
    printf("%s: PV test kernel starting, start_info %p\n", test_name, si);
    if ( strncmp(si->magic, "xen-3.0-x86_64", 14) )
        test_abort("start_info magic is \"%.32s\"", si->magic);

    pv_mm_init();

    rc = pv_map_va((unsigned long)shared_info_page,
                   si->shared_info >> PAGE_SHIFT, _PAGE_PRESENT | _PAGE_RW);
    if ( rc )
        test_abort("mapping shared_info (maddr %#lx): %ld",
                   si->shared_info, rc);
    pv_shared_info = (struct shared_info *)shared_info_page;
    pv_vcpu_info = &pv_shared_info->vcpu_info[0];

    pv_traps_init();
    pv_user_init();

    test_main();
    test_finish();
}
