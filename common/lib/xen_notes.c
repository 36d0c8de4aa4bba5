/*
 * The Xen PV kernel parameters: "Xen" ELF notes and the legacy
 * `__xen_guest` string, parsed into struct xen_guest_params, and the
 * defaults and sanity checks Xen's builders apply before loading a kernel.
 * The note numbers and meanings are Xen's ABI (public/elfnote.h,
 * public/features.h); the precedence, default and refusal rules follow
 * Xen's libelf so that kernels Xen boots boot here, with the stricter
 * exceptions listed in <keel/xen_notes.h>.
 *
 * Everything read comes from the untrusted image: note descriptors are
 * bounded by their descsz, strings must end within them, the legacy
 * string is bounded by its section, and the total number of notes walked
 * is capped so that many PT_NOTE headers naming one big region cannot
 * make the walk quadratic.  Refusal messages go to p->why.
 */
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/elf.h>
#include <keel/xen_notes.h>

#define XEN_VERSION_WANTED  "xen-3.0"
#define LEGACY_SECTION      "__xen_guest"
#define HYPERCALL_PAGE_SIZE 4096

#define X(v) ((unsigned long long)(v))

static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables]       = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap]    = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel]     = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb]        = "pae_pgdir_above_4gb",
    [XENFEAT_mmu_pt_update_preserve_ad]  = "mmu_pt_update_preserve_ad",
    [XENFEAT_highmem_assist]             = "highmem_assist",
    [XENFEAT_gnttab_map_avail_bits]      = "gnttab_map_avail_bits",
    [XENFEAT_hvm_callback_vector]        = "hvm_callback_vector",
    [XENFEAT_hvm_safe_pvclock]           = "hvm_safe_pvclock",
    [XENFEAT_hvm_pirqs]                  = "hvm_pirqs",
    [XENFEAT_dom0]                       = "dom0",
    [XENFEAT_memory_op_vnode_supported]  = "memory_op_vnode_supported",
    [XENFEAT_ARM_SMCCC_supported]        = "ARM_SMCCC_supported",
    [XENFEAT_linux_rsdp_unrestricted]    = "linux_rsdp_unrestricted",
    [XENFEAT_not_direct_mapped]          = "not_direct_mapped",
    [XENFEAT_direct_mapped]              = "direct_mapped",
};
BUILD_BUG_ON(ARRAY_SIZE(feature_names) > 32 * XENFEAT_NR_SUBMAPS);

enum note_kind { NOTE_NUM, NOTE_STR, NOTE_BITMAP, NOTE_MASKVAL };

static const struct {
    const char *name;
    enum note_kind kind;
} note_desc[] = {
    [XEN_ELFNOTE_ENTRY]              = { "ENTRY", NOTE_NUM },
    [XEN_ELFNOTE_HYPERCALL_PAGE]     = { "HYPERCALL_PAGE", NOTE_NUM },
    [XEN_ELFNOTE_VIRT_BASE]          = { "VIRT_BASE", NOTE_NUM },
    [XEN_ELFNOTE_PADDR_OFFSET]       = { "PADDR_OFFSET", NOTE_NUM },
    [XEN_ELFNOTE_XEN_VERSION]        = { "XEN_VERSION", NOTE_STR },
    [XEN_ELFNOTE_GUEST_OS]           = { "GUEST_OS", NOTE_STR },
    [XEN_ELFNOTE_GUEST_VERSION]      = { "GUEST_VERSION", NOTE_STR },
    [XEN_ELFNOTE_LOADER]             = { "LOADER", NOTE_STR },
    [XEN_ELFNOTE_PAE_MODE]           = { "PAE_MODE", NOTE_STR },
    [XEN_ELFNOTE_FEATURES]           = { "FEATURES", NOTE_STR },
    [XEN_ELFNOTE_BSD_SYMTAB]         = { "BSD_SYMTAB", NOTE_STR },
    [XEN_ELFNOTE_HV_START_LOW]       = { "HV_START_LOW", NOTE_NUM },
    [XEN_ELFNOTE_L1_MFN_VALID]       = { "L1_MFN_VALID", NOTE_MASKVAL },
    [XEN_ELFNOTE_SUSPEND_CANCEL]     = { "SUSPEND_CANCEL", NOTE_NUM },
    [XEN_ELFNOTE_INIT_P2M]           = { "INIT_P2M", NOTE_NUM },
    [XEN_ELFNOTE_MOD_START_PFN]      = { "MOD_START_PFN", NOTE_NUM },
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = { "SUPPORTED_FEATURES", NOTE_BITMAP },
    [XEN_ELFNOTE_PHYS32_ENTRY]       = { "PHYS32_ENTRY", NOTE_NUM },
};

const char *xen_notes_feature_name(unsigned int nr)
{
    return nr < ARRAY_SIZE(feature_names) ? feature_names[nr] : NULL;
}

const char *xen_notes_type_name(unsigned int type)
{
    return type < ARRAY_SIZE(note_desc) ? note_desc[type].name : NULL;
}

static int refuse(struct xen_guest_params *p, const char **why,
                  const char *fmt, ...) __printf(3, 4);

static int refuse(struct xen_guest_params *p, const char **why,
                  const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->why, sizeof(p->why), fmt, ap);
    va_end(ap);
    if ( why )
        *why = p->why;
    return -EINVAL;
}

static uint64_t rd_le(const uint8_t *b, unsigned int n)
{
    uint64_t v = 0;

    while ( n-- )
        v = (v << 8) | b[n];
    return v;
}

/* Copy s[0, len) into a XEN_NOTES_STR_MAX buffer, truncating. */
static void set_str(char *dst, const char *s, size_t len)
{
    len = MIN(len, (size_t)XEN_NOTES_STR_MAX - 1);
    memcpy(dst, s, len);
    dst[len] = '\0';
}

static bool has_prefix(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static void feature_set(uint32_t *map, unsigned int nr)
{
    map[nr / 32] |= 1u << (nr % 32);
}

static bool feature_test(const uint32_t *map, unsigned int nr)
{
    return map[nr / 32] & (1u << (nr % 32));
}

/*
 * FEATURES: names separated by '|', each optionally prefixed with '!'
 * (required).  Unknown names are ignored, unless required.
 */
static int parse_features(struct xen_guest_params *p, const char *s,
                          size_t len, const char **why)
{
    size_t start = 0, end, n;
    unsigned int nr;
    bool required;

    while ( start < len )
    {
        for ( end = start; end < len && s[end] != '|'; end++ )
            ;
        required = s[start] == '!' && start < end;
        n = end - start - required;
        for ( nr = 0; nr < ARRAY_SIZE(feature_names); nr++ )
            if ( feature_names[nr] && strlen(feature_names[nr]) == n &&
                 !memcmp(feature_names[nr], s + start + required, n) )
                break;
        if ( nr < ARRAY_SIZE(feature_names) )
        {
            feature_set(p->features_supported, nr);
            if ( required )
                feature_set(p->features_required, nr);
        }
        else if ( required )
            return refuse(p, why, "kernel requires unknown feature "
                          "\"%.*s\"", (int)MIN(n, (size_t)40),
                          s + start + 1);
        start = end + 1;
    }
    return 0;
}

/* ---- notes --------------------------------------------------------------- */

int xen_notes_apply(struct xen_guest_params *p, const struct elf_note *note,
                    const char **why)
{
    const char *name = xen_notes_type_name(note->type), *str = NULL;
    size_t len = 0;
    uint64_t val = 0;
    unsigned int i;

    if ( !name )
        return 0;                       /* unknown type: ignored */

    switch ( note_desc[note->type].kind )
    {
    case NOTE_STR:
        len = strnlen((const char *)note->desc, note->descsz);
        if ( len == note->descsz )
            return refuse(p, why, "note %s: string is not NUL-terminated",
                          name);
        str = (const char *)note->desc;
        break;
    case NOTE_NUM:
        if ( note->descsz != 1 && note->descsz != 2 && note->descsz != 4 &&
             note->descsz != 8 )
            return refuse(p, why, "note %s: %u-byte value (want 1, 2, 4 or "
                          "8 bytes)", name, note->descsz);
        val = rd_le(note->desc, note->descsz);
        break;
    case NOTE_BITMAP:
        if ( note->descsz == 0 || note->descsz % 4 )
            return refuse(p, why, "note %s: %u bytes is not a whole number "
                          "of 32-bit words", name, note->descsz);
        for ( i = 0; i < XENFEAT_NR_SUBMAPS && i < note->descsz / 4; i++ )
            p->features_supported[i] |= rd_le(note->desc + 4 * i, 4);
        p->has_supported_features = true;
        break;
    case NOTE_MASKVAL:
        if ( note->descsz == 16 )
        {
            p->l1_mfn_valid_mask = rd_le(note->desc, 8);
            p->l1_mfn_valid_value = rd_le(note->desc + 8, 8);
        }
        else if ( note->descsz == 4 || note->descsz == 8 )
            p->l1_mfn_valid_mask = p->l1_mfn_valid_value =
                rd_le(note->desc, note->descsz);
        else
            return refuse(p, why, "note %s: %u bytes (want 4, 8 or 16)",
                          name, note->descsz);
        p->has_l1_mfn_valid = true;
        break;
    }

    switch ( note->type )
    {
    case XEN_ELFNOTE_ENTRY:
        p->entry = val;
        p->has_entry = true;
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        p->hypercall_page = val;
        p->has_hypercall_page = true;
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        p->virt_base = val;
        p->has_virt_base = true;
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        p->paddr_offset = val;
        p->has_paddr_offset = true;
        break;
    case XEN_ELFNOTE_HV_START_LOW:
        p->hv_start_low = val;
        p->has_hv_start_low = true;
        break;
    case XEN_ELFNOTE_INIT_P2M:
        p->init_p2m = val;
        p->has_init_p2m = true;
        break;
    case XEN_ELFNOTE_PHYS32_ENTRY:
        p->phys32_entry = val;
        p->has_phys32_entry = true;
        break;
    case XEN_ELFNOTE_SUSPEND_CANCEL:
        p->suspend_cancel = val != 0;
        break;
    case XEN_ELFNOTE_MOD_START_PFN:
        p->mod_start_pfn = val != 0;
        break;
    case XEN_ELFNOTE_XEN_VERSION:
        set_str(p->xen_version, str, len);
        break;
    case XEN_ELFNOTE_GUEST_OS:
        set_str(p->guest_os, str, len);
        break;
    case XEN_ELFNOTE_GUEST_VERSION:
        set_str(p->guest_version, str, len);
        break;
    case XEN_ELFNOTE_LOADER:
        set_str(p->loader, str, len);
        break;
    case XEN_ELFNOTE_PAE_MODE:
        /* Xen: "yes" is extended-cr3, anything with "bimodal" bimodal. */
        if ( !strcmp(str, "yes") )
            p->pae = XEN_PAE_EXTCR3;
        if ( strstr(str, "bimodal") )
            p->pae = XEN_PAE_BIMODAL;
        break;
    case XEN_ELFNOTE_BSD_SYMTAB:
        p->bsd_symtab = !strcmp(str, "yes");
        break;
    case XEN_ELFNOTE_FEATURES:
        return parse_features(p, str, len, why);
    }
    return 0;
}

/* Apply the Xen notes in one region; *total counts every note walked. */
static int parse_region(struct xen_guest_params *p, const uint8_t *data,
                        uint64_t size, uint64_t align, const char *what,
                        unsigned int idx, unsigned int *total,
                        const char **why)
{
    struct elf_note_iter it;
    struct elf_note note;
    int rc;

    elf_note_iter_init(&it, data, size, align);
    while ( (rc = elf_note_next(&it, &note)) > 0 )
    {
        if ( ++*total > XEN_NOTES_MAX_TOTAL )
            return refuse(p, why, "more than %u ELF notes",
                          XEN_NOTES_MAX_TOTAL);
        if ( !elf_note_name_is(&note, "Xen") )
            continue;
        if ( (rc = xen_notes_apply(p, &note, why)) )
            return rc;
        p->nr_xen_notes++;
    }
    if ( rc < 0 )
        return refuse(p, why, "%s %u: malformed note (name or descriptor "
                      "runs past the end)", what, idx);
    return 0;
}

/* ---- __xen_guest --------------------------------------------------------- */

/* Unsigned integer, C base prefixes, all of s[0, len); false if not. */
static bool parse_u64(const char *s, size_t len, uint64_t *val)
{
    unsigned int base = 10, d;
    size_t i = 0;
    uint64_t v = 0;

    if ( len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') )
    {
        base = 16;
        i = 2;
    }
    else if ( len >= 2 && s[0] == '0' )
    {
        base = 8;
        i = 1;
    }
    if ( i == len )
        return false;
    for ( ; i < len; i++ )
    {
        char c = s[i];

        if ( c >= '0' && c <= '9' )
            d = c - '0';
        else if ( c >= 'a' && c <= 'f' )
            d = c - 'a' + 10;
        else if ( c >= 'A' && c <= 'F' )
            d = c - 'A' + 10;
        else
            return false;
        if ( d >= base || v > (UINT64_MAX - d) / base )
            return false;
        v = v * base + d;
    }
    *val = v;
    return true;
}

static bool key_is(const char *k, size_t klen, const char *want)
{
    return strlen(want) == klen && !memcmp(k, want, klen);
}

/*
 * KEY=VALUE items separated by ',' (a KEY alone has an empty value), up to
 * a NUL or len.  Keys as Xen reads them; others are ignored.
 */
int xen_notes_parse_legacy(struct xen_guest_params *p, const char *s,
                           size_t len, const char **why)
{
    size_t pos = 0, end, klen, vlen;
    const char *k, *v;
    uint64_t num;
    int rc;

    len = strnlen(s, len);
    while ( pos < len )
    {
        for ( end = pos; end < len && s[end] != ','; end++ )
            ;
        k = s + pos;
        for ( klen = 0; pos + klen < end && k[klen] != '='; klen++ )
            ;
        v = k + klen + (pos + klen < end);
        vlen = s + end - v;
        pos = end + 1;

        if ( key_is(k, klen, "GUEST_OS") )
            set_str(p->guest_os, v, vlen);
        else if ( key_is(k, klen, "GUEST_VER") )
            set_str(p->guest_version, v, vlen);
        else if ( key_is(k, klen, "XEN_VER") )
            set_str(p->xen_version, v, vlen);
        else if ( key_is(k, klen, "LOADER") )
            set_str(p->loader, v, vlen);
        else if ( key_is(k, klen, "PAE") )
        {
            if ( key_is(v, vlen, "yes[extended-cr3]") )
                p->pae = XEN_PAE_EXTCR3;
            else if ( vlen >= 3 && !memcmp(v, "yes", 3) )
                p->pae = XEN_PAE_YES;
        }
        else if ( key_is(k, klen, "BSD_SYMTAB") )
            p->bsd_symtab = true;
        else if ( key_is(k, klen, "FEATURES") )
        {
            if ( (rc = parse_features(p, v, vlen, why)) )
                return rc;
        }
        else if ( key_is(k, klen, "VIRT_BASE") ||
                  key_is(k, klen, "VIRT_ENTRY") ||
                  key_is(k, klen, "ELF_PADDR_OFFSET") ||
                  key_is(k, klen, "HYPERCALL_PAGE") )
        {
            if ( !parse_u64(v, vlen, &num) )
                return refuse(p, why, "__xen_guest: %.*s=\"%.*s\" is not a "
                              "number", (int)klen, k,
                              (int)MIN(vlen, (size_t)32), v);
            if ( key_is(k, klen, "VIRT_BASE") )
            {
                p->virt_base = num;
                p->has_virt_base = true;
            }
            else if ( key_is(k, klen, "VIRT_ENTRY") )
            {
                p->entry = num;
                p->has_entry = true;
            }
            else if ( key_is(k, klen, "ELF_PADDR_OFFSET") )
            {
                p->paddr_offset = num;
                p->has_paddr_offset = true;
            }
            else
            {
                /* A page number, made relative to VIRT_BASE below. */
                if ( num > UINT64_MAX / HYPERCALL_PAGE_SIZE )
                    return refuse(p, why, "__xen_guest: HYPERCALL_PAGE "
                                  "%#llx is too large", X(num));
                p->hypercall_page = num * HYPERCALL_PAGE_SIZE;
                p->has_hypercall_page = true;
            }
        }
    }

    if ( p->has_hypercall_page && p->has_virt_base )
        p->hypercall_page += p->virt_base;
    return 0;
}

/* ---- the whole image ----------------------------------------------------- */

int xen_notes_parse(const struct elf_image *img, struct xen_guest_params *p,
                    const char **why)
{
    struct elf_phdr_info ph;
    struct elf_shdr_info sh;
    unsigned int i, total = 0, segment_notes;
    int rc;

    memset(p, 0, sizeof(*p));

    for ( i = 0; i < img->phnum; i++ )
    {
        elf_get_phdr(img, i, &ph);
        if ( ph.type != PT_NOTE || ph.offset == 0 )
            continue;
        rc = parse_region(p, ph.data, ph.filesz, ph.align, "note segment",
                          i, &total, why);
        if ( rc )
            return rc;
    }
    segment_notes = p->nr_xen_notes;

    /* The note sections, all of them, when no segment held a Xen note. */
    for ( i = 1; segment_notes == 0 && i < img->shnum; i++ )
    {
        elf_get_shdr(img, i, &sh);
        if ( sh.type != SHT_NOTE )
            continue;
        rc = parse_region(p, sh.data, sh.size, sh.addralign, "note section",
                          i, &total, why);
        if ( rc )
            return rc;
    }

    if ( p->nr_xen_notes )
    {
        p->source = XEN_PARAMS_NOTES;
        return 0;
    }

    if ( elf_find_section(img, LEGACY_SECTION, &sh) == 0 && sh.data )
    {
        p->source = XEN_PARAMS_LEGACY;
        return xen_notes_parse_legacy(p, (const char *)sh.data, sh.size, why);
    }

    return 0;
}

/* ---- checks -------------------------------------------------------------- */

static int check_identity(struct xen_guest_params *p, const char **why)
{
    if ( p->source == XEN_PARAMS_NONE )
        return refuse(p, why, "not a Xen PV kernel: no Xen ELF notes and "
                      "no " LEGACY_SECTION " section");
    if ( !has_prefix(p->loader, "generic") &&
         !has_prefix(p->guest_os, "linux") )
        return refuse(p, why, "LOADER \"%s\", GUEST_OS \"%s\": only images "
                      "for the generic loader or Linux can be loaded",
                      p->loader, p->guest_os);
    if ( !has_prefix(p->xen_version, XEN_VERSION_WANTED) )
        return refuse(p, why, "XEN_VERSION \"%s\": the kernel must be built "
                      "for " XEN_VERSION_WANTED, p->xen_version);
    return 0;
}

static int check_addresses(struct xen_guest_params *p,
                           const struct elf_image *img, const char **why)
{
    if ( p->has_paddr_offset && !p->has_virt_base )
        return refuse(p, why, "PADDR_OFFSET is given but VIRT_BASE is not");
    if ( !p->has_virt_base )
        p->virt_base = 0;
    if ( !p->has_paddr_offset )
        p->paddr_offset = p->source == XEN_PARAMS_LEGACY ? p->virt_base : 0;
    if ( !p->has_entry )
        p->entry = img->entry;

    p->virt_offset = p->virt_base - p->paddr_offset;
    p->virt_kstart = img->pstart + p->virt_offset;
    p->virt_kend = img->pend + p->virt_offset;

    /* pend > pstart, so only wrapping (to 2^64 or past) can fail this. */
    if ( p->virt_kend <= p->virt_kstart )
        return refuse(p, why, "kernel range %#llx-%#llx moved by %#llx "
                      "wraps around", X(img->pstart), X(img->pend),
                      X(p->virt_offset));
    if ( p->virt_base > p->virt_kstart )
        return refuse(p, why, "VIRT_BASE %#llx lies above the kernel start "
                      "%#llx", X(p->virt_base), X(p->virt_kstart));
    if ( p->entry < p->virt_kstart || p->entry >= p->virt_kend )
        return refuse(p, why, "entry point %#llx lies outside the kernel "
                      "%#llx-%#llx", X(p->entry), X(p->virt_kstart),
                      X(p->virt_kend));
    if ( p->has_hypercall_page &&
         ((p->hypercall_page & (HYPERCALL_PAGE_SIZE - 1)) ||
          p->hypercall_page < p->virt_kstart ||
          p->hypercall_page >= p->virt_kend ||
          p->virt_kend - p->hypercall_page < HYPERCALL_PAGE_SIZE) )
        return refuse(p, why, "HYPERCALL_PAGE %#llx is not a page inside "
                      "the kernel %#llx-%#llx", X(p->hypercall_page),
                      X(p->virt_kstart), X(p->virt_kend));
    if ( p->has_init_p2m && p->init_p2m >= p->virt_kstart &&
         p->init_p2m < p->virt_kend )
        return refuse(p, why, "INIT_P2M %#llx lies inside the kernel "
                      "%#llx-%#llx", X(p->init_p2m), X(p->virt_kstart),
                      X(p->virt_kend));
    return 0;
}

/* `supported` covers submap 0; revisit if Xen ever defines a second. */
BUILD_BUG_ON(XENFEAT_NR_SUBMAPS != 1);

static int check_features(struct xen_guest_params *p, uint32_t supported,
                          bool is_dom0, const char **why)
{
    uint32_t missing = p->features_required[0] & ~supported &
                       ~(1u << XENFEAT_writable_page_tables);

    if ( missing )
        return refuse(p, why, "kernel requires feature %s, which Keel does "
                      "not provide",
                      xen_notes_feature_name(__builtin_ctz(missing)) ?: "?");

    if ( is_dom0 && p->has_supported_features &&
         !feature_test(p->features_supported, XENFEAT_dom0) )
        return refuse(p, why, "kernel does not support dom0 operation "
                      "(no dom0 in SUPPORTED_FEATURES or FEATURES)");
    return 0;
}

int xen_notes_check(struct xen_guest_params *p, const struct elf_image *img,
                    uint32_t supported, bool is_dom0, const char **why)
{
    int rc;

    if ( (rc = check_identity(p, why)) ||
         (rc = check_addresses(p, img, why)) ||
         (rc = check_features(p, supported, is_dom0, why)) )
        return rc;
    if ( why )
        *why = NULL;
    return 0;
}
