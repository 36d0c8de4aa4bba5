/*
 * What a PV kernel tells its loader: the "Xen" ELF notes (Xen's
 * public/elfnote.h) or, in older kernels, the `__xen_guest` section string,
 * gathered into struct xen_guest_params and checked the way Xen's domain
 * builder checks them.  Implemented in common/lib/xen_notes.c; pure and
 * host-tested.
 *
 * Where the parameters come from (Xen's order): the notes in PT_NOTE
 * segments (those with a non-zero p_offset: some binutils leave 0 there);
 * if none of those is a Xen note, the SHT_NOTE sections; if still none,
 * the `__xen_guest` section.  When a note appears twice the last one wins,
 * except FEATURES and SUPPORTED_FEATURES, which accumulate.  Unknown note
 * types and notes not named "Xen" are ignored.
 *
 * Use (the dom0 builder): elf_init(), xen_notes_parse(), xen_notes_check();
 * then the kernel occupies [virt_kstart, virt_kend) and is loaded with
 * elf_load(img, p->virt_offset, ...), which puts each segment at p_paddr +
 * VIRT_BASE - PADDR_OFFSET as Xen does (for Linux and NetBSD that is also
 * p_vaddr).
 *
 * Note formats: numeric notes hold a 1, 2, 4 or 8-byte little-endian value
 * (L1_MFN_VALID may also hold two 8-byte values, mask and value, as Linux
 * writes it); string notes must be NUL-terminated within their descriptor
 * (longer strings are kept truncated to XEN_NOTES_STR_MAX - 1 bytes, and
 * compared by prefix where Xen compares by prefix); SUPPORTED_FEATURES is
 * little-endian 32-bit words of XENFEAT_* bits (only the first is used).
 * A note breaking these rules makes the image refused, with a message
 * naming the note.  Note types are XEN_ELFNOTE_* (<public/elfnote.h>),
 * feature bits XENFEAT_* (<public/features.h>).
 */
#ifndef KEEL_XEN_NOTES_H
#define KEEL_XEN_NOTES_H

#include <keel/types.h>
#include <keel/elf.h>
#include <public/elfnote.h>
#include <public/features.h>

#define XEN_NOTES_STR_MAX   32
#define XEN_NOTES_MAX_TOTAL 4096        /* notes of any kind, walked */

enum xen_pae_mode {
    XEN_PAE_NO,
    XEN_PAE_YES,
    XEN_PAE_EXTCR3,
    XEN_PAE_BIMODAL,
};

enum xen_params_source {
    XEN_PARAMS_NONE,                    /* no Xen notes, no __xen_guest */
    XEN_PARAMS_NOTES,
    XEN_PARAMS_LEGACY,                  /* the __xen_guest string */
};

struct xen_guest_params {
    enum xen_params_source source;
    unsigned int nr_xen_notes;          /* Xen notes applied */

    /* Addresses; has_* says whether the kernel gave the value. */
    bool has_entry, has_hypercall_page, has_virt_base, has_paddr_offset;
    bool has_init_p2m, has_hv_start_low, has_phys32_entry;
    bool has_l1_mfn_valid, has_supported_features;
    uint64_t entry;                     /* virtual entry point */
    uint64_t hypercall_page;            /* virtual address of the page */
    uint64_t virt_base;                 /* VIRT_BASE */
    uint64_t paddr_offset;              /* PADDR_OFFSET / ELF_PADDR_OFFSET */
    uint64_t init_p2m;                  /* where to map the p2m list */
    uint64_t hv_start_low;              /* 32-bit guests only */
    uint64_t phys32_entry;              /* PVH only */
    uint64_t l1_mfn_valid_mask, l1_mfn_valid_value;

    char xen_version[XEN_NOTES_STR_MAX];
    char guest_os[XEN_NOTES_STR_MAX];
    char guest_version[XEN_NOTES_STR_MAX];
    char loader[XEN_NOTES_STR_MAX];
    enum xen_pae_mode pae;
    bool bsd_symtab;                    /* load the symbol table (NetBSD) */
    bool suspend_cancel;
    bool mod_start_pfn;                 /* initrd unmapped, given as a PFN */

    /* FEATURES names (and SUPPORTED_FEATURES bits); '!' ones required. */
    uint32_t features_supported[XENFEAT_NR_SUBMAPS];
    uint32_t features_required[XENFEAT_NR_SUBMAPS];

    /* Set by xen_notes_check(): the kernel's virtual range. */
    uint64_t virt_offset;               /* virt_base - paddr_offset */
    uint64_t virt_kstart, virt_kend;    /* [pstart, pend) + virt_offset */

    char why[160];                      /* the last refusal message */
};

/*
 * Gather the parameters of an image that elf_init() accepted.  Returns 0
 * (p->source says what was found; XEN_PARAMS_NONE is for the check to
 * refuse), or -EINVAL with *why naming a malformed note region, note or
 * __xen_guest item, or a required feature whose name is unknown.
 */
int xen_notes_parse(const struct elf_image *img, struct xen_guest_params *p,
                    const char **why);

/*
 * The pieces, for tests and other loaders; p must start zeroed.  One note
 * (ignored unless it is a known type; the caller checks the "Xen" name),
 * and the __xen_guest string s[0, len) (ending at a NUL or at len).
 */
int xen_notes_apply(struct xen_guest_params *p, const struct elf_note *note,
                    const char **why);
int xen_notes_parse_legacy(struct xen_guest_params *p, const char *s,
                           size_t len, const char **why);

/*
 * Xen's defaults and checks, in place: VIRT_BASE defaults to 0, and
 * PADDR_OFFSET to 0 with notes or to VIRT_BASE with __xen_guest (giving it
 * without VIRT_BASE is refused); ENTRY defaults to e_entry.  Refused, with
 * *why naming the problem: no Xen notes or __xen_guest; LOADER not
 * "generic" unless GUEST_OS is "linux"; XEN_VERSION not "xen-3.0"; a
 * kernel range that wraps or starts below VIRT_BASE; an entry point
 * outside the kernel; a HYPERCALL_PAGE that is unaligned or not wholly
 * inside the kernel; INIT_P2M inside the kernel; a required feature not in
 * `supported` (XENFEAT_* bits of submap 0, the only one; bit
 * XENFEAT_writable_page_tables is always excused: Xen reports it off and
 * still boots kernels that require it); and, when is_dom0 and the
 * kernel has a SUPPORTED_FEATURES note, XENFEAT_dom0 missing from its
 * features (Xen's rule: kernels without the note predate it).
 * Returns 0 or -EINVAL.
 */
int xen_notes_check(struct xen_guest_params *p, const struct elf_image *img,
                    uint32_t supported, bool is_dom0, const char **why);

/* "dom0", "writable_page_tables", ...; NULL for an unknown number. */
const char *xen_notes_feature_name(unsigned int nr);

/* "ENTRY", "HYPERCALL_PAGE", ...; NULL for an unknown type. */
const char *xen_notes_type_name(unsigned int type);

#endif /* KEEL_XEN_NOTES_H */
