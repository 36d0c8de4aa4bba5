/*
 * libdombuild: the PV domU builder (see include/dombuild.h for the layout
 * it produces and the contract).
 *
 * Order of work: unpack and check the image (nothing touched yet), plan
 * the layout, give the domain its memory (populate_physmap, which also
 * sets the M2P), then write the kernel, ramdisk, p2m list, start_info and
 * page tables through foreign mappings one frame at a time, fill the
 * hypercall page, pin the L4 (the hypervisor validates the whole tree
 * then) and set vCPU 0's context.  The image parsers are the hypervisor's
 * own (common/lib: elf.c, xen_notes.c, inflate.c), compiled unmodified.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <keel/types.h>
#include <keel/errno.h>
#include <keel/elf.h>
#include <keel/inflate.h>
#include <keel/xen_notes.h>
#include <dombuild.h>

#define MiB                 (1UL << 20)
#define BOOT_ALIGN          (4 * MiB)
#define BOOT_SPARE          (512 * 1024UL)
#define MAX_KERNEL_BYTES    (256 * MiB)
#define POPULATE_BATCH      512
#define PT_ENTRIES          512
#define START_INFO_MAGIC    "xen-3.0-x86_64"

#define PTE_P   0x001UL
#define PTE_RW  0x002UL
#define PTE_US  0x004UL
#define PTE_A   0x020UL
#define PTE_D   0x040UL
#define PTE_TABLE   (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define PTE_DATA    (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define PTE_RO      (PTE_P | PTE_US | PTE_A)

/* Features a domU kernel may require: as for dom0, without dom0. */
#define DOMU_SUPPORTED_FEATURES                                        \
    ((1U << XENFEAT_writable_page_tables) |                            \
     (1U << XENFEAT_pae_pgdir_above_4gb) |                             \
     (1U << XENFEAT_mmu_pt_update_preserve_ad) |                       \
     (1U << XENFEAT_highmem_assist) |                                  \
     (1U << XENFEAT_gnttab_map_avail_bits) |                           \
     (1U << XENFEAT_memory_op_vnode_supported))

struct layout {
    uint64_t v_start, v_end;
    uint64_t kern_end;
    uint64_t rd_start;                  /* 0: no ramdisk */
    uint64_t p2m_start;
    uint64_t si, store, console;
    uint64_t pt_start, pt_end;
    uint64_t stack;
    unsigned long nr_pt;
};

struct builder {
    struct kc_handle *h;
    const struct dombuild_params *p;
    struct layout l;
    xen_pfn_t *p2m;                     /* pfn -> mfn */
    void *win;                          /* current foreign mapping */
    unsigned long win_pfn;
    char *err;
    size_t errlen;
};

static int fail(struct builder *b, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct builder *b, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b->err, b->errlen, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- foreign frames ------------------------------------------------------ */

static void unmap_win(struct builder *b)
{
    if ( b->win )
        b->h->plat->unmap_foreign(b->h->plat->priv, b->win);
    b->win = NULL;
}

/* The domain's frame pfn, mapped writable (one at a time). */
static void *pfn_map(struct builder *b, unsigned long pfn)
{
    if ( pfn >= b->p->nr_pages )
        return NULL;
    if ( b->win && b->win_pfn == pfn )
        return b->win;
    unmap_win(b);
    b->win = b->h->plat->map_foreign(b->h->plat->priv, b->p->domid,
                                     b->p2m[pfn], true);
    b->win_pfn = pfn;
    return b->win;
}

static void *va_map(struct builder *b, uint64_t va)
{
    char *page;

    if ( va < b->l.v_start )
        return NULL;
    page = pfn_map(b, (va - b->l.v_start) >> PAGE_SHIFT);
    return page ? page + (va & (PAGE_SIZE - 1)) : NULL;
}

static void *elf_map_cb(uint64_t va, size_t len, void *ctx)
{
    if ( (va & (PAGE_SIZE - 1)) + len > PAGE_SIZE )
        return NULL;
    return va_map(ctx, va);
}

/* Copy len bytes to the domain at va (page-aligned), zero-filling pages. */
static int copy_out(struct builder *b, uint64_t va, const void *src,
                    size_t len)
{
    size_t off;

    for ( off = 0; off < len; off += PAGE_SIZE )
    {
        size_t n = len - off < PAGE_SIZE ? len - off : PAGE_SIZE;
        char *dst = va_map(b, va + off);

        if ( !dst )
            return -EFAULT;
        memcpy(dst, (const char *)src + off, n);
        memset(dst + n, 0, PAGE_SIZE - n);
    }
    return 0;
}

static int zero_page(struct builder *b, uint64_t va)
{
    void *dst = va_map(b, va);

    if ( !dst )
        return -EFAULT;
    memset(dst, 0, PAGE_SIZE);
    return 0;
}

/* ---- the image ----------------------------------------------------------- */

/* The ELF image: the input itself, or its gunzipped copy in *owned. */
static const uint8_t *unpack(struct builder *b, size_t *len, void **owned)
{
    const uint8_t *raw = b->p->kernel;
    size_t isize, out_len;
    uint8_t *out;

    *owned = NULL;
    *len = b->p->kernel_len;
    if ( *len < 2 || raw[0] != 0x1f || raw[1] != 0x8b )
        return raw;
    if ( gzip_probe(raw, *len, &isize) || !isize ||
         isize > MAX_KERNEL_BYTES )
    {
        fail(b, -EINVAL, "kernel: gzip data is truncated, corrupt or "
             "larger than %lu MiB uncompressed", MAX_KERNEL_BYTES / MiB);
        return NULL;
    }
    if ( (out = malloc(isize)) == NULL )
    {
        fail(b, -ENOMEM, "kernel: no memory to decompress %zu bytes", isize);
        return NULL;
    }
    if ( gunzip(raw, *len, out, isize, &out_len) || out_len != isize )
    {
        free(out);
        fail(b, -EINVAL, "kernel: gzip data is corrupt or truncated");
        return NULL;
    }
    *owned = out;
    *len = out_len;
    return out;
}

/* Page-table pages needed to map [start, end) with 4 KiB pages. */
static unsigned long tables_for(uint64_t start, uint64_t end)
{
    unsigned long n = 1;
    unsigned int shift;

    for ( shift = 39; shift >= 21; shift -= 9 )
        n += ((end - 1) >> shift) - (start >> shift) + 1;
    return n;
}

static int plan(struct builder *b, const struct xen_guest_params *g)
{
    struct layout *l = &b->l;
    unsigned long i, need;
    uint64_t v;

    l->v_start = g->virt_base;
    l->kern_end = ROUNDUP(g->virt_kend, PAGE_SIZE);
    v = l->kern_end;
    if ( b->p->ramdisk_len )
    {
        l->rd_start = v;
        v = ROUNDUP(v + b->p->ramdisk_len, PAGE_SIZE);
    }
    l->p2m_start = v;
    v = ROUNDUP(v + b->p->nr_pages * sizeof(xen_pfn_t), PAGE_SIZE);
    l->si = v;
    l->store = v + PAGE_SIZE;
    l->console = v + 2 * PAGE_SIZE;
    l->pt_start = v + 3 * PAGE_SIZE;
    /* The tables map themselves: grow until the count settles. */
    for ( i = 1; i < 4096; i++ )
    {
        l->pt_end = l->pt_start + i * PAGE_SIZE;
        l->stack = l->pt_end;
        l->v_end = ROUNDUP(l->stack + PAGE_SIZE + BOOT_SPARE, BOOT_ALIGN);
        if ( tables_for(l->v_start, l->v_end) <= i )
            break;
    }
    l->nr_pt = i;
    if ( l->v_end <= l->v_start || i == 4096 )
        return fail(b, -EINVAL, "kernel: its virtual range %#llx-%#llx "
                    "cannot be mapped", (unsigned long long)g->virt_kstart,
                    (unsigned long long)g->virt_kend);
    need = (l->v_end - l->v_start) >> PAGE_SHIFT;
    if ( need > b->p->nr_pages )
        return fail(b, -ENOMEM, "memory: the kernel%s and boot mappings "
                    "need %lu MiB, the domain has %lu MiB: raise memory",
                    b->p->ramdisk_len ? ", ramdisk" : "",
                    (need + 255) >> 8, b->p->nr_pages >> 8);
    return 0;
}

/* ---- memory and contents ---------------------------------------------- */

static int populate(struct builder *b)
{
    unsigned long pfn, n, i;
    long rc;

    for ( pfn = 0; pfn < b->p->nr_pages; pfn += n )
    {
        n = b->p->nr_pages - pfn;
        if ( n > POPULATE_BATCH )
            n = POPULATE_BATCH;
        for ( i = 0; i < n; i++ )
            b->p2m[pfn + i] = pfn + i;
        rc = kc_populate_physmap(b->h, b->p->domid, &b->p2m[pfn], n);
        if ( rc < 0 )
            return fail(b, (int)rc, "memory: populate_physmap failed "
                        "(%ld)", rc);
        if ( (unsigned long)rc != n )
            return fail(b, -ENOMEM, "memory: only %lu of %lu MiB could be "
                        "given to the domain: not enough free memory, or "
                        "above its maximum", (pfn + rc) >> 8,
                        b->p->nr_pages >> 8);
    }
    return 0;
}

static void fill_start_info(struct builder *b, struct start_info *si,
                            xen_pfn_t shared_info_frame)
{
    const struct layout *l = &b->l;
    const char *cmd = b->p->cmdline ? b->p->cmdline : "";
    size_t n = strlen(cmd);

    memset(si, 0, PAGE_SIZE);
    memcpy(si->magic, START_INFO_MAGIC, sizeof(START_INFO_MAGIC));
    si->nr_pages = b->p->nr_pages;
    si->shared_info = shared_info_frame << PAGE_SHIFT;
    si->store_mfn = b->p2m[(l->store - l->v_start) >> PAGE_SHIFT];
    si->store_evtchn = b->p->store_evtchn;
    si->console.domU.mfn = b->p2m[(l->console - l->v_start) >> PAGE_SHIFT];
    si->console.domU.evtchn = b->p->console_evtchn;
    si->pt_base = l->pt_start;
    si->nr_pt_frames = l->nr_pt;
    si->mfn_list = l->p2m_start;
    if ( b->p->ramdisk_len )
    {
        si->mod_start = l->rd_start;
        si->mod_len = b->p->ramdisk_len;
    }
    if ( n >= MAX_GUEST_CMDLINE )
        n = MAX_GUEST_CMDLINE - 1;
    memcpy(si->cmd_line, cmd, n);
}

/*
 * Build the tables in local memory (table i is pfn pt_start/4K + i), then
 * copy them out.  Returns the L4's MFN, 0 on failure.
 */
static xen_pfn_t build_tables(struct builder *b)
{
    const struct layout *l = &b->l;
    unsigned long first = (l->pt_start - l->v_start) >> PAGE_SHIFT, used = 1;
    uint64_t *t = calloc(l->nr_pt, PAGE_SIZE), va;
    xen_pfn_t l4;
    unsigned long i;

    if ( !t )
        return 0;
    for ( va = l->v_start; va < l->v_end; va += PAGE_SIZE )
    {
        uint64_t *tab = t;              /* table 0: the L4 */
        unsigned long pfn = (va - l->v_start) >> PAGE_SHIFT;
        unsigned int shift;

        for ( shift = 39; shift > 12; shift -= 9 )
        {
            uint64_t *e = &tab[(va >> shift) & (PT_ENTRIES - 1)];
            unsigned long idx;

            if ( !*e )
            {
                if ( used == l->nr_pt )
                {
                    free(t);
                    return 0;
                }
                idx = used++;
                *e = ((uint64_t)b->p2m[first + idx] << PAGE_SHIFT) |
                     PTE_TABLE;
            }
            else
            {
                /* Find the local copy by its MFN among the tables. */
                for ( idx = 1; idx < used; idx++ )
                    if ( b->p2m[first + idx] == (*e >> PAGE_SHIFT) )
                        break;
            }
            tab = t + idx * PT_ENTRIES;
        }
        tab[(va >> 12) & (PT_ENTRIES - 1)] =
            ((uint64_t)b->p2m[pfn] << PAGE_SHIFT) |
            (va >= l->pt_start && va < l->pt_end ? PTE_RO : PTE_DATA);
    }
    for ( i = 0; i < l->nr_pt; i++ )
        if ( copy_out(b, l->pt_start + i * PAGE_SIZE, t + i * PT_ENTRIES,
                      PAGE_SIZE) )
        {
            free(t);
            return 0;
        }
    l4 = b->p2m[first];
    free(t);
    return l4;
}

/*
 * shared_info as the guest must first see it: zeroed, every vCPU's event
 * upcalls masked until the guest has registered its callbacks (Xen leaves
 * this to the builder; an event arriving before that would be delivered
 * to address 0 and crash the guest).
 */
static int init_shared_info(struct builder *b, xen_pfn_t frame)
{
    struct shared_info *si;
    unsigned int i;

    unmap_win(b);
    si = b->h->plat->map_foreign(b->h->plat->priv, b->p->domid, frame,
                                 true);
    if ( !si )
        return fail(b, -EFAULT, "shared_info: could not be mapped");
    memset(si, 0, PAGE_SIZE);
    for ( i = 0; i < XEN_LEGACY_MAX_VCPUS; i++ )
        si->vcpu_info[i].evtchn_upcall_mask = 1;
    b->h->plat->unmap_foreign(b->h->plat->priv, si);
    return 0;
}

static int set_context(struct builder *b, const struct xen_guest_params *g,
                       xen_pfn_t l4)
{
    struct vcpu_guest_context *c = calloc(1, sizeof(*c));
    int rc;

    if ( !c )
        return fail(b, -ENOMEM, "no memory for the vCPU context");
    c->flags = VGCF_in_kernel | VGCF_online;
    c->user_regs.rip = g->entry;
    c->user_regs.rsp = b->l.stack + PAGE_SIZE;
    c->user_regs.rsi = b->l.si;
    c->user_regs.rflags = 1UL << 9;             /* IF */
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS;
    c->user_regs.fs = c->user_regs.gs = FLAT_KERNEL_DS;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = b->l.stack + PAGE_SIZE;
    c->ctrlreg[3] = l4 << PAGE_SHIFT;
    rc = kc_vcpu_setcontext(b->h, b->p->domid, 0, c);
    free(c);
    return rc ? fail(b, rc, "vCPU 0: setvcpucontext failed (%d)", rc) : 0;
}

static int load(struct builder *b, const struct elf_image *elf,
                const struct xen_guest_params *g)
{
    struct xen_domctl_getdomaininfo info;
    const struct layout *l = &b->l;
    unsigned long pfn;
    struct start_info *si;
    xen_pfn_t l4;
    int rc;

    if ( (rc = kc_domain_getinfo(b->h, b->p->domid, &info)) != 0 )
        return fail(b, rc, "domain %u: getdomaininfo failed (%d)",
                    b->p->domid, rc);
    if ( (rc = populate(b)) != 0 )
        return rc;
    if ( elf_load(elf, g->virt_offset, elf_map_cb, b) )
        return fail(b, -EFAULT, "kernel: a segment could not be written");
    if ( b->p->ramdisk_len &&
         copy_out(b, l->rd_start, b->p->ramdisk, b->p->ramdisk_len) )
        return fail(b, -EFAULT, "ramdisk: could not be written");
    if ( copy_out(b, l->p2m_start, b->p2m,
                  b->p->nr_pages * sizeof(xen_pfn_t)) )
        return fail(b, -EFAULT, "p2m list: could not be written");
    if ( (si = va_map(b, l->si)) == NULL )
        return fail(b, -EFAULT, "start_info: could not be mapped");
    fill_start_info(b, si, info.shared_info_frame);
    if ( zero_page(b, l->store) || zero_page(b, l->console) ||
         zero_page(b, l->stack) )
        return fail(b, -EFAULT, "ring pages: could not be written");
    if ( (l4 = build_tables(b)) == 0 )
        return fail(b, -EFAULT, "page tables: could not be built");
    unmap_win(b);               /* no writable mapping of a table remains */
    if ( (rc = init_shared_info(b, info.shared_info_frame)) != 0 )
        return rc;

    if ( g->has_hypercall_page )
    {
        pfn = (g->hypercall_page - l->v_start) >> PAGE_SHIFT;
        if ( g->hypercall_page < l->v_start || pfn >= b->p->nr_pages ||
             (rc = kc_domain_hypercall_init(b->h, b->p->domid,
                                            b->p2m[pfn])) != 0 )
            return fail(b, rc ? rc : -EINVAL, "kernel: hypercall page at "
                        "%#llx could not be filled (%d)",
                        (unsigned long long)g->hypercall_page, rc);
    }
    if ( (rc = kc_mmuext(b->h, b->p->domid, MMUEXT_PIN_L4_TABLE, l4)) != 0 )
        return fail(b, rc, "page tables: the hypervisor refused them (%d)",
                    rc);
    return set_context(b, g, l4);
}

int dombuild_pv(struct kc_handle *h, const struct dombuild_params *p,
                struct dombuild_result *r, char *err, size_t errlen)
{
    struct builder b = { .h = h, .p = p, .err = err, .errlen = errlen };
    struct xen_guest_params g;
    struct elf_image elf;
    const uint8_t *image;
    const char *why = NULL;
    void *owned;
    size_t len;
    int rc;

    if ( errlen )
        err[0] = '\0';
    memset(r, 0, sizeof(*r));
    if ( !p->nr_pages || p->nr_pages > (1UL << 28) )
        return fail(&b, -EINVAL, "memory: %lu pages is not a size Keel "
                    "builds", p->nr_pages);
    if ( (image = unpack(&b, &len, &owned)) == NULL )
        return -EINVAL;
    if ( elf_init(&elf, image, len, &why) )
        rc = fail(&b, -EINVAL, "kernel: not a usable ELF image: %s", why);
    else if ( xen_notes_parse(&elf, &g, &why) ||
              xen_notes_check(&g, &elf, DOMU_SUPPORTED_FEATURES, false,
                              &why) )
        rc = fail(&b, -EINVAL, "kernel: %s", why);
    else if ( (rc = plan(&b, &g)) == 0 )
    {
        if ( (b.p2m = calloc(p->nr_pages, sizeof(xen_pfn_t))) == NULL )
            rc = fail(&b, -ENOMEM, "no memory for a %lu-entry p2m",
                      p->nr_pages);
        else
            rc = load(&b, &elf, &g);
    }
    unmap_win(&b);
    if ( rc == 0 )
    {
        r->console_mfn = b.p2m[(b.l.console - b.l.v_start) >> PAGE_SHIFT];
        r->store_mfn = b.p2m[(b.l.store - b.l.v_start) >> PAGE_SHIFT];
        r->virt_base = b.l.v_start;
        r->virt_end = b.l.v_end;
        r->entry = g.entry;
        snprintf(r->guest_os, sizeof(r->guest_os), "%s", g.guest_os);
    }
    free(b.p2m);
    free(owned);
    return rc;
}
