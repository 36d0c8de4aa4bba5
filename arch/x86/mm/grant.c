/*
 * The x86 side of grant mappings: writing and removing the L1 entry of a
 * host mapping, and cache maintenance for GNTTABOP_cache_flush.
 *
 * A grant's L1 entry maps a frame of another domain (or the caller's
 * own), so it cannot go through mod_l1_entry(), which insists on the
 * caller's frames.  Instead the grant code takes the references the entry
 * implies first (general, plus writable type for RW: the same ones
 * mod_l1_entry() would take), and the entry is written here, in an L1
 * table of the caller in use as one (its type held while we write), with
 * compare-exchange.  From then on it is an ordinary validated entry: the
 * guest overwriting it, or the table's release, drops exactly those
 * references (pagetable.c's put for an L1 entry).
 *
 * Every change that removes a translation flushes the domain's TLBs
 * before a reference the entry held can go, so no CPU keeps writing a
 * frame that has become someone else's or a page table.
 *
 * The entry's bits are Xen's: P, A, D, NX, RW unless read-only, U for
 * GNTMAP_application_map (else the guest-kernel marking pt_adjust()
 * gives every kernel entry), and GNTMAP_guest_avail bits in bits 9-11.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/grant_table.h>
#include <keel/lib.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <public/grant_table.h>

#include "mm-internal.h"

#define PTE_AVAIL_SHIFT     9           /* _PAGE_AVAIL: bits 9-11 */
#define PTE_AD              (_PAGE_ACCESSED | _PAGE_DIRTY)
/* Compare-exchanges on one entry before giving up on a racing guest. */
#define PTE_UPDATE_TRIES    16

/* The L1 entry of a grant mapping of mfn with these GNTMAP_* flags. */
static pte_t grant_pte(mfn_t mfn, unsigned int flags)
{
    uint64_t f = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY |
                 paging_nx_bit();

    if ( flags & GNTMAP_application_map )
        f |= _PAGE_USER;
    if ( !(flags & GNTMAP_readonly) )
        f |= _PAGE_RW;
    f |= ((uint64_t)(flags >> _GNTMAP_guest_avail0) << PTE_AVAIL_SHIFT) &
         _PAGE_AVAIL;
    return pt_adjust(1, pte_from_mfn(mfn, f));
}

/* Drop the references of a (validated) L1 entry: pagetable.c's rule. */
static void put_l1e_refs(pte_t e)
{
    struct page_info *pg;

    if ( !pte_present(e) )
        return;
    pg = mfn_to_page(pte_mfn(e));
    if ( e & _PAGE_RW )
        put_page_and_type(pg);
    else
        put_page(pg);
}

/*
 * The L1 entry named by addr (a linear address of v's kernel tables, or
 * with contains_pte the machine address of the entry), in a table of v's
 * domain in use as an L1: its general and type reference are taken, to
 * be dropped with put_page_and_type(*l1pg).  NULL if there is none.
 */
static pte_t *grant_l1e(struct vcpu *v, uint64_t addr, bool contains_pte,
                        struct page_info **l1pg)
{
    struct page_info *pg;
    unsigned long type;
    unsigned int slot;
    mfn_t l1mfn;

    if ( contains_pte )
    {
        /* A misaligned entry would corrupt two neighbours (XSA-227). */
        if ( addr & (sizeof(pte_t) - 1) )
            return NULL;
        l1mfn = _mfn(addr >> PAGE_SHIFT);
        slot = (addr & ~PAGE_MASK) / sizeof(pte_t);
    }
    else if ( !guest_l1e_lookup(v, addr, &l1mfn, &slot) )
        return NULL;

    if ( (pg = get_page_from_mfn(l1mfn, v->domain)) == NULL )
        return NULL;
    if ( !get_page_type_if_in_use(pg, &type) )
    {
        put_page(pg);
        return NULL;
    }
    if ( type != PGT_l1_page_table )
    {
        put_page_and_type(pg);
        return NULL;
    }
    *l1pg = pg;
    return (pte_t *)mfn_to_virt(l1mfn) + slot;
}

/* Replace whatever *p holds by new; the old value's references are ours. */
static bool exchange_pte(pte_t *p, pte_t new, pte_t *old)
{
    pte_t cur = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    unsigned int tries;

    for ( tries = 0; tries < PTE_UPDATE_TRIES; tries++ )
        if ( __atomic_compare_exchange_n(p, &cur, new, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) )
        {
            *old = cur;
            return true;
        }
    return false;
}

/*
 * Replace *p by new if it still holds expect, give or take the Accessed
 * and Dirty bits the hardware may set meanwhile.
 */
static bool replace_pte(pte_t *p, pte_t expect, pte_t new)
{
    pte_t cur = expect;
    unsigned int tries;

    for ( tries = 0; tries < PTE_UPDATE_TRIES; tries++ )
    {
        if ( __atomic_compare_exchange_n(p, &cur, new, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) )
            return true;
        if ( (cur ^ expect) & ~PTE_AD )
            return false;
    }
    return false;
}

void arch_gnttab_flush_tlb(struct domain *d)
{
    mm_flush_tlb_domain(d);
}

int arch_gnttab_map_create(struct vcpu *v, uint64_t addr, mfn_t mfn,
                           unsigned int flags)
{
    struct page_info *l1pg;
    pte_t *p, old;
    bool ok;

    p = grant_l1e(v, addr, flags & GNTMAP_contains_pte, &l1pg);
    if ( !p )
        return GNTST_general_error;
    ok = exchange_pte(p, grant_pte(mfn, flags), &old);
    put_page_and_type(l1pg);
    if ( !ok )
        return GNTST_general_error;
    if ( pte_present(old) )
    {
        /* The old translation may be cached anywhere the domain ran. */
        arch_gnttab_flush_tlb(v->domain);
        put_l1e_refs(old);
    }
    return GNTST_okay;
}

/* Take the entry at linear address va out (unmap_and_replace's source). */
static bool steal_linear(struct vcpu *v, uint64_t va, pte_t *stolen)
{
    struct page_info *l1pg;
    pte_t *p = grant_l1e(v, va, false, &l1pg);
    bool ok;

    if ( !p )
        return false;
    ok = exchange_pte(p, 0, stolen);
    put_page_and_type(l1pg);
    return ok;
}

int arch_gnttab_map_destroy(struct vcpu *v, uint64_t addr, mfn_t mfn,
                            uint64_t new_addr, unsigned int flags)
{
    const pte_t want = grant_pte(mfn, flags);
    bool contains_pte = flags & GNTMAP_contains_pte;
    struct page_info *l1pg;
    pte_t repl = 0, cur, *p;
    bool ok = false;

    if ( new_addr )
    {
        /* Replacement only with linear addresses. */
        if ( contains_pte || !steal_linear(v, new_addr, &repl) )
            return GNTST_general_error;
        /* new_addr's translation goes; its references move (or drop). */
        arch_gnttab_flush_tlb(v->domain);
    }

    if ( (p = grant_l1e(v, addr, contains_pte, &l1pg)) != NULL )
    {
        cur = __atomic_load_n(p, __ATOMIC_SEQ_CST);
        /*
         * The grant's own entry: this frame, present, and writable exactly
         * when the grant is, so the references handed back are the ones
         * the mapping took (XSA-224, XSA-234).
         */
        if ( mfn_x(pte_mfn(cur)) == mfn_x(mfn) &&
             !((cur ^ want) & (_PAGE_PRESENT | _PAGE_RW)) )
            ok = replace_pte(p, cur, repl);
        put_page_and_type(l1pg);
    }
    if ( !ok )
    {
        put_l1e_refs(repl);                 /* flushed above */
        return GNTST_general_error;
    }
    arch_gnttab_flush_tlb(v->domain);
    return GNTST_okay;
}

int arch_gnttab_cache_flush(mfn_t mfn, unsigned int offset, unsigned int len,
                            unsigned int op)
{
    (void)mfn;
    (void)offset;
    (void)len;
    /* Coherent caches: an invalidate alone would only lose data. */
    if ( !(op & GNTTAB_CACHE_CLEAN) )
        return -EOPNOTSUPP;
    mm_wbinvd_local();
    return 0;
}
