/* Building dom0 from the first boot module (arch/x86/pv/dom0_build.c). */
#ifndef ASM_PV_DOM0_BUILD_H
#define ASM_PV_DOM0_BUILD_H

#include <keel/bootinfo.h>

/*
 * Create dom0 from module 0 (kernel) and module 1 (initrd, optional) and
 * set hardware_domain.  Returns 0, or -errno after printing why the image
 * was refused (the machine is then stopped cleanly, not faulted).
 */
int dom0_construct(const struct boot_info *bi);

/* Fill a page with the 32-byte hypercall stubs (XEN_DOMCTL_hypercall_init). */
void pv_write_hypercall_page(void *page);

#endif
