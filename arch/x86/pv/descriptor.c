/*
 * set_gdt and update_descriptor.  A guest GDT is up to 14 frames of its
 * own memory, typed PGT_seg_desc_page while installed (so the guest can
 * map them only read-only) and checked descriptor by descriptor.  Keel
 * copies them into the low part of the CPU's GDT, below the entries the
 * ABI reserves for the hypervisor (from 7168).
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/pv/desc.h>
#include <asm/x86-defs.h>

#define DESCS_PER_PAGE (PAGE_SIZE / sizeof(uint64_t))

void pv_load_gdt(void)
{
    struct vcpu *v = current;
    uint64_t *gdt = get_cpu_info()->gdt;
    unsigned int i;

    memset(gdt, 0, FIRST_RESERVED_GDT_ENTRY * sizeof(uint64_t));
    /* Whole frames, as Xen maps them: the limit is not gdt_ents. */
    for ( i = 0; i * DESCS_PER_PAGE < v->arch.gdt_ents; i++ )
        memcpy(gdt + i * DESCS_PER_PAGE,
               mfn_to_virt(_mfn(v->arch.gdt_frames[i])), PAGE_SIZE);
}

/* Take the seg_desc type on each frame and check its descriptors. */
static int take_frames(struct domain *d, const unsigned long *frames,
                       unsigned int nr, unsigned int entries)
{
    unsigned int i, j;

    for ( i = 0; i < nr; i++ )
    {
        struct page_info *pg = mfn_valid(_mfn(frames[i]))
                               ? mfn_to_page(_mfn(frames[i])) : NULL;
        uint64_t *desc;

        if ( !pg || !get_page_and_type(pg, d, PGT_seg_desc_page) )
            goto fail;
        desc = mfn_to_virt(_mfn(frames[i]));
        for ( j = 0; j < DESCS_PER_PAGE; j++ )   /* all 512, as Xen */
            if ( !pv_check_descriptor(&desc[j]) )
            {
                put_page_and_type(pg);
                goto fail;
            }
    }
    return 0;

 fail:
    while ( i-- )
        put_page_and_type(mfn_to_page(_mfn(frames[i])));
    return -EINVAL;
}

static void release_frames(struct vcpu *v)
{
    unsigned int i;

    for ( i = 0; i * DESCS_PER_PAGE < v->arch.gdt_ents; i++ )
        put_page_and_type(mfn_to_page(_mfn(v->arch.gdt_frames[i])));
    v->arch.gdt_ents = 0;
}

/*
 * Give v a GDT of `entries` descriptors in frames[] (VCPUOP_initialise
 * for a vCPU that is not running): the same checks as set_gdt.
 */
int pv_gdt_install(struct vcpu *v, const unsigned long *frames,
                   unsigned int entries)
{
    unsigned int nr = (entries + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
    int rc;

    if ( entries > FIRST_RESERVED_GDT_ENTRY )
        return -EINVAL;
    if ( (rc = take_frames(v->domain, frames, nr, entries)) )
        return rc;
    release_frames(v);
    memcpy(v->arch.gdt_frames, frames, nr * sizeof(frames[0]));
    v->arch.gdt_ents = entries;
    return 0;
}

long do_set_gdt(unsigned long frame_list, unsigned long entries,
                unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;
    unsigned long frames[PV_MAX_GDT_FRAMES];
    unsigned int nr = (entries + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
    int rc;

    if ( entries > FIRST_RESERVED_GDT_ENTRY )
        return -EINVAL;
    if ( copy_from_guest(frames, frame_list, nr * sizeof(frames[0])) )
        return -EFAULT;
    if ( (rc = take_frames(v->domain, frames, nr, entries)) )
        return rc;
    release_frames(v);
    memcpy(v->arch.gdt_frames, frames, nr * sizeof(frames[0]));
    v->arch.gdt_ents = entries;
    pv_load_gdt();
    return 0;
}

long do_update_descriptor(unsigned long maddr, unsigned long desc,
                          unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    mfn_t mfn = _mfn(maddr >> PAGE_SHIFT);
    struct page_info *pg;
    unsigned long type;
    uint64_t d64 = desc;
    unsigned int i;

    if ( (maddr & (sizeof(uint64_t) - 1)) || !mfn_valid(mfn) ||
         !pv_check_descriptor(&d64) )
        return -EINVAL;
    pg = mfn_to_page(mfn);
    if ( !get_page(pg, d) )
        return -EINVAL;
    /* A descriptor page keeps its type; any other page must be writable. */
    type = (pg->type_info & PGT_type_mask) == PGT_seg_desc_page
           ? PGT_seg_desc_page : PGT_writable_page;
    if ( !get_page_type(pg, type) )
    {
        put_page(pg);
        return -EINVAL;
    }
    *(uint64_t *)((char *)mfn_to_virt(mfn) + (maddr & (PAGE_SIZE - 1))) = d64;
    put_page_type(pg);
    put_page(pg);

    /* Keep the installed copies in step. */
    for ( i = 0; i * DESCS_PER_PAGE < v->arch.gdt_ents; i++ )
        if ( v->arch.gdt_frames[i] == mfn_x(mfn) )
            pv_load_gdt();
    pv_ldt_frame_written(v, mfn_x(mfn));
    return 0;
}
