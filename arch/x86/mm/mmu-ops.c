/*
 * The PV page-table hypercalls: mmu_update, mmuext_op, update_va_mapping
 * (and _otherdomain), vm_assist.  Each request is copied in, decoded and
 * checked here, then handed to the reference/type code (mm.c) or the entry
 * rules (pagetable.c).  Error codes and continuation encodings are Xen's.
 *
 * Batches (mmu_update, mmuext_op) stop at the first failing request;
 * *pdone accumulates the requests done over all continuations.  Between
 * requests the batch may be preempted: it is then re-issued for the rest,
 * with MMU_UPDATE_PREEMPTED in the count.  Page-table work a request left
 * unfinished belongs to the vCPU (arch.pt_pending): it is finished first
 * on every entry, and if it outlives the batch the call is re-issued as
 * (NULL, MMU_UPDATE_PREEMPTED, NULL, result) to deliver the result once
 * the work is done.
 *
 * Foreign domains: a request may name another domain as the owner of the
 * frames it maps, pins or updates (foreigndom); a privileged domain uses
 * this to build and map its guests.  The caller's own id is refused, as
 * in Xen (DOMID_SELF is the way to say "myself"); DOMID_IO and DOMID_XEN
 * are not offered (-ESRCH).  The owner is held by reference for the whole
 * batch and the XSM hook runs before the first request.  Page tables
 * always belong to the caller (a foreign pt_dom other than the caller's
 * own gives -ESRCH).  No locks are held across guest copies.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/nospec.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <public/xen.h>
#include <xsm/xsm.h>

/* Bit 31 of a batch count: this call continues a preempted one. */
#define MMU_UPDATE_PREEMPTED  (1U << 31)
/* The command of an mmu_update request sits in the low bits of ptr. */
#define MMU_CMD_MASK          (sizeof(pte_t) - 1)
#define LDT_MAX_ENTS          8192
#define BITS_PER_LONG         (8 * sizeof(unsigned long))

/* Assists a 64-bit PV guest may turn on (Xen's PV_VM_ASSIST_VALID). */
#define PV_VM_ASSIST_VALID ((1UL << VMASST_TYPE_4gb_segments) |          \
                            (1UL << VMASST_TYPE_4gb_segments_notify) |   \
                            (1UL << VMASST_TYPE_writable_pagetables) |   \
                            (1UL << VMASST_TYPE_pae_extended_cr3) |      \
                            (1UL << VMASST_TYPE_architectural_iopl) |    \
                            (1UL << VMASST_TYPE_runstate_update_flag) |  \
                            (1UL << VMASST_TYPE_m2p_strict))

BUILD_BUG_ON(sizeof(struct mmu_update) != 16);
BUILD_BUG_ON(sizeof(struct mmuext_op) != 24);

/*
 * The domain owning the frames a request names (see the header), with a
 * reference the caller drops with put_pg_owner(); NULL means -ESRCH.
 */
static struct domain *get_pg_owner(struct domain *currd, domid_t domid)
{
    if ( domid == DOMID_SELF )
        return domain_get(currd) ? currd : NULL;
    if ( domid == currd->domain_id || domid >= DOMID_FIRST_RESERVED )
        return NULL;
    return domain_get_by_id(domid, currd);
}

static void put_pg_owner(struct domain *pg_owner)
{
    if ( pg_owner )
        domain_put(pg_owner);
}

/* Stand-in for "has I/O memory or ports" until those ranges exist. */
static bool cache_flush_permitted(const struct domain *d)
{
    return d->is_privileged;
}

/*
 * Check the vCPU bitmap at ptr is readable for all of d's vCPUs.  Flushes
 * reach only this CPU until flush IPIs exist, so its contents do not
 * matter yet.
 */
static int vcpumask_ok(const struct domain *d, uint64_t ptr)
{
    unsigned long word;
    unsigned int i;

    for ( i = 0; i * BITS_PER_LONG < d->max_vcpus; i++ )
        if ( copy_from_guest_offset(&word, ptr, i, sizeof(word)) )
            return -EFAULT;
    return 0;
}

/*
 * Re-issue the batch for what is left, or (left == 0) to deliver rc once
 * the vCPU's pending page-table work is done.
 */
static long batch_continue(unsigned int op, uint64_t ureqs, unsigned int left,
                           uint64_t pdone, unsigned long foreigndom, long rc)
{
    unsigned long args[4] = { ureqs, left | MMU_UPDATE_PREEMPTED, pdone,
                              foreigndom };

    if ( !left )
    {
        args[0] = args[2] = 0;
        args[3] = (unsigned int)rc;
    }
    return hypercall_create_continuation(op, ARRAY_SIZE(args), args);
}

/* Finish a batch: drop the stash, decide on a continuation, report. */
static long batch_end(struct vcpu *v, unsigned int op, uint64_t ureqs,
                      size_t req_size, unsigned int i, unsigned int count,
                      uint64_t pdone, unsigned int done,
                      unsigned long foreigndom, long rc)
{
    mm_release_stash(v);
    if ( rc == -ERESTART )
        rc = batch_continue(op, ureqs + (uint64_t)i * req_size, count - i,
                            pdone, foreigndom, rc);
    else if ( mm_has_pending(v) )
        rc = batch_continue(op, 0, 0, 0, 0, rc);
    if ( pdone )
    {
        done += i;
        (void)copy_to_guest(pdone, &done, sizeof(done));
    }
    return rc;
}

/*
 * Common start of a batch.  False with *ret the value to return: pending
 * work not finished yet, the result a continuation carried, or a bad
 * request array.
 */
static bool batch_begin(struct vcpu *v, unsigned int op, uint64_t ureqs,
                        unsigned int *count, uint64_t pdone,
                        unsigned long foreigndom, unsigned int *done,
                        size_t req_size, long *ret)
{
    unsigned long args[4] = { ureqs, *count, pdone, foreigndom };
    int rc = mm_finish_pending(v);

    if ( rc == -ERESTART )
    {
        *ret = hypercall_create_continuation(op, ARRAY_SIZE(args), args);
        return false;
    }
    if ( *count == MMU_UPDATE_PREEMPTED && !ureqs )
    {
        mm_release_stash(v);
        *ret = (int)foreigndom;             /* the deferred result */
        return false;
    }
    *done = 0;
    if ( *count & MMU_UPDATE_PREEMPTED )
    {
        *count &= ~MMU_UPDATE_PREEMPTED;
        if ( pdone )
            (void)copy_from_guest(done, pdone, sizeof(*done));
    }
    if ( rc )
    {
        /* The re-issued request's validation failed while we waited. */
        *ret = batch_end(v, op, ureqs, req_size, 0, *count, pdone, *done,
                         foreigndom, rc);
        return false;
    }
    if ( !guest_range_ok(ureqs, (size_t)*count * req_size) )
    {
        *ret = -EFAULT;
        return false;
    }
    return true;
}

/* ---- mmu_update ---------------------------------------------------- */

/* MMU_NORMAL_PT_UPDATE and its variants: *ptr = val, validated. */
static int mmu_normal_update(struct vcpu *v, struct domain *pt_owner,
                             struct domain *pg_owner, uint64_t ptr,
                             uint64_t val, bool preserve_ad)
{
    struct page_info *pg = get_page_from_mfn(_mfn(ptr >> PAGE_SHIFT),
                                             pt_owner);
    unsigned long type;
    mfn_t mfn;
    pte_t *p;
    int rc = -EINVAL;

    if ( !pg )
        return -EINVAL;
    mfn = page_to_mfn(pg);
    p = (pte_t *)mfn_to_virt(mfn) + (ptr & ~PAGE_MASK) / sizeof(pte_t);

    if ( get_page_type_if_in_use(pg, &type) )
    {
        switch ( type )
        {
        case PGT_l1_page_table:
            rc = mod_l1_entry(p, val, mfn, preserve_ad, pt_owner, pg_owner);
            break;
        case PGT_l2_page_table:
            if ( pg_owner == pt_owner )
                rc = mod_l2_entry(v, p, val, mfn, preserve_ad);
            break;
        case PGT_l3_page_table:
            if ( pg_owner == pt_owner )
                rc = mod_l3_entry(v, p, val, mfn, preserve_ad);
            break;
        case PGT_l4_page_table:
            if ( pg_owner == pt_owner )
                rc = mod_l4_entry(v, p, val, mfn, preserve_ad);
            break;
        case PGT_writable_page:
            __atomic_store_n(p, val, __ATOMIC_SEQ_CST);
            rc = 0;
            break;
        }
        put_page_and_type_preemptible(v, pg);
        return rc;
    }

    /* Not in use as anything: an ordinary write to a writable frame. */
    if ( get_page_type(pg, PGT_writable_page) )
    {
        __atomic_store_n(p, val, __ATOMIC_SEQ_CST);
        rc = 0;
        put_page_type(pg);
    }
    put_page(pg);
    return rc;
}

static int mmu_machphys_update(struct domain *d, struct domain *pt_owner,
                               struct domain *pg_owner, uint64_t ptr,
                               uint64_t val)
{
    struct page_info *pg;

    if ( d != pt_owner )
        return -EPERM;
    if ( (pg = get_page_from_mfn(_mfn(ptr >> PAGE_SHIFT), pg_owner)) == NULL )
        return -EINVAL;
    set_gpfn_from_mfn(page_to_mfn(pg), val);
    put_page(pg);
    return 0;
}

long do_mmu_update(unsigned long ureqs, unsigned long count_arg,
                   unsigned long pdone, unsigned long foreigndom,
                   unsigned long unused)
{
    struct vcpu *v = current;
    struct domain *d = v->domain, *pt_owner = d, *pg_owner;
    unsigned int count = (unsigned int)count_arg, done, i = 0;
    unsigned int pt_dom = (unsigned int)foreigndom >> 16;
    struct mmu_update req;
    long rc;

    if ( !batch_begin(v, __HYPERVISOR_mmu_update, ureqs, &count, pdone,
                      foreigndom, &done, sizeof(req), &rc) )
        return rc;

    /* Page tables of a foreign domain (pt_dom - 1): only ourselves. */
    pg_owner = get_pg_owner(d, (domid_t)foreigndom);
    if ( (pt_dom && pt_dom - 1 != d->domain_id) || !pg_owner )
        rc = -ESRCH;
    else if ( (rc = xsm_mmu_update(d, pt_owner, pg_owner)) == 0 )
        for ( ; i < count; i++ )
        {
            unsigned int cmd;

            if ( mm_has_pending(v) || (i && hypercall_preempt_check()) )
            {
                rc = -ERESTART;
                break;
            }
            if ( copy_from_guest_offset(&req, ureqs, i, sizeof(req)) )
            {
                rc = -EFAULT;
                break;
            }
            cmd = req.ptr & MMU_CMD_MASK;
            switch ( cmd )
            {
            case MMU_NORMAL_PT_UPDATE:
            case MMU_PT_UPDATE_PRESERVE_AD:
            case MMU_PT_UPDATE_NO_TRANSLATE:
                rc = mmu_normal_update(v, pt_owner, pg_owner, req.ptr - cmd,
                                       req.val,
                                       cmd == MMU_PT_UPDATE_PRESERVE_AD);
                break;
            case MMU_MACHPHYS_UPDATE:
                rc = mmu_machphys_update(d, pt_owner, pg_owner, req.ptr,
                                         req.val);
                break;
            default:
                rc = -ENOSYS;
                break;
            }
            mm_release_stash(v);
            if ( rc )
                break;
        }
    put_pg_owner(pg_owner);

    return batch_end(v, __HYPERVISOR_mmu_update, ureqs, sizeof(req), i,
                     count, pdone, done, foreigndom, rc);
}

/* ---- mmuext_op ------------------------------------------------------ */

struct mmuext_ctx {
    struct vcpu *v;
    struct domain *d;                   /* the caller's domain */
    struct domain *pg_owner;
};

typedef int mmuext_fn(const struct mmuext_ctx *c, const struct mmuext_op *op);

static int mmuext_pin(const struct mmuext_ctx *c, const struct mmuext_op *op)
{
    return pin_page_table(c->v, _mfn(op->arg1.mfn), c->pg_owner,
                          pgt_of_level(op->cmd - MMUEXT_PIN_L1_TABLE + 1));
}

static int mmuext_unpin(const struct mmuext_ctx *c, const struct mmuext_op *op)
{
    return unpin_page_table(c->v, _mfn(op->arg1.mfn), c->pg_owner);
}

/* Replace *base by mfn (0: none) as an L4 base pointer. */
static int set_base(const struct mmuext_ctx *c, mfn_t *base, mfn_t mfn)
{
    mfn_t old = *base;
    int rc;

    if ( mfn_x(mfn) )
    {
        if ( !mfn_valid(mfn) )
            return -EINVAL;
        rc = get_page_and_type_preemptible(c->v, mfn_to_page(mfn), c->d,
                                           PGT_l4_page_table);
        if ( rc )
            return rc;
    }
    *base = mfn;
    if ( mfn_x(old) )
        put_page_and_type_preemptible(c->v, mfn_to_page(old));
    return 0;
}

/* Make mfn v's kernel base pointer (MMUEXT_NEW_BASEPTR, CR3 writes). */
static int new_kernel_base(const struct mmuext_ctx *c, mfn_t mfn)
{
    struct vcpu *v = c->v;
    int rc;

    /* Already current: also the re-issue of a preempted switch. */
    if ( mfn_x(mfn) != mfn_x(v->arch.guest_table) )
    {
        if ( !mfn_x(mfn) )
            return -EINVAL;
        if ( (rc = set_base(c, &v->arch.guest_table, mfn)) != 0 )
            return rc;
        l4_set_m2p_slot(mfn, true);
    }
    pv_update_cr3(v);
    return 0;
}

static int mmuext_new_baseptr(const struct mmuext_ctx *c,
                              const struct mmuext_op *op)
{
    return new_kernel_base(c, _mfn(op->arg1.mfn));
}

int pv_new_guest_cr3(struct vcpu *v, mfn_t mfn)
{
    struct mmuext_ctx c = { v, v->domain, v->domain };
    int rc = mm_finish_pending(v);

    if ( rc == 0 )
        rc = new_kernel_base(&c, mfn);
    mm_release_stash(v);
    /* Work left behind: re-execute; that finishes it (or reports it). */
    if ( rc != -ERESTART && mm_has_pending(v) )
        rc = -ERESTART;
    return rc;
}

static int mmuext_new_user_baseptr(const struct mmuext_ctx *c,
                                   const struct mmuext_op *op)
{
    struct vcpu *v = c->v;
    mfn_t mfn = _mfn(op->arg1.mfn);
    int rc;

    if ( mfn_x(mfn) == mfn_x(v->arch.guest_table_user) )
        return 0;
    if ( (rc = set_base(c, &v->arch.guest_table_user, mfn)) != 0 )
        return rc;
    if ( mfn_x(mfn) && mm_m2p_strict(c->d) )
        l4_set_m2p_slot(mfn, false);
    return 0;
}

static int mmuext_flush(const struct mmuext_ctx *c, const struct mmuext_op *op)
{
    uint64_t va = op->arg1.linear_addr;
    bool one = op->cmd == MMUEXT_INVLPG_LOCAL ||
               op->cmd == MMUEXT_INVLPG_MULTI || op->cmd == MMUEXT_INVLPG_ALL;

    if ( (op->cmd == MMUEXT_TLB_FLUSH_MULTI ||
          op->cmd == MMUEXT_INVLPG_MULTI) &&
         vcpumask_ok(c->d, xen_guest_handle_addr(op->arg2.vcpumask)) )
        return -EINVAL;
    if ( !one )
    {
        if ( op->cmd == MMUEXT_TLB_FLUSH_LOCAL )
            mm_flush_tlb_local();
        else
            mm_flush_tlb_domain(c->d);
    }
    else if ( pv_guest_va_ok(va) )
    {
        if ( op->cmd == MMUEXT_INVLPG_LOCAL )
            mm_invlpg_local(va);
        else
            mm_invlpg_domain(c->d, va);
    }
    return 0;
}

static int mmuext_flush_cache(const struct mmuext_ctx *c,
                              const struct mmuext_op *op)
{
    if ( !cache_flush_permitted(c->d) )
        return op->cmd == MMUEXT_FLUSH_CACHE ? -EACCES : -EINVAL;
    if ( op->cmd == MMUEXT_FLUSH_CACHE )
        mm_wbinvd_local();
    else
        mm_wbinvd_all();
    return 0;
}

static int mmuext_set_ldt(const struct mmuext_ctx *c,
                          const struct mmuext_op *op)
{
    struct vcpu *v = c->v;
    unsigned int ents = op->arg2.nr_ents;
    uint64_t base = ents ? op->arg1.linear_addr : 0;

    if ( (base & ~PAGE_MASK) || !pv_guest_va_ok(base) ||
         ents > LDT_MAX_ENTS )
        return -EINVAL;
    if ( v->arch.ldt_base != base || v->arch.ldt_ents != ents )
    {
        /* The old LDT's translations must not outlive it. */
        v->arch.ldt_base = base;
        v->arch.ldt_ents = ents;
        mm_flush_tlb_local();
        pv_ldt_changed(v);
    }
    return 0;
}

/* A frame of the owner's, held as a writable page (for the copy target). */
static struct page_info *get_writable(const struct mmuext_ctx *c,
                                      xen_pfn_t mfn)
{
    struct page_info *pg = get_page_from_mfn(_mfn(mfn), c->pg_owner);

    if ( pg && !get_page_type(pg, PGT_writable_page) )
    {
        put_page(pg);
        pg = NULL;
    }
    return pg;
}

static int mmuext_clear_page(const struct mmuext_ctx *c,
                             const struct mmuext_op *op)
{
    struct page_info *pg = get_writable(c, op->arg1.mfn);

    if ( !pg )
        return -EINVAL;
    memset(mfn_to_virt(page_to_mfn(pg)), 0, PAGE_SIZE);
    put_page_and_type(pg);
    return 0;
}

static int mmuext_copy_page(const struct mmuext_ctx *c,
                            const struct mmuext_op *op)
{
    struct page_info *src = get_page_from_mfn(_mfn(op->arg2.src_mfn),
                                              c->pg_owner);
    struct page_info *dst;

    if ( !src )
        return -EINVAL;
    if ( (dst = get_writable(c, op->arg1.mfn)) == NULL )
    {
        put_page(src);
        return -EINVAL;
    }
    memcpy(mfn_to_virt(page_to_mfn(dst)), mfn_to_virt(page_to_mfn(src)),
           PAGE_SIZE);
    put_page_and_type(dst);
    put_page(src);
    return 0;
}

/* PV superpages are not supported (as in Xen since 4.9). */
static int mmuext_superpage(const struct mmuext_ctx *c,
                            const struct mmuext_op *op)
{
    return -EOPNOTSUPP;
}

static const struct mmuext_handler {
    mmuext_fn *fn;
    bool self_only;                     /* -EPERM for a foreign owner */
} mmuext_handlers[] = {
    [MMUEXT_PIN_L1_TABLE]       = { mmuext_pin, false },
    [MMUEXT_PIN_L2_TABLE]       = { mmuext_pin, false },
    [MMUEXT_PIN_L3_TABLE]       = { mmuext_pin, false },
    [MMUEXT_PIN_L4_TABLE]       = { mmuext_pin, false },
    [MMUEXT_UNPIN_TABLE]        = { mmuext_unpin, false },
    [MMUEXT_NEW_BASEPTR]        = { mmuext_new_baseptr, true },
    [MMUEXT_TLB_FLUSH_LOCAL]    = { mmuext_flush, true },
    [MMUEXT_INVLPG_LOCAL]       = { mmuext_flush, true },
    [MMUEXT_TLB_FLUSH_MULTI]    = { mmuext_flush, true },
    [MMUEXT_INVLPG_MULTI]       = { mmuext_flush, true },
    [MMUEXT_TLB_FLUSH_ALL]      = { mmuext_flush, true },
    [MMUEXT_INVLPG_ALL]         = { mmuext_flush, true },
    [MMUEXT_FLUSH_CACHE]        = { mmuext_flush_cache, true },
    [MMUEXT_SET_LDT]            = { mmuext_set_ldt, true },
    [MMUEXT_NEW_USER_BASEPTR]   = { mmuext_new_user_baseptr, true },
    [MMUEXT_CLEAR_PAGE]         = { mmuext_clear_page, false },
    [MMUEXT_COPY_PAGE]          = { mmuext_copy_page, false },
    [MMUEXT_FLUSH_CACHE_GLOBAL] = { mmuext_flush_cache, true },
    [MMUEXT_MARK_SUPER]         = { mmuext_superpage, false },
    [MMUEXT_UNMARK_SUPER]       = { mmuext_superpage, false },
};

static int mmuext_dispatch(const struct mmuext_ctx *c,
                           const struct mmuext_op *op)
{
    const struct mmuext_handler *h;

    if ( op->cmd >= ARRAY_SIZE(mmuext_handlers) )
        return -ENOSYS;
    h = &mmuext_handlers[array_index_nospec(op->cmd,
                                            ARRAY_SIZE(mmuext_handlers))];
    if ( !h->fn )
        return -ENOSYS;
    if ( h->self_only && c->pg_owner != c->d )
        return -EPERM;
    return h->fn(c, op);
}

long do_mmuext_op(unsigned long uops, unsigned long count_arg,
                  unsigned long pdone, unsigned long foreigndom,
                  unsigned long unused)
{
    struct vcpu *v = current;
    struct mmuext_ctx c = { v, v->domain, NULL };
    unsigned int count = (unsigned int)count_arg, done, i = 0;
    struct mmuext_op op;
    long rc;

    if ( !batch_begin(v, __HYPERVISOR_mmuext_op, uops, &count, pdone,
                      foreigndom, &done, sizeof(op), &rc) )
        return rc;

    if ( (c.pg_owner = get_pg_owner(c.d, (domid_t)foreigndom)) == NULL )
        rc = -ESRCH;
    else if ( (rc = xsm_mmuext_op(c.d, c.pg_owner)) == 0 )
        for ( ; i < count; i++ )
        {
            if ( mm_has_pending(v) || (i && hypercall_preempt_check()) )
            {
                rc = -ERESTART;
                break;
            }
            if ( copy_from_guest_offset(&op, uops, i, sizeof(op)) )
            {
                rc = -EFAULT;
                break;
            }
            rc = mmuext_dispatch(&c, &op);
            mm_release_stash(v);
            if ( rc )
                break;
        }
    put_pg_owner(c.pg_owner);

    return batch_end(v, __HYPERVISOR_mmuext_op, uops, sizeof(op), i, count,
                     pdone, done, foreigndom, rc);
}

/* ---- update_va_mapping ---------------------------------------------- */

static long update_va_mapping(struct domain *pg_owner, uint64_t va,
                              uint64_t val, unsigned long flags)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    struct page_info *gl1;
    unsigned long type;
    unsigned int slot;
    uint64_t bmap;
    mfn_t gl1mfn;
    long rc;

    if ( (rc = xsm_update_va_mapping(d, pg_owner)) != 0 )
        return rc;
    if ( !guest_l1e_lookup(v, va, &gl1mfn, &slot) ||
         (gl1 = get_page_from_mfn(gl1mfn, d)) == NULL )
        return -EINVAL;
    if ( !get_page_type_if_in_use(gl1, &type) )
    {
        put_page(gl1);
        return -EINVAL;
    }
    if ( type == PGT_l1_page_table )
        rc = mod_l1_entry((pte_t *)mfn_to_virt(gl1mfn) + slot, val, gl1mfn,
                          false, d, pg_owner);
    else
        rc = -EINVAL;
    put_page_and_type_preemptible(v, gl1);
    if ( rc )
        return rc;                  /* nothing changed: nothing to flush */

    /* The flush type, and where: this vCPU, all, or a vCPU bitmap. */
    bmap = flags & ~(unsigned long)UVMF_FLUSHTYPE_MASK;
    switch ( flags & UVMF_FLUSHTYPE_MASK )
    {
    case UVMF_TLB_FLUSH:
    case UVMF_INVLPG:
        if ( bmap != UVMF_LOCAL && bmap != UVMF_ALL )
            rc = vcpumask_ok(d, bmap);
        if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_TLB_FLUSH )
        {
            if ( bmap == UVMF_LOCAL )
                mm_flush_tlb_local();
            else
                mm_flush_tlb_domain(d);
        }
        else if ( bmap == UVMF_LOCAL )
            mm_invlpg_local(va);
        else
            mm_invlpg_domain(d, va);
        break;
    }
    return rc;
}

long do_update_va_mapping(unsigned long va, unsigned long val,
                          unsigned long flags, unsigned long a4,
                          unsigned long a5)
{
    return update_va_mapping(current->domain, va, val, flags);
}

long do_update_va_mapping_otherdomain(unsigned long va, unsigned long val,
                                      unsigned long flags,
                                      unsigned long domid, unsigned long a5)
{
    struct domain *pg_owner = get_pg_owner(current->domain, (domid_t)domid);
    long rc;

    if ( !pg_owner )
        return -ESRCH;
    rc = update_va_mapping(pg_owner, va, val, flags);
    put_pg_owner(pg_owner);
    return rc;
}

/* ---- vm_assist --------------------------------------------------------- */

long do_vm_assist(unsigned long cmd_arg, unsigned long type_arg,
                  unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct domain *d = current->domain;
    unsigned int cmd = (unsigned int)cmd_arg, type = (unsigned int)type_arg;

    if ( type >= BITS_PER_LONG || !(PV_VM_ASSIST_VALID & (1UL << type)) )
        return -EINVAL;
    switch ( cmd )
    {
    case VMASST_CMD_enable:
        __atomic_fetch_or(&d->vm_assist, 1UL << type, __ATOMIC_SEQ_CST);
        return 0;
    case VMASST_CMD_disable:
        __atomic_fetch_and(&d->vm_assist, ~(1UL << type), __ATOMIC_SEQ_CST);
        return 0;
    }
    return -ENOSYS;
}
