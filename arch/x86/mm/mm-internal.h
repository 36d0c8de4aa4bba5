/*
 * Between the reference/type core (mm.c) and the page-table entry rules
 * (pagetable.c).  Not for use outside arch/x86/mm.
 *
 * A (de)validation run walks the entries of one page-table page and takes
 * (or drops) the references each entry implies.  It may recurse into a
 * child table whose type count goes from 0 to 1 (or 1 to 0); the depth is
 * bounded (four levels, plus one same-level linear hop per level, which
 * XSA-240's rules keep from chaining), so the recursion is bounded.  The
 * work is not: a run checks for preemption after every entry once it has
 * done some work, and then stops with -ERESTART, leaving every page it is
 * inside of PGT_partial with its cursor, so that the run can be resumed.
 */
#ifndef ARCH_X86_MM_INTERNAL_H
#define ARCH_X86_MM_INTERNAL_H

#include <keel/types.h>
#include <asm/mm.h>

struct pt_ctx {
    bool preemptible;       /* may stop with -ERESTART */
    bool progressed;        /* some entry was done: stopping is allowed */
    int err;                /* first validation failure, 0 if none */
};

/* ---- pagetable.c ----------------------------------------------------- */

/* Does slot of a table at this level hold a guest entry (not Keel's)? */
bool pt_slot_is_guest(unsigned int level, unsigned int slot);

/*
 * Take the references entry e of table pt (at level) implies: 0 (e is not
 * present, or the references are held), -ERESTART (e maps a child table
 * whose validation was preempted: a general reference and the child's
 * single partial type reference are held), or -errno (nothing held).
 */
int pt_get_ref(struct page_info *pt, unsigned int level, pte_t e,
               struct pt_ctx *ctx);

/*
 * Drop them: 0, or -ERESTART (the child's de-validation was preempted:
 * the child is partial and owned by this entry, which still holds its
 * general reference).
 */
int pt_put_ref(struct page_info *pt, unsigned int level, pte_t e,
               struct pt_ctx *ctx);

/* The guest entry as stored: user bit forced, Keel's marks added. */
pte_t pt_adjust(unsigned int level, pte_t e);

/* Keel's slots of a newly validated L4 (M2P slot filled if m2p). */
void pt_l4_init_slots(pte_t *l4, bool m2p);

/* ---- mm.c ------------------------------------------------------------ */

/* Type reference core: 0, -ERESTART (caller owns a partial page), -errno. */
int mm_type_get(struct page_info *pg, unsigned long type, struct pt_ctx *ctx);
/* 0 (dropped; any de-validation finished) or -ERESTART (partial, owned). */
int mm_type_put(struct page_info *pg, struct pt_ctx *ctx);

/* Hand a partial page (or a stash) and its references to v. */
void mm_set_pending(struct vcpu *v, struct page_info *pg);

static inline bool cas(unsigned long *p, unsigned long *old, unsigned long new)
{
    return __atomic_compare_exchange_n(p, old, new, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_RELAXED);
}

static inline unsigned long read_ul(const unsigned long *p)
{
    return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static inline pte_t *pt_map(const struct page_info *pg)
{
    return mfn_to_virt(page_to_mfn(pg));
}

static inline bool pte_present(pte_t e)
{
    return e & _PAGE_PRESENT;
}

#endif /* ARCH_X86_MM_INTERNAL_H */
