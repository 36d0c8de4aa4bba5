/*
 * Windows onto other domains' frames, for a privileged PV kernel that
 * builds or serves other domains (the control domain, test kernels that
 * create domUs).
 *
 * A window is one page of our own boot mapping (from pv_alloc_page()).
 * pv_foreign_map() points its L1 entry at a frame owned by another domain
 * through update_va_mapping_otherdomain, which takes the reference on the
 * foreign frame; pv_foreign_unmap() points it back at our own frame,
 * dropping that reference.  The TLB entry is flushed on this vCPU each
 * time (UVMF_INVLPG, local).
 */
#include <pvguest/lib.h>

void *pv_foreign_window(void)
{
    return pv_alloc_page();
}

long pv_foreign_map(void *win, uint16_t domid, unsigned long mfn,
                    bool writable)
{
    uint64_t pte = ((uint64_t)mfn << PAGE_SHIFT) | _PAGE_PRESENT |
                   (writable ? _PAGE_RW : 0);

    return HYPERVISOR_update_va_mapping_otherdomain((unsigned long)win, pte,
                                                    UVMF_INVLPG | UVMF_LOCAL,
                                                    domid);
}

long pv_foreign_unmap(void *win)
{
    return pv_map_va((unsigned long)win, virt_to_mfn(win),
                     _PAGE_PRESENT | _PAGE_RW);
}
