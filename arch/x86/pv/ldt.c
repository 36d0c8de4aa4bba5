/*
 * Guest LDTs.  MMUEXT_SET_LDT only records the linear base and entry
 * count; each LDT page is taken (typed PGT_seg_desc_page, every
 * descriptor checked) the first time the guest uses the LDT, and copied
 * into the vCPU's shadow LDT, which is what LDTR points at.  A page that
 * cannot be taken (unmapped, writable elsewhere, bad descriptors) leaves
 * zeros in the shadow: using a selector there raises #GP(selector), and
 * the fault handler tries that page again and, failing, gives the guest
 * the #PF Xen gives (CR2 = the descriptor's linear address, error 0).
 *
 *   ldt_base ..+4K ..+8K          shadow (64 KiB, per vCPU, direct map)
 *   [ page 0 ][ page 1 ] ...  ->  [ copy of 0 ][ zeros ] ...
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/lib.h>
#include <keel/mm.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv/desc.h>
#include <asm/pv/traps.h>
#include <asm/x86-defs.h>

#define LDT_PAGES       16                  /* 8192 entries */
#define LDT_ORDER       4
#define DESCS_PER_PAGE  (PAGE_SIZE / sizeof(uint64_t))
#define DESC_TYPE_LDT   0x82ULL             /* present, DPL 0, type 2 */
#define SEL_TI          4u

static uint64_t *gdt_slot(void)
{
    return (uint64_t *)get_cpu_info()->gdt + LDT_SELECTOR / 8;
}

/* Point LDTR at v's shadow (or at nothing). */
void pv_load_ldt(struct vcpu *v)
{
    uint64_t *slot = gdt_slot();
    uint64_t base, limit;

    if ( !v || !v->arch.ldt_ents || !v->arch.ldt_shadow )
    {
        __asm__ __volatile__ ( "lldt %w0" :: "r" (0) );
        return;
    }
    base = (unsigned long)v->arch.ldt_shadow;
    limit = v->arch.ldt_ents * sizeof(uint64_t) - 1;
    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
              (DESC_TYPE_LDT << 40) | ((limit >> 16) << 48) |
              (((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
    __asm__ __volatile__ ( "lldt %w0" :: "r" (LDT_SELECTOR) );
}

/* Drop every page the shadow holds (LDT changed, or vCPU teardown). */
void pv_ldt_release(struct vcpu *v)
{
    unsigned int i;

    for ( i = 0; i < LDT_PAGES; i++ )
        if ( v->arch.ldt_frames[i] )
        {
            put_page_and_type(mfn_to_page(_mfn(v->arch.ldt_frames[i])));
            v->arch.ldt_frames[i] = 0;
        }
    if ( v->arch.ldt_shadow )
        memset(v->arch.ldt_shadow, 0, PAGE_SIZE << LDT_ORDER);
}

static bool shadow_page(struct vcpu *v, unsigned int i);

/*
 * MMUEXT_SET_LDT took effect.  Pages that can be taken now are, so that
 * instructions which do not fault (LSL, LAR) see them; the rest wait for
 * the #GP of their first use (pv_ldt_fault).
 */
void pv_ldt_changed(struct vcpu *v)
{
    unsigned int i, n;

    pv_ldt_release(v);
    if ( v != current )
        return;
    if ( v->arch.ldt_ents && !v->arch.ldt_shadow )
        v->arch.ldt_shadow = alloc_xenheap_pages(LDT_ORDER);
    n = (v->arch.ldt_ents + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
    for ( i = 0; v->arch.ldt_shadow && i < n; i++ )
        shadow_page(v, i);
    pv_load_ldt(v->arch.ldt_ents ? v : NULL);
}

/* Take LDT page i (the frame mapping ldt_base + i * 4K) into the shadow. */
static bool shadow_page(struct vcpu *v, unsigned int i)
{
    uint64_t va = v->arch.ldt_base + (uint64_t)i * PAGE_SIZE;
    mfn_t l1, mfn;
    unsigned int slot;
    uint64_t pte, *desc;
    struct page_info *pg;
    unsigned int j;

    if ( v->arch.ldt_frames[i] )
        return true;
    if ( !guest_l1e_lookup(v, va, &l1, &slot) )
        return false;
    pte = ((const uint64_t *)mfn_to_virt(l1))[slot];
    if ( !(pte & _PAGE_PRESENT) )
        return false;
    mfn = _mfn((pte & PADDR_MASK) >> PAGE_SHIFT);
    if ( !mfn_valid(mfn) ||
         !get_page_and_type(pg = mfn_to_page(mfn), v->domain,
                            PGT_seg_desc_page) )
        return false;
    desc = mfn_to_virt(mfn);
    for ( j = 0; j < DESCS_PER_PAGE; j++ )
        if ( !pv_check_descriptor(&desc[j]) )
        {
            put_page_and_type(pg);
            return false;
        }
    memcpy((char *)v->arch.ldt_shadow + (size_t)i * PAGE_SIZE, desc,
           PAGE_SIZE);
    v->arch.ldt_frames[i] = mfn_x(mfn);
    return true;
}

/*
 * #GP with a selector error code naming the LDT: first use of the LDT, or
 * of a page not taken yet.  Returns true when the guest should simply
 * retry the instruction; false when the guest gets the #GP itself.  A page
 * that cannot be taken gives the guest a #PF instead.
 */
bool pv_ldt_fault(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    unsigned int idx = regs->error_code >> 3, page, i, n;

    if ( !(regs->error_code & SEL_TI) || !v->arch.ldt_ents ||
         idx >= v->arch.ldt_ents )
        return false;
    if ( !v->arch.ldt_shadow &&
         !(v->arch.ldt_shadow = alloc_xenheap_pages(LDT_ORDER)) )
        return false;
    page = idx / DESCS_PER_PAGE;
    if ( v->arch.ldt_frames[page] )
        return false;                       /* taken: a real #GP */
    /* First use: take every page that can be; then the faulting one. */
    n = (v->arch.ldt_ents + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
    for ( i = 0; i < n; i++ )
        shadow_page(v, i);
    pv_load_ldt(v);
    if ( v->arch.ldt_frames[page] )
        return true;
    pv_inject_page_fault(regs, v->arch.ldt_base + (uint64_t)idx * 8, 0);
    return true;
}

/* update_descriptor wrote to frame mfn: keep a shadowed copy in step. */
void pv_ldt_frame_written(struct vcpu *v, unsigned long mfn)
{
    unsigned int i;

    for ( i = 0; i < LDT_PAGES; i++ )
        if ( v->arch.ldt_frames[i] == mfn )
            memcpy((char *)v->arch.ldt_shadow + (size_t)i * PAGE_SIZE,
                   mfn_to_virt(_mfn(mfn)), PAGE_SIZE);
}
