/*
 * The dom0 builder.  Module 0 is dom0's kernel (ELF64, possibly gzip-
 * compressed), module 1 its initrd.  The guest's initial virtual layout,
 * from v_start = VIRT_BASE upwards, is the one the PV ABI describes:
 *
 *   kernel image | initrd (unless MOD_START_PFN) | p2m list | start_info
 *   | page tables (L4, L3s, L2s, L1s; mapped read-only) | boot stack
 *   | spare, v_end rounded up to 4 MiB with at least 512 KiB free
 *
 * Pseudo-physical frame p backs virtual address v_start + p * 4 KiB in
 * that region; the rest of dom0's memory follows.  The top-level table is
 * validated and pinned through the normal page-type code, so dom0 starts
 * under exactly the rules every later page-table update must follow.
 *
 * Every refusal says what is wrong with the image; nothing here can fault.
 */
#include <keel/console_params.h>
#include <keel/dom0_params.h>
#include <keel/domain.h>
#include <keel/elf.h>
#include <keel/errno.h>
#include <keel/inflate.h>
#include <keel/lib.h>
#include <keel/param.h>
#include <keel/sched.h>
#include <keel/xen_notes.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/pv/dom0_build.h>
#include <asm/pv/traps.h>
#include <asm/x86-defs.h>
#include <public/features.h>
#include <public/xen.h>

#define MiB                 (1UL << 20)
#define BOOT_ALIGN          (4 * MiB)
#define BOOT_SPARE          (512 * 1024UL)
#define MAX_GUNZIP_BYTES    (512 * MiB)
#define START_INFO_MAGIC    "xen-3.0-x86_64"
#define DOM0_CONSOLE_OFFSET 1168            /* after struct start_info */
#define HYPERCALL_STUB_SIZE 32
/*
 * Features a dom0 kernel may require.  writable_page_tables is accepted
 * though never reported, as Xen does: the emulation covers what kernels
 * that ask for it actually do.
 */
#define KEEL_SUPPORTED_FEATURES                                        \
    ((1U << XENFEAT_writable_page_tables) |                            \
     (1U << XENFEAT_pae_pgdir_above_4gb) |                             \
     (1U << XENFEAT_mmu_pt_update_preserve_ad) |                       \
     (1U << XENFEAT_highmem_assist) |                                  \
     (1U << XENFEAT_gnttab_map_avail_bits) |                           \
     (1U << XENFEAT_memory_op_vnode_supported) |                       \
     (1U << XENFEAT_dom0))
#define PTE_GUEST_RW  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
                       _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_GUEST_RO  (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

/* Everything the builder decides before touching guest memory. */
struct dom0_layout {
    uint64_t v_start, v_end;
    uint64_t kern_start, kern_end;
    uint64_t initrd_start, initrd_end;      /* virtual; 0 if unmapped */
    uint64_t p2m_start, p2m_end;
    uint64_t si_start;
    uint64_t pt_start, pt_end;
    uint64_t stack_start;
    unsigned long nr_pt_pages;
    unsigned long nr_pages;                 /* all of dom0's memory */
    unsigned long initrd_pfn;               /* MOD_START_PFN placement */
};

static void refuse_msg(const char *what, const char *why)
{
    printk(KLOG_ERR "dom0 kernel: %s: %s\n", what, why);
}

/* Page-table pages needed to map [start, end) with 4 KiB pages. */
static unsigned long tables_for(uint64_t start, uint64_t end)
{
    unsigned long n = 1;                    /* the L4 */
    unsigned int shift;

    for ( shift = L4_SHIFT; shift >= L2_SHIFT; shift -= 9 )
        n += ((end - 1) >> shift) - (start >> shift) + 1;
    return n;
}

static int plan_layout(struct dom0_layout *l, const struct xen_guest_params *p,
                       uint64_t kstart, uint64_t kend, size_t initrd_len,
                       unsigned long nr_pages)
{
    uint64_t v;
    unsigned long i;

    l->v_start = p->virt_base;
    l->kern_start = kstart;
    l->kern_end = ROUNDUP(kend, PAGE_SIZE);
    v = l->kern_end;
    if ( initrd_len && !p->mod_start_pfn )
    {
        l->initrd_start = v;
        l->initrd_end = ROUNDUP(v + initrd_len, PAGE_SIZE);
        v = l->initrd_end;
    }
    l->nr_pages = nr_pages;
    l->p2m_start = v;
    l->p2m_end = ROUNDUP(v + nr_pages * sizeof(uint64_t), PAGE_SIZE);
    l->si_start = l->p2m_end;
    l->pt_start = l->si_start + PAGE_SIZE;

    /* The tables map themselves: iterate until the count settles. */
    for ( i = 1; ; i++ )
    {
        l->pt_end = l->pt_start + i * PAGE_SIZE;
        l->stack_start = l->pt_end;
        l->v_end = ROUNDUP(l->stack_start + PAGE_SIZE + BOOT_SPARE,
                           BOOT_ALIGN);
        if ( tables_for(l->v_start, l->v_end) <= i )
            break;
    }
    l->nr_pt_pages = i;
    if ( l->v_end < l->v_start ||
         ((l->v_end - l->v_start) >> PAGE_SHIFT) > nr_pages )
    {
        printk(KLOG_ERR "dom0: the initial mappings need %lu MiB but dom0 "
               "has %lu MiB: raise dom0_mem\n",
               (unsigned long)((l->v_end - l->v_start) / MiB),
               nr_pages >> (20 - PAGE_SHIFT));
        return -ENOMEM;
    }
    l->initrd_pfn = (l->v_end - l->v_start) >> PAGE_SHIFT;
    if ( initrd_len && p->mod_start_pfn &&
         l->initrd_pfn + (ROUNDUP(initrd_len, PAGE_SIZE) >> PAGE_SHIFT) >
         nr_pages )
    {
        printk(KLOG_ERR "dom0: initrd does not fit in dom0_mem\n");
        return -ENOMEM;
    }
    return 0;
}

/* dom0's pseudo-physical memory: pfn -> mfn, built at allocation. */
struct dom0_mem {
    struct domain *d;
    uint64_t *p2m;                          /* hypervisor copy */
    uint64_t v_start;
    unsigned long nr_pages;
};

static void *pfn_ptr(const struct dom0_mem *m, unsigned long pfn)
{
    return mfn_to_virt(_mfn(m->p2m[pfn]));
}

/* Hypervisor pointer for guest virtual address va in the boot region. */
static void *va_ptr(const struct dom0_mem *m, uint64_t va)
{
    unsigned long pfn = (va - m->v_start) >> PAGE_SHIFT;

    if ( va < m->v_start || pfn >= m->nr_pages )
        return NULL;
    return (char *)pfn_ptr(m, pfn) + (va & (PAGE_SIZE - 1));
}

static int allocate_memory(struct dom0_mem *m)
{
    unsigned long pfn = 0, order;
    struct page_info *pg;

    m->p2m = alloc_xenheap_pages(
        get_order_from_bytes(m->nr_pages * sizeof(uint64_t)));
    if ( !m->p2m )
        return -ENOMEM;
    while ( pfn < m->nr_pages )
    {
        /* Largest power-of-two chunk that fits what is left. */
        for ( order = MAX_ORDER; (1UL << order) > m->nr_pages - pfn; order-- )
            continue;
        while ( (pg = alloc_heap_pages(order, 0)) == NULL && order )
            order--;
        if ( !pg || domain_assign_page(m->d, pg, order, false) )
        {
            printk(KLOG_ERR "dom0: out of memory after %lu of %lu pages\n",
                   pfn, m->nr_pages);
            return -ENOMEM;
        }
        for ( unsigned long i = 0; i < (1UL << order); i++, pfn++ )
        {
            m->p2m[pfn] = mfn_x(page_to_mfn(pg)) + i;
            set_gpfn_from_mfn(_mfn(m->p2m[pfn]), pfn);
        }
    }
    return 0;
}

/*
 * Build the initial page tables in the pt region: map [v_start, v_end)
 * 1:1 onto pfns, read-only for the page-table pages themselves.
 */
static uint64_t build_page_tables(const struct dom0_mem *m,
                                  const struct dom0_layout *l)
{
    unsigned long next_pt = (l->pt_start - l->v_start) >> PAGE_SHIFT;
    unsigned long l4_pfn = next_pt++;
    uint64_t *l4 = pfn_ptr(m, l4_pfn), va;

    memset(l4, 0, PAGE_SIZE);
    for ( va = l->v_start; va < l->v_end; va += PAGE_SIZE )
    {
        uint64_t *t = l4;
        unsigned int shift;
        unsigned long pfn = (va - l->v_start) >> PAGE_SHIFT;

        for ( shift = L4_SHIFT; shift > L1_SHIFT; shift -= 9 )
        {
            uint64_t *e = &t[pt_index(va, shift)];

            if ( !(*e & _PAGE_PRESENT) )
            {
                unsigned long tp = next_pt++;

                memset(pfn_ptr(m, tp), 0, PAGE_SIZE);
                *e = ((uint64_t)m->p2m[tp] << PAGE_SHIFT) | PTE_GUEST_RW;
            }
            t = mfn_to_virt(_mfn((*e & PADDR_MASK) >> PAGE_SHIFT));
        }
        t[pt_index(va, L1_SHIFT)] = ((uint64_t)m->p2m[pfn] << PAGE_SHIFT) |
            (va >= l->pt_start && va < l->pt_end ? PTE_GUEST_RO
                                                 : PTE_GUEST_RW);
    }
    return m->p2m[l4_pfn];
}

void pv_write_hypercall_page(void *page)
{
    uint8_t *p = page;
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE / HYPERCALL_STUB_SIZE; i++, p += 32 )
    {
        /* push %rcx; push %r11; mov $i,%eax; syscall; pop %r11; pop %rcx;
         * ret.  The iret stub also pushes rax and never returns. */
        static const uint8_t call[] = { 0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0,
                                        0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
        static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 0, 0,
                                        0, 0, 0x0f, 0x05 };

        memset(p, 0xcc, HYPERCALL_STUB_SIZE);   /* int3 padding */
        if ( i == __HYPERVISOR_iret )
        {
            memcpy(p, iret, sizeof(iret));
            memcpy(p + 5, &i, sizeof(uint32_t));
        }
        else
        {
            memcpy(p, call, sizeof(call));
            memcpy(p + 4, &i, sizeof(uint32_t));
        }
    }
}

static void *elf_map_cb(uint64_t vaddr, size_t len, void *ctx)
{
    const struct dom0_mem *m = ctx;

    /* Callers copy at most one page at a time within a page. */
    if ( ((vaddr & (PAGE_SIZE - 1)) + len) > PAGE_SIZE )
        return NULL;
    return va_ptr(m, vaddr);
}

/* The dom0 command line: module string minus its first word, + extra. */
static void dom0_cmdline(char *buf, size_t size, const struct boot_info *bi)
{
    const char *mod = cmdline_cook(bi->modules[0].cmdline, bi->loader);
    const char *extra = cmdline_dom0_extra();

    snprintf(buf, size, "%s%s%s", mod, *mod && *extra ? " " : "", extra);
}

static void fill_start_info(struct start_info *si, const struct dom0_mem *m,
                            const struct dom0_layout *l,
                            const struct boot_info *bi, size_t initrd_len,
                            bool mod_start_pfn)
{
    struct dom0_vga_console_info *ci =
        (void *)((char *)si + DOM0_CONSOLE_OFFSET);

    memset(si, 0, PAGE_SIZE);
    memcpy(si->magic, START_INFO_MAGIC, sizeof(START_INFO_MAGIC));
    si->nr_pages = m->nr_pages;
    si->shared_info = (uint64_t)mfn_x(m->d->shared_info_mfn) << PAGE_SHIFT;
    si->flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    si->pt_base = l->pt_start;
    si->nr_pt_frames = l->nr_pt_pages;
    si->mfn_list = l->p2m_start;
    if ( initrd_len )
    {
        if ( mod_start_pfn )
        {
            si->flags |= SIF_MOD_START_PFN;
            si->mod_start = l->initrd_pfn;
        }
        else
            si->mod_start = l->initrd_start;
        si->mod_len = initrd_len;
    }
    dom0_cmdline((char *)si->cmd_line, sizeof(si->cmd_line), bi);
    if ( opt_console & CONSOLE_VGA )
    {
        ci->video_type = XEN_VGATYPE_TEXT_MODE_3;
        ci->u.text_mode_3.font_height = 16;
        ci->u.text_mode_3.rows = 25;
        ci->u.text_mode_3.columns = 80;
        si->console.dom0.info_off = DOM0_CONSOLE_OFFSET;
        si->console.dom0.info_size = sizeof(*ci);
    }
}

/* Decompress a gzip module into heap pages; *owned says what to free. */
static const uint8_t *unpack(const uint8_t *raw, size_t len, size_t *out_len,
                             void **owned, unsigned int *owned_order)
{
    size_t isize;
    uint8_t *out;
    int rc;

    *owned = NULL;
    if ( len < 2 || raw[0] != 0x1f || raw[1] != 0x8b )
    {
        *out_len = len;
        return raw;
    }
    if ( gzip_probe(raw, len, &isize) )
    {
        refuse_msg("gzip", "not a gzip stream Keel can read (bad header)");
        return NULL;
    }
    if ( isize == 0 || isize > MAX_GUNZIP_BYTES )
    {
        printk(KLOG_ERR "dom0 kernel: gzip: the trailer claims %lu bytes "
               "uncompressed; Keel accepts 1 byte to %lu MiB: the module is "
               "truncated, corrupt or too large\n", (unsigned long)isize,
               MAX_GUNZIP_BYTES / MiB);
        return NULL;
    }
    *owned_order = get_order_from_bytes(isize);
    out = alloc_xenheap_pages(*owned_order);
    if ( !out )
    {
        refuse_msg("gzip", "not enough memory to decompress");
        return NULL;
    }
    rc = gunzip(raw, len, out, isize, out_len);
    if ( rc )
    {
        refuse_msg("gzip", rc == -ENOSPC || rc == -E2BIG
                   ? "decompresses to more than its trailer says"
                   : "corrupt or truncated data");
        free_xenheap_pages(out, *owned_order);
        return NULL;
    }
    *owned = out;
    return out;
}

int dom0_construct(const struct boot_info *bi)
{
    const uint8_t *raw = maddr_to_virt(bi->modules[0].start), *image;
    size_t raw_len = bi->modules[0].end - bi->modules[0].start, len;
    size_t initrd_len = bi->nr_modules > 1
        ? bi->modules[1].end - bi->modules[1].start : 0;
    struct xen_guest_params parms;
    struct elf_image elf;
    struct dom0_layout l = { 0 };
    struct dom0_mem m = { NULL, NULL, 0, 0 };
    struct domain *d;
    struct vcpu *v;
    unsigned int nr_vcpus, owned_order = 0;
    void *owned;
    const char *why = NULL;
    mfn_t l4;
    int rc;

    printk("*** Building dom0: kernel %lu bytes%s ***\n",
           (unsigned long)raw_len, initrd_len ? ", with initrd" : "");
    image = unpack(raw, raw_len, &len, &owned, &owned_order);
    if ( !image )
        return -EINVAL;
    if ( elf_init(&elf, image, len, &why) )
    {
        refuse_msg("ELF", why);
        rc = -EINVAL;
        goto out;
    }
    if ( xen_notes_parse(&elf, &parms, &why) ||
         xen_notes_check(&parms, &elf, KEEL_SUPPORTED_FEATURES, true, &why) )
    {
        refuse_msg("Xen notes", why);
        rc = -EINVAL;
        goto out;
    }

    nr_vcpus = dom0_compute_max_vcpus(nr_cpus_online, MAX_VIRT_CPUS);
    d = domain_create(0, nr_vcpus, true);
    if ( !d )
    {
        rc = -ENOMEM;
        goto out;
    }
    m = (struct dom0_mem){ d, NULL, parms.virt_base,
                           dom0_compute_nr_pages(total_free_pages()) };
    d->max_pages = MIN(dom0_compute_max_pages(total_free_pages()),
                       (unsigned long)UINT32_MAX);
    if ( (rc = plan_layout(&l, &parms, parms.virt_kstart, parms.virt_kend,
                           initrd_len, m.nr_pages)) ||
         (rc = allocate_memory(&m)) )
        goto out;

    /* Kernel, hypercall page, initrd, p2m, start_info, tables. */
    if ( elf_load(&elf, parms.virt_offset, elf_map_cb, &m) )
    {
        refuse_msg("ELF", "a segment does not fit the boot mappings");
        rc = -EINVAL;
        goto out;
    }
    if ( parms.has_hypercall_page )
        pv_write_hypercall_page(va_ptr(&m, parms.hypercall_page));
    if ( initrd_len )
    {
        const uint8_t *src = maddr_to_virt(bi->modules[1].start);
        unsigned long pfn = parms.mod_start_pfn ? l.initrd_pfn
                            : (l.initrd_start - l.v_start) >> PAGE_SHIFT;
        size_t off;

        for ( off = 0; off < initrd_len; off += PAGE_SIZE, pfn++ )
            memcpy(pfn_ptr(&m, pfn), src + off,
                   MIN((size_t)PAGE_SIZE, initrd_len - off));
    }
    for ( unsigned long pfn = 0; pfn < m.nr_pages; pfn++ )
        *(uint64_t *)va_ptr(&m, l.p2m_start + pfn * sizeof(uint64_t)) =
            m.p2m[pfn];
    fill_start_info(va_ptr(&m, l.si_start), &m, &l, bi, initrd_len,
                    parms.mod_start_pfn);
    l4 = _mfn(build_page_tables(&m, &l));

    rc = pv_pin_initial_l4(d, l4);
    if ( rc )
    {
        printk(KLOG_ERR "dom0: initial page tables rejected (%d): a Keel "
               "bug\n", rc);
        goto out;
    }

    v = d->vcpu[0];
    v->arch.guest_table = l4;
    v->arch.kernel_mode = true;
    v->arch.user_regs = (struct cpu_user_regs){
        .rip = parms.entry,
        .rsp = l.stack_start + PAGE_SIZE,
        .rsi = l.si_start,
        .rflags = X86_EFLAGS_IF | 2,
        .cs = FLAT_RING3_CS64,
        .ss = FLAT_RING3_DS,
    };
    v->is_initialised = v->is_up = true;

    printk("dom0: %lu MiB, %u vCPU(s), image %#lx-%#lx, entry %#lx, "
           "command line \"%s\"\n", m.nr_pages >> (20 - PAGE_SHIFT), nr_vcpus,
           (unsigned long)l.v_start, (unsigned long)l.v_end,
           (unsigned long)parms.entry,
           ((struct start_info *)va_ptr(&m, l.si_start))->cmd_line);
    wallclock_publish(d);
    hardware_domain = d;
    domain_unpause(d);
    rc = 0;

 out:
    if ( owned )
        free_xenheap_pages(owned, owned_order);
    if ( m.p2m && rc == 0 )
        free_xenheap_pages(m.p2m, get_order_from_bytes(m.nr_pages * 8));
    return rc;
}
