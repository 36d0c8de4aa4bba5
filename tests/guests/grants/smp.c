/*
 * grants, several vCPUs: the same grant references mapped, unmapped and
 * copied from every vCPU at once (all self-grants, as the rest of the
 * kernel).  Runs after the single-vCPU cases with every secondary brought
 * up by the runtime (<pvguest/smp.h>); with one vCPU it SKIPs.
 *
 * Cases:
 *  - map/unmap race: every vCPU maps REF_RW (page_a) at a host address of
 *    its own and unmaps it, NR_ROUNDS times, writable and read-only in
 *    turn, all at once: every map and unmap GNTST_okay, the mapping shows
 *    page_a's frame and bytes, writes through it land in page_a; the
 *    grant's flags carry GTF_reading (and GTF_writing) while anyone maps.
 *    Afterwards: the flags are plain GTF_permit_access, no PTE is left,
 *    every handle that was handed out is released (unmap says
 *    GNTST_bad_handle), the frame is still ours and intact (each vCPU's
 *    bytes, nothing else changed; XENMEM_current_reservation as before),
 *    and no writable reference is left on it: made read-only it pins as an
 *    L1 table (Xen refuses that while a writable mapping exists).
 *  - double unmap: one vCPU maps, two unmap the same handle at once:
 *    exactly one GNTST_okay and one GNTST_bad_handle (Xen: the second
 *    finds the handle's flags gone under the active entry lock).
 *  - copy race: half the vCPUs copy from REF_RW (GNTCOPY_source_gref) into
 *    a grant of their own (GNTCOPY_dest_gref) while the others map and
 *    unmap REF_RW, then the other way round: every copy GNTST_okay with
 *    the right bytes, every map too, and every flag plain afterwards.
 */
#include "grants.h"
#include <pvguest/smp.h>

#define NR_ROUNDS       100
#define REF_SMP(v)      (20 + (v))      /* each vCPU's copy destination */
#define STAMP_OFF       2048            /* page_a bytes nobody writes */
#define STAMP_LEN       1024

static unsigned int nr;
static unsigned long race_va[PV_SMP_MAX];
static char *dst_page[PV_SMP_MAX];
static struct pv_smp_barrier bar;

struct race_stat {
    unsigned long maps, bad_map, bad_unmap, bad_pte, bad_read, bad_write;
    unsigned long copies, bad_copy, bad_bytes;
    unsigned int nr_handles;
    grant_handle_t handles[NR_ROUNDS];
};

static struct race_stat stat[PV_SMP_MAX];

static void __printf(2, 3) result_line(unsigned int fails, const char *fmt,
                                       ...)
{
    char name[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    if ( fails == test_nr_fail )
        test_pass(name);
    else
        test_fail(name, "see above");
}

static int16_t do_map(uint64_t addr, uint32_t flags, grant_ref_t ref,
                      grant_handle_t *h)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = addr, .flags = flags, .ref = ref, .dom = 0,
        .status = 0x5555, .handle = 0xdeadbeef,
    };

    *h = 0xffffffff;
    if ( gop(GNTTABOP_map_grant_ref, &m, 1) )
        return 0x5555;
    *h = m.handle;
    return m.status;
}

static int16_t do_unmap(uint64_t addr, grant_handle_t h)
{
    struct gnttab_unmap_grant_ref u = {
        .host_addr = addr, .handle = h, .status = 0x5555,
    };

    if ( gop(GNTTABOP_unmap_grant_ref, &u, 1) )
        return 0x5555;
    return u.status;
}

static uint64_t pte_frame(unsigned long va)
{
    return (pv_pte_read(va, 1) & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

/* One map, a look through it, one unmap. */
static void map_once(struct race_stat *st, unsigned int me, unsigned int i)
{
    unsigned long va = race_va[me];
    bool ro = (me + i) & 1;
    volatile unsigned char *p = (volatile unsigned char *)va;
    grant_handle_t h;
    unsigned int off = 64 * me + i % 64;

    if ( do_map(va, GNTMAP_host_map | (ro ? GNTMAP_readonly : 0), REF_RW,
                &h) != GNTST_okay )
    {
        st->bad_map++;
        return;
    }
    st->maps++;
    if ( st->nr_handles < NR_ROUNDS )
        st->handles[st->nr_handles++] = h;
    if ( pte_frame(va) != mfn_a || !(gflags(REF_RW) & GTF_reading) ||
         (!ro && !(gflags(REF_RW) & GTF_writing)) )
        st->bad_pte++;
    if ( p[STAMP_OFF + i % STAMP_LEN] !=
         (unsigned char)(STAMP_OFF + i % STAMP_LEN) )
        st->bad_read++;
    if ( !ro )
    {
        p[off] = (unsigned char)(me + i);
        if ( ((volatile char *)page_a)[off] != (char)(me + i) )
            st->bad_write++;
    }
    if ( do_unmap(va, h) != GNTST_okay )
        st->bad_unmap++;
    else if ( pv_pte_read(va, 1) )
        st->bad_pte++;
}

static long race_maps(void *arg)
{
    unsigned int me = pv_smp_id(), i;
    struct race_stat *st = &stat[me];

    pv_smp_barrier_wait(&bar, nr);
    for ( i = 0; i < NR_ROUNDS; i++ )
        map_once(st, me, i);
    return 0;
}

static void check_map_race(void)
{
    unsigned int t, i, bad, f = test_nr_fail;
    unsigned long maps = 0;
    grant_handle_t h;

    for ( i = 0; i < PAGE_SIZE; i++ )
        page_a[i] = (char)i;
    grant(REF_RW, 0, mfn_a, GTF_permit_access);
    memset(stat, 0, sizeof(stat));
    pv_smp_call_all(race_maps, NULL, NULL);
    for ( t = 0; t < nr; t++ )
    {
        struct race_stat *st = &stat[t];

        maps += st->maps;
        if ( !CHECK_EQ(0, st->bad_map + st->bad_unmap + st->bad_pte +
                          st->bad_read + st->bad_write) )
            printf("  vCPU %u: %lu maps, failed: map %lu unmap %lu pte %lu "
                   "read %lu write %lu\n", t, st->maps, st->bad_map,
                   st->bad_unmap, st->bad_pte, st->bad_read, st->bad_write);
        CHECK_EQ(NR_ROUNDS, st->maps);
        CHECK_EQ(0, pv_pte_read(race_va[t], 1));
    }
    printf("map race: %lu maps and unmaps of one grant from %u vCPUs\n",
           maps, nr);

    /* Afterwards: flags plain, handles released, the frame ours and whole. */
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    for ( t = 0; t < nr; t++ )
    {
        bad = 0;
        for ( i = 0; i < stat[t].nr_handles; i++ )
            if ( do_unmap(race_va[0], stat[t].handles[i]) !=
                 GNTST_bad_handle )
                bad++;
        CHECK_EQ(0, bad);
    }
    for ( i = 0, bad = 0; i < PAGE_SIZE; i++ )
    {
        unsigned int owner = i / 64, k = i % 64;
        bool written = owner < nr && k < NR_ROUNDS;
        char want = (char)i;

        /* Each vCPU's last writable round that hit byte k of its slot. */
        if ( written )
        {
            int r;

            for ( r = NR_ROUNDS - 1; r >= 0; r-- )
                if ( (unsigned int)r % 64 == k && !((owner + r) & 1) )
                    break;
            if ( r >= 0 )
                want = (char)(owner + r);
        }
        if ( page_a[i] != want )
            bad++;
    }
    CHECK_EQ(0, bad);
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    /* No writable reference left: it can become a page table. */
    memset(page_a, 0, PAGE_SIZE);
    CHECK_RC(0, pv_set_page_ro(page_a));
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L1_TABLE, mfn_a));
    CHECK_RC(0, pv_unpin(mfn_a));
    CHECK_RC(0, pv_set_page_rw(page_a));
    /* And maps as before. */
    CHECK_EQ(GNTST_okay, do_map(race_va[0], GNTMAP_host_map, REF_RW, &h));
    CHECK_EQ(mfn_a, pte_frame(race_va[0]));
    CHECK_EQ(GNTST_okay, do_unmap(race_va[0], h));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    result_line(f, "map/unmap race on one grant from %u vCPUs (%u rounds "
                "each): all okay, flags plain, handles released, frame "
                "intact and free of writable references", nr, NR_ROUNDS);
}

/* ---- double unmap ------------------------------------------------------ */

static struct {
    grant_handle_t h;
    int16_t status[PV_SMP_MAX];
} dbl;

static long unmap_same(void *arg)
{
    unsigned int me = pv_smp_id();

    pv_smp_barrier_wait(&bar, 2);
    dbl.status[me] = do_unmap(race_va[0], dbl.h);
    return 0;
}

static void check_double_unmap(void)
{
    unsigned int round, bad = 0, f = test_nr_fail;

    for ( round = 0; round < 50; round++ )
    {
        if ( !CHECK_EQ(GNTST_okay, do_map(race_va[0], GNTMAP_host_map,
                                          REF_RW, &dbl.h)) )
            break;
        pv_smp_post(1, unmap_same, NULL);
        unmap_same(NULL);
        if ( !pv_smp_wait(1, 0, NULL) )
            test_abort("vCPU 1: no answer");
        if ( !((dbl.status[0] == GNTST_okay &&
                dbl.status[1] == GNTST_bad_handle) ||
               (dbl.status[1] == GNTST_okay &&
                dbl.status[0] == GNTST_bad_handle)) )
        {
            if ( !bad )
                printf("  round %u: unmap statuses %d and %d\n", round,
                       dbl.status[0], dbl.status[1]);
            bad++;
        }
        if ( pv_pte_read(race_va[0], 1) )
            bad++;
    }
    CHECK_EQ(0, bad);
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    result_line(f, "double unmap of one handle from two vCPUs at once: one "
                "GNTST_okay, one GNTST_bad_handle");
}

/* ---- copy race --------------------------------------------------------- */

static long race_copy(void *arg)
{
    unsigned int me = pv_smp_id(), i, copiers = (unsigned long)arg;
    struct race_stat *st = &stat[me];
    struct gnttab_copy c;

    pv_smp_barrier_wait(&bar, nr);
    if ( (me & 1) != copiers )
    {
        for ( i = 0; i < NR_ROUNDS; i++ )
            map_once(st, me, i);
        return 0;
    }
    for ( i = 0; i < NR_ROUNDS; i++ )
    {
        unsigned int off = STAMP_OFF + (i * 7) % (STAMP_LEN - 64);

        memset(&c, 0, sizeof(c));
        c.source.u.ref = REF_RW;
        c.source.domid = DOMID_SELF;
        c.source.offset = off;
        c.dest.u.ref = REF_SMP(me);
        c.dest.domid = DOMID_SELF;
        c.dest.offset = i % 64;
        c.flags = GNTCOPY_source_gref | GNTCOPY_dest_gref;
        c.len = 64;
        c.status = 0x5555;
        if ( gop(GNTTABOP_copy, &c, 1) || c.status != GNTST_okay )
        {
            st->bad_copy++;
            continue;
        }
        st->copies++;
        if ( memcmp(dst_page[me] + i % 64, page_a + off, 64) )
            st->bad_bytes++;
    }
    return 0;
}

static void check_copy_race(void)
{
    unsigned int t, copiers, f = test_nr_fail;

    for ( t = 0; t < PAGE_SIZE; t++ )
        page_a[t] = (char)t;
    for ( t = 0; t < nr; t++ )
        grant(REF_SMP(t), 0, virt_to_mfn(dst_page[t]), GTF_permit_access);
    for ( copiers = 0; copiers < 2; copiers++ )
    {
        memset(stat, 0, sizeof(stat));
        pv_smp_call_all(race_copy, (void *)(unsigned long)copiers, NULL);
        for ( t = 0; t < nr; t++ )
        {
            struct race_stat *st = &stat[t];

            if ( !CHECK_EQ(0, st->bad_map + st->bad_unmap + st->bad_pte +
                              st->bad_read + st->bad_write + st->bad_copy +
                              st->bad_bytes) )
                printf("  vCPU %u: %lu maps, %lu copies; failed: map %lu "
                       "unmap %lu pte %lu read %lu write %lu copy %lu bytes "
                       "%lu\n", t, st->maps, st->copies, st->bad_map,
                       st->bad_unmap, st->bad_pte, st->bad_read,
                       st->bad_write, st->bad_copy, st->bad_bytes);
            CHECK_EQ(NR_ROUNDS, st->maps + st->copies);
            CHECK_EQ(GTF_permit_access, gflags(REF_SMP(t)));
        }
        CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    }
    for ( t = 0; t < nr; t++ )
        grant(REF_SMP(t), 0, 0, 0);
    result_line(f, "copy race: copies out of one grant into grants of their "
                "own on some vCPUs while the others map and unmap it");
}

void check_smp(void)
{
    unsigned int t;

    if ( pv_nr_vcpus() < 2 )
    {
        test_skip("grants on several vCPUs", "the domain has one vCPU (boot "
                  "with 2 or more CPUs)");
        return;
    }
    nr = pv_smp_init();
    printf("grants: %u vCPUs online\n", nr);
    if ( nr < 2 )
        return;
    /* A host address for each: a page of ours, unmapped for the maps. */
    for ( t = 0; t < nr; t++ )
    {
        void *p = pv_alloc_page();

        dst_page[t] = pv_alloc_page();
        if ( !p || !dst_page[t] )
            test_abort("no free pages for %u vCPUs", nr);
        race_va[t] = (unsigned long)p;
        CHECK_RC(0, pv_unmap_va(race_va[t]));
    }
    check_map_race();
    check_double_unmap();
    check_copy_race();
    grant(REF_RW, 0, mfn_a, GTF_permit_access);
}
