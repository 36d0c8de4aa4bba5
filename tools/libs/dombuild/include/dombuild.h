/*
 * libdombuild: builds a 64-bit PV domU from a kernel image (ELF64 with Xen
 * notes, possibly gzip-compressed) and an optional ramdisk, in a domain
 * created with kc_domain_create() and given its memory limit.
 *
 * The domain's initial virtual layout, from VIRT_BASE upwards, is the one
 * the PV ABI (and Xen's libxc) gives a domU:
 *
 *   kernel | ramdisk | p2m list | start_info | xenstore ring | console ring
 *   | page tables (L4, L3s, L2s, L1s; read-only) | boot stack
 *   | spare: the mapping ends on a 4 MiB boundary, at least 512 KiB on
 *
 * Pseudo-physical frame p backs VIRT_BASE + p * 4 KiB in that region.
 * vCPU 0 gets the entry context (rsi = start_info); the L4 is pinned; the
 * hypercall page is filled by XEN_DOMCTL_hypercall_init.  The domain is
 * left paused: the caller unpauses it.
 */
#ifndef DOMBUILD_H
#define DOMBUILD_H

#include <keelctrl.h>

struct dombuild_params {
    domid_t domid;
    const void *kernel;                 /* ELF or gzip */
    size_t kernel_len;
    const void *ramdisk;                /* NULL: none */
    size_t ramdisk_len;
    const char *cmdline;                /* NULL: empty */
    unsigned long nr_pages;             /* memory, 4 KiB pages */
    evtchn_port_t console_evtchn;       /* the domU's ends (alloc_unbound) */
    evtchn_port_t store_evtchn;
};

struct dombuild_result {
    xen_pfn_t console_mfn, store_mfn;   /* for the backends */
    uint64_t virt_base, virt_end, entry;
    char guest_os[64];                  /* GUEST_OS note, "" if none */
};

/*
 * 0, or -errno with err (always NUL-terminated) saying what was wrong
 * in words an administrator can act on.  On failure the domain may hold
 * memory: the caller destroys it.
 */
int dombuild_pv(struct kc_handle *h, const struct dombuild_params *p,
                struct dombuild_result *r, char *err, size_t errlen);

#endif /* DOMBUILD_H */
