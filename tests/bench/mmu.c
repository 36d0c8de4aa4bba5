/*
 * pvbench: page-table updates.
 *
 * A test region in kernel L4 slot 1 (an L3, L2 and L1 of our own, pinned
 * as an L3 and hooked in with mmu_update) gives an L1 whose entries can
 * be rewritten at will.  Every repetition changes the frame an entry maps,
 * alternating between two data frames A and B, so that each update drops
 * a reference to one frame and takes one on the other (a rewrite of an
 * identical entry could take a shortcut).
 *
 *  mmu_update_1              one MMU_NORMAL_PT_UPDATE of an L1 entry.
 *  mmu_update_512            one mmu_update call with 512 such updates
 *                            (a whole L1 table).
 *  update_va_mapping_invlpg  update_va_mapping of the region's first
 *                            page with UVMF_INVLPG.
 *  pin_l4_tree               MMUEXT_PIN_L4_TABLE of a tree that is not
 *                            validated yet: an L4 -> L3 -> L2 -> 4 L1s,
 *                            2048 writable user mappings (8 MiB), so the
 *                            pin validates all 7 tables.
 *  unpin_l4_tree             MMUEXT_UNPIN_TABLE of it, which drops the
 *                            validation of the whole tree again.
 */
#include "bench.h"

#define REGION_SLOT     1UL
#define REGION_VA       (REGION_SLOT << 39)
#define PTE_DATA        (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define PTE_TABLE       (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
                         _PAGE_ACCESSED | _PAGE_DIRTY)
#define TREE_L1S        4

static unsigned long l1_mfn, frame[2];

static uint64_t l1e_maddr(unsigned int idx)
{
    return (l1_mfn << PAGE_SHIFT) + idx * 8;
}

/* A page holding a table: filled by the caller, then made read-only. */
static long table_ro(void *va)
{
    return pv_set_page_ro(va);
}

/* The test region; 0 or the failing call's rc (*what names it). */
static long build_region(const char **what)
{
    uint64_t *l1 = bench_page(), *l2 = bench_page(), *l3 = bench_page();
    uint64_t *a = bench_page(), *b = bench_page();
    long rc;

    a[0] = 0x5a5a5a5a5a5a5a5aUL;
    b[0] = 0xa5a5a5a5a5a5a5a5UL;
    frame[0] = virt_to_mfn(a);
    frame[1] = virt_to_mfn(b);
    l1_mfn = virt_to_mfn(l1);
    l2[0] = (l1_mfn << PAGE_SHIFT) | PTE_TABLE;
    l3[0] = (virt_to_mfn(l2) << PAGE_SHIFT) | PTE_TABLE;
    *what = "making the region's tables read-only";
    if ( (rc = table_ro(l1)) || (rc = table_ro(l2)) || (rc = table_ro(l3)) )
        return rc;
    *what = "MMUEXT_PIN_L3_TABLE of the region";
    if ( (rc = pv_pin(MMUEXT_PIN_L3_TABLE, virt_to_mfn(l3))) )
        return rc;
    *what = "hooking the region into the kernel L4";
    return pv_mmu_update1((pv_kernel_l4_mfn << PAGE_SHIFT) + REGION_SLOT * 8,
                          (virt_to_mfn(l3) << PAGE_SHIFT) | PTE_TABLE);
}

static void mmu_update_1(void)
{
    unsigned int i, n = bench_reps, warm = bench_warmup;
    struct mmu_update u = { .ptr = l1e_maddr(0) | MMU_NORMAL_PT_UPDATE };
    uint64_t t0, t1;
    long rc;

    for ( i = 0; i < warm + n; i++ )
    {
        u.val = (frame[i & 1] << PAGE_SHIFT) | PTE_DATA;
        t0 = bench_tsc();
        rc = HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
        t1 = bench_tsc();
        if ( rc )
        {
            bench_error("mmu_update_1", "mmu_update: %s", bench_errname(rc));
            return;
        }
        if ( i >= warm )
            bench_samples[i - warm] = t1 - t0;
    }
    bench_report("mmu_update_1", bench_samples, n);
}

static void mmu_update_512(void)
{
    static struct mmu_update u[2][512];
    unsigned int i, j, n = bench_reps_div(5), warm = bench_warmup;
    unsigned int done;
    uint64_t t0, t1;
    long rc;

    for ( i = 0; i < 2; i++ )
        for ( j = 0; j < 512; j++ )
        {
            u[i][j].ptr = l1e_maddr(j) | MMU_NORMAL_PT_UPDATE;
            u[i][j].val = (frame[i] << PAGE_SHIFT) | PTE_DATA;
        }
    for ( i = 0; i < warm + n; i++ )
    {
        done = 0;
        t0 = bench_tsc();
        rc = HYPERVISOR_mmu_update(u[i & 1], 512, &done, DOMID_SELF);
        t1 = bench_tsc();
        if ( rc || done != 512 )
        {
            bench_error("mmu_update_512", "mmu_update: %s, %u done",
                        bench_errname(rc), done);
            return;
        }
        if ( i >= warm )
            bench_samples[i - warm] = t1 - t0;
    }
    bench_report("mmu_update_512", bench_samples, n);
}

static void update_va_mapping_invlpg(void)
{
    unsigned int i, n = bench_reps, warm = bench_warmup;
    uint64_t t0, t1;
    long rc;

    for ( i = 0; i < warm + n; i++ )
    {
        uint64_t pte = (frame[i & 1] << PAGE_SHIFT) | PTE_DATA;

        t0 = bench_tsc();
        rc = HYPERVISOR_update_va_mapping(REGION_VA, pte, UVMF_INVLPG);
        t1 = bench_tsc();
        if ( rc )
        {
            bench_error("update_va_mapping_invlpg", "update_va_mapping: %s",
                        bench_errname(rc));
            return;
        }
        if ( i >= warm )
            bench_samples[i - warm] = t1 - t0;
    }
    /* The mapping works (and so did the flush). */
    if ( *(volatile uint64_t *)REGION_VA !=
         *(volatile uint64_t *)mfn_to_virt(frame[(i - 1) & 1]) )
        bench_error("update_va_mapping_invlpg", "the new mapping reads "
                    "the wrong frame");
    else
        bench_report("update_va_mapping_invlpg", bench_samples, n);
}

static void pin_unpin_tree(void)
{
    uint64_t *l4 = bench_page(), *l3 = bench_page(), *l2 = bench_page();
    uint64_t *l1[TREE_L1S];
    unsigned int i, j, n = bench_reps_div(5), warm = bench_warmup;
    unsigned long l4_mfn = virt_to_mfn(l4);
    uint64_t t0, t1, t2;
    long rc;

    for ( i = 0; i < TREE_L1S; i++ )
    {
        l1[i] = bench_page();
        for ( j = 0; j < 512; j++ )
            l1[i][j] = (frame[j & 1] << PAGE_SHIFT) | PTE_DATA;
        l2[i] = (virt_to_mfn(l1[i]) << PAGE_SHIFT) | PTE_TABLE;
    }
    l3[0] = (virt_to_mfn(l2) << PAGE_SHIFT) | PTE_TABLE;
    l4[0] = (virt_to_mfn(l3) << PAGE_SHIFT) | PTE_TABLE;
    rc = table_ro(l4) ?: table_ro(l3) ?: table_ro(l2);
    for ( i = 0; i < TREE_L1S && !rc; i++ )
        rc = table_ro(l1[i]);
    if ( rc )
    {
        bench_error("pin_l4_tree", "making the tree read-only: %s",
                    bench_errname(rc));
        bench_error("unpin_l4_tree", "no tree");
        return;
    }

    for ( i = 0; i < warm + n; i++ )
    {
        t0 = bench_tsc();
        rc = pv_pin(MMUEXT_PIN_L4_TABLE, l4_mfn);
        t1 = bench_tsc();
        if ( rc )
        {
            bench_error("pin_l4_tree", "MMUEXT_PIN_L4_TABLE: %s",
                        bench_errname(rc));
            bench_error("unpin_l4_tree", "nothing pinned");
            return;
        }
        rc = pv_unpin(l4_mfn);
        t2 = bench_tsc();
        if ( rc )
        {
            bench_report("pin_l4_tree", bench_samples, i >= warm ? i - warm
                                                                  : 0);
            bench_error("unpin_l4_tree", "MMUEXT_UNPIN_TABLE: %s",
                        bench_errname(rc));
            return;
        }
        if ( i >= warm )
        {
            bench_samples[i - warm] = t1 - t0;
            bench_samples2[i - warm] = t2 - t1;
        }
    }
    bench_report("pin_l4_tree", bench_samples, n);
    bench_report("unpin_l4_tree", bench_samples2, n);
}

void bench_mmu(void)
{
    static const char *const metrics[] = {
        "mmu_update_1", "mmu_update_512", "update_va_mapping_invlpg",
        "pin_l4_tree", "unpin_l4_tree",
    };
    const char *what = "";
    unsigned int i;
    long rc;

    if ( (rc = build_region(&what)) )
    {
        for ( i = 0; i < ARRAY_SIZE(metrics); i++ )
            bench_error(metrics[i], "%s: %s", what, bench_errname(rc));
        return;
    }
    mmu_update_1();
    mmu_update_512();
    update_va_mapping_invlpg();
    pin_unpin_tree();
}
