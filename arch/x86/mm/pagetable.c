/*
 * What a PV guest may put in its page tables, and the references each
 * entry holds.  mm.c walks whole tables with these rules; the update
 * paths here (mod_lN_entry, writable page-table emulation) apply them to
 * one entry at a time.
 *
 * Rules, entry by entry (Xen's, down to the error codes):
 *
 *   L1  present entries may set P, RW, US, A, D, G, the software bits and
 *       NX; PWT/PCD/PAT only a domain with I/O privilege (dom0).  The frame
 *       must be the domain's (one general reference); RW needs the frame's
 *       writable type, which a page table or descriptor page cannot have.
 *       The user bit is forced on (guest kernel and user both run in ring
 *       3) and _PAGE_GUEST_KERNEL records that it was the kernel's entry.
 *   L2-L4  only P, RW, US, A, D, the software bits and NX: no superpages,
 *       caching or global bits.  The frame must be the domain's and a
 *       validated table of the level below (one general and one type
 *       reference), or, read-only, a table of the same level (a "linear"
 *       entry, see below).
 *   L4  slots 256-271 belong to the hypervisor: copied from the idle L4
 *       when the table is validated, never the guest's to change.  Slot
 *       256 (the read-only M2P) follows VMASST_TYPE_m2p_strict.
 *
 * Linear page tables (pv-linear-pt, on by default): a read-only entry of
 * an Ln table may map an Ln table.  A self-map holds no reference.
 * Otherwise, after XSA-240, a table that holds linear entries may not be
 * mapped linearly itself and vice versa (the signed counter in type_info:
 * positive counts linear entries held, negative counts linear uses), so
 * one linear hop cannot lead to another and recursion stays bounded.
 *
 * Entries are written with compare-and-exchange against the value the
 * references were computed from; a concurrent change other than the
 * hardware's Accessed/Dirty bits makes the update fail, so each old
 * entry's references are dropped exactly once.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/lib.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <public/xen.h>

#include "mm-internal.h"

/* The flag bits of an entry (everything but the frame number). */
#define PTE_FLAGS_MASK      (~PADDR_MASK)
/* What a guest may set in any entry (NX only when the CPU has it on). */
#define PTE_GUEST_FLAGS     (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER |       \
                             _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_AVAIL |  \
                             _PAGE_AVAIL_HIGH)
/* Bits a guest may change in a present entry without re-validation. */
#define PTE_FASTPATH_FLAGS  (_PAGE_NX | _PAGE_AVAIL_HIGH | _PAGE_AVAIL |    \
                             _PAGE_GLOBAL | _PAGE_DIRTY | _PAGE_ACCESSED |  \
                             _PAGE_USER)
#define PTE_AD              (_PAGE_ACCESSED | _PAGE_DIRTY)
#define LINEAR_MAX          INT16_MAX
#define LINEAR_MIN          INT16_MIN

bool pv_guest_va_ok(uint64_t va)
{
    /* The lower canonical half ends where the hypervisor's slots begin. */
    return va < ((uint64_t)HYPERVISOR_SLOT_FIRST << L4_SHIFT) ||
           va >= HYPERVISOR_VIRT_END;
}

static uint64_t guest_flags(void)
{
    return PTE_GUEST_FLAGS | paging_nx_bit();
}

/* Bits a present L1 entry of d may not have. */
static uint64_t l1_disallow(const struct domain *d)
{
    return PTE_FLAGS_MASK &
           ~(guest_flags() | _PAGE_GLOBAL |
             (d->is_privileged ? PAGE_CACHE_ATTRS : 0));
}

/* Bits a present L2-L4 entry may not have. */
static uint64_t upper_disallow(void)
{
    return PTE_FLAGS_MASK & ~guest_flags();
}

static pte_t read_pte(const pte_t *p)
{
    return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/*
 * Replace *p (last seen as *old) by new.  Hardware may set Accessed/Dirty
 * meanwhile: those are carried over with preserve_ad, and never make the
 * update fail.  False if anything else changed; *old is what was replaced.
 */
static bool update_pte(pte_t *p, pte_t *old, pte_t new, bool preserve_ad)
{
    pte_t cur = *old;

    for ( ; ; )
    {
        pte_t val = preserve_ad ? new | (cur & PTE_AD) : new;
        pte_t seen = cur;

        if ( __atomic_compare_exchange_n(p, &seen, val, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) )
        {
            *old = cur;
            return true;
        }
        if ( (seen ^ cur) & ~PTE_AD )
            return false;
        cur = seen;
    }
}

bool pt_slot_is_guest(unsigned int level, unsigned int slot)
{
    return level != 4 || !l4_slot_is_hypervisor(slot);
}

pte_t pt_adjust(unsigned int level, pte_t e)
{
    if ( !pte_present(e) )
        return e;
    if ( level == 1 )
        return (e & _PAGE_USER) ? e : e | _PAGE_USER | _PAGE_GUEST_KERNEL;
    return e | _PAGE_USER | (level == 4 ? _PAGE_ACCESSED : 0);
}

void pt_l4_init_slots(pte_t *l4, bool m2p)
{
    const pte_t *idle = idle_l4_table();
    unsigned int slot;

    for ( slot = HYPERVISOR_SLOT_FIRST; slot <= HYPERVISOR_SLOT_LAST; slot++ )
        l4[slot] = idle[slot];
    l4[M2P_L4_SLOT] = m2p ? m2p_l4e() : 0;
}

void l4_set_m2p_slot(mfn_t l4, bool visible)
{
    __atomic_store_n((pte_t *)mfn_to_virt(l4) + M2P_L4_SLOT,
                     visible ? m2p_l4e() : 0, __ATOMIC_SEQ_CST);
}

/* ---- L1 entries -------------------------------------------------------- */

/* References for a present L1 entry of l1_owner mapping pg_owner's frame. */
static int get_page_from_l1e(pte_t e, const struct domain *l1_owner,
                             const struct domain *pg_owner)
{
    struct page_info *pg;

    if ( e & l1_disallow(l1_owner) )
        return -EINVAL;
    if ( !mfn_valid(pte_mfn(e)) )
        return -EPERM;                      /* MMIO: no I/O ranges yet */
    pg = mfn_to_page(pte_mfn(e));
    if ( !get_page(pg, pg_owner) )
        return -EBUSY;
    if ( (e & _PAGE_RW) && !get_page_type(pg, PGT_writable_page) )
    {
        put_page(pg);
        return -EBUSY;
    }
    return 0;
}

static void put_page_from_l1e(pte_t e)
{
    struct page_info *pg;

    if ( !pte_present(e) )
        return;
    pg = mfn_to_page(pte_mfn(e));
    if ( e & _PAGE_RW )
        put_page_and_type(pg);              /* writable: no children */
    else
        put_page(pg);
}

int mod_l1_entry(pte_t *pl1e, pte_t nl1e, mfn_t gl1mfn, bool preserve_ad,
                 struct domain *pt_dom, struct domain *pg_dom)
{
    pte_t ol1e = read_pte(pl1e);
    int rc;

    (void)gl1mfn;                           /* callers hold its L1 type */
    if ( pte_present(nl1e) )
    {
        if ( nl1e & l1_disallow(pt_dom) )
            return -EINVAL;
        /* Same frame and permissions: nothing to re-validate. */
        if ( pte_present(ol1e) && !((ol1e ^ nl1e) & ~PTE_FASTPATH_FLAGS) )
            return update_pte(pl1e, &ol1e, pt_adjust(1, nl1e), preserve_ad)
                   ? 0 : -EBUSY;
        if ( (rc = get_page_from_l1e(nl1e, pt_dom, pg_dom)) != 0 )
            return rc;
        nl1e = pt_adjust(1, nl1e);
        if ( !update_pte(pl1e, &ol1e, nl1e, preserve_ad) )
        {
            put_page_from_l1e(nl1e);
            return -EBUSY;
        }
    }
    else if ( !update_pte(pl1e, &ol1e, nl1e, preserve_ad) )
        return -EBUSY;
    put_page_from_l1e(ol1e);
    return 0;
}

/* ---- linear page tables ---------------------------------------------- */

static int linear_of(unsigned long x)
{
    return (int16_t)((x & PGT_linear_mask) >> PGT_linear_shift);
}

static unsigned long with_linear(unsigned long x, int n)
{
    return (x & ~PGT_linear_mask) |
           ((unsigned long)(uint16_t)n << PGT_linear_shift);
}

/* Add `delta` (+1: an entry held, -1: a use) if the sign allows it. */
static bool linear_add(struct page_info *pg, int delta)
{
    unsigned long x = read_ul(&pg->type_info);
    int n;

    do {
        n = linear_of(x);
        if ( (delta > 0 && (n < 0 || n == LINEAR_MAX)) ||
             (delta < 0 && (n > 0 || n == LINEAR_MIN)) )
            return false;
    } while ( !cas(&pg->type_info, &x, with_linear(x, n + delta)) );
    return true;
}

/* Undo linear_add(pg, delta); tolerant of a counter already reset. */
static void linear_sub(struct page_info *pg, int delta)
{
    unsigned long x = read_ul(&pg->type_info);
    int n;

    do {
        n = linear_of(x);
        if ( (delta > 0 && n <= 0) || (delta < 0 && n >= 0) )
            return;
    } while ( !cas(&pg->type_info, &x, with_linear(x, n - delta)) );
}

/* May read-only entry e of table pt (level) map pt's peer `child`? */
static bool get_linear_ref(struct page_info *pt, unsigned int level, pte_t e,
                           struct page_info *child)
{
    const struct domain *d = page_get_owner(pt);
    unsigned long want = pgt_of_level(level), x;

    if ( !d->arch.pv_linear_pt || (e & _PAGE_RW) )
        return false;
    if ( child == pt )
        return true;                        /* self-map: no references */
    if ( !get_page(child, d) )
        return false;
    if ( !linear_add(pt, 1) )
        goto put;
    if ( !linear_add(child, -1) )
        goto drop_entry;

    /* An already validated table of the same level, not being walked. */
    x = read_ul(&child->type_info);
    do {
        if ( (x & PGT_type_mask) != want ||
             (x & (PGT_validated | PGT_partial)) != PGT_validated ||
             (x & PGT_count_mask) == PGT_count_mask )
        {
            linear_sub(child, -1);
            goto drop_entry;
        }
    } while ( !cas(&child->type_info, &x, x + 1) );
    return true;

 drop_entry:
    linear_sub(pt, 1);
 put:
    put_page(child);
    return false;
}

/* ---- L2-L4 entries ----------------------------------------------------- */

static int get_child_ref(struct page_info *pt, unsigned int level, pte_t e,
                         struct pt_ctx *ctx)
{
    struct page_info *child;
    int rc;

    if ( e & upper_disallow() )
        return -EINVAL;
    if ( (child = get_page_from_mfn(pte_mfn(e), page_get_owner(pt))) == NULL )
        return -EINVAL;
    rc = mm_type_get(child, pgt_of_level(level - 1), ctx);
    if ( rc == 0 || rc == -ERESTART )
        return rc;                          /* references held */
    put_page(child);
    if ( rc == -EINVAL && get_linear_ref(pt, level, e, child) )
        return 0;
    return rc;
}

int pt_get_ref(struct page_info *pt, unsigned int level, pte_t e,
               struct pt_ctx *ctx)
{
    const struct domain *d = page_get_owner(pt);

    if ( !pte_present(e) )
        return 0;
    if ( level == 1 )
        return get_page_from_l1e(e, d, d);
    return get_child_ref(pt, level, e, ctx);
}

int pt_put_ref(struct page_info *pt, unsigned int level, pte_t e,
               struct pt_ctx *ctx)
{
    struct page_info *child;
    int rc;

    if ( !pte_present(e) )
        return 0;
    if ( level == 1 )
    {
        put_page_from_l1e(e);
        return 0;
    }
    child = mfn_to_page(pte_mfn(e));
    if ( child == pt )
        return 0;
    if ( (read_ul(&child->type_info) & PGT_type_mask) ==
         (read_ul(&pt->type_info) & PGT_type_mask) )
    {
        linear_sub(pt, 1);
        linear_sub(child, -1);
    }
    if ( (rc = mm_type_put(child, ctx)) != 0 )
        return rc;                          /* child in flight */
    put_page(child);
    return 0;
}

/* Drop what entry e held, leaving any preempted de-validation to v. */
static void put_entry_ref(struct vcpu *v, struct page_info *pt,
                          unsigned int level, pte_t e)
{
    struct pt_ctx ctx = { .preemptible = !v->arch.pt_pending };

    if ( pt_put_ref(pt, level, e, &ctx) == -ERESTART )
        mm_set_pending(v, mfn_to_page(pte_mfn(e)));
}

static int mod_upper_entry(struct vcpu *v, unsigned int level, pte_t *p,
                           pte_t n, mfn_t mfn, bool preserve_ad)
{
    struct page_info *pt = mfn_to_page(mfn);
    unsigned int slot = ((uintptr_t)p & ~PAGE_MASK) / sizeof(pte_t);
    struct pt_ctx ctx = { .preemptible = !v->arch.pt_pending };
    int busy = level == 2 ? -EBUSY : -EFAULT;   /* Xen's codes */
    pte_t o;
    int rc;

    if ( !pt_slot_is_guest(level, slot) )
        return -EINVAL;
    o = read_pte(p);
    if ( pte_present(n) )
    {
        if ( n & upper_disallow() )
            return -EINVAL;
        if ( pte_present(o) && !((o ^ n) & ~PTE_FASTPATH_FLAGS) )
            return update_pte(p, &o, pt_adjust(level, n), preserve_ad)
                   ? 0 : busy;
        rc = get_child_ref(pt, level, n, &ctx);
        if ( rc == -ERESTART )
        {
            mm_set_pending(v, mfn_to_page(pte_mfn(n)));
            return ctx.err ? ctx.err : -ERESTART;
        }
        if ( rc )
            return rc;
        n = pt_adjust(level, n);
        if ( !update_pte(p, &o, n, preserve_ad) )
        {
            put_entry_ref(v, pt, level, n);
            return busy;
        }
    }
    else if ( !update_pte(p, &o, n, preserve_ad) )
        return busy;
    put_entry_ref(v, pt, level, o);
    return 0;
}

int mod_l2_entry(struct vcpu *v, pte_t *pl2e, pte_t nl2e, mfn_t mfn,
                 bool preserve_ad)
{
    return mod_upper_entry(v, 2, pl2e, nl2e, mfn, preserve_ad);
}

int mod_l3_entry(struct vcpu *v, pte_t *pl3e, pte_t nl3e, mfn_t mfn,
                 bool preserve_ad)
{
    return mod_upper_entry(v, 3, pl3e, nl3e, mfn, preserve_ad);
}

int mod_l4_entry(struct vcpu *v, pte_t *pl4e, pte_t nl4e, mfn_t mfn,
                 bool preserve_ad)
{
    return mod_upper_entry(v, 4, pl4e, nl4e, mfn, preserve_ad);
}

/* ---- walking the guest's tables ---------------------------------------- */

/* Is mfn a frame of d's that may be read as one of its tables? */
static bool guest_table_frame(mfn_t mfn, const struct domain *d)
{
    return mfn_valid(mfn) && page_get_owner(mfn_to_page(mfn)) == d;
}

bool guest_l1e_lookup(const struct vcpu *v, uint64_t va, mfn_t *l1mfn,
                      unsigned int *slot)
{
    const struct domain *d = v->domain;
    mfn_t mfn = v->arch.guest_table;
    unsigned int shift;

    if ( !pv_guest_va_ok(va) || !mfn_x(mfn) )
        return false;
    for ( shift = L4_SHIFT; shift > L1_SHIFT; shift -= L2_SHIFT - L1_SHIFT )
    {
        pte_t e;

        if ( !guest_table_frame(mfn, d) )
            return false;
        e = read_pte((pte_t *)mfn_to_virt(mfn) + pt_index(va, shift));
        if ( (e & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT )
            return false;
        mfn = pte_mfn(e);
    }
    if ( !guest_table_frame(mfn, d) )
        return false;
    *l1mfn = mfn;
    *slot = pt_index(va, L1_SHIFT);
    return true;
}

/* The leaf entry for va in v's kernel tables, or 0. */
static pte_t guest_leaf(const struct vcpu *v, uint64_t va)
{
    mfn_t l1mfn;
    unsigned int slot;

    if ( !guest_l1e_lookup(v, va, &l1mfn, &slot) )
        return 0;
    return read_pte((pte_t *)mfn_to_virt(l1mfn) + slot);
}

/* A read-only mapping of a validated L1 table of d in use: its frame. */
static bool ro_l1_target(const struct vcpu *v, uint64_t va, mfn_t *target)
{
    pte_t e = guest_leaf(v, va);
    unsigned long x;

    if ( (e & (_PAGE_PRESENT | _PAGE_RW)) != _PAGE_PRESENT ||
         !guest_table_frame(pte_mfn(e), v->domain) )
        return false;
    x = read_ul(&mfn_to_page(pte_mfn(e))->type_info);
    if ( (x & PGT_type_mask) != PGT_l1_page_table ||
         (x & (PGT_validated | PGT_partial)) != PGT_validated ||
         !(x & PGT_count_mask) )
        return false;
    *target = pte_mfn(e);
    return true;
}

bool ptwr_is_l1_write(struct vcpu *v, uint64_t va, uint64_t *pte_maddr)
{
    mfn_t target;

    if ( !ro_l1_target(v, va, &target) )
        return false;
    if ( pte_maddr )
        *pte_maddr = ((uint64_t)mfn_x(target) << PAGE_SHIFT) |
                     (va & ~PAGE_MASK & ~(uint64_t)(sizeof(pte_t) - 1));
    return true;
}

int ptwr_update_pte(struct vcpu *v, uint64_t va, uint64_t old, uint64_t new,
                    bool cmpxchg)
{
    struct domain *d = v->domain;
    struct page_info *pg;
    unsigned long type;
    mfn_t target;
    pte_t *p, ol1e;
    int rc = 0;

    if ( va & (sizeof(pte_t) - 1) )
        return -EINVAL;
    if ( !ro_l1_target(v, va, &target) ||
         (pg = get_page_from_mfn(target, d)) == NULL )
        return -EFAULT;
    if ( !get_page_type_if_in_use(pg, &type) )
    {
        put_page(pg);
        return -EFAULT;
    }
    if ( type != PGT_l1_page_table )
    {
        rc = -EFAULT;
        goto out;
    }

    p = (pte_t *)mfn_to_virt(target) + ((va & ~PAGE_MASK) / sizeof(pte_t));
    if ( pte_present(new) && get_page_from_l1e(new, d, d) )
    {
        rc = -EINVAL;
        goto out;
    }
    new = pt_adjust(1, new);
    if ( cmpxchg )
    {
        ol1e = old;
        if ( !__atomic_compare_exchange_n(p, &ol1e, new, false,
                                          __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST) )
        {
            put_page_from_l1e(new);
            rc = -EAGAIN;
            goto out;
        }
    }
    else
        /* A plain store always lands: retry if another update won. */
        do {
            ol1e = read_pte(p);
        } while ( !update_pte(p, &ol1e, new, false) );
    put_page_from_l1e(ol1e);

 out:
    put_page_and_type(pg);                  /* L1: short if the last */
    return rc;
}
