/*
 * PV guest memory: page ownership, reference counts and types, page-table
 * validation, the machine-to-phys table (arch/x86/mm/{mm,pagetable,m2p,
 * mmu-ops,flush}.c).
 *
 * Every frame a guest can reach is described by its struct page_info:
 *
 *   count_info  PGC_* flags in the top byte (PGC_heap/free/need_scrub are
 *               the allocator's) and the general reference count in bits
 *               0-55.  A domain page holds one reference for as long as its
 *               owner has it allocated (PGC_allocated); every mapping, type
 *               reference holder and temporary user holds another.  The
 *               frame returns to the heap when the count reaches zero.
 *
 *   type_info   what the frame is used as (bits 61-63, one type at a time),
 *               PGT_pinned, PGT_validated, the state of an unfinished
 *               (de)validation, the linear page-table counter and, in bits
 *               0-28, the type count.  The type can change only when the
 *               type count is zero.
 *
 *      63  61 60 59 58 57 56 55 54     45 44       29 28         0
 *     +------+--+--+--+--+--+--+---------+-----------+------------+
 *     | type |pn|va|pa|de|if|ab| cursor  |  linear   | type count |
 *     +------+--+--+--+--+--+--+---------+-----------+------------+
 *
 *   owner       the owning struct domain, or NULL.
 *
 * All changes to count_info and type_info are atomic compare-and-exchange
 * loops; d->page_alloc_lock guards the owner field, d->page_list and the
 * domain's page counters.  It is never held across put_page(), which may
 * free a frame and take it.
 */
#ifndef ASM_MM_H
#define ASM_MM_H

#include <keel/types.h>
#include <keel/mm.h>
#include <keel/memmap.h>
#include <asm/page.h>
#include <asm/paging.h>

struct domain;
struct vcpu;

/* ---- count_info ------------------------------------------------------ */

#define PGC_allocated   (1UL << 60)     /* the owner's allocation reference */
#define PGC_xen_heap    (1UL << 59)     /* hypervisor page shared with guest */
#define PGC_relinquished (1UL << 58)    /* swept by arch_domain_relinquish() */

/* ---- type_info ------------------------------------------------------- */

#define PGT_type_shift      61
#define PGT_type_mask       (7UL << PGT_type_shift)
#define PGT_none            (0UL << PGT_type_shift)
#define PGT_l1_page_table   (1UL << PGT_type_shift)
#define PGT_l2_page_table   (2UL << PGT_type_shift)
#define PGT_l3_page_table   (3UL << PGT_type_shift)
#define PGT_l4_page_table   (4UL << PGT_type_shift)
#define PGT_seg_desc_page   (5UL << PGT_type_shift)
#define PGT_writable_page   (6UL << PGT_type_shift)
#define PGT_root_page_table PGT_l4_page_table

#define PGT_pinned          (1UL << 60) /* pinned: one type+general ref */
#define PGT_validated       (1UL << 59) /* contents checked for the type */
#define PGT_partial         (1UL << 58) /* (de)validation stopped midway */
#define PGT_demoting        (1UL << 57) /* partial: releasing, not checking */
#define PGT_inflight        (1UL << 56) /* partial: entry at the cursor owns
                                           a partial child */
#define PGT_aborting        (1UL << 55) /* partial: undoing a failed
                                           validation */
#define PGT_cursor_shift    45          /* partial: entries [0, cursor)
                                           hold references */
#define PGT_cursor_mask     (0x3ffUL << PGT_cursor_shift)
#define PGT_linear_shift    29          /* signed: >0 linear entries this
                                           table holds, <0 linear uses */
#define PGT_linear_mask     (0xffffUL << PGT_linear_shift)
#define PGT_count_mask      ((1UL << 29) - 1)

/* Level (1-4) of a page-table type, 0 for the other types. */
static inline unsigned int pgt_level(unsigned long type_info)
{
    unsigned long t = type_info & PGT_type_mask;

    return t >= PGT_l1_page_table && t <= PGT_l4_page_table
           ? (unsigned int)(t >> PGT_type_shift) : 0;
}

static inline unsigned long pgt_of_level(unsigned int level)
{
    return (unsigned long)level << PGT_type_shift;
}

/* ---- page-table entries ---------------------------------------------- */

#define _PAGE_AVAIL         0xe00ULL                /* bits 9-11 */
#define _PAGE_AVAIL_HIGH    (0x7ffULL << 52)        /* bits 52-62 */
#define _PAGE_PAT           _PAGE_PSE               /* in L1 entries */
#define _PAGE_GUEST_KERNEL  (1ULL << 52)            /* set by Keel: the
                                                       guest kernel's entry */
#define PAGE_CACHE_ATTRS    (_PAGE_PAT | _PAGE_PCD | _PAGE_PWT)

static inline mfn_t pte_mfn(pte_t e)
{
    return _mfn((e & PADDR_MASK) >> PAGE_SHIFT);
}

static inline pte_t pte_from_mfn(mfn_t mfn, uint64_t flags)
{
    return ((pte_t)mfn_x(mfn) << PAGE_SHIFT) | flags;
}

/* L4 slots that belong to the hypervisor in every guest L4 (256-271). */
static inline bool l4_slot_is_hypervisor(unsigned int slot)
{
    return slot >= HYPERVISOR_SLOT_FIRST && slot <= HYPERVISOR_SLOT_LAST;
}
#define M2P_L4_SLOT HYPERVISOR_SLOT_FIRST           /* read-only M2P */

/*
 * Guest-addressable linear address for the PV ABI: canonical and outside
 * the hypervisor's range (Xen's __addr_ok()).
 */
bool pv_guest_va_ok(uint64_t va);

/* ---- page lists (defined in keel/mm.h) and ownership ------------------ */

static inline struct domain *page_get_owner(const struct page_info *pg)
{
    return pg->owner;
}

/*
 * Take a general reference on a frame owned by d.  False if the frame is
 * not allocated, not d's, or its count would overflow.
 */
bool get_page(struct page_info *pg, const struct domain *d);
/* Drop a general reference; the last one frees the frame to the heap. */
void put_page(struct page_info *pg);
/* The frame at mfn with a general reference, if d owns it; else NULL. */
struct page_info *get_page_from_mfn(mfn_t mfn, const struct domain *d);
/* Drop the owner's allocation reference (PGC_allocated), if still held. */
void put_page_alloc_ref(struct page_info *pg);

/*
 * Type references.  get_page_type() changes the type if the type count is
 * zero, validating page-table contents (taking references on what they
 * map), and fails if the page has another type in use.  These two run
 * any (de)validation to completion: use them for types without children
 * (writable, segment descriptors), for L1 tables, and where the guest
 * cannot make the work large (dom0 build).  Page-table work a guest
 * triggers goes through the _preemptible variants below.
 *
 * PGT_seg_desc_page is marked validated at once: the caller must check
 * the descriptors after taking the type (the frame can then no longer be
 * written by the guest except through update_descriptor).
 */
bool get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);
bool get_page_and_type(struct page_info *pg, const struct domain *d,
                       unsigned long type);
void put_page_and_type(struct page_info *pg);
/*
 * A type reference only if pg is validated and already referenced as some
 * type (*type says which); never starts a validation.  Drop it with
 * put_page_type(), or put_page_and_type_preemptible() for page tables.
 */
bool get_page_type_if_in_use(struct page_info *pg, unsigned long *type);

/*
 * Preemptible type references for page tables, on behalf of vCPU v.
 *
 * get_page_and_type_preemptible(): 0 with a general and a type reference
 * taken; -errno with none; or -ERESTART: the validation was preempted and
 * v->arch.pt_pending now owns the half-validated page.  The caller stops
 * and arranges for the operation to be re-issued (the re-issued operation
 * finds the work finished by mm_finish_pending()).  A failure found while
 * preempted work is being undone is returned as -errno with pt_pending
 * set: the caller reports the error once mm_finish_pending() completes.
 *
 * put_page_and_type_preemptible(): drops both references; if that starts
 * a de-validation that gets preempted, v->arch.pt_pending owns the rest
 * of it.  The put itself has happened.
 */
int get_page_and_type_preemptible(struct vcpu *v, struct page_info *pg,
                                  const struct domain *d, unsigned long type);
void put_page_and_type_preemptible(struct vcpu *v, struct page_info *pg);

/*
 * The pending work of a vCPU (arch.pt_pending): at most one partially
 * (de)validated page, left by a preempted walk.  Every hypercall that
 * changes page types calls mm_finish_pending() first, and
 * mm_release_stash() after each operation: a promotion finished on the
 * vCPU's behalf keeps its reference (arch.pt_stash) until the re-issued
 * operation has taken its own, so no work is lost.
 * mm_finish_pending(): 0, -ERESTART (not done yet: re-issue the hypercall
 * unchanged), or -errno: the pending work was a validation that failed,
 * so the operation that started it (the one being re-issued) fails with
 * that error.
 */
int mm_finish_pending(struct vcpu *v);
void mm_release_stash(struct vcpu *v);
static inline bool mm_has_pending(const struct vcpu *v);

/*
 * Pinning (MMUEXT_PIN_Ln_TABLE / UNPIN_TABLE): a pin holds one type and
 * one general reference.  pin: 0, -EINVAL (bad frame, bad contents,
 * already pinned), -EBUSY (type in use otherwise), -ERESTART (see
 * get_page_and_type_preemptible()).  unpin: 0 or -EINVAL (not d's, not
 * pinned).
 */
int pin_page_table(struct vcpu *v, mfn_t mfn, const struct domain *d,
                   unsigned long type);
int unpin_page_table(struct vcpu *v, mfn_t mfn, const struct domain *d);

/*
 * A guest kernel's write to CR3 (emulated mov to %cr3; Xen's
 * new_guest_cr3()): make the L4 at mfn v's kernel base pointer, as
 * MMUEXT_NEW_BASEPTR does.  0; -EINVAL (not a validatable L4 of the
 * domain) or another validation error; -ERESTART: re-execute the
 * instruction (preempted, or the old tables' release is still running;
 * the re-execution finishes the work and then finds the switch done).
 */
int pv_new_guest_cr3(struct vcpu *v, mfn_t mfn);

/*
 * The dom0 builder's initial tables: validate the L4 at l4 (and all it
 * maps) without preemption, pin it, fill its M2P slot, and take one more
 * type+general reference for d->vcpu[0]'s arch.guest_table, which is set
 * to l4.  0 or the validation error.
 */
int pv_pin_initial_l4(struct domain *d, mfn_t l4);

/* ---- page-table entries (pagetable.c) -------------------------------- */

/*
 * Show (or hide) the read-only M2P in the validated L4 at l4: shown when
 * it becomes a kernel base pointer, hidden from user base pointers under
 * VMASST_TYPE_m2p_strict.
 */
void l4_set_m2p_slot(mfn_t l4, bool visible);
/* VMASST_TYPE_m2p_strict is on for d (hide the M2P from user mode). */
bool mm_m2p_strict(const struct domain *d);

/*
 * Validate nl1e as a new L1 entry of pt_dom's table at *pl1e (in frame
 * gl1mfn) mapping frames of pg_dom, and write it atomically in place of
 * the current entry, dropping the old entry's references.  preserve_ad
 * keeps the Accessed/Dirty bits of the old entry.
 *   -EINVAL  bits outside what a guest may set (cache attributes for a
 *            domain without I/O privilege)
 *   -EPERM   frame number beyond the frame table (MMIO: not yet)
 *   -EBUSY   frame not pg_dom's, writable mapping of a frame typed as a
 *            page table or descriptor page, or the entry changed under us
 */
int mod_l1_entry(pte_t *pl1e, pte_t nl1e, mfn_t gl1mfn, bool preserve_ad,
                 struct domain *pt_dom, struct domain *pg_dom);
/*
 * Same for L2-L4 entries of the validated table at mfn; these may need
 * to validate a whole subtree and so are preemptible on behalf of v.
 *   -EINVAL  reserved or superpage bits, frame not the domain's or not
 *            of the next level (and not a permitted linear entry), L4
 *            slot of the hypervisor
 *   -EBUSY / -EFAULT  (L2 / L3-L4) the entry changed under us
 *   -ERESTART  preempted: v->arch.pt_pending holds the work
 */
int mod_l2_entry(struct vcpu *v, pte_t *pl2e, pte_t nl2e, mfn_t mfn,
                 bool preserve_ad);
int mod_l3_entry(struct vcpu *v, pte_t *pl3e, pte_t nl3e, mfn_t mfn,
                 bool preserve_ad);
int mod_l4_entry(struct vcpu *v, pte_t *pl4e, pte_t nl4e, mfn_t mfn,
                 bool preserve_ad);

/*
 * The L1 entry that maps va in v's kernel page tables: its table's frame
 * and slot.  False if va is not guest-addressable or an upper level is
 * absent (or a superpage).
 */
bool guest_l1e_lookup(const struct vcpu *v, uint64_t va, mfn_t *l1mfn,
                      unsigned int *slot);

/*
 * Writable page-table emulation (used by arch/x86/pv/emul-ptwr.c).
 *
 * ptwr_is_l1_write(): does a write fault at va hit a read-only mapping
 * (in v's kernel page tables) of one of v's domain's validated L1 tables?
 * If so, and pte_maddr is not NULL, *pte_maddr is the machine address of
 * the 8-byte entry at va.
 *
 * ptwr_update_pte(): replace the L1 entry at va (8-byte aligned; the
 * emulator widens narrower writes) with new, validated exactly as
 * mmu_update would; with cmpxchg, only if it still holds old.
 *   0        done
 *   -EAGAIN  cmpxchg and the entry no longer holds old (re-read it)
 *   -EINVAL  new is not a valid entry (deliver the original fault)
 *   -EFAULT  va is not (or no longer) a write to a validated L1 table
 */
bool ptwr_is_l1_write(struct vcpu *v, uint64_t va, uint64_t *pte_maddr);
int ptwr_update_pte(struct vcpu *v, uint64_t va, uint64_t old, uint64_t new,
                    bool cmpxchg);

/* ---- the machine-to-phys table (m2p.c) ------------------------------- */

#define INVALID_M2P_ENTRY   (~0UL)
#define M2P_CHUNK_SHIFT     21          /* the table is built of 2 MiB */
#define M2P_CHUNK_ENTRIES   ((1UL << M2P_CHUNK_SHIFT) / sizeof(unsigned long))

/*
 * Allocate the table for [0, max_page), fill it with INVALID_M2P_ENTRY and
 * map it read-only and user-accessible at MACH2PHYS_VIRT_START in the idle
 * L4 (slot 256), whence every guest L4 copies it.  Boot, after the heap.
 */
void m2p_init(void);
void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn);
unsigned long get_gpfn_from_mfn(mfn_t mfn);
/* The idle L4's slot-256 entry (0 before m2p_init()). */
pte_t m2p_l4e(void);
/* Chunks of the table (2 MiB each) and the frame backing chunk i. */
unsigned long m2p_nr_chunks(void);
mfn_t m2p_chunk_mfn(unsigned long i);

/* ---- domain memory (mm.c) -------------------------------------------- */

/*
 * Take a frame away from d (XENMEM_exchange): only if nothing but the
 * allocation references it.  It is then a fresh heap frame with no owner
 * (its M2P entry untouched), for domain_assign_page() or, after a TLB
 * flush, the heap.  0 or -EINVAL.
 */
int steal_page(struct domain *d, struct page_info *pg);

/*
 * Release everything a dying domain holds: its vCPUs' base pointers and
 * pending work, pins, page-table validation, allocation references.
 * Frames go back to the heap as their last reference drops.  Marks the
 * domain DOMSTATE_DYING if it is not already.  0 when done (frames still
 * referenced from outside are reported), -ERESTART when preempted: call
 * again.
 */
int arch_domain_relinquish(struct domain *d);

/* ---- hypervisor-only hooks (flush.c; stubbed in host tests) ----------- */

void mm_flush_tlb_local(void);                      /* incl. global */
void mm_flush_tlb_domain(const struct domain *d);   /* all its CPUs */
void mm_invlpg_local(uint64_t va);
void mm_invlpg_domain(const struct domain *d, uint64_t va);
void mm_wbinvd_local(void);
void mm_wbinvd_all(void);
/* Load CR3 for v's current mode (arch/x86/pv/domain.c). */
void pv_update_cr3(struct vcpu *v);
/* MMUEXT_SET_LDT changed v's LDT (arch/x86/pv/ldt.c). */
void pv_ldt_changed(struct vcpu *v);

/* The sanitised host memory map (arch/x86/setup.c). */
const struct memmap_entry *arch_host_memory_map(unsigned int *nr);

/* ---- inline helpers needing struct vcpu ------------------------------ */

#include <keel/domain.h>

/* Unfinished page-table work (a stash does not count). */
static inline bool mm_has_pending(const struct vcpu *v)
{
    return v->arch.pt_pending != NULL;
}

#endif /* ASM_MM_H */
