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
 * time (UVMF_INVLPG, local).  pv_foreign_map_window() and
 * pv_foreign_unmap_window() do both steps with a recycled window.
 */
#include <pvguest/lib.h>

/*
 * Windows given back with pv_foreign_window_put() wait on a list threaded
 * through their first word (each shows our own frame again by then), so
 * that mapping and unmapping for ever does not use up the boot mapping.
 */
static void *free_windows;

void *pv_foreign_window(void)
{
    void *w = free_windows;

    if ( !w )
        return pv_alloc_page();
    free_windows = *(void **)w;
    return w;
}

void pv_foreign_window_put(void *win)
{
    *(void **)win = free_windows;
    free_windows = win;
}

void *pv_foreign_map_window(uint16_t domid, unsigned long mfn,
                            bool writable)
{
    void *w = pv_foreign_window();

    if ( w && pv_foreign_map(w, domid, mfn, writable) )
    {
        pv_foreign_window_put(w);
        w = NULL;
    }
    return w;
}

void pv_foreign_unmap_window(void *win)
{
    pv_foreign_unmap(win);
    pv_foreign_window_put(win);
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
