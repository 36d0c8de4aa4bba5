/*
 * Host tests for PV guest memory management: entry validation, reference
 * counts and types, preemptible (de)validation, the page-table and memory
 * hypercalls (arch/x86/mm/{mm,pagetable,mmu-ops,m2p}.c, common/memory.c),
 * linked unmodified.
 *
 * The fake machine: machine frames are a host arena under the real buddy
 * heap; one PV domain with one vCPU; guest virtual addresses handed to
 * hypercalls are host pointers, except the page at `bad_page`, which
 * faults.  Preemption is forced every `preempt_every` checks, and
 * continuations are re-issued by reissue() as the guest would.
 */
#include "harness.h"
#include "mm_helpers.h"

#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/memmap.h>
#include <asm/mm.h>
#include <public/memory.h>
#include <public/xen.h>

#define FIRST_MFN   4096UL
#define NR_FRAMES   4096UL
#define TABLE_PAGES (FIRST_MFN + NR_FRAMES)

#define F_RW    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                 _PAGE_DIRTY)
#define F_RO    (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define F_KRW   (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)     /* no US */
#define DOMU_MAX_ORDER_TEST 10              /* above the domU limit */

/* ---- the fake machine ---------------------------------------------------- */

static struct arena arena;
static struct domain dom;
static struct vcpu vcpu0;
static struct vcpu *vcpus[1];
struct domain *hardware_domain;
static pte_t idle_l4[PT_ENTRIES];
static unsigned char bad_page[PAGE_SIZE] __attribute__((aligned(4096)));

static unsigned int preempt_every, preempt_calls;
static unsigned long flushes, cr3_loads, free_before_domain;
static struct {
    unsigned int count, op, nr;
    unsigned long args[5];
} cont;

struct vcpu *get_current(void) { return &vcpu0; }
void set_current(struct vcpu *v) { (void)v; }

struct domain *domain_get_by_id(domid_t id, struct domain *cur)
{
    return id == DOMID_SELF || id == cur->domain_id ? cur : NULL;
}

void domain_put(struct domain *d) { (void)d; }
bool domain_get(struct domain *d) { (void)d; return true; }

#include "guest_copy_stub.h"

bool hypercall_preempt_check(void)
{
    return preempt_every && ++preempt_calls % preempt_every == 0;
}

long hypercall_create_continuation(unsigned int op, unsigned int nr,
                                   const unsigned long *args)
{
    cont.count++;
    cont.op = op;
    cont.nr = nr;
    memcpy(cont.args, args, nr * sizeof(*args));
    return op;
}

bool hypercall_in_multicall(void) { return false; }
void pv_update_cr3(struct vcpu *v) { (void)v; cr3_loads++; }
void pv_ldt_changed(struct vcpu *v) { (void)v; }
void mm_flush_tlb_local(void) { flushes++; }
void mm_flush_tlb_domain(const struct domain *d) { (void)d; flushes++; }
void mm_invlpg_local(uint64_t va) { (void)va; flushes++; }
void mm_invlpg_domain(const struct domain *d, uint64_t va) { flushes++; }
void mm_wbinvd_local(void) { }
void mm_wbinvd_all(void) { }
const pte_t *idle_l4_table(void) { return idle_l4; }
void paging_set_idle_l4e(unsigned int slot, pte_t e) { idle_l4[slot] = e; }
pte_t paging_nx_bit(void) { return _PAGE_NX; }

const struct memmap_entry *arch_host_memory_map(unsigned int *nr)
{
    static const struct memmap_entry map[] = {
        { 0, 0x9f000, E820_RAM },
        { 0x100000, 0x1ff00000, E820_RAM },
        { 0xfec00000, 0x1000, E820_RESERVED },
    };

    *nr = ARRAY_SIZE(map);
    return map;
}

static void machine_init(bool privileged)
{
    unsigned int s;

    arena_init(&arena, FIRST_MFN, NR_FRAMES, TABLE_PAGES);
    init_heap_pages(_mfn(FIRST_MFN), NR_FRAMES);
    memset(idle_l4, 0, sizeof(idle_l4));
    for ( s = HYPERVISOR_SLOT_FIRST + 1; s <= HYPERVISOR_SLOT_LAST; s++ )
        idle_l4[s] = ((pte_t)s << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW;
    m2p_init();

    memset(&dom, 0, sizeof(dom));
    memset(&vcpu0, 0, sizeof(vcpu0));
    dom.domain_id = 1;
    dom.is_privileged = privileged;
    spin_lock_init(&dom.lock);
    spin_lock_init(&dom.page_alloc_lock);
    page_list_init(&dom.page_list);
    dom.state = DOMSTATE_RUNNING;
    dom.max_pages = NR_FRAMES;
    dom.max_vcpus = 1;
    dom.vcpu = vcpus;
    dom.arch.pv_linear_pt = true;
    vcpus[0] = &vcpu0;
    vcpu0.domain = &dom;
    vcpu0.arch.kernel_mode = true;
    hardware_domain = privileged ? &dom : NULL;

    preempt_every = preempt_calls = 0;
    flushes = cr3_loads = 0;
    memset(&cont, 0, sizeof(cont));
    stub_printk_reset();
    free_before_domain = total_free_pages();
}

static void machine_fini(void)
{
    arena_fini(&arena);
}

/* ---- frames and entries --------------------------------------------------- */

static mfn_t new_frame(void)
{
    struct page_info *pg = alloc_heap_pages(0, 0);

    if ( !pg || domain_assign_page(&dom, pg, 0, false) )
        abort();
    return page_to_mfn(pg);
}

static pte_t *tab(mfn_t m) { return mfn_to_virt(m); }
static pte_t ent(mfn_t m, uint64_t f) { return pte_from_mfn(m, f); }
static struct page_info *pg_of(mfn_t m) { return mfn_to_page(m); }
static unsigned long gcount(mfn_t m)
{
    return pg_of(m)->count_info & PGC_count_mask;
}
static unsigned long tcount(mfn_t m)
{
    return pg_of(m)->type_info & PGT_count_mask;
}
static unsigned long ttype(mfn_t m)
{
    return pg_of(m)->type_info & PGT_type_mask;
}
static bool validated(mfn_t m)
{
    return (pg_of(m)->type_info & (PGT_validated | PGT_partial)) ==
           PGT_validated;
}
static uint64_t maddr(mfn_t m, unsigned int slot)
{
    return ((uint64_t)mfn_x(m) << PAGE_SHIFT) + slot * sizeof(pte_t);
}

/* Every frame of the domain holds only its allocation reference. */
static bool all_quiet(void)
{
    struct page_info *pg;

    for ( pg = page_list_first(&dom.page_list); pg; pg = page_list_next(pg) )
        if ( (pg->count_info & (PGC_count_mask | PGC_allocated)) !=
             (1 | PGC_allocated) ||
             (pg->type_info & (PGT_count_mask | PGT_pinned | PGT_partial |
                               PGT_validated | PGT_linear_mask)) >
             ((pg->type_info & PGT_type_mask) >= PGT_seg_desc_page
              ? PGT_validated : 0) )
        {
            printf("# busy mfn %#lx: count_info %#lx type_info %#lx\n",
                   mfn_x(page_to_mfn(pg)), pg->count_info, pg->type_info);
            return false;
        }
    return true;
}

/*
 * A small guest address space: va 0 maps `data` read-write, va 0x1000
 * maps the L1 table itself read-only (for writable page-table tests).
 */
struct tree {
    mfn_t l4, l3, l2, l1, data;
};

static struct tree make_tree(void)
{
    struct tree t = { new_frame(), new_frame(), new_frame(), new_frame(),
                      new_frame() };

    tab(t.l4)[0] = ent(t.l3, F_RW);
    tab(t.l3)[0] = ent(t.l2, F_RW);
    tab(t.l2)[0] = ent(t.l1, F_RW);
    tab(t.l1)[0] = ent(t.data, F_RW);
    tab(t.l1)[1] = ent(t.l1, F_RO);
    return t;
}

/* ---- hypercall helpers ---------------------------------------------------- */

/* Issue a hypercall and then its continuations, as the guest would. */
static long reissue(hypercall_fn_t *fn, unsigned long a0, unsigned long a1,
                    unsigned long a2, unsigned long a3, unsigned int *rounds)
{
    unsigned long a[5] = { a0, a1, a2, a3, 0 };
    unsigned int n;
    long rc = 0;

    for ( n = 0; n < 1000000; n++ )
    {
        unsigned int before = cont.count;

        rc = fn(a[0], a[1], a[2], a[3], a[4]);
        if ( cont.count == before )
            break;
        memcpy(a, cont.args, cont.nr * sizeof(a[0]));
    }
    if ( rounds )
        *rounds = n;
    return rc;
}

static long mmuext(unsigned int cmd, unsigned long arg1, unsigned long arg2)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;
    op.arg2.src_mfn = arg2;
    return reissue(do_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, NULL);
}

static long pin(unsigned int level, mfn_t m)
{
    return mmuext(MMUEXT_PIN_L1_TABLE + level - 1, mfn_x(m), 0);
}

static long unpin(mfn_t m)
{
    return mmuext(MMUEXT_UNPIN_TABLE, mfn_x(m), 0);
}

static long mmu(uint64_t ptr, uint64_t val)
{
    struct mmu_update u = { ptr, val };

    return reissue(do_mmu_update, (unsigned long)&u, 1, 0, DOMID_SELF, NULL);
}

static long memop(unsigned int op, void *arg)
{
    return reissue(do_memory_op, op, (unsigned long)arg, 0, 0, NULL);
}

/* ---- L1 rules ------------------------------------------------------------ */

TEST(l1_writable_mapping_of_own_frame)
{
    machine_init(false);
    mfn_t l1 = new_frame(), data = new_frame();

    tab(l1)[3] = ent(data, F_RW);
    CHECK_EQ(pin(1, l1), 0);
    CHECK(validated(l1) && ttype(l1) == PGT_l1_page_table);
    CHECK_EQ(tcount(l1), 1);
    CHECK(pg_of(l1)->type_info & PGT_pinned);
    CHECK_EQ(gcount(l1), 2);                    /* allocation + pin */
    CHECK_EQ(ttype(data), PGT_writable_page);
    CHECK_EQ(tcount(data), 1);
    CHECK_EQ(gcount(data), 2);                  /* allocation + mapping */
    CHECK_EQ(unpin(l1), 0);
    CHECK_EQ(tcount(data), 0);
    CHECK(all_quiet());
    machine_fini();
}

TEST(l1_user_bit_forced)
{
    machine_init(false);
    mfn_t l1 = new_frame(), data = new_frame();

    tab(l1)[0] = ent(data, F_KRW);
    tab(l1)[1] = ent(data, F_RO | _PAGE_GLOBAL | _PAGE_NX);
    CHECK_EQ(pin(1, l1), 0);
    CHECK_EQ(tab(l1)[0], ent(data, F_KRW | _PAGE_USER | _PAGE_GUEST_KERNEL));
    CHECK_EQ(tab(l1)[1], ent(data, F_RO | _PAGE_GLOBAL | _PAGE_NX));
    CHECK_EQ(unpin(l1), 0);
    CHECK(all_quiet());
    machine_fini();
}

TEST(l1_unowned_frame_refused)
{
    machine_init(false);
    mfn_t l1 = new_frame();
    struct page_info *foreign = alloc_heap_pages(0, 0);   /* no owner */

    tab(l1)[0] = ent(page_to_mfn(foreign), F_RO);
    CHECK_EQ(pin(1, l1), -EBUSY);
    tab(l1)[0] = ent(_mfn(FIRST_MFN - 1), F_RO);           /* not RAM */
    CHECK_EQ(pin(1, l1), -EBUSY);
    tab(l1)[0] = ent(_mfn(TABLE_PAGES + 5), F_RO);          /* beyond */
    CHECK_EQ(pin(1, l1), -EPERM);
    CHECK(all_quiet());
    free_heap_pages(foreign, 0);
    machine_fini();
}

TEST(l1_reserved_bits)
{
    machine_init(false);
    mfn_t l1 = new_frame(), data = new_frame();

    tab(l1)[0] = ent(data, F_RW | _PAGE_PCD);
    CHECK_EQ(pin(1, l1), -EINVAL);
    tab(l1)[0] = ent(data, F_RO | _PAGE_PAT);
    CHECK_EQ(pin(1, l1), -EINVAL);
    CHECK(all_quiet());
    machine_fini();

    machine_init(true);                        /* I/O privilege: allowed */
    l1 = new_frame();
    data = new_frame();
    tab(l1)[0] = ent(data, F_RW | _PAGE_PCD | _PAGE_PWT);
    CHECK_EQ(pin(1, l1), 0);
    CHECK_EQ(unpin(l1), 0);
    CHECK(all_quiet());
    machine_fini();
}

TEST(l1_page_table_never_writable)
{
    machine_init(false);
    mfn_t l1 = new_frame(), other = new_frame();

    /* A table mapping itself writable cannot validate. */
    tab(l1)[0] = ent(l1, F_RW);
    CHECK_EQ(pin(1, l1), -EBUSY);
    /* Read-only is fine. */
    tab(l1)[0] = ent(l1, F_RO);
    CHECK_EQ(pin(1, l1), 0);
    /* A pinned table cannot gain a writable mapping... */
    tab(other)[0] = ent(l1, F_RW);
    CHECK_EQ(pin(1, other), -EBUSY);
    CHECK_EQ(pin(1, other), -EBUSY);
    /* ...nor through mmu_update into a live table. */
    tab(other)[0] = 0;
    CHECK_EQ(pin(1, other), 0);
    CHECK_EQ(mmu(maddr(other, 4), ent(l1, F_RW)), -EBUSY);
    CHECK_EQ(mmu(maddr(other, 4), ent(l1, F_RO)), 0);
    CHECK_EQ(mmu(maddr(other, 4), 0), 0);
    CHECK_EQ(unpin(other), 0);
    CHECK_EQ(unpin(l1), 0);
    CHECK(all_quiet());
    machine_fini();
}

TEST(type_change_refused_while_mapped_writable)
{
    machine_init(false);
    mfn_t l1 = new_frame(), victim = new_frame();

    tab(l1)[0] = ent(victim, F_RW);
    CHECK_EQ(pin(1, l1), 0);
    CHECK_EQ(pin(1, victim), -EINVAL);          /* writable in use */
    CHECK_EQ(pin(2, victim), -EINVAL);
    CHECK_EQ(mmu(maddr(l1, 0), 0), 0);          /* unmap */
    flushes = 0;
    CHECK_EQ(pin(1, victim), 0);                /* now it may change */
    CHECK(flushes >= 1);                        /* old role flushed */
    CHECK_EQ(unpin(victim), 0);
    CHECK_EQ(unpin(l1), 0);
    CHECK(all_quiet());
    machine_fini();
}

/* ---- L2-L4 ----------------------------------------------------------------- */

TEST(tree_validation_and_release)
{
    machine_init(false);
    struct tree t = make_tree();

    CHECK_EQ(pin(4, t.l4), 0);
    CHECK(validated(t.l4) && validated(t.l3) && validated(t.l2) &&
          validated(t.l1));
    CHECK_EQ(ttype(t.l3), PGT_l3_page_table);
    CHECK_EQ(ttype(t.l2), PGT_l2_page_table);
    CHECK_EQ(tcount(t.l4), 1);
    CHECK_EQ(tcount(t.l3), 1);
    CHECK_EQ(tcount(t.l1), 1);
    CHECK_EQ(gcount(t.l1), 3);                  /* alloc, L2 entry, RO map */
    CHECK_EQ(tab(t.l4)[0], ent(t.l3, F_RW));    /* A and US already set */
    CHECK_EQ(unpin(t.l4), 0);
    CHECK(!validated(t.l1) && ttype(t.l1) == PGT_l1_page_table);
    CHECK(all_quiet());
    machine_fini();
}

TEST(upper_level_rules)
{
    machine_init(false);
    struct tree t = make_tree();

    tab(t.l2)[1] = ent(t.data, F_RW | _PAGE_PSE);       /* superpage */
    CHECK_EQ(pin(4, t.l4), -EINVAL);
    tab(t.l2)[1] = ent(t.l1, F_RW | _PAGE_PCD);          /* caching */
    CHECK_EQ(pin(2, t.l2), -EINVAL);
    tab(t.l2)[1] = ent(t.l1, F_RW | _PAGE_GLOBAL);
    CHECK_EQ(pin(2, t.l2), -EINVAL);
    tab(t.l2)[1] = ent(t.data, F_RW);           /* data as L1: it is
                                                   mapped writable */
    CHECK_EQ(pin(4, t.l4), -EINVAL);
    tab(t.l2)[1] = ent(_mfn(TABLE_PAGES + 1), F_RW);
    CHECK_EQ(pin(2, t.l2), -EINVAL);
    tab(t.l2)[1] = 0;
    tab(t.l3)[1] = ent(t.l1, F_RW);             /* L1 where L2 belongs */
    CHECK_EQ(pin(3, t.l3), -EINVAL);
    tab(t.l3)[1] = 0;
    CHECK(all_quiet());
    /* A table in use at one level cannot be pinned at another. */
    CHECK_EQ(pin(4, t.l4), 0);
    CHECK_EQ(pin(3, t.l4), -EINVAL);
    CHECK_EQ(pin(1, t.l2), -EINVAL);
    CHECK_EQ(pin(4, t.l4), -EINVAL);            /* already pinned */
    CHECK_EQ(pin(3, t.l3), 0);                  /* in use: just pins */
    CHECK_EQ(unpin(t.l3), 0);
    CHECK_EQ(unpin(t.l3), -EINVAL);             /* not pinned */
    CHECK_EQ(unpin(t.l4), 0);
    CHECK(all_quiet());
    machine_fini();
}

TEST(hypervisor_l4_slots)
{
    machine_init(false);
    struct tree t = make_tree();
    unsigned int s;

    tab(t.l4)[260] = 0xdeadbeef000 | F_RW;      /* guest garbage */
    tab(t.l4)[HYPERVISOR_SLOT_FIRST] = ent(t.data, F_RW);
    CHECK_EQ(pin(4, t.l4), 0);
    for ( s = HYPERVISOR_SLOT_FIRST + 1; s <= HYPERVISOR_SLOT_LAST; s++ )
        CHECK_EQ(tab(t.l4)[s], idle_l4[s]);
    CHECK_EQ(tab(t.l4)[M2P_L4_SLOT], 0);        /* not strict: blank */
    CHECK_EQ(tcount(t.data), 1);                /* only the L1 entry */
    /* The guest can never write them. */
    CHECK_EQ(mmu(maddr(t.l4, 260), 0), -EINVAL);
    CHECK_EQ(mmu(maddr(t.l4, M2P_L4_SLOT), ent(t.l3, F_RO)), -EINVAL);
    CHECK_EQ(tab(t.l4)[260], idle_l4[260]);
    /* A kernel base pointer sees the M2P. */
    CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK_EQ(tab(t.l4)[M2P_L4_SLOT], m2p_l4e());
    CHECK(m2p_l4e() & _PAGE_USER);
    CHECK(!(m2p_l4e() & _PAGE_RW));
    CHECK_EQ(cr3_loads, 1);
    CHECK_EQ(tcount(t.l4), 2);                  /* pin + base pointer */
    CHECK_EQ(unpin(t.l4), 0);
    CHECK(validated(t.l4));                     /* still the base */
    machine_fini();
}

TEST(m2p_strict)
{
    machine_init(false);
    struct tree t = make_tree();
    mfn_t u4 = new_frame();

    CHECK_EQ(do_vm_assist(VMASST_CMD_enable, VMASST_TYPE_m2p_strict, 0, 0,
                          0), 0);
    CHECK_EQ(pin(4, t.l4), 0);
    CHECK_EQ(tab(t.l4)[M2P_L4_SLOT], m2p_l4e());    /* strict: filled */
    CHECK_EQ(mmuext(MMUEXT_NEW_USER_BASEPTR, mfn_x(u4), 0), 0);
    CHECK_EQ(tab(u4)[M2P_L4_SLOT], 0);              /* zapped for user */
    CHECK_EQ(mfn_x(vcpu0.arch.guest_table_user), mfn_x(u4));
    CHECK_EQ(mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0), 0);
    CHECK_EQ(mfn_x(vcpu0.arch.guest_table_user), 0);
    CHECK_EQ(unpin(t.l4), 0);
    CHECK(all_quiet());
    machine_fini();
}

/* ---- linear page tables ---------------------------------------------------- */

TEST(linear_self_map)
{
    machine_init(false);
    struct tree t = make_tree();

    tab(t.l4)[510] = ent(t.l4, F_RO);           /* recursive, read-only */
    CHECK_EQ(pin(4, t.l4), 0);
    CHECK_EQ(tcount(t.l4), 1);                  /* self-maps hold nothing */
    CHECK_EQ(mmu(maddr(t.l4, 509), ent(t.l4, F_RW)), -EINVAL);
    CHECK_EQ(mmu(maddr(t.l4, 509), ent(t.l4, F_RO)), 0);
    CHECK_EQ(unpin(t.l4), 0);
    CHECK(all_quiet());

    tab(t.l4)[510] = ent(t.l4, F_RW);           /* writable: refused */
    CHECK_EQ(pin(4, t.l4), -EINVAL);
    CHECK(all_quiet());
    machine_fini();
}

TEST(linear_rules_xsa240)
{
    machine_init(false);
    mfn_t p = new_frame(), q = new_frame(), r = new_frame();

    CHECK_EQ(pin(2, q), 0);
    CHECK_EQ(pin(2, r), 0);
    /* p maps q linearly (read-only only). */
    tab(p)[0] = ent(q, F_RW);
    CHECK_EQ(pin(2, p), -EINVAL);
    tab(p)[0] = ent(q, F_RO);
    CHECK_EQ(pin(2, p), 0);
    CHECK_EQ(tcount(q), 2);
    /* q is a linear target: it may not hold linear entries itself. */
    CHECK_EQ(mmu(maddr(q, 0), ent(r, F_RO)), -EINVAL);
    /* p holds linear entries: nobody may map p linearly. */
    CHECK_EQ(mmu(maddr(r, 0), ent(p, F_RO)), -EINVAL);
    /* Unrelated tables still may. */
    CHECK_EQ(mmu(maddr(p, 1), ent(r, F_RO)), 0);
    CHECK_EQ(mmu(maddr(p, 1), 0), 0);
    CHECK_EQ(mmu(maddr(p, 0), 0), 0);
    CHECK_EQ(tcount(q), 1);
    /* Now q (no longer a target) may hold a linear entry. */
    CHECK_EQ(mmu(maddr(q, 0), ent(r, F_RO)), 0);
    CHECK_EQ(mmu(maddr(q, 0), 0), 0);
    CHECK_EQ(unpin(p), 0);
    CHECK_EQ(unpin(q), 0);
    CHECK_EQ(unpin(r), 0);
    CHECK(all_quiet());

    /* Disabled by pv-linear-pt=0. */
    dom.arch.pv_linear_pt = false;
    tab(p)[0] = ent(p, F_RO);
    CHECK_EQ(pin(2, p), -EINVAL);
    CHECK(all_quiet());
    machine_fini();
}

TEST(linear_target_released_last)
{
    machine_init(false);
    struct tree t = make_tree();
    mfn_t p = new_frame();

    CHECK_EQ(pin(4, t.l4), 0);
    tab(p)[0] = ent(t.l2, F_RO);                /* p maps t.l2 linearly */
    CHECK_EQ(pin(2, p), 0);
    CHECK_EQ(unpin(t.l4), 0);                   /* l2 kept by p alone */
    CHECK(validated(t.l2) && validated(t.l1));
    CHECK(!validated(t.l3));
    CHECK_EQ(unpin(p), 0);                      /* p, then l2, then l1 */
    CHECK(!validated(t.l2) && !validated(t.l1));
    CHECK(all_quiet());
    machine_fini();
}

/* ---- updates ------------------------------------------------------------------ */

TEST(mmu_update_preserve_ad)
{
    machine_init(false);
    struct tree t = make_tree();
    mfn_t d2 = new_frame();

    CHECK_EQ(pin(4, t.l4), 0);
    tab(t.l1)[0] |= _PAGE_DIRTY | _PAGE_ACCESSED;   /* "hardware" */
    CHECK_EQ(mmu(maddr(t.l1, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                 ent(d2, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER)), 0);
    CHECK_EQ(tab(t.l1)[0], ent(d2, F_RW));
    CHECK_EQ(tcount(t.data), 0);
    CHECK_EQ(tcount(d2), 1);
    CHECK_EQ(mmu(maddr(t.l1, 0), ent(d2, _PAGE_PRESENT | _PAGE_USER)), 0);
    CHECK_EQ(tab(t.l1)[0], ent(d2, _PAGE_PRESENT | _PAGE_USER));
    CHECK_EQ(tcount(d2), 0);                    /* now read-only */
    CHECK_EQ(gcount(d2), 2);
    CHECK_EQ(unpin(t.l4), 0);
    CHECK(all_quiet());
    machine_fini();
}

TEST(mmu_update_errors)
{
    machine_init(false);
    struct tree t = make_tree();
    struct mmu_update u[3];
    unsigned int done = 0;
    struct page_info *foreign = alloc_heap_pages(0, 0);

    CHECK_EQ(pin(4, t.l4), 0);
    CHECK_EQ(mmu(maddr(t.l1, 2) | 4, 0), -ENOSYS);     /* bad command */
    CHECK_EQ(mmu(maddr(page_to_mfn(foreign), 0), 0), -EINVAL);
    u[0] = (struct mmu_update){ maddr(t.l1, 2), ent(t.data, F_RO) };
    CHECK_EQ(do_mmu_update((unsigned long)u, 1, 0, 1, 0), -ESRCH);
    CHECK_EQ(do_mmu_update((unsigned long)u, 1, 0, DOMID_IO, 0), -ESRCH);
    CHECK_EQ(do_mmu_update((unsigned long)u, 1, 0,
                           (7U << 16) | DOMID_SELF, 0), -ESRCH);
    CHECK_EQ(do_mmu_update((unsigned long)u, 1, 0,
                           (2U << 16) | DOMID_SELF, 0), 0);  /* pt owner 1 */
    CHECK_EQ(do_mmu_update((unsigned long)bad_page, 1, 0, DOMID_SELF, 0),
             -EFAULT);
    /* A batch stops at its first failure; done counts the rest. */
    u[0] = (struct mmu_update){ maddr(t.l1, 3), ent(t.data, F_RO) };
    u[1] = (struct mmu_update){ maddr(t.l1, 4), ent(t.l1, F_RW) };
    u[2] = (struct mmu_update){ maddr(t.l1, 5), ent(t.data, F_RO) };
    CHECK_EQ(do_mmu_update((unsigned long)u, 3, (unsigned long)&done,
                           DOMID_SELF, 0), -EBUSY);
    CHECK_EQ(done, 1);
    CHECK_EQ(tab(t.l1)[5], 0);
    /* MACHPHYS_UPDATE. */
    CHECK_EQ(mmu(maddr(t.data, 0) | MMU_MACHPHYS_UPDATE, 1234), 0);
    CHECK_EQ(get_gpfn_from_mfn(t.data), 1234);
    CHECK_EQ(mmu(maddr(page_to_mfn(foreign), 0) | MMU_MACHPHYS_UPDATE, 1),
             -EINVAL);
    /* A plain write to a frame in no use; refused to a table page. */
    CHECK_EQ(mmu(maddr(t.data, 7), 0x55), 0);
    CHECK_EQ(tab(t.data)[7], 0x55);
    CHECK_EQ(mmu(maddr(t.l2, 3) , ent(t.data, F_RW)), -EINVAL);
    CHECK_EQ(mmu(maddr(t.l1, 2), 0), 0);
    CHECK_EQ(mmu(maddr(t.l1, 3), 0), 0);
    CHECK_EQ(unpin(t.l4), 0);
    CHECK(all_quiet());
    free_heap_pages(foreign, 0);
    machine_fini();
}

TEST(update_va_mapping)
{
    machine_init(false);
    struct tree t = make_tree();
    mfn_t d2 = new_frame();
    uint64_t mask = 1;

    CHECK_EQ(pin(4, t.l4), 0);
    CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    flushes = 0;
    CHECK_EQ(do_update_va_mapping(0x2000, ent(d2, F_RW),
                                  UVMF_INVLPG | UVMF_LOCAL, 0, 0), 0);
    CHECK_EQ(tab(t.l1)[2], ent(d2, F_RW));
    CHECK_EQ(flushes, 1);
    CHECK_EQ(do_update_va_mapping(0x2000, 0, UVMF_TLB_FLUSH | UVMF_ALL, 0,
                                  0), 0);
    CHECK_EQ(flushes, 2);
    CHECK_EQ(do_update_va_mapping(0x2000, ent(d2, F_RO),
                                  UVMF_TLB_FLUSH | (uintptr_t)&mask, 0, 0),
             0);
    CHECK_EQ(do_update_va_mapping(0x2000, 0,
                                  UVMF_TLB_FLUSH | (uintptr_t)bad_page, 0, 0),
             -EFAULT);                           /* applied, mask bad */
    CHECK_EQ(tab(t.l1)[2], 0);
    CHECK_EQ(do_update_va_mapping(0x2000, ent(t.l1, F_RW), 0, 0, 0), -EBUSY);
    CHECK_EQ(do_update_va_mapping(0xffff800000001000UL, 0, 0, 0, 0), -EINVAL);
    CHECK_EQ(do_update_va_mapping(0x0000800000000000UL, 0, 0, 0, 0), -EINVAL);
    CHECK_EQ(do_update_va_mapping(0x40000000, 0, 0, 0, 0), -EINVAL);
    CHECK_EQ(do_update_va_mapping_otherdomain(0x2000, 0, 0, 1, 0), -ESRCH);
    CHECK_EQ(do_update_va_mapping_otherdomain(0x2000, 0, 0, DOMID_SELF, 0),
             0);
    CHECK_EQ(unpin(t.l4), 0);
    machine_fini();
}

TEST(ptwr_emulation_glue)
{
    machine_init(false);
    struct tree t = make_tree();
    mfn_t d2 = new_frame();
    uint64_t pte_maddr = 0;

    CHECK_EQ(pin(4, t.l4), 0);
    CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    /* va 0x1000 is the L1 table, read-only. */
    CHECK(ptwr_is_l1_write(&vcpu0, 0x1000 + 5 * 8 + 3, &pte_maddr));
    CHECK_EQ(pte_maddr, maddr(t.l1, 5));
    CHECK(!ptwr_is_l1_write(&vcpu0, 0x0, &pte_maddr));    /* data, RW */
    CHECK(!ptwr_is_l1_write(&vcpu0, 0x5000, &pte_maddr)); /* unmapped */

    CHECK_EQ(ptwr_update_pte(&vcpu0, 0x1000 + 5 * 8, 0,
                             ent(d2, _PAGE_PRESENT | _PAGE_RW), false), 0);
    CHECK_EQ(tab(t.l1)[5], ent(d2, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER |
                                   _PAGE_GUEST_KERNEL));
    CHECK_EQ(tcount(d2), 1);
    /* cmpxchg against a stale value changes nothing. */
    CHECK_EQ(ptwr_update_pte(&vcpu0, 0x1000 + 5 * 8, 0, ent(t.data, F_RO),
                             true), -EAGAIN);
    CHECK_EQ(gcount(t.data), 2);
    CHECK_EQ(tcount(d2), 1);
    CHECK_EQ(ptwr_update_pte(&vcpu0, 0x1000 + 5 * 8, tab(t.l1)[5],
                             ent(t.data, F_RO), true), 0);
    CHECK_EQ(tcount(d2), 0);
    CHECK_EQ(gcount(t.data), 3);
    /* Invalid entries are refused; so are misaligned and non-L1 targets. */
    CHECK_EQ(ptwr_update_pte(&vcpu0, 0x1000 + 6 * 8, 0, ent(t.l2, F_RW),
                             false), -EINVAL);
    CHECK_EQ(ptwr_update_pte(&vcpu0, 0x1000 + 6 * 8 + 4, 0, 0, false),
             -EINVAL);
    CHECK_EQ(ptwr_update_pte(&vcpu0, 0x0, 0, 0, false), -EFAULT);
    CHECK_EQ(ptwr_update_pte(&vcpu0, 0x1000 + 5 * 8, 0, 0, false), 0);
    CHECK_EQ(gcount(t.data), 2);
    CHECK_EQ(unpin(t.l4), 0);
    machine_fini();
}

/* ---- mmuext_op -------------------------------------------------------------- */

TEST(mmuext_errors)
{
    machine_init(false);
    struct tree t = make_tree();
    mfn_t a = new_frame(), b = new_frame();
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE };

    CHECK_EQ(mmuext(MMUEXT_MARK_SUPER, mfn_x(a), 0), -EOPNOTSUPP);
    CHECK_EQ(mmuext(MMUEXT_UNMARK_SUPER, mfn_x(a), 0), -EOPNOTSUPP);
    CHECK_EQ(mmuext(14, 0, 0), -ENOSYS);
    CHECK_EQ(mmuext(21, 0, 0), -ENOSYS);
    CHECK_EQ(mmuext(0x80000000U, 0, 0), -ENOSYS);
    CHECK_EQ(mmuext(MMUEXT_PIN_L1_TABLE, TABLE_PAGES + 9, 0), -EINVAL);
    CHECK_EQ(mmuext(MMUEXT_UNPIN_TABLE, TABLE_PAGES + 9, 0), -EINVAL);
    CHECK_EQ(mmuext(MMUEXT_FLUSH_CACHE, 0, 0), -EACCES);
    CHECK_EQ(mmuext(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0), -EINVAL);
    CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, 0, 0), 0);          /* as Xen */
    CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, TABLE_PAGES + 3, 0), -EINVAL);
    CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(t.data), 0), 0);/* blank L4 */
    CHECK_EQ(mmuext(MMUEXT_PIN_L1_TABLE, mfn_x(t.data), 0), -EINVAL);
    CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(a), 0), 0);   /* empty L4 */
    CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK(!validated(a));                       /* old base released */
    CHECK_EQ(mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_EQ(mmuext(MMUEXT_INVLPG_ALL, 0x1000, 0), 0);
    CHECK_EQ(mmuext(MMUEXT_TLB_FLUSH_MULTI, 0, (uintptr_t)bad_page),
             -EINVAL);
    /* Foreign owner: -ESRCH before anything; self-only ops -EPERM n/a. */
    CHECK_EQ(do_mmuext_op((unsigned long)&op, 1, 0, 1, 0), -ESRCH);
    CHECK_EQ(do_mmuext_op((unsigned long)bad_page, 1, 0, DOMID_SELF, 0),
             -EFAULT);
    /* SET_LDT. */
    op = (struct mmuext_op){ .cmd = MMUEXT_SET_LDT };
    op.arg1.linear_addr = 0x10000;
    op.arg2.nr_ents = 8193;
    CHECK_EQ(do_mmuext_op((unsigned long)&op, 1, 0, DOMID_SELF, 0), -EINVAL);
    op.arg2.nr_ents = 16;
    op.arg1.linear_addr = 0x10008;
    CHECK_EQ(do_mmuext_op((unsigned long)&op, 1, 0, DOMID_SELF, 0), -EINVAL);
    op.arg1.linear_addr = 0xffff830000000000UL;
    CHECK_EQ(do_mmuext_op((unsigned long)&op, 1, 0, DOMID_SELF, 0), -EINVAL);
    op.arg1.linear_addr = 0x10000;
    CHECK_EQ(do_mmuext_op((unsigned long)&op, 1, 0, DOMID_SELF, 0), 0);
    CHECK_EQ(vcpu0.arch.ldt_base, 0x10000);
    CHECK_EQ(vcpu0.arch.ldt_ents, 16);
    /* CLEAR_PAGE / COPY_PAGE: targets must be writable frames. */
    tab(b)[9] = 0x77;
    CHECK_EQ(mmuext(MMUEXT_COPY_PAGE, mfn_x(a), mfn_x(b)), 0);
    CHECK_EQ(tab(a)[9], 0x77);
    CHECK_EQ(mmuext(MMUEXT_CLEAR_PAGE, mfn_x(a), 0), 0);
    CHECK_EQ(tab(a)[9], 0);
    CHECK_EQ(mmuext(MMUEXT_CLEAR_PAGE, mfn_x(t.l1), 0), -EINVAL);
    CHECK_EQ(mmuext(MMUEXT_COPY_PAGE, mfn_x(t.l1), mfn_x(b)), -EINVAL);
    CHECK_EQ(mmuext(MMUEXT_COPY_PAGE, mfn_x(a), TABLE_PAGES + 1), -EINVAL);
    machine_fini();

    machine_init(true);
    CHECK_EQ(mmuext(MMUEXT_FLUSH_CACHE, 0, 0), 0);
    CHECK_EQ(mmuext(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0), 0);
    machine_fini();
}

TEST(vm_assist)
{
    machine_init(false);
    CHECK_EQ(do_vm_assist(VMASST_CMD_enable,
                          VMASST_TYPE_writable_pagetables, 0, 0, 0), 0);
    CHECK(dom.vm_assist & (1UL << VMASST_TYPE_writable_pagetables));
    CHECK_EQ(do_vm_assist(VMASST_CMD_disable,
                          VMASST_TYPE_writable_pagetables, 0, 0, 0), 0);
    CHECK_EQ(dom.vm_assist, 0);
    CHECK_EQ(do_vm_assist(VMASST_CMD_enable, 6, 0, 0, 0), -EINVAL);
    CHECK_EQ(do_vm_assist(VMASST_CMD_enable, 64, 0, 0, 0), -EINVAL);
    CHECK_EQ(do_vm_assist(VMASST_CMD_enable, 31, 0, 0, 0), -EINVAL);
    CHECK_EQ(do_vm_assist(2, VMASST_TYPE_m2p_strict, 0, 0, 0), -ENOSYS);
    machine_fini();
}

/* ---- preemption ------------------------------------------------------------ */

/* l4 -> l3 -> 4 x l2 -> 8 x l1 each -> the same data frame. */
static mfn_t make_wide_tree(mfn_t *data)
{
    mfn_t l4 = new_frame(), l3 = new_frame();
    unsigned int i, j;

    *data = new_frame();
    tab(l4)[1] = ent(l3, F_RW);
    for ( i = 0; i < 4; i++ )
    {
        mfn_t l2 = new_frame();

        tab(l3)[i * 7] = ent(l2, F_RW);
        for ( j = 0; j < 8; j++ )
        {
            mfn_t l1 = new_frame();

            tab(l2)[j * 3] = ent(l1, F_RW);
            tab(l1)[j] = ent(*data, F_RW);
            tab(l1)[j + 100] = ent(l1, F_RO);
        }
    }
    return l4;
}

TEST(preemptible_pin_and_unpin)
{
    machine_init(false);
    mfn_t data, l4 = make_wide_tree(&data);
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };
    unsigned int rounds, done = 0;

    op.arg1.mfn = mfn_x(l4);
    preempt_every = 7;
    CHECK_EQ(reissue(do_mmuext_op, (unsigned long)&op, 1,
                     (unsigned long)&done, DOMID_SELF, &rounds), 0);
    CHECK(rounds > 5);
    CHECK_EQ(done, 1);
    CHECK(validated(l4));
    CHECK_EQ(tcount(data), 32);
    CHECK(vcpu0.arch.pt_pending == NULL);

    op.cmd = MMUEXT_UNPIN_TABLE;
    done = 0;
    CHECK_EQ(reissue(do_mmuext_op, (unsigned long)&op, 1,
                     (unsigned long)&done, DOMID_SELF, &rounds), 0);
    CHECK(rounds > 5);
    CHECK_EQ(done, 1);
    CHECK(vcpu0.arch.pt_pending == NULL);
    CHECK(all_quiet());
    machine_fini();
}

TEST(preempted_failure_is_undone)
{
    machine_init(false);
    mfn_t data, l4 = make_wide_tree(&data);
    mfn_t l3 = pte_mfn(tab(l4)[1]);
    mfn_t last_l2 = pte_mfn(tab(l3)[21]);
    mfn_t last_l1 = pte_mfn(tab(last_l2)[21]);
    unsigned int rounds;
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };

    tab(last_l1)[300] = ent(data, F_RW | _PAGE_PCD);    /* refused bit */
    op.arg1.mfn = mfn_x(l4);
    preempt_every = 5;
    CHECK_EQ(reissue(do_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF,
                     &rounds), -EINVAL);
    CHECK(rounds > 5);
    CHECK(vcpu0.arch.pt_pending == NULL);
    CHECK(all_quiet());
    machine_fini();
}

TEST(preemptible_mmu_update_of_l4_entry)
{
    machine_init(false);
    mfn_t data, wide = make_wide_tree(&data);
    mfn_t l3 = pte_mfn(tab(wide)[1]);
    struct tree t = make_tree();
    unsigned int rounds;
    struct mmu_update u = { maddr(t.l4, 7), ent(l3, F_RW) };

    CHECK_EQ(pin(4, t.l4), 0);
    preempt_every = 4;
    CHECK_EQ(reissue(do_mmu_update, (unsigned long)&u, 1, 0, DOMID_SELF,
                     &rounds), 0);
    CHECK(rounds > 3);
    CHECK(validated(l3));
    CHECK_EQ(tcount(l3), 1);                    /* the entry, not a stash */
    u.val = 0;
    CHECK_EQ(reissue(do_mmu_update, (unsigned long)&u, 1, 0, DOMID_SELF,
                     &rounds), 0);
    CHECK(!validated(l3));
    CHECK_EQ(unpin(t.l4), 0);
    CHECK(all_quiet());
    machine_fini();
}

TEST(base_pointer_switch_preempted)
{
    machine_init(false);
    mfn_t data, l4 = make_wide_tree(&data);
    struct tree t = make_tree();
    unsigned int rounds;
    struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };

    op.arg1.mfn = mfn_x(l4);
    preempt_every = 6;
    CHECK_EQ(reissue(do_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF,
                     &rounds), 0);
    CHECK_EQ(mfn_x(vcpu0.arch.guest_table), mfn_x(l4));
    CHECK_EQ(tcount(l4), 1);
    op.arg1.mfn = mfn_x(t.l4);                  /* switch away: releases */
    CHECK_EQ(reissue(do_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF,
                     &rounds), 0);
    CHECK(rounds > 3);
    CHECK(!validated(l4));
    CHECK_EQ(tcount(data), 0);
    CHECK(vcpu0.arch.pt_pending == NULL);
    machine_fini();
}

/* Re-execute an emulated CR3 write until it completes, as the guest does. */
static int cr3_write(mfn_t m, unsigned int *rounds)
{
    int rc;

    for ( *rounds = 0; (rc = pv_new_guest_cr3(&vcpu0, m)) == -ERESTART &&
                       *rounds < 100000; ++*rounds )
        continue;
    return rc;
}

TEST(cr3_write_emulation)
{
    machine_init(false);
    mfn_t data, w = make_wide_tree(&data);
    mfn_t l3 = pte_mfn(tab(w)[1]);
    mfn_t l2 = pte_mfn(tab(l3)[14]);
    mfn_t l1 = pte_mfn(tab(l2)[9]);
    struct tree t = make_tree();
    unsigned int rounds;

    CHECK_EQ(cr3_write(t.l4, &rounds), 0);
    preempt_every = 3;
    CHECK_EQ(cr3_write(w, &rounds), 0);
    CHECK(rounds > 3);
    CHECK_EQ(mfn_x(vcpu0.arch.guest_table), mfn_x(w));
    CHECK_EQ(tcount(w), 1);
    CHECK_EQ(tab(w)[M2P_L4_SLOT], m2p_l4e());
    CHECK_EQ(cr3_write(t.l4, &rounds), 0);      /* releases w's tree */
    CHECK(rounds > 3);
    CHECK(!validated(w) && !validated(l3));
    CHECK_EQ(tcount(data), 0);

    tab(l1)[77] = ent(data, F_RW | _PAGE_PAT);  /* refused bit, deep */
    CHECK_EQ(cr3_write(w, &rounds), -EINVAL);
    CHECK(rounds > 3);
    CHECK_EQ(mfn_x(vcpu0.arch.guest_table), mfn_x(t.l4));
    CHECK(vcpu0.arch.pt_pending == NULL);
    CHECK(!validated(w) && !validated(l3) && !validated(l2));
    CHECK_EQ(tcount(data), 0);
    CHECK_EQ(cr3_write(_mfn(TABLE_PAGES + 1), &rounds), -EINVAL);
    machine_fini();
}

/* Every request of a batch stays preemptible, not just the first. */
TEST(batch_stays_preemptible)
{
    machine_init(false);
    struct tree t = make_tree();
    mfn_t data[3], wide[3];
    struct mmu_update u[3];
    unsigned long a[5];
    bool seen_left[4] = { false };
    unsigned int i, done = 0, n;
    long rc = 0;

    CHECK_EQ(pin(4, t.l4), 0);
    for ( i = 0; i < 3; i++ )
    {
        wide[i] = make_wide_tree(&data[i]);
        u[i] = (struct mmu_update){ maddr(t.l4, 10 + i),
                                    tab(wide[i])[1] };
    }
    a[0] = (unsigned long)u;
    a[1] = 3;
    a[2] = (unsigned long)&done;
    a[3] = DOMID_SELF;
    a[4] = 0;
    preempt_every = 9;
    for ( n = 0; n < 100000; n++ )
    {
        unsigned int before = cont.count;

        rc = do_mmu_update(a[0], a[1], a[2], a[3], a[4]);
        if ( cont.count == before )
            break;
        memcpy(a, cont.args, cont.nr * sizeof(a[0]));
        if ( a[0] )
            seen_left[a[1] & 3] = true;
    }
    CHECK_EQ(rc, 0);
    CHECK_EQ(done, 3);
    CHECK(seen_left[3] && seen_left[2] && seen_left[1]);
    for ( i = 0; i < 3; i++ )
        CHECK(validated(pte_mfn(tab(wide[i])[1])));
    CHECK(vcpu0.arch.pt_pending == NULL && vcpu0.arch.pt_stash == NULL);
    machine_fini();
}

/* A continuation the guest never re-issues: the next call finishes it. */
TEST(abandoned_continuation)
{
    machine_init(false);
    mfn_t data, w = make_wide_tree(&data);
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };

    op.arg1.mfn = mfn_x(w);
    preempt_every = 1;
    CHECK_EQ(do_mmuext_op((unsigned long)&op, 1, 0, DOMID_SELF, 0),
             __HYPERVISOR_mmuext_op);
    CHECK(mm_has_pending(&vcpu0));
    preempt_every = 0;
    CHECK_EQ(mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);   /* something else */
    CHECK(vcpu0.arch.pt_pending == NULL && vcpu0.arch.pt_stash == NULL);
    CHECK(!validated(w));                       /* stash released */
    CHECK(all_quiet());
    machine_fini();
}

/* ---- memory_op ---------------------------------------------------------------- */

TEST(memory_op_info)
{
    machine_init(false);
    domid_t self = DOMID_SELF;
    struct xen_machphys_mapping mm;
    struct xen_machphys_mfn_list ml;
    xen_pfn_t chunks[4] = { 0 };
    struct xen_memory_map map;
    struct xen_e820_entry e[8];

    new_frame();
    CHECK_EQ(memop(XENMEM_maximum_ram_page, NULL), (long)TABLE_PAGES);
    CHECK_EQ(memop(XENMEM_maximum_ram_page | (1 << XENMEMOP_EXTENT_SHIFT),
                   NULL), -EINVAL);
    CHECK_EQ(memop(XENMEM_current_reservation, &self), 1);
    CHECK_EQ(memop(XENMEM_maximum_reservation, &self), (long)NR_FRAMES);
    CHECK_EQ(memop(XENMEM_current_reservation, bad_page), -EFAULT);
    self = 9;
    CHECK_EQ(memop(XENMEM_current_reservation, &self), -ESRCH);
    CHECK_EQ(memop(30, NULL), -ENOSYS);
    CHECK_EQ(memop(XENMEM_add_to_physmap, NULL), -ENOSYS);

    CHECK_EQ(memop(XENMEM_machphys_mapping, &mm), 0);
    CHECK_EQ(mm.v_start, MACH2PHYS_VIRT_START);
    CHECK_EQ(mm.v_end, MACH2PHYS_VIRT_END);
    CHECK_EQ(mm.max_mfn, MACH2PHYS_NR_ENTRIES - 1);
    CHECK_EQ(memop(XENMEM_machphys_mapping | (1 << XENMEMOP_EXTENT_SHIFT),
                   &mm), -ENOSYS);

    ml = (struct xen_machphys_mfn_list){ .max_extents = 4 };
    set_xen_guest_handle(ml.extent_start, chunks);
    CHECK_EQ(memop(XENMEM_machphys_mfn_list, &ml), 0);
    CHECK_EQ(ml.nr_extents, 1);
    CHECK_EQ(chunks[0], mfn_x(m2p_chunk_mfn(0)));
    set_xen_guest_handle(ml.extent_start, (xen_pfn_t *)bad_page);
    CHECK_EQ(memop(XENMEM_machphys_mfn_list, &ml), -EFAULT);

    /* Xen: no pseudo-physical map set for a PV domain -> -ENOSYS. */
    map = (struct xen_memory_map){ .nr_entries = 8 };
    set_xen_guest_handle(map.buffer, e);
    CHECK_EQ(memop(XENMEM_memory_map, &map), -ENOSYS);
    CHECK_EQ(memop(XENMEM_machine_memory_map, &map), -EPERM);
    machine_fini();

    machine_init(true);
    CHECK_EQ(memop(XENMEM_machphys_mapping, &mm), 0);
    CHECK_EQ(mm.max_mfn, TABLE_PAGES - 1);
    map = (struct xen_memory_map){ .nr_entries = 3 };
    set_xen_guest_handle(map.buffer, e);
    CHECK_EQ(memop(XENMEM_machine_memory_map, &map), -EINVAL);
    map.nr_entries = 8;
    CHECK_EQ(memop(XENMEM_machine_memory_map, &map), 0);
    CHECK_EQ(map.nr_entries, 3);
    CHECK_EQ(e[1].addr, 0x100000);
    CHECK_EQ(e[2].type, XEN_E820_RESERVED);
    set_xen_guest_handle(map.buffer, NULL);
    map.nr_entries = 0;
    CHECK_EQ(memop(XENMEM_machine_memory_map, &map), 0);
    CHECK_EQ(map.nr_entries, 3);
    machine_fini();
}

TEST(memory_op_reservation)
{
    machine_init(false);
    xen_pfn_t list[6];
    struct xen_memory_reservation r = { .nr_extents = 6, .domid = DOMID_SELF };
    unsigned long before;
    unsigned int i;

    set_xen_guest_handle(r.extent_start, list);
    preempt_every = 2;                          /* continuations too */
    CHECK_EQ(memop(XENMEM_increase_reservation, &r), 6);
    CHECK(cont.count > 0);
    CHECK_EQ(dom.tot_pages, 6);
    for ( i = 0; i < 6; i++ )
        CHECK(page_get_owner(pg_of(_mfn(list[i]))) == &dom);

    before = total_free_pages();
    CHECK_EQ(memop(XENMEM_decrease_reservation, &r), 6);
    CHECK_EQ(dom.tot_pages, 0);
    CHECK_EQ(total_free_pages(), before + 6);
    CHECK_EQ(memop(XENMEM_decrease_reservation, &r), 0);   /* not ours */

    r.nr_extents = 2;
    r.extent_order = 1;
    list[0] = 100;
    list[1] = 300;
    CHECK_EQ(memop(XENMEM_populate_physmap, &r), 2);
    CHECK_EQ(get_gpfn_from_mfn(_mfn(list[0])), 100);
    CHECK_EQ(get_gpfn_from_mfn(_mfn(list[0] + 1)), 101);
    CHECK_EQ(get_gpfn_from_mfn(_mfn(list[1] + 1)), 301);
    CHECK_EQ(dom.tot_pages, 4);

    r.extent_order = DOMU_MAX_ORDER_TEST;
    CHECK_EQ(memop(XENMEM_populate_physmap, &r), 0);       /* too big */
    r.extent_order = 0;
    r.mem_flags = XENMEMF_address_bits(PAGE_SHIFT);
    CHECK_EQ(memop(XENMEM_increase_reservation, &r), 0);
    r.mem_flags = 0;
    set_xen_guest_handle(r.extent_start, (xen_pfn_t *)bad_page);
    CHECK_EQ(memop(XENMEM_populate_physmap, &r), 0);
    CHECK_EQ(memop(XENMEM_increase_reservation | (5 << XENMEMOP_EXTENT_SHIFT),
                   &r), 5);                     /* start beyond the end */
    CHECK_EQ(dom.tot_pages, 4);
    CHECK_EQ(memop(XENMEM_increase_reservation, bad_page), 0);
    machine_fini();
}

TEST(memory_op_exchange)
{
    machine_init(false);
    xen_pfn_t in[2], out[1] = { 42 };
    struct xen_memory_exchange x = {
        .in = { .nr_extents = 2, .extent_order = 0, .domid = DOMID_SELF },
        .out = { .nr_extents = 1, .extent_order = 1, .domid = DOMID_SELF },
    };
    xen_pfn_t *tail = (xen_pfn_t *)(bad_page - sizeof(xen_pfn_t));

    in[0] = mfn_x(new_frame());
    in[1] = mfn_x(new_frame());
    set_xen_guest_handle(x.in.extent_start, in);
    set_xen_guest_handle(x.out.extent_start, out);
    CHECK_EQ(memop(XENMEM_exchange, &x), 0);
    CHECK_EQ(x.nr_exchanged, 2);
    CHECK_EQ(out[0] & 1, 0);                    /* an order-1 block */
    CHECK(page_get_owner(pg_of(_mfn(out[0]))) == &dom);
    CHECK(page_get_owner(pg_of(_mfn(in[0]))) == NULL);
    CHECK_EQ(get_gpfn_from_mfn(_mfn(out[0] + 1)), 43);
    CHECK_EQ(dom.tot_pages, 2);

    /* Frames still mapped cannot be given up; nothing changes. */
    x.nr_exchanged = 0;
    in[0] = out[0];
    in[1] = out[0] + 1;
    CHECK_EQ(mmuext(MMUEXT_PIN_L1_TABLE, in[1], 0), 0);
    CHECK_EQ(memop(XENMEM_exchange, &x), -EINVAL);
    CHECK_EQ(x.nr_exchanged, 0);
    CHECK(page_get_owner(pg_of(_mfn(in[0]))) == &dom);
    CHECK_EQ(unpin(_mfn(in[1])), 0);

    /*
     * XSA-212: every element is copied with its own checked copy.  As on
     * Xen (access_ok judges only an array's start), an output array that
     * runs into a bad page gets the extents before it: one done, -EFAULT.
     */
    set_xen_guest_handle(x.out.extent_start, tail);
    x.out.nr_extents = 2;
    x.out.extent_order = 0;
    CHECK_EQ(memop(XENMEM_exchange, &x), -EFAULT);
    CHECK_EQ(x.nr_exchanged, 1);
    CHECK(all_quiet());

    /* Sizes must match; orders are bounded; nr_exchanged in range. */
    set_xen_guest_handle(x.out.extent_start, out);
    x.out.nr_extents = 1;
    CHECK_EQ(memop(XENMEM_exchange, &x), -EINVAL);
    x.out.extent_order = 10;
    CHECK_EQ(memop(XENMEM_exchange, &x), -EPERM);
    x.out.extent_order = 1;
    x.nr_exchanged = 3;
    CHECK_EQ(memop(XENMEM_exchange, &x), -EINVAL);
    x.nr_exchanged = 0;
    x.in.domid = 9;
    x.out.domid = 9;
    CHECK_EQ(memop(XENMEM_exchange, &x), -ESRCH);
    CHECK_EQ(memop(XENMEM_exchange | (1 << XENMEMOP_EXTENT_SHIFT), &x),
             -EINVAL);
    CHECK(all_quiet());
    machine_fini();
}

/* ---- teardown ------------------------------------------------------------------ */

static void build_busy_domain(void)
{
    mfn_t data, wide = make_wide_tree(&data);
    struct tree t = make_tree();
    mfn_t p = new_frame(), partial_l4 = new_frame();
    struct page_info *si = alloc_heap_pages(0, 0);

    CHECK_EQ(domain_assign_page(&dom, si, 0, true), 0);    /* shared_info */
    tab(t.l1)[9] = ent(page_to_mfn(si), F_RW);
    CHECK_EQ(pin(4, t.l4), 0);
    CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK_EQ(mmuext(MMUEXT_NEW_USER_BASEPTR, mfn_x(wide), 0), 0);
    tab(p)[0] = ent(t.l2, F_RO);
    tab(p)[1] = ent(p, F_RO);
    CHECK_EQ(pin(2, p), 0);
    /* Leave a validation half done in the vCPU's hands. */
    tab(partial_l4)[0] = ent(pte_mfn(tab(wide)[1]), F_RW);
    tab(partial_l4)[3] = tab(t.l4)[0];
    preempt_every = 1;
    {
        struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };

        op.arg1.mfn = mfn_x(partial_l4);
        cont.count = 0;
        (void)do_mmuext_op((unsigned long)&op, 1, 0, DOMID_SELF, 0);
    }
    preempt_every = 0;
}

TEST(relinquish_frees_everything)
{
    machine_init(false);
    build_busy_domain();
    CHECK(dom.tot_pages > 40);
    CHECK_EQ(arch_domain_relinquish(&dom), 0);
    CHECK_EQ(dom.tot_pages, 0);
    CHECK_EQ(dom.xenheap_pages, 0);
    CHECK_EQ(total_free_pages(), free_before_domain);
    CHECK(!strstr(stub_printk_buf, "still referenced"));
    machine_fini();
}

TEST(relinquish_preemptible)
{
    unsigned int calls = 0;
    int rc;

    machine_init(false);
    build_busy_domain();
    for ( calls = 0; calls < 200; calls++ )
        new_frame();
    calls = 0;
    preempt_every = 1;
    while ( (rc = arch_domain_relinquish(&dom)) == -ERESTART && calls < 1000 )
        calls++;
    CHECK_EQ(rc, 0);
    CHECK(calls > 0);
    CHECK_EQ(dom.tot_pages, 0);
    CHECK_EQ(total_free_pages(), free_before_domain);
    machine_fini();
}

TEST(relinquish_reports_outside_references)
{
    machine_init(false);
    mfn_t held = new_frame();

    CHECK(get_page(pg_of(held), &dom));         /* e.g. a stray mapping */
    CHECK_EQ(arch_domain_relinquish(&dom), 0);
    CHECK_EQ(dom.tot_pages, 1);
    CHECK(strstr(stub_printk_buf, "still referenced") != NULL);
    put_page(pg_of(held));
    CHECK_EQ(dom.tot_pages, 0);
    CHECK_EQ(total_free_pages(), free_before_domain);
    machine_fini();
}

TEST(dom0_initial_l4)
{
    machine_init(true);
    struct tree t = make_tree();

    CHECK_EQ(pv_pin_initial_l4(&dom, t.l4), 0);
    CHECK_EQ(mfn_x(vcpu0.arch.guest_table), mfn_x(t.l4));
    CHECK(pg_of(t.l4)->type_info & PGT_pinned);
    CHECK_EQ(tcount(t.l4), 2);                  /* pin + base pointer */
    CHECK_EQ(tab(t.l4)[M2P_L4_SLOT], m2p_l4e());
    CHECK(validated(t.l1));
    CHECK_EQ(arch_domain_relinquish(&dom), 0);
    CHECK_EQ(total_free_pages(), free_before_domain);
    machine_fini();

    machine_init(true);
    t = make_tree();
    tab(t.l1)[2] = ent(t.l2, F_RW);             /* builder bug */
    CHECK_EQ(pv_pin_initial_l4(&dom, t.l4), -EBUSY);
    CHECK(all_quiet());
    machine_fini();
}

TEST(m2p_table)
{
    machine_init(false);
    CHECK_EQ(m2p_nr_chunks(), 1);
    CHECK_EQ(get_gpfn_from_mfn(_mfn(FIRST_MFN)), INVALID_M2P_ENTRY);
    set_gpfn_from_mfn(_mfn(FIRST_MFN + 3), 77);
    CHECK_EQ(get_gpfn_from_mfn(_mfn(FIRST_MFN + 3)), 77);
    set_gpfn_from_mfn(_mfn(1UL << 40), 1);      /* beyond: ignored */
    CHECK_EQ(get_gpfn_from_mfn(_mfn(1UL << 40)), INVALID_M2P_ENTRY);
    CHECK_EQ(idle_l4[M2P_L4_SLOT], m2p_l4e());
    CHECK(!(m2p_l4e() & _PAGE_RW));
    machine_fini();
}

/* ---- randomised operations against an independent auditor ------------ */

#define NP 24
static mfn_t pool[NP];

static int pool_idx(mfn_t m)
{
    int i;

    for ( i = 0; i < NP; i++ )
        if ( mfn_x(pool[i]) == mfn_x(m) )
            return i;
    return -1;
}

static pte_t rand_entry(void)
{
    static const uint64_t flags[] = {
        F_RW, F_RO, F_RW, F_RO, F_KRW, F_RO | _PAGE_PSE, F_RW | _PAGE_PCD,
        F_RO | _PAGE_GLOBAL, F_RO | _PAGE_NX,
    };
    unsigned int r = rng() % 16;

    if ( r < 3 )
        return 0;
    if ( r == 3 )
        return ent(_mfn(TABLE_PAGES + 7), F_RO);
    if ( r == 4 )
        return ent(_mfn(FIRST_MFN + 1), F_RO);      /* the M2P's frame */
    return ent(pool[rng() % NP], flags[rng() % ARRAY_SIZE(flags)]);
}

static unsigned int rand_slot(void)
{
    static const unsigned int slots[] = { 0, 1, 2, 3, 255, 256, 260, 300,
                                          511 };

    return slots[rng() % ARRAY_SIZE(slots)];
}

/* A virtual address the current kernel tables may map (walk at random). */
static uint64_t rand_mapped_va(void)
{
    static const unsigned int slots[] = { 0, 1, 2, 3, 255, 300, 511 };
    mfn_t m = vcpu0.arch.guest_table;
    uint64_t va = 0;
    unsigned int level, i;

    for ( level = 4; level >= 1 && mfn_x(m) && pool_idx(m) >= 0; level-- )
    {
        unsigned int slot = slots[rng() % ARRAY_SIZE(slots)];

        for ( i = 0; i < ARRAY_SIZE(slots); i++ )
            if ( (tab(m)[slots[i]] & _PAGE_PRESENT) && rng() % 2 )
                slot = slots[i];
        va |= (uint64_t)slot << (L1_SHIFT + 9 * (level - 1));
        m = pte_mfn(tab(m)[slot]);
    }
    if ( va & (1ULL << 47) )
        va |= 0xffff000000000000ULL;                /* sign-extend */
    return va | (rng() % 4) * sizeof(pte_t);
}

/*
 * Recompute every reference from the page tables, pins and base pointers,
 * and compare with the counters (only when no walk is partial).
 */
static bool audit(void)
{
    long gen[NP], typ[NP], lin[NP];
    struct page_info *stash = vcpu0.arch.pt_stash;
    int i, t;
    unsigned int s;

    for ( i = 0; i < NP; i++ )
    {
        gen[i] = !!(pg_of(pool[i])->count_info & PGC_allocated);
        typ[i] = lin[i] = 0;
        if ( pg_of(pool[i])->type_info & PGT_partial )
            return true;                        /* not now */
        if ( pg_of(pool[i])->type_info & PGT_pinned )
            gen[i]++, typ[i]++;
    }
    if ( mfn_x(vcpu0.arch.guest_table) )
        t = pool_idx(vcpu0.arch.guest_table), gen[t]++, typ[t]++;
    if ( mfn_x(vcpu0.arch.guest_table_user) )
        t = pool_idx(vcpu0.arch.guest_table_user), gen[t]++, typ[t]++;
    if ( stash )
        t = pool_idx(page_to_mfn(stash)), gen[t]++, typ[t]++;

    for ( i = 0; i < NP; i++ )
    {
        unsigned long x = pg_of(pool[i])->type_info;
        unsigned int level = pgt_level(x);

        if ( !level || !(x & PGT_validated) )
            continue;
        if ( !(x & PGT_count_mask) )
            goto bad;
        for ( s = 0; s < PT_ENTRIES; s++ )
        {
            pte_t e = tab(pool[i])[s];

            if ( (level == 4 && l4_slot_is_hypervisor(s)) ||
                 !(e & _PAGE_PRESENT) )
                continue;
            if ( (t = pool_idx(pte_mfn(e))) < 0 )
                goto bad;
            if ( level == 1 )
            {
                gen[t]++;
                if ( e & _PAGE_RW )
                {
                    typ[t]++;
                    if ( ttype(pool[t]) != PGT_writable_page )
                        goto bad;
                }
                if ( !(e & _PAGE_USER) )
                    goto bad;
                continue;
            }
            if ( e & (_PAGE_PSE | _PAGE_PCD | _PAGE_GLOBAL) )
                goto bad;
            if ( t == i )
            {
                if ( e & _PAGE_RW )
                    goto bad;
                continue;
            }
            gen[t]++;
            typ[t]++;
            if ( ttype(pool[t]) == (x & PGT_type_mask) )
            {
                if ( e & _PAGE_RW )
                    goto bad;
                lin[i]++;
                lin[t]--;
            }
            else if ( ttype(pool[t]) != pgt_of_level(level - 1) ||
                      !validated(pool[t]) )
                goto bad;
        }
    }
    for ( i = 0; i < NP; i++ )
    {
        unsigned long x = pg_of(pool[i])->type_info;
        long field = (int16_t)((x & PGT_linear_mask) >> PGT_linear_shift);

        if ( (long)gcount(pool[i]) != gen[i] ||
             (long)tcount(pool[i]) != typ[i] || field != lin[i] )
        {
            printf("# mfn %#lx: count %lu/%ld type %lu/%ld linear %ld/%ld\n",
                   mfn_x(pool[i]), gcount(pool[i]), gen[i], tcount(pool[i]),
                   typ[i], field, lin[i]);
            return false;
        }
    }
    return true;

 bad:
    printf("# invalid entry under mfn %#lx\n", mfn_x(pool[i]));
    return false;
}

TEST(random_operations_audited)
{
    unsigned int seed, step;

    for ( seed = 1; seed <= 150; seed++ )
    {
        machine_init(seed & 1);
        rng_state = seed * 0x9e3779b97f4a7c15ULL;
        for ( step = 0; step < NP; step++ )
            pool[step] = new_frame();
        /* Start from a working address space: va 0 data, 0x1000 its L1. */
        tab(pool[0])[0] = ent(pool[1], F_RW);
        tab(pool[1])[0] = ent(pool[2], F_RW);
        tab(pool[2])[0] = ent(pool[3], F_RW);
        tab(pool[3])[0] = ent(pool[4], F_RW);
        tab(pool[3])[1] = ent(pool[3], F_RO);
        CHECK_EQ(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(pool[0]), 0), 0);

        for ( step = 0; step < 300; step++ )
        {
            mfn_t f = pool[rng() % NP];
            unsigned long tx = pg_of(f)->type_info;
            struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE };

            preempt_every = rng() % 3 ? 0 : 1 + rng() % 6;
            switch ( rng() % 9 )
            {
            case 0:
            case 1:                 /* the guest writes a frame it may */
                if ( !(tx & PGT_count_mask) ||
                     (tx & PGT_type_mask) == PGT_writable_page )
                    tab(f)[rand_slot()] = rand_entry();
                break;
            case 2:
                (void)pin(1 + rng() % 4, f);
                break;
            case 3:
                (void)unpin(f);
                break;
            case 4:
                (void)mmu(maddr(f, rand_slot()) |
                          (rng() % 2 ? MMU_PT_UPDATE_PRESERVE_AD : 0),
                          rand_entry());
                break;
            case 5:
                (void)mmuext(rng() % 2 ? MMUEXT_NEW_BASEPTR
                                       : MMUEXT_NEW_USER_BASEPTR,
                             rng() % 8 ? mfn_x(f) : 0, 0);
                break;
            case 6:
                (void)do_update_va_mapping(rand_mapped_va() & PAGE_MASK,
                                           rand_entry(), UVMF_INVLPG, 0, 0);
                (void)ptwr_update_pte(&vcpu0, rand_mapped_va(),
                                      rng() % 2 ? 0 : rand_entry(),
                                      rand_entry(), rng() % 2);
                break;
            case 7:                 /* preempted, never re-issued */
                preempt_every = 1;
                op.cmd = MMUEXT_PIN_L1_TABLE + rng() % 4;
                op.arg1.mfn = mfn_x(f);
                (void)do_mmuext_op((unsigned long)&op, 1, 0, DOMID_SELF, 0);
                break;
            default:
                (void)mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
                break;
            }
            if ( !audit() )
            {
                printf("# seed %u step %u\n", seed, step);
                CHECK(false);
                break;
            }
        }
        preempt_every = 0;
        (void)mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0);     /* finish pending */
        CHECK(vcpu0.arch.pt_pending == NULL && vcpu0.arch.pt_stash == NULL);
        CHECK(audit());
        CHECK_EQ(arch_domain_relinquish(&dom), 0);
        CHECK_EQ(total_free_pages(), free_before_domain);
        CHECK(!strstr(stub_printk_buf, "still referenced"));
        machine_fini();
        if ( harness_failed_case )
            break;
    }
}

int main(void)
{
    RUN(l1_writable_mapping_of_own_frame);
    RUN(l1_user_bit_forced);
    RUN(l1_unowned_frame_refused);
    RUN(l1_reserved_bits);
    RUN(l1_page_table_never_writable);
    RUN(type_change_refused_while_mapped_writable);
    RUN(tree_validation_and_release);
    RUN(upper_level_rules);
    RUN(hypervisor_l4_slots);
    RUN(m2p_strict);
    RUN(linear_self_map);
    RUN(linear_rules_xsa240);
    RUN(linear_target_released_last);
    RUN(mmu_update_preserve_ad);
    RUN(mmu_update_errors);
    RUN(update_va_mapping);
    RUN(ptwr_emulation_glue);
    RUN(mmuext_errors);
    RUN(vm_assist);
    RUN(preemptible_pin_and_unpin);
    RUN(preempted_failure_is_undone);
    RUN(preemptible_mmu_update_of_l4_entry);
    RUN(base_pointer_switch_preempted);
    RUN(cr3_write_emulation);
    RUN(batch_stays_preemptible);
    RUN(abandoned_continuation);
    RUN(memory_op_info);
    RUN(memory_op_reservation);
    RUN(memory_op_exchange);
    RUN(relinquish_frees_everything);
    RUN(relinquish_preemptible);
    RUN(relinquish_reports_outside_references);
    RUN(dom0_initial_l4);
    RUN(m2p_table);
    RUN(random_operations_audited);
    HARNESS_EXIT();
}
