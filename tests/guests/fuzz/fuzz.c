/*
 * fuzz: a hypercall fuzzer.  A fixed budget of hypercalls (100000, or
 * calls=N on the command line) with arguments drawn by a seeded PRNG
 * (seed=N, else a fixed default; the seed is printed first so that a
 * failure can be reproduced, and log=N prints every call from the N-th
 * on, check=1 verifies after every call that the kernel's own page
 * tables and data are intact and no domain watchdog is armed) from pools
 * of hostile values: boundary numbers, pointers into our own buffers
 * (aligned, unaligned, running into an unmapped page, read-only), into
 * the hypervisor's range, non-canonical and unmapped addresses, our own
 * page tables, frames we own and frames we do not, domain ids, huge
 * counts; multicalls of such calls, with nested multicalls inside.
 *
 * The kernel has to survive its own fuzzing, so the pools are built
 * around a protected set: every frame allocated before the fuzzer
 * started (kernel image, p2m, start_info, boot page tables, stacks) is
 * never passed where it could be written, given away, named by a page
 * table entry as a table, or installed as a page table base, and no
 * address the kernel or the hypervisor writes through is ever remapped.
 * Page-table updates target trees the fuzzer owns (kernel L4 slot 3, and
 * an unhooked pinned L4); frames to give away or overwrite come from a
 * ring of spare frames (refilled with the frames the hypervisor hands
 * out) and from the arena.  The arena is 16 pages followed by an unmapped
 * guard page: its first pages hold the arguments a call is built from
 * and are never named by a fuzzed pointer or frame (a hypervisor write
 * through one must not rewrite the next entry of a multicall); fuzzed
 * pointers and frames point at the rest.  A top-level multicall's entries
 * live in the kernel's .bss, where nothing fuzzed reaches.
 *
 * Calls that would end the test are never made: iret with garbage,
 * SCHEDOP_shutdown/block/poll, remote_shutdown of ourselves, a watchdog
 * that starts, VCPUOP_up/down of a vCPU that may exist, NEW_BASEPTR to
 * anything but our own L4, register_vcpu_info anywhere but a frame kept
 * for it, kexec, and PHYSDEVOP_prepare_msix/release_msix (which crash
 * Xen 4.17 itself, see gen.c).  Calls that change state the kernel relies
 * on (trap table, callbacks, kernel stack, FPU, debug registers, segment
 * bases, and every multicall) are followed by a restore.  A fault
 * delivered at the SYSCALL of a fuzzed call is caught and counted.
 *
 * The result: SUCCESS when the whole budget was issued; the counts of
 * calls, results (an error histogram), restores and faults are printed.
 */
#include "fuzz.h"

const char test_name[] = "fuzz";

#define DEFAULT_SEED    0x4b45454cUL            /* "KEEL" */
#define DEFAULT_CALLS   100000UL
#define NR_SPARE        64
#define NR_PT           12
#define MAX_ERRNO       128

static uint64_t rng_state;
static unsigned long budget = DEFAULT_CALLS, log_from = ~0UL;

/* ---- the PRNG: splitmix64 ------------------------------------------- */
uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15UL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    return z ^ (z >> 31);
}

unsigned long below(unsigned long n)
{
    return n ? rnd() % n : 0;
}

bool chance(unsigned int percent)
{
    return below(100) < percent;
}

#define PICK(a) ((a)[below(ARRAY_SIZE(a))])

/* ---- what we own ---------------------------------------------------- */
static char *arena;                 /* ARENA_PAGES, then an unmapped guard */
static char *ro_buf;                /* a read-only page */
static size_t arena_used;
static unsigned long first_unprotected_pfn, next_pfn;
static unsigned long max_mfn, xen_mfn, m2p_mfn;
static unsigned long spare[NR_SPARE];
static unsigned long pt[NR_PT];     /* S3 S2a S2b S1a S1b S1c U4 U3 U2 U1 T1 T2 */
static unsigned long kl4_va, kl1_va, kl1_mfn, ktext_mfn;
static unsigned long *prot_mfn;     /* sorted: the kernel's frames */
static unsigned long nr_prot;
unsigned long fuzz_v_mfn, fuzz_kernel_l4;
static unsigned long v_va;

/*
 * The protected set is looked up in a sorted copy of the p2m entries, not
 * through the M2P: fuzzed calls may change M2P entries, and may even take
 * the read-only M2P out of our L4 (NEW_USER_BASEPTR with m2p_strict).
 */
bool is_protected(unsigned long mfn)
{
    unsigned long lo = 0, hi = nr_prot;

    if ( mfn == fuzz_v_mfn )
        return true;
    while ( lo < hi )
    {
        unsigned long mid = (lo + hi) / 2;

        if ( prot_mfn[mid] == mfn )
            return true;
        if ( prot_mfn[mid] < mfn )
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static void build_protected(void)
{
    unsigned long i, j, v, pages;

    nr_prot = first_unprotected_pfn;
    pages = (nr_prot * 8 + PAGE_SIZE - 1) / PAGE_SIZE;
    prot_mfn = pv_alloc_page();
    for ( i = 1; i < pages; i++ )
        if ( pv_alloc_page() != (char *)prot_mfn + i * PAGE_SIZE )
            test_abort("no room for the protected set");
    for ( i = 0; i < nr_prot; i++ )
    {
        /* Insertion sort: a few hundred entries, once. */
        v = pv_p2m[i];
        for ( j = i; j > 0 && prot_mfn[j - 1] > v; j-- )
            prot_mfn[j] = prot_mfn[j - 1];
        prot_mfn[j] = v;
    }
}

/* MFN, unless it is one of ours that must not be touched. */
static unsigned long unprot(unsigned long mfn)
{
    return is_protected(mfn) ? max_mfn + 1 : mfn;
}

/* ---- pools ---------------------------------------------------------- */
unsigned long any_int(void)
{
    static const unsigned long ints[] = {
        0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255,
        256, 511, 512, 1023, 4095, 4096, 4097, 0x7fff, 0x8000, 0xffff,
        0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000UL,
        0x7fffffffffffffffUL, 0x8000000000000000UL, ~0UL, ~1UL, -4096UL,
        -22UL, 0x7ff0, 0x7ff1, 0x7ff2, 0x7fff,
    };
    unsigned long v;

    switch ( below(8) )
    {
    case 0:
        v = rnd();
        break;
    case 1:
        v = below(21);              /* 21 is the domctl/sysctl version */
        break;
    default:
        v = PICK(ints);
        break;
    }
    return v;
}

unsigned long any_count(void)
{
    static const unsigned long counts[] = {
        0, 1, 2, 3, 4, 8, 16, 64, 512, 4096, 0x7fffffff, 0x80000000,
        0xffffffff, 0x100000000UL, ~0UL, 1UL << 26,
    };

    if ( chance(10) )
        return rnd();
    return PICK(counts);
}

/* Never accessible by anyone, and never remapped. */
static unsigned long hostile_addr(void)
{
    static const unsigned long addrs[] = {
        0, 8, 0x1000, 0x10000, 0x7ffffffff000UL, 0x7ffffffffff8UL,
        0xffff800000000000UL, 0xffff830000000000UL, 0xffff82d080000000UL,
        0xffff82d080200000UL, 0xffff87fffffffff8UL, 0xffff840000000000UL,
        0x0000800000000000UL, 0x8000000000000000UL, 0xffff7ffffffff000UL,
        0xffff7ffffffffffcUL, ~0UL, ~7UL, 0xffffffffc0000000UL,
    };

    switch ( below(6) )
    {
    case 0:     /* hypervisor range */
        return 0xffff800000000000UL + (rnd() & ((1UL << 43) - 1));
    case 1:     /* non-canonical */
        return 0x0000800000000000UL + (rnd() & ((1UL << 47) - 1) &
                                       ~0x7fffUL) + 0x1000;
    default:
        return PICK(addrs);
    }
}

unsigned long bad_ptr(void)
{
    /* The guard page too: unmapped, but near our buffers. */
    if ( chance(10) )
        return arena_end() + below(PAGE_SIZE);
    return hostile_addr();
}

unsigned long any_ptr(void)
{
    switch ( below(20) )
    {
    case 0: case 1: case 2: case 3: case 4: case 5:
        return pointer_zone() + below(ARENA_PAGES - STRUCT_PAGES) * PAGE_SIZE;
    case 6: case 7: case 8:
        return pointer_zone() + below((ARENA_PAGES - STRUCT_PAGES) *
                                      PAGE_SIZE);
    case 9: case 10:        /* runs into the guard page */
        return arena_end() - 8 * (1 + below(16)) + (chance(20) ? 4 : 0);
    case 11:
        return (unsigned long)ro_buf + (chance(50) ? 0 : below(PAGE_SIZE));
    case 12:
        return PICK(((unsigned long[]){ kl4_va, kl1_va, MACH2PHYS_VIRT_START,
                                        MACH2PHYS_VIRT_START + 0x1000 }));
    default:
        return bad_ptr();
    }
}

domid_t raw_domid(void)
{
    static const domid_t doms[] = {
        0, 1, 2, 77, 0x7fef, DOMID_SELF, DOMID_IO, DOMID_XEN, DOMID_COW,
        DOMID_INVALID, 0x7ff5, DOMID_IDLE, 0x8000, 0xfff0, 0xffff,
    };

    return chance(10) ? (domid_t)rnd() : PICK(doms);
}

domid_t any_domid(void)
{
    return chance(70) ? DOMID_SELF : raw_domid();
}

unsigned long bad_frame(void)
{
    unsigned long frames[] = {
        0, 1, 0x9f, 0xa0, 0xb8, 0xfec00, 0xfee00, max_mfn, max_mfn + 1,
        (1UL << 40) - 1, 1UL << 51, ~0UL, xen_mfn, m2p_mfn, 0x100000,
    };

    return unprot(chance(15) ? rnd() >> below(64) : PICK(frames));
}

unsigned long ptframe(void)
{
    return PICK(pt);
}

/*
 * A frame of the arena's pointer zone.  Never one of the structure pages:
 * CLEAR_PAGE, COPY_PAGE or a plain mmu_update write to one would rewrite
 * the arguments of the calls after it in a multicall (a watchdog request
 * zeroed becomes one that starts a watchdog firing at once).
 */
static unsigned long pointer_zone_frame(void)
{
    return pv_p2m[virt_to_pfn(arena) + STRUCT_PAGES +
                  below(ARENA_PAGES - STRUCT_PAGES)];
}

unsigned long wframe(void)
{
    switch ( below(10) )
    {
    case 0: case 1: case 2: case 3:
        return unprot(PICK(spare));
    case 4: case 5:
        return unprot(pointer_zone_frame());
    default:
        return bad_frame();
    }
}

unsigned long rframe(void)
{
    switch ( below(20) )
    {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
        return wframe();
    case 8: case 9: case 10: case 11: case 12: case 13:
        return ptframe();
    case 14:
        return fuzz_kernel_l4;
    case 15:
        return kl1_mfn;
    case 16:
        return ktext_mfn;
    case 17:
        return pv_user_l4_mfn;
    default:
        return bad_frame();
    }
}

/* Frames that are certainly not ours: RAM of the hypervisor's, MMIO,
 * frames past the end of RAM. */
static unsigned long foreign_frame(void)
{
    unsigned long frames[] = {
        xen_mfn, m2p_mfn, max_mfn + 1, (1UL << 40) - 1, 1UL << 51, ~0UL,
        0xfee00, 0xfec00, 0x100000 + below(1UL << 20),
    };

    return PICK(frames);
}

/*
 * NEW_BASEPTR: our own L4, or frames that cannot become one (the arena's
 * are mapped writable); never a spare, which could validate as an empty
 * L4 and take the kernel's mappings away.
 */
unsigned long cr3_frame(void)
{
    switch ( below(4) )
    {
    case 0: case 1:
        return fuzz_kernel_l4;
    case 2:
        return pointer_zone_frame();
    default:
        return foreign_frame();
    }
}

/*
 * register_vcpu_info: the V frame, which nothing else ever names, or
 * frames that are not ours.  Any other frame of ours may be scribbled on
 * (page tables the fuzzer unpinned become plain pages), and a vcpu_info
 * with garbage in it means upcalls into garbage.
 */
unsigned long vinfo_frame(void)
{
    return chance(50) ? fuzz_v_mfn : foreign_frame();
}

unsigned long any_va(void)
{
    unsigned long va;

    switch ( below(10) )
    {
    case 0: case 1: case 2: case 3: case 4: case 5:
        /* Behind the fuzz region's L1s: slot 3, L3 0-1, L2 0-1. */
        va = FUZZ_VA + (below(2) << 30) + (below(2) << 21) +
             (below(512) << 12);
        return chance(10) ? va + below(PAGE_SIZE) : va;
    case 6:
        return FUZZ_VA + (rnd() & ((1UL << 39) - 1));
    default:
        return hostile_addr();
    }
}

/*
 * A frame for a page-table entry.  Never one of the kernel's page tables:
 * an entry of ours (at any level) naming one would let an update through
 * the fuzz region write the kernel's own tables.  Its other frames are
 * fine: a leaf mapping of them is only an alias nobody uses.
 */
static unsigned long pte_frame(void)
{
    switch ( below(10) )
    {
    case 0: case 1: case 2: case 3:
        return wframe();
    case 4: case 5: case 6: case 7:
        return ptframe();
    case 8:
        return ktext_mfn;
    default:
        return bad_frame();
    }
}

uint64_t any_pte(void)
{
    static const uint64_t flags[] = {
        _PAGE_PRESENT, _PAGE_RW, _PAGE_USER, _PAGE_PWT, _PAGE_PCD,
        _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_PSE, _PAGE_GLOBAL, _PAGE_NX,
        1UL << 9, 1UL << 10, 1UL << 11, 1UL << 52, 1UL << 58, 1UL << 62,
        1UL << 51, 1UL << 40,
    };
    uint64_t v;
    unsigned int i, n;

    if ( chance(5) )
        return chance(50) ? 0 : rnd();
    v = (pte_frame() << PAGE_SHIFT) & PTE_ADDR_MASK;
    if ( chance(80) )
        v |= _PAGE_PRESENT;
    if ( chance(50) )
        v |= _PAGE_RW;
    for ( i = 0, n = below(3); i < n; i++ )
        v |= PICK(flags);
    return v;
}

unsigned long any_content(void)
{
    unsigned long v;

    switch ( below(10) )
    {
    case 0: case 1: case 2: case 3:
        v = any_int();
        break;
    case 4: case 5:
        v = any_ptr();
        break;
    case 6:
        v = wframe();
        break;
    case 7:
        v = wframe() << PAGE_SHIFT;
        break;
    case 8:
        v = any_domid();
        break;
    default:
        v = any_va();
        break;
    }
    if ( is_protected(v) || is_protected(v >> PAGE_SHIFT) )
        v = 0;
    return v;
}

/* ---- the arena --------------------------------------------------------- */
/*
 * Pages 0 to STRUCT_PAGES - 1 hold the structures a call is built from
 * (arena_alloc); no fuzzed pointer ever points there, so nothing the
 * hypervisor writes through one lands on another entry's arguments.  The
 * other pages are where fuzzed pointers point (pointer_zone()).
 */
unsigned long arena_end(void)
{
    return (unsigned long)arena + ARENA_PAGES * PAGE_SIZE;
}

unsigned long pointer_zone(void)
{
    return (unsigned long)arena + STRUCT_PAGES * PAGE_SIZE;
}

void *arena_alloc(size_t bytes)
{
    void *p;

    bytes = (bytes + 7) & ~7UL;
    if ( arena_used + bytes > STRUCT_PAGES * PAGE_SIZE )
        return NULL;
    p = arena + arena_used;
    arena_used += bytes;
    return p;
}

void fill_content(void *p, size_t bytes)
{
    unsigned long *w = p;
    size_t i;

    for ( i = 0; i < bytes / 8; i++ )
        w[i] = any_content();
}

/* ---- setting up ------------------------------------------------------- */
static unsigned long take_mfn(void)
{
    if ( next_pfn >= pv_start_info->nr_pages )
        test_abort("out of frames past the boot mapping");
    return pv_p2m[next_pfn++];
}

/* Fill frame MFN with ENTRIES (512 of them, NULL: zeros) through a
 * scratch address. */
static void fill_frame(unsigned long mfn, const uint64_t *entries)
{
    unsigned long va = pv_scratch_va(0);
    long rc = pv_map_va(va, mfn, PTE_RW);

    if ( rc )
        test_abort("mapping frame %#lx: %ld", mfn, rc);
    if ( entries )
        memcpy((void *)va, entries, PAGE_SIZE);
    else
        memset((void *)va, 0, PAGE_SIZE);
    if ( (rc = pv_unmap_va(va)) )
        test_abort("unmapping the scratch address: %ld", rc);
}

static void find_xen_frames(void)
{
    const uint64_t *l4 = mfn_to_virt(pv_kernel_l4_mfn);
    static xen_pfn_t m2p[4];
    struct xen_machphys_mfn_list ml = { .max_extents = 4 };
    unsigned int slot;

    for ( slot = 256; slot < 272 && !xen_mfn; slot++ )
        if ( l4[slot] & _PAGE_PRESENT )
            xen_mfn = (l4[slot] & PTE_ADDR_MASK) >> PAGE_SHIFT;
    set_xen_guest_handle(ml.extent_start, m2p);
    if ( !HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &ml) &&
         ml.nr_extents )
        m2p_mfn = m2p[0];
    else
        m2p_mfn = xen_mfn;
}

static void setup_tables(void)
{
    static uint64_t t[512];
    unsigned int i;
    long rc;

    for ( i = 0; i < NR_PT; i++ )
        pt[i] = take_mfn();
    /* S1a: spares read-only; S1b: the arena, aliased writable; S1c: 0. */
    memset(t, 0, sizeof(t));
    for ( i = 0; i < 8; i++ )
        t[i] = (spare[i] << PAGE_SHIFT) | PTE_RO;
    fill_frame(pt[3], t);
    memset(t, 0, sizeof(t));
    for ( i = STRUCT_PAGES; i < ARENA_PAGES; i++ )
        t[i] = (pv_p2m[virt_to_pfn(arena) + i] << PAGE_SHIFT) | PTE_RW;
    fill_frame(pt[4], t);
    fill_frame(pt[5], NULL);
    /* S2a -> S1a, S1b; S2b -> S1c; S3 -> S2a, S2b. */
    memset(t, 0, sizeof(t));
    t[0] = (pt[3] << PAGE_SHIFT) | PTE_TABLE;
    t[1] = (pt[4] << PAGE_SHIFT) | PTE_TABLE;
    fill_frame(pt[1], t);
    memset(t, 0, sizeof(t));
    t[0] = (pt[5] << PAGE_SHIFT) | PTE_TABLE;
    fill_frame(pt[2], t);
    memset(t, 0, sizeof(t));
    t[0] = (pt[1] << PAGE_SHIFT) | PTE_TABLE;
    t[1] = (pt[2] << PAGE_SHIFT) | PTE_TABLE;
    fill_frame(pt[0], t);
    rc = pv_mmu_update1((pv_kernel_l4_mfn << PAGE_SHIFT) + FUZZ_SLOT * 8,
                        (pt[0] << PAGE_SHIFT) | PTE_TABLE);
    if ( rc )
        test_abort("hooking the fuzz region into L4 slot %lu: %ld",
                   FUZZ_SLOT, rc);

    /* U4 -> U3 -> U2 -> U1 (spares read-only), pinned as an L4. */
    memset(t, 0, sizeof(t));
    for ( i = 0; i < 8; i++ )
        t[i * 3] = (spare[8 + i] << PAGE_SHIFT) | PTE_RO;
    fill_frame(pt[9], t);
    memset(t, 0, sizeof(t));
    t[5] = (pt[9] << PAGE_SHIFT) | PTE_TABLE;
    fill_frame(pt[8], t);
    memset(t, 0, sizeof(t));
    t[7] = (pt[8] << PAGE_SHIFT) | PTE_TABLE;
    fill_frame(pt[7], t);
    memset(t, 0, sizeof(t));
    t[9] = (pt[7] << PAGE_SHIFT) | PTE_TABLE;
    fill_frame(pt[6], t);
    if ( (rc = pv_pin(MMUEXT_PIN_L4_TABLE, pt[6])) )
        test_abort("pinning the unhooked tree: %ld", rc);

    /* T1: a pinned L1; T2: an unpinned L2 pointing at it. */
    memset(t, 0, sizeof(t));
    t[1] = (spare[20] << PAGE_SHIFT) | PTE_RW;
    fill_frame(pt[10], t);
    if ( (rc = pv_pin(MMUEXT_PIN_L1_TABLE, pt[10])) )
        test_abort("pinning T1: %ld", rc);
    memset(t, 0, sizeof(t));
    t[3] = (pt[10] << PAGE_SHIFT) | PTE_TABLE;
    fill_frame(pt[11], t);
}

static void setup(void)
{
    unsigned int i;
    char *guard;

    arena = pv_alloc_page();
    if ( !arena )
        test_abort("no memory for the arena");
    /* Everything allocated before the arena is the kernel's. */
    first_unprotected_pfn = virt_to_pfn(arena);
    for ( i = 1; i < ARENA_PAGES; i++ )
        if ( pv_alloc_page() != arena + i * PAGE_SIZE )
            test_abort("arena not contiguous");
    guard = pv_alloc_page();
    ro_buf = pv_alloc_page();
    if ( guard != arena + ARENA_PAGES * PAGE_SIZE || !ro_buf )
        test_abort("no memory for the guard and read-only pages");
    if ( pv_unmap_va((unsigned long)guard) || pv_set_page_ro(ro_buf) )
        test_abort("setting up the guard and read-only pages");

    max_mfn = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL) - 1;
    fuzz_kernel_l4 = pv_kernel_l4_mfn;
    kl4_va = (unsigned long)mfn_to_virt(pv_kernel_l4_mfn);
    kl1_mfn = pv_pte_maddr(pv_virt_start, 1) >> PAGE_SHIFT;
    kl1_va = (unsigned long)mfn_to_virt(kl1_mfn);
    ktext_mfn = virt_to_mfn(_text);
    find_xen_frames();

    next_pfn = pv_nr_boot_pfns;
    for ( i = 0; i < NR_SPARE; i++ )
        spare[i] = take_mfn();
    spare[NR_SPARE - 1] = pv_p2m[virt_to_pfn(guard)];
    setup_tables();

    build_protected();
    fuzz_v_mfn = take_mfn();
    v_va = pv_scratch_va(7);
    if ( pv_map_va(v_va, fuzz_v_mfn, PTE_RW) )
        test_abort("mapping the vcpu_info frame");
    memset((void *)v_va, 0, PAGE_SIZE);
    printf("fuzz: arena %p, kernel L4 %#lx, fuzz region %#lx, unhooked "
           "L4 %#lx, max mfn %#lx, a hypervisor frame %#lx\n", arena,
           pv_kernel_l4_mfn, FUZZ_VA, pt[6], max_mfn, xen_mfn);
}

/* ---- after a call -------------------------------------------------- */
static unsigned long nr_restores, nr_given_back, nr_adopted, nr_faults;
static unsigned long nr_mc_entries, nr_vinfo_moves;
static unsigned int fault_vectors[32];
static xen_pfn_t giveback_list[NR_SPARE + 8];
static unsigned int nr_giveback;

static void giveback(unsigned long mfn, unsigned int order)
{
    struct xen_memory_reservation r = {
        .nr_extents = 1, .extent_order = order, .domid = DOMID_SELF,
    };

    if ( order )
    {
        giveback_list[NR_SPARE + 7] = mfn;
        set_xen_guest_handle(r.extent_start, &giveback_list[NR_SPARE + 7]);
        HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
        nr_given_back++;
        return;
    }
    giveback_list[nr_giveback++] = mfn;
}

static void giveback_flush(void)
{
    struct xen_memory_reservation r = { .domid = DOMID_SELF };

    if ( !nr_giveback )
        return;
    set_xen_guest_handle(r.extent_start, giveback_list);
    r.nr_extents = nr_giveback;
    HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
    nr_given_back += nr_giveback;
    nr_giveback = 0;
}

/* A new frame of ours: it takes a spare's place; that one goes back. */
static void adopt(unsigned long mfn)
{
    static unsigned int next;
    unsigned int i = next++ % NR_SPARE;

    if ( is_protected(mfn) || mfn > max_mfn )
        return;
    if ( i < 24 )               /* those are in the tables: keep them */
        return giveback(mfn, 0);
    giveback(spare[i], 0);
    spare[i] = mfn;
    nr_adopted++;
}

static void adopt_list(const xen_pfn_t *list, unsigned long room,
                       unsigned long from, unsigned long to,
                       unsigned int order)
{
    unsigned long i;

    for ( i = from; i < to && i < from + 8 && i < room; i++ )
        if ( order )
            giveback(list[i], order);
        else
            adopt(list[i]);
}

static void post(const struct call *c, long rc)
{
    const struct xen_memory_exchange *ex = c->ex;
    unsigned long done;

    switch ( c->post )
    {
    case POST_NONE:
        break;
    case POST_LIST:
        if ( rc > (long)c->first )
            adopt_list(c->list, c->room, c->first, rc, c->order);
        break;
    case POST_EXCHANGE:
        if ( ex->in.extent_order > 20 || ex->out.extent_order > 20 )
            break;
        done = (ex->nr_exchanged << ex->in.extent_order) >>
               ex->out.extent_order;
        if ( done > c->ex_first && done - c->ex_first <= MAX_MC )
            adopt_list(c->list, c->room, c->ex_first, done,
                       ex->out.extent_order);
        break;
    case POST_DOMCTL:
        fuzz_note_domctl(c, rc);
        break;
    case POST_VCPU_INFO:
        if ( rc == 0 && c->first != fuzz_v_mfn )
            test_abort("vcpu_info moved to frame %#lx offset %#lx",
                       c->first, c->vi_offset);
        if ( rc == 0 )
        {
            pv_vcpu_info = (struct vcpu_info *)(v_va + c->vi_offset);
            nr_vinfo_moves++;
        }
        break;
    }
}

static long register_callback(unsigned int type, unsigned int flags,
                              void *entry)
{
    struct callback_register cb = {
        .type = type, .flags = flags, .address = (unsigned long)entry,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

/* Put back everything a fuzzed call may have changed under us. */
static void restore_state(void)
{
    struct callback_unregister un = { .type = CALLBACKTYPE_nmi };
    long rc;

    nr_restores++;
    if ( (rc = pv_reload_trap_table()) ||
         (rc = register_callback(CALLBACKTYPE_event, 0, pv_entry_event)) ||
         (rc = register_callback(CALLBACKTYPE_failsafe, 0,
                                 pv_entry_failsafe)) ||
         (rc = register_callback(CALLBACKTYPE_syscall, CALLBACKF_mask_events,
                                 pv_entry_syscall)) ||
         (rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                       pv_user_kstack_top)) ||
         (rc = HYPERVISOR_fpu_taskswitch(0)) ||
         (rc = HYPERVISOR_set_debugreg(7, 0)) )
        test_abort("restoring the kernel's state: %ld", rc);
    HYPERVISOR_callback_op(CALLBACKOP_unregister, &un);
    HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
}

/* #DB from a breakpoint a fuzzed set_debugreg left: clear DR7, go on. */
static bool db_handler(struct pv_regs *regs)
{
    HYPERVISOR_set_debugreg(7, 0);
    return true;
}

/* #NM after a fuzzed fpu_taskswitch: clear TS, retry. */
static bool nm_handler(struct pv_regs *regs)
{
    HYPERVISOR_fpu_taskswitch(0);
    return true;
}

static bool nmi_handler(struct pv_regs *regs)
{
    return true;
}

/* ---- check=1: the kernel's own page tables never change ------------- */
#define NR_KTABLES  8
static const uint64_t *ktable[NR_KTABLES];
static uint64_t ksnap[NR_KTABLES][512];
static unsigned int nr_ktables;

static void snap_kernel_tables(void)
{
    unsigned long va, lvl;
    unsigned int i;

    ktable[nr_ktables++] = mfn_to_virt(pv_kernel_l4_mfn);
    for ( lvl = 3; lvl >= 1; lvl-- )
        for ( va = pv_virt_start; va < pv_virt_start + (pv_nr_boot_pfns <<
                                                        PAGE_SHIFT);
              va += PAGE_SIZE )
        {
            const uint64_t *t = mfn_to_virt(pv_pte_maddr(va, lvl) >>
                                            PAGE_SHIFT);

            for ( i = 0; i < nr_ktables && ktable[i] != t; i++ )
                ;
            if ( i == nr_ktables && nr_ktables < NR_KTABLES && t )
                ktable[nr_ktables++] = t;
        }
    for ( i = 0; i < nr_ktables; i++ )
        memcpy(ksnap[i], ktable[i], PAGE_SIZE);
}

static void check_kernel_tables(unsigned long call)
{
    static struct start_info *si;
    struct sched_watchdog w = { .timeout = 0 };
    unsigned int i, j;

    for ( w.id = 1; w.id <= 2; w.id++ )
        if ( HYPERVISOR_sched_op(SCHEDOP_watchdog, &w) == 0 )
            test_abort("after call %lu: a watchdog %u was running", call,
                       w.id);

    if ( !si )
        si = pv_start_info;
    if ( pv_start_info != si || !pv_vcpu_info )
    {
        pv_start_info = si;
        pv_vcpu_info = &pv_shared_info->vcpu_info[0];
        test_abort("after call %lu: the kernel's data was overwritten", call);
    }

    for ( i = 0; i < nr_ktables; i++ )
        for ( j = 0; j < 512; j++ )
            if ( (ktable[i][j] ^ ksnap[i][j]) &
                 ~(_PAGE_ACCESSED | _PAGE_DIRTY) &&
                 !(i == 0 && j == FUZZ_SLOT) )
                test_abort("after call %lu: kernel table %u (%p) entry %u "
                           "was %#lx, now %#lx", call, i, ktable[i], j,
                           ksnap[i][j], ktable[i][j]);
}

/* ---- issuing a call ------------------------------------------------ */
#define FAULTED     0x7fffffffffff0000L

static long issue(const struct call *c, bool via_page)
{
    register unsigned long a1 asm("rdi") = c->args[0];
    register unsigned long a2 asm("rsi") = c->args[1];
    register unsigned long a3 asm("rdx") = c->args[2];
    register unsigned long a4 asm("r10") = c->args[3];
    register unsigned long a5 asm("r8") = c->args[4];
    register unsigned long a6 asm("r9") = c->args[5];
    unsigned long rax = c->op;

    if ( via_page && c->op < 128 )
        return pv_hypercall_page(c->op, c->args[0], c->args[1], c->args[2],
                                 c->args[3], c->args[4]);
    PV_TRY("syscall", : "+a" (rax), "+r" (a1), "+r" (a2), "+r" (a3),
           "+r" (a4), "+r" (a5), "+r" (a6) : : "rcx", "r11", "memory");
    if ( pv_last_fault.vector != -1 )
    {
        nr_faults++;
        fault_vectors[pv_last_fault.vector & 31]++;
        printf("fuzz: vector %d delivered at the SYSCALL of %s\n",
               pv_last_fault.vector, op_name(c->op));
        return FAULTED;
    }
    return rax;
}

/* ---- statistics ---------------------------------------------------- */
static unsigned long by_op[65];
static unsigned long res_zero, res_pos, res_other, res_err[MAX_ERRNO];

static void count_result(long rc)
{
    if ( rc == 0 )
        res_zero++;
    else if ( rc > 0 )
        res_pos++;
    else if ( -rc < MAX_ERRNO )
        res_err[-rc]++;
    else
        res_other++;
}

static void print_stats(unsigned long calls)
{
    char line[128];
    unsigned int i, n;
    int len = 0;

    printf("fuzz: %lu calls, %lu multicall entries, %lu restores, "
           "%lu faults, %lu frames adopted, %lu given back, "
           "vcpu_info moved %lu times\n", calls, nr_mc_entries, nr_restores,
           nr_faults, nr_adopted, nr_given_back, nr_vinfo_moves);
    printf("fuzz: results: 0 x%lu, >0 x%lu, other x%lu\n", res_zero, res_pos,
           res_other);
    for ( i = 1, n = 0; i < MAX_ERRNO; i++ )
    {
        if ( !res_err[i] )
            continue;
        len += snprintf(line + len, sizeof(line) - len, " -%u x%lu", i,
                        res_err[i]);
        if ( ++n % 6 == 0 )
        {
            printf("fuzz: errors:%s\n", line);
            len = 0;
        }
    }
    if ( len )
        printf("fuzz: errors:%s\n", line);
    len = 0;
    for ( i = 0, n = 0; i < ARRAY_SIZE(by_op); i++ )
    {
        if ( !by_op[i] )
            continue;
        len += snprintf(line + len, sizeof(line) - len, " %s x%lu",
                        i < 64 ? op_name(i) : ">=64", by_op[i]);
        if ( ++n % 4 == 0 )
        {
            printf("fuzz: calls:%s\n", line);
            len = 0;
        }
    }
    if ( len )
        printf("fuzz: calls:%s\n", line);
    for ( i = 0; i < 32; i++ )
        if ( fault_vectors[i] )
            printf("fuzz: faults: vector %u x%u\n", i, fault_vectors[i]);
}

/* ---- the command line --------------------------------------------- */
static bool parse_num(const char *s, unsigned long *out)
{
    unsigned long v = 0;
    unsigned int base = 10, d;

    if ( s[0] == '0' && (s[1] == 'x' || s[1] == 'X') )
    {
        base = 16;
        s += 2;
    }
    if ( !*s || *s == ' ' )
        return false;
    for ( ; *s && *s != ' '; s++ )
    {
        if ( *s >= '0' && *s <= '9' )
            d = *s - '0';
        else if ( base == 16 && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' )
            d = (*s | 0x20) - 'a' + 10;
        else
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

static unsigned long cmdline_opt(const char *name, unsigned long dflt)
{
    const char *cl = (const char *)pv_start_info->cmd_line, *p = cl;
    size_t n = strlen(name);
    unsigned long v;

    while ( (p = strstr(p, name)) != NULL )
    {
        if ( (p == cl || p[-1] == ' ') && p[n] == '=' )
        {
            if ( parse_num(p + n + 1, &v) )
                return v;
            test_abort("bad value for %s= on the command line", name);
        }
        p += n;
    }
    return dflt;
}

static void log_call(unsigned long i, const struct call *c, long rc)
{
    unsigned int k;

    printf("#%lu %s(%#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n", i,
           op_name(c->op), c->args[0], c->args[1], c->args[2], c->args[3],
           c->args[4], rc);
    for ( k = 0; k < c->nr_sub; k++ )
        printf("  [%u] %s(%#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n", k,
               op_name(c->sub[k].op), c->sub[k].args[0], c->sub[k].args[1],
               c->sub[k].args[2], c->sub[k].args[3], c->sub[k].args[4],
               (long)c->mc[k].result);
}

void test_main(void)
{
    unsigned long seed = cmdline_opt("seed", DEFAULT_SEED), i, k;
    static struct call c;
    long rc;

    unsigned long check = cmdline_opt("check", 0);

    budget = cmdline_opt("calls", DEFAULT_CALLS);
    log_from = cmdline_opt("log", ~0UL);
    printf("fuzz: seed %lu, %lu calls (seed=N calls=N log=N on the "
           "command line)\n", seed, budget);
    rng_state = seed;

    setup();
    if ( check )
        snap_kernel_tables();
    pv_set_trap_handler(1, db_handler);
    pv_set_trap_handler(2, nmi_handler);
    pv_set_trap_handler(7, nm_handler);

    for ( i = 0; i < budget; i++ )
    {
        bool via_page;

        if ( check )
            check_kernel_tables(i);
        via_page = chance(25);
        arena_used = 0;
        for ( k = 0; k < 4; k++ )
            fill_content((void *)(pointer_zone() + below(
                             (ARENA_PAGES - STRUCT_PAGES) * PAGE_SIZE / 64) *
                             64), 64);
        memset(&c, 0, sizeof(c));
        gen_call(&c, true);
        if ( i >= log_from )
        {
            log_call(i, &c, 0);
            printf("  ...\n");
        }
        rc = issue(&c, via_page);
        by_op[c.op < 64 ? c.op : 64]++;
        count_result(rc);
        if ( i >= log_from )
            log_call(i, &c, rc);
        if ( rc != FAULTED )
        {
            post(&c, rc);
            /* The entries of a generated multicall. */
            for ( k = 0; rc == 0 && k < c.nr_sub; k++ )
            {
                nr_mc_entries++;
                post(&c.sub[k], c.mc[k].result);
            }
        }
        if ( c.restore )
            restore_state();
        giveback_flush();
        if ( check )
            check_kernel_tables(i);
        if ( (i + 1) % 10000 == 0 )
            printf("fuzz: %lu calls done\n", i + 1);
    }
    print_stats(i);
    test_pass("fuzz: the whole budget of hypercalls was issued");
}
