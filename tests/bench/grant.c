/*
 * pvbench: grants to ourselves.
 *
 * GNTTABOP_setup_table gives the frame of our (version 1) grant table; it
 * is mapped writable and entries are written in it granting our own
 * pages to domain 0, i.e. to ourselves.
 *
 *  grant_map       GNTTABOP_map_grant_ref of one granted page
 *                  (GNTMAP_host_map, writable) at an unused kernel
 *                  address whose L1 table exists.
 *  grant_unmap     GNTTABOP_unmap_grant_ref of that mapping.
 *  grant_copy_4k   GNTTABOP_copy of one page: source by grant reference
 *                  (read-only grant), destination one of our frames.
 *  grant_copy_64k  the same with 16 such copies in one call.
 *
 * Unsupported when grant_table_op answers -ENOSYS.
 */
#include "bench.h"

#define SELF_DOMID      0       /* dom0's id: the grantee is ourselves */
#define REF_MAP         GNTTAB_NR_RESERVED_ENTRIES
#define REF_COPY        (REF_MAP + 1)
#define NR_COPY         16

static const char *const metrics[] = {
    "grant_map", "grant_unmap", "grant_copy_4k", "grant_copy_64k",
};

static long gnttab_op(unsigned int cmd, void *uop, unsigned int count)
{
    return pv_hypercall(__HYPERVISOR_grant_table_op, cmd,
                        (unsigned long)uop, count, 0, 0);
}

static void grant(struct grant_entry_v1 *gt, grant_ref_t ref,
                  unsigned long mfn, uint16_t flags)
{
    gt[ref].domid = SELF_DOMID;
    gt[ref].frame = mfn;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    gt[ref].flags = flags;
}

static void map_unmap(struct grant_entry_v1 *gt)
{
    unsigned int i, n = bench_reps, warm = bench_warmup;
    unsigned long va = pv_scratch_va(2);
    uint64_t *page = bench_page();
    uint64_t t0, t1, t2;
    long rc;

    page[0] = 0x6772616e74UL;
    grant(gt, REF_MAP, virt_to_mfn(page), GTF_permit_access);
    if ( (rc = pv_unmap_va(va)) )
    {
        bench_error("grant_map", "unmapping %#lx first: %s", va,
                    bench_errname(rc));
        bench_error("grant_unmap", "no mapping");
        return;
    }
    for ( i = 0; i < warm + n; i++ )
    {
        struct gnttab_map_grant_ref m = {
            .host_addr = va, .flags = GNTMAP_host_map, .ref = REF_MAP,
            .dom = SELF_DOMID,
        };
        struct gnttab_unmap_grant_ref u = { .host_addr = va };

        t0 = bench_tsc();
        rc = gnttab_op(GNTTABOP_map_grant_ref, &m, 1);
        t1 = bench_tsc();
        if ( rc || m.status != GNTST_okay )
        {
            bench_error("grant_map", "GNTTABOP_map_grant_ref: %s, status "
                        "%d", bench_errname(rc), m.status);
            bench_error("grant_unmap", "no mapping");
            return;
        }
        if ( i == 0 && *(volatile uint64_t *)va != page[0] )
            test_fail("grant_map", "the mapping reads %#lx, not %#lx",
                      *(volatile uint64_t *)va, page[0]);
        u.handle = m.handle;
        rc = gnttab_op(GNTTABOP_unmap_grant_ref, &u, 1);
        t2 = bench_tsc();
        if ( rc || u.status != GNTST_okay )
        {
            bench_report("grant_map", bench_samples, i >= warm ? i - warm
                                                                : 0);
            bench_error("grant_unmap", "GNTTABOP_unmap_grant_ref: %s, "
                        "status %d", bench_errname(rc), u.status);
            return;
        }
        if ( i >= warm )
        {
            bench_samples[i - warm] = t1 - t0;
            bench_samples2[i - warm] = t2 - t1;
        }
    }
    bench_report("grant_map", bench_samples, n);
    bench_report("grant_unmap", bench_samples2, n);
}

static void copy(struct grant_entry_v1 *gt, const char *metric,
                 unsigned int nr, unsigned int reps)
{
    static struct gnttab_copy c[NR_COPY];
    static uint64_t *src[NR_COPY], *dst[NR_COPY];
    unsigned int i, k, warm = bench_warmup;
    uint64_t t0, t1;
    long rc;

    for ( k = 0; k < NR_COPY; k++ )
    {
        if ( !src[k] )
        {
            src[k] = bench_page();
            dst[k] = bench_page();
            for ( i = 0; i < 512; i++ )
                src[k][i] = ((uint64_t)k << 32) | i;
            grant(gt, REF_COPY + k, virt_to_mfn(src[k]),
                  GTF_permit_access | GTF_readonly);
        }
        memset(&c[k], 0, sizeof(c[k]));
        c[k].source.u.ref = REF_COPY + k;
        c[k].source.domid = SELF_DOMID;
        c[k].dest.u.gmfn = virt_to_mfn(dst[k]);
        c[k].dest.domid = DOMID_SELF;
        c[k].len = PAGE_SIZE;
        c[k].flags = GNTCOPY_source_gref;
    }
    for ( i = 0; i < warm + reps; i++ )
    {
        t0 = bench_tsc();
        rc = gnttab_op(GNTTABOP_copy, c, nr);
        t1 = bench_tsc();
        for ( k = 0; k < nr && !rc; k++ )
            if ( c[k].status != GNTST_okay )
            {
                bench_error(metric, "GNTTABOP_copy: op %u status %d", k,
                            c[k].status);
                return;
            }
        if ( rc )
        {
            bench_error(metric, "GNTTABOP_copy: %s", bench_errname(rc));
            return;
        }
        if ( i >= warm )
            bench_samples[i - warm] = t1 - t0;
    }
    for ( k = 0; k < nr; k++ )
        if ( memcmp(src[k], dst[k], PAGE_SIZE) )
        {
            bench_error(metric, "page %u was not copied", k);
            return;
        }
    bench_report(metric, bench_samples, reps);
}

void bench_grant(void)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    unsigned long va = pv_scratch_va(1);
    xen_pfn_t frame = 0;
    unsigned int i;
    long rc;

    set_xen_guest_handle(st.frame_list, &frame);
    rc = gnttab_op(GNTTABOP_setup_table, &st, 1);
    if ( rc == -XEN_ENOSYS )
    {
        for ( i = 0; i < ARRAY_SIZE(metrics); i++ )
            bench_unsupported(metrics[i], "GNTTABOP_setup_table: %s",
                              bench_errname(rc));
        return;
    }
    if ( rc || st.status != GNTST_okay )
    {
        for ( i = 0; i < ARRAY_SIZE(metrics); i++ )
            bench_error(metrics[i], "GNTTABOP_setup_table: %s, status %d",
                        bench_errname(rc), st.status);
        return;
    }
    if ( (rc = pv_map_va(va, frame, _PAGE_PRESENT | _PAGE_RW)) )
    {
        for ( i = 0; i < ARRAY_SIZE(metrics); i++ )
            bench_error(metrics[i], "mapping grant table frame %#lx: %s",
                        frame, bench_errname(rc));
        return;
    }

    map_unmap((struct grant_entry_v1 *)va);
    copy((struct grant_entry_v1 *)va, "grant_copy_4k", 1, bench_reps);
    copy((struct grant_entry_v1 *)va, "grant_copy_64k", NR_COPY,
         bench_reps_div(4));
}
