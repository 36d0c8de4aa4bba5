/*
 * Keel public ABI: ELF notes of a PV kernel.
 *
 * A kernel describes itself to the domain builder with notes named "Xen"
 * in a PT_NOTE segment (or, for old kernels, a "__xen_guest" section of
 * NAME=VALUE strings).  Numeric notes are 4 or 8 bytes, as the note's
 * descriptor size says; string notes are NUL-terminated.  Numbers are
 * Xen 4.17's.
 */
#ifndef KEEL_PUBLIC_ELFNOTE_H
#define KEEL_PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_INFO             0  /* string: NAME=VALUE pair */
#define XEN_ELFNOTE_ENTRY            1  /* number: virtual entry point */
#define XEN_ELFNOTE_HYPERCALL_PAGE   2  /* number: VA to fill with stubs */
#define XEN_ELFNOTE_VIRT_BASE        3  /* number: VA of the image (0) */
/* number: subtracted from ELF p_paddr to get the pseudo-physical address
 * (default 0; kernels that put __PAGE_OFFSET in p_paddr set it) */
#define XEN_ELFNOTE_PADDR_OFFSET     4
#define XEN_ELFNOTE_XEN_VERSION      5  /* string: "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS         6  /* string: e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION    7  /* string */
#define XEN_ELFNOTE_LOADER           8  /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE         9  /* string: 32-bit PAE support */
/* string: '|'-separated XENFEAT names; '!' marks a required feature */
#define XEN_ELFNOTE_FEATURES        10
#define XEN_ELFNOTE_BSD_SYMTAB      11  /* string "yes": load symbols */
#define XEN_ELFNOTE_HV_START_LOW    12  /* number: 32-bit guests only */
/* numbers: mask/value pairs recognising non-present L1 entries that
 * still hold a frame number */
#define XEN_ELFNOTE_L1_MFN_VALID    13
#define XEN_ELFNOTE_SUSPEND_CANCEL  14  /* number: cooperative suspend
                                           cancellation supported */
/* number: VA at which the builder maps the initial p2m list (its own L4
 * slot, possibly with large pages) instead of inside the boot region */
#define XEN_ELFNOTE_INIT_P2M        15
/* number: the kernel accepts an initrd that is not mapped, given by PFN
 * (SIF_MOD_START_PFN) */
#define XEN_ELFNOTE_MOD_START_PFN   16
/* number: bitmap of XENFEAT_* the kernel supports, combined with the
 * FEATURES string */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17
#define XEN_ELFNOTE_PHYS32_ENTRY    18  /* number: 32-bit PVH entry */

#define XEN_ELFNOTE_MAX             XEN_ELFNOTE_PHYS32_ENTRY

/* Notes written into crash dumps, not read from kernels. */
#define XEN_ELFNOTE_CRASH_INFO      0x1000001
#define XEN_ELFNOTE_CRASH_REGS      0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE           0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER         0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* KEEL_PUBLIC_ELFNOTE_H */
