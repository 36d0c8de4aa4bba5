/*
 * grants: grant tables v1 for a 64-bit PV kernel (dom0 granting pages to
 * itself).
 *
 * Cases:
 *  - query_size, setup_table (growing the table, shrinking is a no-op,
 *    past the maximum, a bad domain, a bad frame list), get_version,
 *    set_version (1 is accepted; 2 switches on Xen, whose default is
 *    max-ver:2, and -ENOSYS means max-ver:1, which Keel reproduces; 0 and
 *    3 -EINVAL), count != 1 for the non-array operations.
 *  - Self-maps with GNTMAP_host_map at a linear address: writable (visible
 *    both ways, GTF_reading|GTF_writing while mapped), a second read-only
 *    map of the same grant, flags cleared only when the last map goes;
 *    GTF_readonly grants: a writable map fails, a GNTMAP_readonly one
 *    maps without RW and a write faults.
 *  - GNTMAP_contains_pte with a PTE's machine address (aligned works,
 *    misaligned or not in an L1 table is GNTST_general_error).
 *  - GNTMAP_device_map: dev_bus_addr, unmap with a wrong dev_bus_addr.
 *  - Unmap with the wrong host address; unmap_and_replace with and
 *    without a new address; bad refs, domains, handles and flags.
 *  - Pinning a frame as an L1 table while it is grant-mapped writable is
 *    refused; read-only it is allowed, and a writable map of a pinned
 *    table fails.
 *  - Copies (copy.c) and cache_flush; transfer, dump_table and unknown
 *    commands; batches of count 0 and negative counts.
 *  - With two or more vCPUs (smp.c): map/unmap, double-unmap and copy
 *    races on the same grants from every vCPU at once.
 *  - No page leak: XENMEM_current_reservation before and after is equal,
 *    and every grant used is back to its plain flags.
 */
#include "grants.h"
#include <pvguest/event.h>

const char test_name[] = "grants";

struct grant_entry_v1 *gt;
char *page_a, *page_b, *page_c;
unsigned long mfn_a, mfn_b, mfn_c;
unsigned int nr_gt_entries;

static unsigned long gt_va, va1, va2, va3, va_unmapped;

long gop(unsigned int cmd, void *op, long count)
{
    return pv_hypercall(__HYPERVISOR_grant_table_op, cmd, (unsigned long)op,
                        (unsigned long)count, 0, 0);
}

uint16_t gflags(unsigned int ref)
{
    return __atomic_load_n(&gt[ref].flags, __ATOMIC_ACQUIRE);
}

void grant(unsigned int ref, domid_t dom, unsigned long mfn, uint16_t flags)
{
    __atomic_store_n(&gt[ref].flags, 0, __ATOMIC_SEQ_CST);
    gt[ref].domid = dom;
    gt[ref].frame = mfn;
    __atomic_store_n(&gt[ref].flags, flags, __ATOMIC_SEQ_CST);
}

static long cur_pages(void)
{
    domid_t dom = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &dom);
}

/* Map REF of domain DOM at ADDR; status returned, handle in *H. */
static int16_t map(uint64_t addr, uint32_t flags, grant_ref_t ref,
                   domid_t dom, grant_handle_t *h, uint64_t *bus)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = addr, .flags = flags, .ref = ref, .dom = dom,
        .status = 0x5555, .handle = 0xdeadbeef,
    };

    if ( !CHECK_RC(0, gop(GNTTABOP_map_grant_ref, &m, 1)) )
        return 0x5555;
    if ( h )
        *h = m.handle;
    if ( bus )
        *bus = m.dev_bus_addr;
    return m.status;
}

static int16_t unmap(uint64_t addr, uint64_t bus, grant_handle_t h)
{
    struct gnttab_unmap_grant_ref u = {
        .host_addr = addr, .dev_bus_addr = bus, .handle = h,
        .status = 0x5555,
    };

    if ( !CHECK_RC(0, gop(GNTTABOP_unmap_grant_ref, &u, 1)) )
        return 0x5555;
    return u.status;
}

static uint64_t pte_frame(unsigned long va)
{
    return (pv_pte_read(va, 1) & 0x000ffffffffff000UL) >> 12;
}

static void check_table(void)
{
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2 };
    xen_pfn_t frames[4] = { 0 }, again[4] = { 0 };

    CHECK_RC(0, gop(GNTTABOP_query_size, &qs, 1));
    CHECK_EQ(GNTST_okay, qs.status);
    printf("query_size: %u of %u frames\n", qs.nr_frames, qs.max_nr_frames);
    CHECK(qs.nr_frames >= 1 && qs.nr_frames <= 2);
    CHECK_EQ(64, qs.max_nr_frames);
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_query_size, &qs, 2));
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_query_size, &qs, 0));
    qs.dom = 7;
    CHECK_RC(0, gop(GNTTABOP_query_size, &qs, 1));
    CHECK_EQ(GNTST_bad_domain, qs.status);
    qs.dom = 0;                         /* our own id */
    CHECK_RC(0, gop(GNTTABOP_query_size, &qs, 1));
    CHECK_EQ(GNTST_okay, qs.status);

    /* Grow to two frames. */
    set_xen_guest_handle(st.frame_list, frames);
    CHECK_RC(0, gop(GNTTABOP_setup_table, &st, 1));
    CHECK_EQ(GNTST_okay, st.status);
    CHECK(frames[0] != 0 && frames[1] != 0 && frames[0] != frames[1]);
    qs.dom = DOMID_SELF;
    CHECK_RC(0, gop(GNTTABOP_query_size, &qs, 1));
    CHECK_EQ(2, qs.nr_frames);
    nr_gt_entries = 2 * PAGE_SIZE / sizeof(struct grant_entry_v1);

    /* Asking for fewer does not shrink; the same frames come back. */
    st.nr_frames = 1;
    set_xen_guest_handle(st.frame_list, again);
    CHECK_RC(0, gop(GNTTABOP_setup_table, &st, 1));
    CHECK_EQ(GNTST_okay, st.status);
    CHECK_EQ(frames[0], again[0]);
    CHECK_EQ(0, again[1]);
    CHECK_RC(0, gop(GNTTABOP_query_size, &qs, 1));
    CHECK_EQ(2, qs.nr_frames);

    /* Past the maximum. */
    st.nr_frames = 65;
    CHECK_RC(0, gop(GNTTABOP_setup_table, &st, 1));
    CHECK_EQ(GNTST_general_error, st.status);
    /* A domain that does not exist. */
    st.nr_frames = 1;
    st.dom = 7;
    CHECK_RC(0, gop(GNTTABOP_setup_table, &st, 1));
    CHECK_EQ(GNTST_bad_domain, st.status);
    st.dom = DOMID_SELF;
    /* count must be 1. */
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_setup_table, &st, 2));
    /* A frame list we cannot write: status, not an error. */
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)va_unmapped);
    CHECK_RC(0, gop(GNTTABOP_setup_table, &st, 1));
    CHECK_EQ(GNTST_bad_virt_addr, st.status);
    /* One in Xen's part of the address space: -EFAULT. */
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)0xffff830000000000UL);
    CHECK_RC(-XEN_EFAULT, gop(GNTTABOP_setup_table, &st, 1));
    CHECK_RC(0, gop(GNTTABOP_query_size, &qs, 1));
    CHECK_EQ(2, qs.nr_frames);

    CHECK_RC(0, pv_map_va(gt_va, frames[0], _PAGE_PRESENT | _PAGE_RW));
    CHECK_RC(0, pv_map_va(gt_va + PAGE_SIZE, frames[1],
                          _PAGE_PRESENT | _PAGE_RW));
    gt = (struct grant_entry_v1 *)gt_va;
}

static void check_version(void)
{
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct gnttab_set_version sv = { .version = 1 };
    long rc;

    CHECK_RC(0, gop(GNTTABOP_get_version, &gv, 1));
    CHECK_EQ(1, gv.version);
    gv.dom = 0;
    CHECK_RC(0, gop(GNTTABOP_get_version, &gv, 1));
    CHECK_EQ(1, gv.version);
    gv.dom = 7;
    CHECK_RC(-XEN_ESRCH, gop(GNTTABOP_get_version, &gv, 1));
    gv.dom = DOMID_SELF;
    /* Xen: get_version and set_version ignore the count. */
    CHECK_RC(0, gop(GNTTABOP_get_version, &gv, 2));
    CHECK_EQ(1, gv.version);

    CHECK_RC(0, gop(GNTTABOP_set_version, &sv, 1));
    CHECK_EQ(1, sv.version);
    sv.version = 0;
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_set_version, &sv, 1));
    CHECK_EQ(1, sv.version);            /* the version in force */
    sv.version = 3;
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_set_version, &sv, 1));
    CHECK_EQ(1, sv.version);
    sv.version = 1;
    CHECK_RC(0, gop(GNTTABOP_set_version, &sv, 2));
    CHECK_EQ(1, sv.version);

    /*
     * Xen 4.17 (default gnttab=max-ver:2): version 2 switches, and back
     * to 1 again.  -ENOSYS with max-ver:1; Keel implements v1 only and
     * answers as that.
     */
    sv.version = 2;
    rc = gop(GNTTABOP_set_version, &sv, 1);
    printf("set_version(2): %ld\n", rc);
    CHECK(rc == 0 || rc == -XEN_ENOSYS);
    if ( rc == 0 )
    {
        CHECK_EQ(2, sv.version);
        CHECK_RC(0, gop(GNTTABOP_get_version, &gv, 1));
        CHECK_EQ(2, gv.version);
        sv.version = 1;
        CHECK_RC(0, gop(GNTTABOP_set_version, &sv, 1));
        CHECK_EQ(1, sv.version);
    }
    else
        CHECK_EQ(1, sv.version);
    CHECK_RC(0, gop(GNTTABOP_get_version, &gv, 1));
    CHECK_EQ(1, gv.version);
}

static void check_host_map(void)
{
    grant_handle_t h, h2;
    uint64_t bus = 0;

    grant(REF_RW, 0, mfn_a, GTF_permit_access);
    memset(page_a, 0x5a, PAGE_SIZE);
    CHECK_EQ(GNTST_okay, map(va1, GNTMAP_host_map, REF_RW, 0, &h, &bus));
    printf("host map: handle %u, dev_bus_addr %#lx (mfn %#lx)\n", h,
           (unsigned long)bus, mfn_a);
    CHECK_EQ(GTF_permit_access | GTF_reading | GTF_writing, gflags(REF_RW));
    CHECK_EQ(mfn_a, pte_frame(va1));
    CHECK(pv_pte_read(va1, 1) & _PAGE_RW);
    CHECK_EQ(0x5a, *(volatile unsigned char *)(va1 + 100));
    *(volatile unsigned char *)(va1 + 5) = 0x77;
    CHECK_EQ(0x77, ((volatile char *)page_a)[5]);
    ((volatile char *)page_a)[6] = 0x66;
    CHECK_EQ(0x66, *(volatile unsigned char *)(va1 + 6));

    /* A second, read-only map of the same grant. */
    CHECK_EQ(GNTST_okay, map(va2, GNTMAP_host_map | GNTMAP_readonly, REF_RW,
                             0, &h2, NULL));
    CHECK(h2 != h);
    CHECK_EQ(mfn_a, pte_frame(va2));
    CHECK(!(pv_pte_read(va2, 1) & _PAGE_RW));
    CHECK_EQ(0x77, *(volatile unsigned char *)(va2 + 5));
    /* GTF_writing goes with the last writable map, GTF_reading last. */
    CHECK_EQ(GNTST_okay, unmap(va1, 0, h));
    CHECK_EQ(0, pv_pte_read(va1, 1));
    CHECK_EQ(GTF_permit_access | GTF_reading, gflags(REF_RW));
    CHECK_EQ(GNTST_okay, unmap(va2, 0, h2));
    CHECK_EQ(0, pv_pte_read(va2, 1));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    /* The handles are gone. */
    CHECK_EQ(GNTST_bad_handle, unmap(va1, 0, h));
    CHECK_EQ(GNTST_bad_handle, unmap(va2, 0, h2));
    CHECK_EQ(GNTST_bad_handle, unmap(va1, 0, 0xffff));
    CHECK_EQ(GNTST_bad_handle, unmap(va1, 0, 0xffffffff));

    /* A read-only grant. */
    grant(REF_RO, 0, mfn_b, GTF_permit_access | GTF_readonly);
    memset(page_b, 0x3c, PAGE_SIZE);
    CHECK_EQ(GNTST_general_error, map(va1, GNTMAP_host_map, REF_RO, 0, &h,
                                      NULL));
    CHECK_EQ(GTF_permit_access | GTF_readonly, gflags(REF_RO));
    CHECK_EQ(0, pv_pte_read(va1, 1));
    CHECK_EQ(GNTST_okay, map(va1, GNTMAP_host_map | GNTMAP_readonly, REF_RO,
                             0, &h, NULL));
    CHECK_EQ(GTF_permit_access | GTF_readonly | GTF_reading, gflags(REF_RO));
    CHECK_EQ(mfn_b, pte_frame(va1));
    CHECK(!(pv_pte_read(va1, 1) & _PAGE_RW));
    CHECK_EQ(0x3c, *(volatile unsigned char *)va1);
    PV_TRY("movb $1, (%0)", : : "r" (va1) : "memory");
    CHECK_EQ(14, pv_last_fault.vector);
    CHECK_EQ(0x3c, ((volatile char *)page_b)[0]);
    CHECK_EQ(GNTST_okay, unmap(va1, 0, h));
    CHECK_EQ(GTF_permit_access | GTF_readonly, gflags(REF_RO));
}

static void check_contains_pte(void)
{
    uint64_t pte = pv_pte_maddr(va2, 1);
    grant_handle_t h;

    CHECK_EQ(0, pv_pte_read(va2, 1));
    CHECK_EQ(GNTST_okay, map(pte, GNTMAP_host_map | GNTMAP_contains_pte,
                             REF_RW, 0, &h, NULL));
    CHECK_EQ(GTF_permit_access | GTF_reading | GTF_writing, gflags(REF_RW));
    CHECK_EQ(mfn_a, pte_frame(va2));
    CHECK(pv_pte_read(va2, 1) & _PAGE_RW);
    *(volatile unsigned char *)(va2 + 7) = 0x42;
    CHECK_EQ(0x42, ((volatile char *)page_a)[7]);
    CHECK_EQ(GNTST_okay, unmap(pte, 0, h));
    CHECK_EQ(0, pv_pte_read(va2, 1));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));

    /* Read-only through a PTE. */
    CHECK_EQ(GNTST_okay, map(pte, GNTMAP_host_map | GNTMAP_contains_pte |
                                  GNTMAP_readonly, REF_RW, 0, &h, NULL));
    CHECK_EQ(GTF_permit_access | GTF_reading, gflags(REF_RW));
    CHECK(!(pv_pte_read(va2, 1) & _PAGE_RW));
    CHECK_EQ(GNTST_okay, unmap(pte, 0, h));
    CHECK_EQ(0, pv_pte_read(va2, 1));

    /* Misaligned, and a frame that is not an L1 table. */
    CHECK_EQ(GNTST_general_error,
             map(pte + 3, GNTMAP_host_map | GNTMAP_contains_pte, REF_RW, 0,
                 &h, NULL));
    CHECK_EQ(GNTST_general_error,
             map(pte + 4, GNTMAP_host_map | GNTMAP_contains_pte |
                          GNTMAP_readonly, REF_RW, 0, &h, NULL));
    CHECK_EQ(GNTST_general_error,
             map((uint64_t)mfn_c << 12, GNTMAP_host_map | GNTMAP_contains_pte,
                 REF_RW, 0, &h, NULL));
    CHECK_EQ(0, pv_pte_read(va2, 1));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
}

static void check_device_map(void)
{
    grant_handle_t h;
    uint64_t bus = 0;

    CHECK_EQ(GNTST_okay, map(0, GNTMAP_device_map, REF_RW, 0, &h, &bus));
    CHECK_EQ((uint64_t)mfn_a << 12, bus);
    CHECK_EQ(GTF_permit_access | GTF_reading | GTF_writing, gflags(REF_RW));
    CHECK_EQ(GNTST_bad_dev_addr, unmap(0, (uint64_t)mfn_c << 12, h));
    CHECK_EQ(GTF_permit_access | GTF_reading | GTF_writing, gflags(REF_RW));
    CHECK_EQ(GNTST_okay, unmap(0, bus, h));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));

    CHECK_EQ(GNTST_okay, map(0, GNTMAP_device_map | GNTMAP_readonly, REF_RO,
                             0, &h, &bus));
    CHECK_EQ((uint64_t)mfn_b << 12, bus);
    CHECK_EQ(GTF_permit_access | GTF_readonly | GTF_reading, gflags(REF_RO));
    /*
     * Xen: a device map is only undone when dev_bus_addr is given; with 0
     * the unmap is GNTST_okay and does nothing.
     */
    CHECK_EQ(GNTST_okay, unmap(0, 0, h));
    CHECK_EQ(GTF_permit_access | GTF_readonly | GTF_reading, gflags(REF_RO));
    CHECK_EQ(GNTST_okay, unmap(0, bus, h));
    CHECK_EQ(GTF_permit_access | GTF_readonly, gflags(REF_RO));
    CHECK_EQ(GNTST_bad_handle, unmap(0, bus, h));
    CHECK_EQ(GNTST_general_error,
             map(0, GNTMAP_device_map, REF_RO, 0, &h, &bus));

    /* Host and device map at once: one handle, one unmap. */
    CHECK_EQ(GNTST_okay, map(va1, GNTMAP_device_map | GNTMAP_host_map,
                             REF_RW, 0, &h, &bus));
    CHECK_EQ((uint64_t)mfn_a << 12, bus);
    CHECK_EQ(mfn_a, pte_frame(va1));
    CHECK_EQ(GNTST_okay, unmap(va1, bus, h));
    CHECK_EQ(0, pv_pte_read(va1, 1));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
}

static void check_wrong_unmap(void)
{
    grant_handle_t h;
    struct gnttab_unmap_and_replace r;

    /* Unmap naming an address the grant is not mapped at. */
    CHECK_EQ(GNTST_okay, map(va1, GNTMAP_host_map, REF_RW, 0, &h, NULL));
    CHECK_EQ(GNTST_general_error, unmap(va2, 0, h));
    CHECK_EQ(mfn_a, pte_frame(va1));
    CHECK_EQ(GTF_permit_access | GTF_reading | GTF_writing, gflags(REF_RW));
    CHECK_EQ(GNTST_okay, unmap(va1, 0, h));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));

    /* unmap_and_replace: va1 takes va3's mapping, va3 is cleared. */
    CHECK_EQ(GNTST_okay, map(va1, GNTMAP_host_map, REF_RW, 0, &h, NULL));
    CHECK_RC(0, pv_map_va(va3, mfn_c, _PAGE_PRESENT | _PAGE_RW));
    memset(&r, 0, sizeof(r));
    r.host_addr = va1;
    r.new_addr = va3;
    r.handle = h;
    r.status = 0x5555;
    CHECK_RC(0, gop(GNTTABOP_unmap_and_replace, &r, 1));
    CHECK_EQ(GNTST_okay, r.status);
    CHECK_EQ(mfn_c, pte_frame(va1));
    CHECK_EQ(0, pv_pte_read(va3, 1));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    CHECK_RC(0, pv_unmap_va(va1));
    /* The handle is gone. */
    r.status = 0x5555;
    CHECK_RC(0, gop(GNTTABOP_unmap_and_replace, &r, 1));
    CHECK_EQ(GNTST_bad_handle, r.status);

    /* Without a new address: just cleared. */
    CHECK_EQ(GNTST_okay, map(va1, GNTMAP_host_map, REF_RW, 0, &h, NULL));
    r.new_addr = 0;
    r.handle = h;
    CHECK_RC(0, gop(GNTTABOP_unmap_and_replace, &r, 1));
    CHECK_EQ(GNTST_okay, r.status);
    CHECK_EQ(0, pv_pte_read(va1, 1));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
}

/*
 * Xen 4.17 implements GNTTABOP_transfer for PV guests: count 0 is 0, and
 * a frame that does not exist is GNTST_bad_page (nothing is given away).
 * Keel leaves transfer out on purpose and answers -ENOSYS.
 */
static void check_transfer(void)
{
    struct gnttab_transfer t;
    long rc;

    rc = gop(GNTTABOP_transfer, &t, 0);
    printf("transfer (count 0): %ld\n", rc);
    CHECK(rc == 0 || rc == -XEN_ENOSYS);
    if ( rc )
        return;
    memset(&t, 0, sizeof(t));
    t.mfn = 0x7ffffffffUL;
    t.domid = 0;
    t.ref = REF_DST;
    t.status = 0x5555;
    CHECK_RC(0, gop(GNTTABOP_transfer, &t, 1));
    CHECK_EQ(GNTST_bad_page, t.status);
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_transfer, &t, -1));
}

static void check_bad_args(void)
{
    struct gnttab_map_grant_ref m[3];
    grant_handle_t h;

    CHECK_EQ(GNTST_bad_gntref, map(va1, GNTMAP_host_map, nr_gt_entries, 0,
                                   &h, NULL));
    CHECK_EQ(GNTST_bad_gntref, map(va1, GNTMAP_host_map, 0xffffffff, 0, &h,
                                   NULL));
    CHECK_EQ(GNTST_bad_domain, map(va1, GNTMAP_host_map, REF_RW, 7, &h,
                                   NULL));
    CHECK_EQ(GNTST_bad_domain, map(va1, GNTMAP_host_map, REF_RW, DOMID_IO,
                                   &h, NULL));
    /* Neither host nor device map. */
    CHECK_EQ(GNTST_bad_gntref, map(va1, 0, REF_RW, 0, &h, NULL));
    CHECK_EQ(GNTST_bad_gntref, map(va1, GNTMAP_readonly, REF_RW, 0, &h,
                                   NULL));
    /* Not a valid grant, or granted to another domain. */
    grant(REF_INVAL, 0, mfn_a, GTF_invalid);
    CHECK_EQ(GNTST_general_error, map(va1, GNTMAP_host_map, REF_INVAL, 0,
                                      &h, NULL));
    grant(REF_OTHER, 5, mfn_a, GTF_permit_access);
    CHECK_EQ(GNTST_general_error, map(va1, GNTMAP_host_map, REF_OTHER, 0,
                                      &h, NULL));
    CHECK_EQ(GTF_permit_access, gflags(REF_OTHER));
    CHECK_EQ(GTF_invalid, gflags(REF_INVAL));
    CHECK_EQ(0, pv_pte_read(va1, 1));

    /* A batch: each element has its own status. */
    memset(m, 0, sizeof(m));
    m[0].host_addr = va1;
    m[0].flags = GNTMAP_host_map;
    m[0].ref = REF_RW;
    m[1] = m[0];
    m[1].dom = 7;
    m[2] = m[0];
    m[2].host_addr = va2;
    m[2].flags |= GNTMAP_readonly;
    CHECK_RC(0, gop(GNTTABOP_map_grant_ref, m, 3));
    CHECK_EQ(GNTST_okay, m[0].status);
    CHECK_EQ(GNTST_bad_domain, m[1].status);
    CHECK_EQ(GNTST_okay, m[2].status);
    CHECK_EQ(GNTST_okay, unmap(va1, 0, m[0].handle));
    CHECK_EQ(GNTST_okay, unmap(va2, 0, m[2].handle));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));

    /* Counts: 0 does nothing, negative is -EINVAL. */
    CHECK_RC(0, gop(GNTTABOP_map_grant_ref, m, 0));
    CHECK_RC(0, gop(GNTTABOP_unmap_grant_ref, m, 0));
    CHECK_RC(0, gop(GNTTABOP_unmap_and_replace, m, 0));
    CHECK_RC(0, gop(GNTTABOP_copy, m, 0));
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_map_grant_ref, m, -1));
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_unmap_grant_ref, m, -1));
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_copy, m, 0x80000000UL));
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_query_size, m, -1));
    /* An argument array we cannot read. */
    CHECK_RC(-XEN_EFAULT, gop(GNTTABOP_map_grant_ref, (void *)va_unmapped,
                              1));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    CHECK_EQ(0, pv_pte_read(va1, 1));
    /* Gone, or never there. */
    check_transfer();
    CHECK_RC(-XEN_ENOSYS, gop(GNTTABOP_dump_table, m, 1));
    CHECK_RC(-XEN_ENOSYS, gop(13, m, 1));
    CHECK_RC(-XEN_ENOSYS, gop(1000, m, 1));
}

static void check_pin(void)
{
    grant_handle_t h, h2;

    /* An empty L1 in page_a, with no writable mapping of our own left. */
    memset(page_a, 0, PAGE_SIZE);
    CHECK_RC(0, pv_set_page_ro(page_a));
    CHECK_EQ(GNTST_okay, map(va1, GNTMAP_host_map, REF_RW, 0, &h, NULL));
    CHECK_RC(-XEN_EINVAL, pv_pin(MMUEXT_PIN_L1_TABLE, mfn_a));
    CHECK_EQ(GNTST_okay, unmap(va1, 0, h));
    /* Mapped read-only it may become a page table ... */
    CHECK_EQ(GNTST_okay, map(va1, GNTMAP_host_map | GNTMAP_readonly, REF_RW,
                             0, &h, NULL));
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L1_TABLE, mfn_a));
    /* ... and then no writable map of it is possible. */
    CHECK_EQ(GNTST_general_error, map(va2, GNTMAP_host_map, REF_RW, 0, &h2,
                                      NULL));
    CHECK_EQ(0, pv_pte_read(va2, 1));
    CHECK_EQ(GNTST_general_error, map(0, GNTMAP_device_map, REF_RW, 0, &h2,
                                      NULL));
    CHECK_EQ(GTF_permit_access | GTF_reading, gflags(REF_RW));
    CHECK_RC(0, pv_unpin(mfn_a));
    CHECK_EQ(GNTST_okay, unmap(va1, 0, h));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    CHECK_RC(0, pv_set_page_rw(page_a));
}

void test_main(void)
{
    long before, after;
    unsigned long host_before, host_after;

    gt_va = pv_scratch_va(0);           /* and 1: two table frames */
    va1 = pv_scratch_va(2);
    va2 = pv_scratch_va(3);
    va3 = pv_scratch_va(4);
    va_unmapped = 0x100000000000UL;     /* nothing in the lower half */
    page_a = pv_alloc_page();
    page_b = pv_alloc_page();
    page_c = pv_alloc_page();
    if ( !page_a || !page_b || !page_c )
        test_abort("no free pages");
    mfn_a = virt_to_mfn(page_a);
    mfn_b = virt_to_mfn(page_b);
    mfn_c = virt_to_mfn(page_c);
    before = cur_pages();
    CHECK(before > 0);

    check_version();
    check_table();
    check_host_map();
    /*
     * The host's free memory from here on must come back exactly: the
     * table and the maptrack frame first use allocates are in place.
     */
    host_before = pv_host_free_pages();
    check_contains_pte();
    check_device_map();
    check_wrong_unmap();
    check_bad_args();
    check_pin();
    check_copy();
    check_cache_flush();
    check_smp();

    /* Nothing left pinned; no page gained or lost. */
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    CHECK_EQ(GTF_permit_access | GTF_readonly, gflags(REF_RO));
    CHECK_EQ(GTF_permit_access, gflags(REF_DST));
    after = cur_pages();
    CHECK_EQ(before, after);
    printf("current_reservation %ld before, %ld after\n", before, after);
    host_after = pv_host_free_pages();
    printf("host free pages %lu before, %lu after\n", host_before,
           host_after);
    if ( pv_on_keel() )
        CHECK_EQ(host_before, host_after);
    else
    {
        /* Xen: maptrack frames are per vCPU, so the races on the other
         * vCPUs may each take one for good; nothing else may go. */
        CHECK(host_after <= host_before &&
              host_before - host_after <= pv_nr_vcpus());
    }
}
