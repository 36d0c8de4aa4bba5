/*
 * descr: the descriptor-table hypercalls of a 64-bit PV guest.
 *
 * Cases (gdt.c; the LDT and bad selectors are in ldt.c):
 *  - set_gdt: a one-frame GDT (entries 16) with flat 64-bit code, data,
 *    DPL 0 data and code, a byte-granular data segment, a not-present
 *    descriptor with garbage, an execute-only code segment and a data
 *    segment with a base is accepted; LSL/LAR see the limits and rights;
 *    DS, SS and FS load from it (FS takes the descriptor's base, read back
 *    through RDMSR); a far jump to its code selectors runs there (int3
 *    inside is delivered with the frame's CS RPL cleared and returns to
 *    it; QEMU TCG: far transfers use LJMP, see run_in_cs());
 *    SEGBASE_GS_USER_SEL with its based selector sets the user GS base
 *    (RDMSR SHADOW_GS_BASE), with a selector that does not load it
 *    returns 0 and leaves base 0.
 *  - Xen: descriptors with DPL 0-2 are accepted and rewritten to DPL 3 in
 *    the guest's own frame; not-present ones are left as they are; a call
 *    gate to a guest or the flat kernel selector is accepted, stored with
 *    DPL 0 and RPL 3 in its target selector; conforming code is accepted
 *    (DPL 3); every descriptor of a frame is checked, also those past
 *    `entries`.
 *  - Xen: the GDT limit is not `entries`: a selector past it in the same
 *    frame loads; past the installed frames the descriptor is zero:
 *    #GP(selector).
 *  - set_gdt hostile: entries 7169 -EINVAL (even with a bad pointer); the
 *    frame list pointer unmapped or in the hypervisor -EFAULT; a frame
 *    still mapped writable, a page-table frame, the hypervisor's frame, a
 *    frame past RAM: -EINVAL; a frame holding a present TSS or LDT
 *    descriptor, a call gate to the hypervisor's CS, or a gate with
 *    reserved bits: -EINVAL; a failed call leaves the old GDT working.
 *  - a 14-frame GDT (7168 entries): the last entry loads; entries 0
 *    removes the GDT.
 *  - an installed GDT frame cannot be mapped writable (Xen: -EBUSY); once
 *    replaced it can.
 *  - update_descriptor: on a plain page (read back, DPL fixed up), on the
 *    live GDT (LSL sees the new limit at once, a not-present one is
 *    #NP(sel), a refused one leaves the entry as it was); misaligned, the
 *    hypervisor's frame, a frame past RAM, a page-table frame, a present
 *    system descriptor: -EINVAL; a not-present one with garbage: 0.
 */
#include "descr.h"

const char test_name[] = "descr";

unsigned long xen_mfn;
uint16_t orig_ds;

void *new_page(void)
{
    void *p = pv_alloc_page();

    if ( !p )
        test_abort("out of pages");
    return p;
}

long make_ro(void *va)
{
    return pv_set_page_ro(va);
}

uint64_t maddr_of(const void *va)
{
    return (virt_to_mfn(va) << PAGE_SHIFT) | ((unsigned long)va & 0xfff);
}

/*
 * Far transfers go through LJMP m16:64, not LRET: QEMU's TCG pops a far
 * return frame with a supervisor-mode access, which SMAP (enabled by the
 * hypervisor) refuses on the guest's user-accessible stack at CPL 3.
 */
struct far_ptr {
    uint64_t rip;
    uint16_t cs;
} __attribute__((packed));

struct far_ptr far_there __used, far_back __used;

uint16_t run_in_cs(uint16_t sel)
{
    uint16_t seen = 0;

    far_there.cs = sel;
    far_back.cs = FLAT_KERNEL_CS;
    /* A fault on the way there resumes at the end, still in our CS. */
    PV_TRY("lea 3f(%%rip), %%rax\n\t"
           "mov %%rax, far_there(%%rip)\n\t"
           "lea 2f(%%rip), %%rax\n\t"
           "mov %%rax, far_back(%%rip)\n\t"
           "rex.W ljmp *far_there(%%rip)\n"
           "3:\tmov %%cs, %w0\n\t"
           "rex.W ljmp *far_back(%%rip)",
           : "+r" (seen) : : "rax", "memory");
    return seen;
}

int ljmp_to(uint16_t sel)
{
    far_there.cs = sel;
    PV_TRY("lea 2f(%%rip), %%rax\n\t"
           "mov %%rax, far_there(%%rip)\n\t"
           "rex.W ljmp *far_there(%%rip)",
           : : : "rax", "memory");
    return pv_last_fault.vector;
}

static void find_xen_frame(void)
{
    const uint64_t *l4 = mfn_to_virt(pv_kernel_l4_mfn);
    unsigned int slot;

    for ( slot = 256; slot < 272; slot++ )
        if ( l4[slot] & _PAGE_PRESENT )
        {
            xen_mfn = (l4[slot] & PTE_ADDR_MASK) >> PAGE_SHIFT;
            return;
        }
    test_abort("no hypervisor L4 slot is present");
}

static long set_gdt1(void *page, unsigned int entries)
{
    unsigned long f = virt_to_mfn(page);

    return HYPERVISOR_set_gdt(&f, entries);
}

/* The GDT of the positive cases, one frame. */
#define SEL_CODE    0x0b
#define SEL_DATA    0x13
#define SEL_DATA0   0x1b
#define SEL_SMALL   0x23
#define SEL_NP      0x2b
#define SEL_XONLY   0x33
#define SEL_BASED   0x3b
#define SEL_CODE0   0x43
#define SEL_PAST    0xa3            /* entry 20: past entries = 16 */
#define FS_BASE_VAL 0x00345000

static uint64_t *gdt;
static uint16_t int3_cs;

static void fill_gdt(uint64_t *g)
{
    g[1] = mkdesc(0, 0xfffff, ACC_CODE3, FL_L);
    g[2] = mkdesc(0, 0xfffff, ACC_DATA3, FL_DB);
    g[3] = mkdesc(0, 0xfffff, ACC_DATA0, FL_DB);
    g[4] = mkdesc(0, 0x1234, ACC_DATA3, FL_BYTE);
    g[5] = 0x1234567812345678UL & ~(1UL << 47);
    g[6] = mkdesc(0, 0xfffff, ACC_XONLY3, FL_L);
    g[7] = mkdesc(FS_BASE_VAL, 0xfffff, ACC_DATA3, FL_DB);
    g[8] = mkdesc(0, 0xfffff, ACC_CODE0, FL_L);
    g[11] = mkdesc(0, 0xfffff, ACC_DATA3 & 0x7f, FL_DB);
    g[20] = mkdesc(0, 0xabcd, ACC_DATA3, FL_BYTE);
}

static bool int3_handler(struct pv_regs *regs)
{
    int3_cs = regs->cs;
    return true;
}

static unsigned long rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return ((unsigned long)hi << 32) | lo;
}

static void check_gdt_positive(void)
{
    uint32_t v;
    uint16_t cs;

    gdt = new_page();
    fill_gdt(gdt);
    CHECK_RC(0, make_ro(gdt));
    CHECK_RC(0, set_gdt1(gdt, 16));

    /* Xen: DPL 0 rewritten to 3 in our frame. */
    CHECK_EQ(mkdesc(0, 0xfffff, ACC_DATA3, FL_DB), gdt[3]);
    CHECK_EQ(mkdesc(0, 0xfffff, ACC_CODE3, FL_L), gdt[8]);
    CHECK_EQ(mkdesc(0, 0xfffff, ACC_CODE3, FL_L), gdt[1]);
    /* Not present: stored as it was, DPL 2 and all. */
    CHECK_EQ(0x1234567812345678UL & ~(1UL << 47), gdt[5]);

    CHECK(lsl(SEL_DATA, &v));
    CHECK_EQ(0xffffffff, v);
    CHECK(lsl(SEL_SMALL, &v));
    CHECK_EQ(0x1234, v);
    CHECK(lsl(SEL_DATA0, &v));
    CHECK(lar(SEL_DATA0, &v));
    CHECK_EQ(0x00c0f300, v & 0x00f0ff00);
    CHECK(lar(SEL_CODE, &v));
    CHECK_EQ(0x00a0fb00, v & 0x00f0ff00);
    CHECK(!lsl(SEL_NP, &v));            /* not present: ZF clear */
    CHECK(!lsl(0x63, &v));              /* entry 12: zero */

    CHECK_EQ(-1, load_ds(SEL_DATA));
    CHECK_EQ(SEL_DATA, read_ds());
    CHECK_EQ(-1, load_ds(SEL_DATA0));
    CHECK_EQ(SEL_DATA0, read_ds());
    CHECK_EQ(-1, load_ds(SEL_SMALL));
    CHECK_EQ(-1, load_ds(SEL_CODE));    /* readable code: allowed */
    CHECK_EQ(-1, load_ds(orig_ds));
    CHECK_EQ(-1, load_ss(SEL_DATA));
    CHECK_EQ(-1, load_ss(SEL_DATA0));   /* DPL now 3, RPL 3: as SS too */

    /* FS from a descriptor takes its 32-bit base. */
    CHECK_EQ(-1, load_fs(SEL_BASED));
    CHECK_EQ(FS_BASE_VAL, rdmsr(0xc0000100));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_FS, 0));
    CHECK_EQ(-1, load_fs(0));
    CHECK_EQ(0, rdmsr(0xc0000100));

    /*
     * SEGBASE_GS_USER_SEL loads the user GS from our GDT: the user GS
     * base becomes the descriptor's (RDMSR SHADOW_GS_BASE in kernel
     * mode).  Xen: a selector that does not load is swallowed (0), and
     * the user GS is left null, base 0.
     */
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0x5000));
    CHECK_EQ(0x5000, rdmsr(0xc0000102));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, SEL_BASED));
    CHECK_EQ(FS_BASE_VAL, rdmsr(0xc0000102));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL,
                                            (600 << 3) | 3));
    CHECK_EQ(0, rdmsr(0xc0000102));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0));

    /* Xen: a selector past `entries` but inside the frame works. */
    CHECK(lsl(SEL_PAST, &v));
    CHECK_EQ(0xabcd, v);
    CHECK_EQ(-1, load_ds(SEL_PAST));
    CHECK_EQ(-1, load_ds(orig_ds));
    /* Past the installed frame: the zero page, #GP(selector). */
    CHECK_EQ(13, load_ds((600 << 3) | 3));
    CHECK_EQ(600 << 3, pv_last_fault.error_code);

    /* Running in our own code segment (and the one fixed up from DPL 0). */
    CHECK_EQ(SEL_CODE, run_in_cs(SEL_CODE));
    CHECK_EQ(SEL_CODE0, run_in_cs(SEL_CODE0));
    pv_set_trap_handler(3, int3_handler);
    int3_cs = 0;
    far_there.cs = SEL_CODE;
    far_back.cs = FLAT_KERNEL_CS;
    asm volatile ( "lea 1f(%%rip), %%rax\n\t"
                   "mov %%rax, far_there(%%rip)\n\t"
                   "lea 2f(%%rip), %%rax\n\t"
                   "mov %%rax, far_back(%%rip)\n\t"
                   "rex.W ljmp *far_there(%%rip)\n"
                   "1:\tint3\n\t"
                   "mov %%cs, %w0\n\t"
                   "rex.W ljmp *far_back(%%rip)\n"
                   "2:"
                   : "=&r" (cs) : : "rax", "memory" );
    pv_set_trap_handler(3, NULL);
    printf("int3 in CS %#x: frame CS %#x\n", SEL_CODE, int3_cs);
    CHECK_EQ(SEL_CODE & ~3, int3_cs);   /* RPL cleared: kernel mode */
    CHECK_EQ(SEL_CODE, cs);
}

static void check_gdt_frames(void)
{
    static unsigned long frames[16];
    uint64_t *pages[14];
    unsigned int i;
    uint32_t v;

    for ( i = 0; i < 14; i++ )
    {
        pages[i] = new_page();
        if ( i == 13 )
            pages[i][511] = mkdesc(0, 0x777, ACC_DATA3, FL_BYTE);
        CHECK_RC(0, make_ro(pages[i]));
        frames[i] = virt_to_mfn(pages[i]);
    }
    CHECK_RC(0, HYPERVISOR_set_gdt(frames, 7168));
    CHECK(lsl(0xdffb, &v));             /* entry 7167 */
    CHECK_EQ(0x777, v);
    CHECK_EQ(-1, load_ds(0xdffb));
    CHECK_EQ(-1, load_ds(orig_ds));
    CHECK(!lsl(SEL_DATA, &v));          /* the old GDT is gone */

    /* Only a whole frame list is taken: the second frame is bad. */
    frames[0] = virt_to_mfn(gdt);
    frames[1] = xen_mfn;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_gdt(frames, 1024));
    CHECK(lsl(0xdffb, &v));             /* still the 14-frame GDT */

    /* Back to one frame; the other 13 can be written again. */
    CHECK_RC(0, set_gdt1(gdt, 16));
    CHECK(!lsl(0xdffb, &v));
    for ( i = 0; i < 14; i++ )
        CHECK_RC(0, pv_set_page_rw(pages[i]));

    /* An installed GDT frame cannot be mapped writable. */
    CHECK_RC(-XEN_EBUSY, pv_set_page_rw(gdt));
    CHECK_RC(-XEN_EBUSY, pv_map_va(pv_scratch_va(0), virt_to_mfn(gdt),
                                   _PAGE_PRESENT | _PAGE_RW));
    CHECK_RC(0, pv_map_va(pv_scratch_va(0), virt_to_mfn(gdt),
                          _PAGE_PRESENT));
    CHECK_EQ(gdt[1], *(volatile uint64_t *)(pv_scratch_va(0) + 8));

    /* entries 0: no GDT at all. */
    CHECK_RC(0, HYPERVISOR_set_gdt(NULL, 0));
    CHECK(!lsl(SEL_DATA, &v));
    CHECK_EQ(13, load_ds(SEL_DATA));
    CHECK_EQ(SEL_DATA & ~3, pv_last_fault.error_code);
    CHECK_RC(0, pv_unmap_va(pv_scratch_va(0)));
    CHECK_RC(0, set_gdt1(gdt, 16));
}

/* A fresh read-only page with DESC at entry 1 (and HIGH at entry 2). */
static uint64_t *page_with(uint64_t desc, uint64_t high)
{
    uint64_t *p = new_page();

    p[1] = desc;
    p[2] = high;
    if ( make_ro(p) )
        test_abort("making a page read-only");
    return p;
}

static void check_gdt_hostile(void)
{
    unsigned long f[2] = { virt_to_mfn(gdt), 0 };
    uint64_t *rw = new_page(), *p;
    uint32_t v;

    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_gdt(f, 7169));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_gdt(BAD_PTR_LOW, 7169));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_gdt(f, 0x80000000U));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_set_gdt(BAD_PTR_LOW, 16));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_set_gdt(BAD_PTR_XEN, 16));

    /* Frames we may not use as descriptor tables. */
    CHECK_RC(-XEN_EINVAL, set_gdt1(rw, 16));
    f[0] = pv_kernel_l4_mfn;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_gdt(f, 16));
    f[0] = xen_mfn;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_gdt(f, 16));
    f[0] = (1UL << 40) - 1;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_gdt(f, 16));

    /* Descriptors that are refused. */
    CHECK_RC(-XEN_EINVAL, set_gdt1(page_with(mkdesc(0x1000, 0x67, ACC_TSS,
                                                    0), 0), 16));
    CHECK_RC(-XEN_EINVAL, set_gdt1(page_with(mkdesc(0x1000, 0x67, ACC_LDT,
                                                    0), 0), 16));
    CHECK_RC(-XEN_EINVAL, set_gdt1(page_with(mkgate(0xe008, 0x1000, 3, 0),
                                             0), 16));
    CHECK_RC(-XEN_EINVAL, set_gdt1(page_with(mkgate(FLAT_KERNEL_CS, 0x1000,
                                                    3, 1), 0), 16));
    /*
     * Xen: every descriptor of the frame is checked, not only the first
     * `entries`: a present TSS descriptor at entry 20 of a 16-entry GDT
     * is refused too.
     */
    p = new_page();
    p[20] = mkdesc(0x1000, 0x67, ACC_TSS, 0);
    CHECK_RC(0, make_ro(p));
    CHECK_RC(-XEN_EINVAL, set_gdt1(p, 16));

    /*
     * Xen: a call gate to the flat kernel CS (or any guest selector) is
     * accepted, stored with DPL 0 and its DPL (raised to 3 first) in the
     * RPL of its target selector, so that using it traps for emulation.
     */
    p = page_with(mkgate(FLAT_KERNEL_CS, 0xffffffff80001000UL, 3, 0),
                  0xffffffffUL);
    CHECK_RC(0, set_gdt1(p, 16));
    CHECK_EQ(mkgate(FLAT_KERNEL_CS | 3, 0xffffffff80001000UL, 0, 0), p[1]);
    CHECK_EQ(0xffffffffUL, p[2]);
    CHECK(!lsl(0x0b, &v));              /* a gate has no limit */
    CHECK(!lar(0x0b, &v));              /* DPL 0 now: not visible at CPL 3 */
    CHECK_EQ(-1, load_ds(orig_ds));
    /* The DPL is raised to 3 before it moves: RPL 3 whatever it was. */
    p = page_with(mkgate(0x1234 | 4, 0x1000, 1, 0), 0);
    CHECK_RC(0, set_gdt1(p, 16));
    CHECK_EQ(mkgate(0x1234 | 4 | 3, 0x1000, 0, 0), p[1]);

    /* Xen: conforming code segments are code segments like any other. */
    p = page_with(mkdesc(0, 0xfffff, ACC_CONFORM0, FL_L), 0);
    CHECK_RC(0, set_gdt1(p, 16));
    CHECK_EQ(mkdesc(0, 0xfffff, ACC_CONFORM3, FL_L), p[1]);

    /* ... and the refused descriptors, not present, are fine. */
    CHECK_RC(0, set_gdt1(page_with(mkdesc(0x1000, 0x67, ACC_TSS & 0x7f, 0),
                                   0), 16));

    /* Back to the first GDT. */
    CHECK_RC(0, set_gdt1(gdt, 16));
    CHECK(lsl(SEL_SMALL, &v));
    CHECK_EQ(0x1234, v);
}

static void check_update_descriptor(void)
{
    volatile uint64_t *plain = new_page();
    uint64_t *l1 = new_page();
    uint32_t v;

    CHECK_RC(0, HYPERVISOR_update_descriptor(maddr_of((void *)&plain[3]),
                                             mkdesc(0, 0xfffff, ACC_DATA3,
                                                    FL_DB)));
    CHECK_EQ(mkdesc(0, 0xfffff, ACC_DATA3, FL_DB), plain[3]);
    /* Xen: DPL 0 and 1 are stored as DPL 3. */
    CHECK_RC(0, HYPERVISOR_update_descriptor(maddr_of((void *)&plain[4]),
                                             mkdesc(0, 0xfffff, ACC_DATA0,
                                                    FL_DB)));
    CHECK_EQ(mkdesc(0, 0xfffff, ACC_DATA3, FL_DB), plain[4]);
    CHECK_RC(0, HYPERVISOR_update_descriptor(maddr_of((void *)&plain[5]),
                                             mkdesc(0, 0xfffff, ACC_DATA1,
                                                    FL_DB)));
    CHECK_EQ(mkdesc(0, 0xfffff, ACC_DATA3, FL_DB), plain[5]);
    /* A gate: DPL 0, the DPL in its selector's RPL. */
    CHECK_RC(0, HYPERVISOR_update_descriptor(maddr_of((void *)&plain[6]),
                                             mkgate(FLAT_KERNEL_CS, 0x5000,
                                                    3, 0)));
    CHECK_EQ(mkgate(FLAT_KERNEL_CS | 3, 0x5000, 0, 0), plain[6]);
    /* Not present: anything goes, stored as is. */
    CHECK_RC(0, HYPERVISOR_update_descriptor(maddr_of((void *)&plain[7]),
                                             0x0123456701234567UL));
    CHECK_EQ(0x0123456701234567UL, plain[7]);

    /* On the live GDT: the new limit is seen at once. */
    CHECK_RC(0, HYPERVISOR_update_descriptor(maddr_of(&gdt[4]),
                                             mkdesc(0, 0x4321, ACC_DATA3,
                                                    FL_BYTE)));
    CHECK(lsl(SEL_SMALL, &v));
    CHECK_EQ(0x4321, v);
    CHECK_EQ(mkdesc(0, 0x4321, ACC_DATA3, FL_BYTE), gdt[4]);
    /* Making a live entry not present: loading it is #NP(selector). */
    CHECK_RC(0, HYPERVISOR_update_descriptor(maddr_of(&gdt[4]),
                                             mkdesc(0, 0x4321, ACC_DATA3 &
                                                    0x7f, FL_BYTE)));
    CHECK_EQ(11, load_ds(SEL_SMALL));
    CHECK_EQ(SEL_SMALL & ~3, pv_last_fault.error_code);
    CHECK_RC(0, HYPERVISOR_update_descriptor(maddr_of(&gdt[4]),
                                             mkdesc(0, 0x1234, ACC_DATA3,
                                                    FL_BYTE)));
    /* A bad descriptor does not reach the live GDT. */
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_descriptor(
                 maddr_of(&gdt[4]), mkdesc(0x1000, 0x67, ACC_TSS, 0)));
    CHECK(lsl(SEL_SMALL, &v));
    CHECK_EQ(0x1234, v);

    /* Hostile. */
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_descriptor(
                 maddr_of((void *)&plain[3]) + 4, 0));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_descriptor(
                 maddr_of((void *)&plain[3]) + 1, 0));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_descriptor(
                 (xen_mfn << PAGE_SHIFT) + 8, 0));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_descriptor(
                 ((1UL << 40) - 1) << PAGE_SHIFT, 0));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_descriptor(
                 (pv_kernel_l4_mfn << PAGE_SHIFT) + 8, 0));
    CHECK_RC(0, make_ro(l1));
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L1_TABLE, virt_to_mfn(l1)));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_descriptor(maddr_of(&l1[2]), 0));
    CHECK_RC(0, pv_unpin(virt_to_mfn(l1)));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_descriptor(
                 maddr_of((void *)&plain[8]), mkdesc(0x1000, 0x67, ACC_TSS,
                                                     0)));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_update_descriptor(
                 maddr_of((void *)&plain[8]), mkgate(0xe008, 0x1000, 3, 0)));
    CHECK_EQ(0, plain[8]);
}

void test_gdt(void)
{
    check_gdt_positive();
    check_gdt_frames();
    check_gdt_hostile();
    check_update_descriptor();
}

void test_main(void)
{
    orig_ds = read_ds();
    printf("descr: DS at start %#x\n", orig_ds);
    find_xen_frame();
    test_gdt();
    test_ldt();
    CHECK_EQ(-1, load_ds(orig_ds));
    CHECK_RC(0, HYPERVISOR_set_gdt(NULL, 0));
}
