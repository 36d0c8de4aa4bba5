/*
 * GNTTABOP_copy and GNTTABOP_cache_flush.
 *
 * Copy cases: every source/destination combination (frame or grant
 * reference), with offsets; the whole page; the last byte; length 0;
 * lengths and offsets that cross the page end (GNTST_bad_copy_arg on
 * either side); a read-only grant as source (fine) and as destination; bad
 * references, domains and frames; a frame with a domain that is not us;
 * a batch with mixed results.  The grant's flags are back to plain
 * afterwards (a copy pins only while it runs).
 */
#include "grants.h"

static void fill(char *p, unsigned char seed)
{
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE; i++ )
        p[i] = (char)(seed + i * 7);
}

/* The bytes LEN at DOFF of page_c came from SOFF of page_a; others 0. */
static bool copied(unsigned int soff, unsigned int doff, unsigned int len)
{
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE; i++ )
    {
        char want = (i >= doff && i < doff + len)
                    ? (char)(0x11 + (soff + i - doff) * 7) : 0;

        if ( page_c[i] != want )
        {
            printf("byte %u: %#x, expected %#x\n", i,
                   (unsigned char)page_c[i], (unsigned char)want);
            return false;
        }
    }
    return true;
}

static int16_t copy(bool sref, unsigned int soff, bool dref,
                    unsigned int doff, unsigned int len)
{
    struct gnttab_copy c;

    memset(&c, 0, sizeof(c));
    memset(page_c, 0, PAGE_SIZE);
    if ( sref )
    {
        c.source.u.ref = REF_RW;
        c.flags |= GNTCOPY_source_gref;
    }
    else
        c.source.u.gmfn = mfn_a;
    if ( dref )
    {
        c.dest.u.ref = REF_DST;
        c.flags |= GNTCOPY_dest_gref;
    }
    else
        c.dest.u.gmfn = mfn_c;
    c.source.domid = c.dest.domid = DOMID_SELF;
    c.source.offset = soff;
    c.dest.offset = doff;
    c.len = len;
    c.status = 0x5555;
    if ( !CHECK_RC(0, gop(GNTTABOP_copy, &c, 1)) )
        return 0x5555;
    return c.status;
}

static int16_t copy_op(struct gnttab_copy *c)
{
    c->status = 0x5555;
    if ( !CHECK_RC(0, gop(GNTTABOP_copy, c, 1)) )
        return 0x5555;
    return c->status;
}

void check_copy(void)
{
    struct gnttab_copy c, b[3];
    unsigned int combo;

    fill(page_a, 0x11);
    grant(REF_RW, 0, mfn_a, GTF_permit_access);
    grant(REF_DST, 0, mfn_c, GTF_permit_access);

    for ( combo = 0; combo < 4; combo++ )
    {
        bool s = combo & 1, d = combo & 2;

        printf("copy: source %s, destination %s\n", s ? "gref" : "frame",
               d ? "gref" : "frame");
        CHECK_EQ(GNTST_okay, copy(s, 0, d, 0, 16));
        CHECK(copied(0, 0, 16));
        CHECK_EQ(GNTST_okay, copy(s, 100, d, 200, 300));
        CHECK(copied(100, 200, 300));
        CHECK_EQ(GNTST_okay, copy(s, 0, d, 0, PAGE_SIZE));
        CHECK(copied(0, 0, PAGE_SIZE));
        CHECK_EQ(GNTST_okay, copy(s, 4095, d, 4095, 1));
        CHECK(copied(4095, 4095, 1));
        CHECK_EQ(GNTST_okay, copy(s, 4000, d, 0, 96));
        CHECK(copied(4000, 0, 96));
        CHECK_EQ(GNTST_okay, copy(s, 0, d, 100, 0));
        CHECK(copied(0, 0, 0));
        /* Past the end of a page, on either side. */
        CHECK_EQ(GNTST_bad_copy_arg, copy(s, 4095, d, 0, 2));
        CHECK_EQ(GNTST_bad_copy_arg, copy(s, 0, d, 4095, 2));
        CHECK_EQ(GNTST_bad_copy_arg, copy(s, 1, d, 0, PAGE_SIZE));
        CHECK_EQ(GNTST_bad_copy_arg, copy(s, 0, d, 0, PAGE_SIZE + 1));
        CHECK_EQ(GNTST_bad_copy_arg, copy(s, 0, d, 0, 0xffff));
        CHECK_EQ(GNTST_bad_copy_arg, copy(s, 0xffff, d, 0, 1));
        CHECK_EQ(GNTST_bad_copy_arg, copy(s, 0, d, 0xffff, 1));
        CHECK(copied(0, 0, 0));
        CHECK_EQ(GTF_permit_access, gflags(REF_RW));
        CHECK_EQ(GTF_permit_access, gflags(REF_DST));
    }

    /* A read-only grant: fine as the source, not as the destination. */
    grant(REF_RO, 0, mfn_a, GTF_permit_access | GTF_readonly);
    memset(&c, 0, sizeof(c));
    memset(page_c, 0, PAGE_SIZE);
    c.source.u.ref = REF_RO;
    c.source.domid = DOMID_SELF;
    c.dest.u.gmfn = mfn_c;
    c.dest.domid = DOMID_SELF;
    c.flags = GNTCOPY_source_gref;
    c.len = 64;
    CHECK_EQ(GNTST_okay, copy_op(&c));
    CHECK(copied(0, 0, 64));
    c.flags = GNTCOPY_dest_gref;
    c.source.u.gmfn = mfn_c;
    c.dest.u.ref = REF_RO;
    CHECK_EQ(GNTST_general_error, copy_op(&c));
    CHECK_EQ(GTF_permit_access | GTF_readonly, gflags(REF_RO));
    grant(REF_RO, 0, mfn_b, GTF_permit_access | GTF_readonly);

    /* Bad references, domains and frames. */
    memset(&c, 0, sizeof(c));
    c.source.u.ref = nr_gt_entries;
    c.source.domid = DOMID_SELF;
    c.dest.u.gmfn = mfn_c;
    c.dest.domid = DOMID_SELF;
    c.flags = GNTCOPY_source_gref;
    c.len = 8;
    CHECK_EQ(GNTST_bad_gntref, copy_op(&c));
    c.source.u.ref = REF_INVAL;
    CHECK_EQ(GNTST_general_error, copy_op(&c));
    c.source.u.ref = REF_OTHER;
    CHECK_EQ(GNTST_general_error, copy_op(&c));
    c.source.u.ref = REF_RW;
    c.source.domid = 7;
    CHECK_EQ(GNTST_bad_domain, copy_op(&c));
    c.source.domid = 0;                 /* our own id, by number */
    CHECK_EQ(GNTST_okay, copy_op(&c));
    /*
     * By frame: the domain must be DOMID_SELF (Xen: a domain that does
     * not exist is GNTST_bad_domain, our own id by number
     * GNTST_permission_denied).
     */
    c.flags = 0;
    c.source.u.gmfn = mfn_a;
    c.source.domid = 7;
    CHECK_EQ(GNTST_bad_domain, copy_op(&c));
    c.source.domid = 0;
    CHECK_EQ(GNTST_permission_denied, copy_op(&c));
    c.source.domid = DOMID_SELF;
    c.dest.domid = 7;
    CHECK_EQ(GNTST_bad_domain, copy_op(&c));
    c.dest.domid = 0;
    CHECK_EQ(GNTST_permission_denied, copy_op(&c));
    c.dest.domid = DOMID_SELF;
    c.source.u.gmfn = 0x7ffffffffUL;    /* no such frame */
    CHECK_EQ(GNTST_bad_page, copy_op(&c));
    c.source.u.gmfn = mfn_a;
    c.dest.u.gmfn = 0x7ffffffffUL;
    CHECK_EQ(GNTST_bad_page, copy_op(&c));

    /* A batch: each element has its own status. */
    memset(b, 0, sizeof(b));
    memset(page_c, 0, PAGE_SIZE);
    b[0].source.u.gmfn = mfn_a;
    b[0].source.domid = DOMID_SELF;
    b[0].dest.u.ref = REF_DST;
    b[0].dest.domid = DOMID_SELF;
    b[0].flags = GNTCOPY_dest_gref;
    b[0].len = 32;
    b[1] = b[0];
    b[1].dest.offset = 4090;
    b[2] = b[0];
    b[2].source.offset = 32;
    b[2].dest.offset = 32;
    b[0].status = b[1].status = b[2].status = 0x5555;
    CHECK_RC(0, gop(GNTTABOP_copy, b, 3));
    CHECK_EQ(GNTST_okay, b[0].status);
    CHECK_EQ(GNTST_bad_copy_arg, b[1].status);
    CHECK_EQ(GNTST_okay, b[2].status);
    CHECK(copied(0, 0, 64));
    CHECK_EQ(GTF_permit_access, gflags(REF_RW));
    CHECK_EQ(GTF_permit_access, gflags(REF_DST));
}

static long flush(uint64_t addr, unsigned int off, unsigned int len,
                  uint32_t op)
{
    struct gnttab_cache_flush f;

    memset(&f, 0, sizeof(f));
    f.a.dev_bus_addr = addr;
    f.offset = off;
    f.length = len;
    f.op = op;
    return gop(GNTTABOP_cache_flush, &f, 1);
}

void check_cache_flush(void)
{
    uint64_t a = (uint64_t)mfn_c << 12;

    CHECK_RC(0, flush(a, 0, 64, GNTTAB_CACHE_CLEAN));
    CHECK_RC(0, flush(a, 0, PAGE_SIZE, GNTTAB_CACHE_CLEAN));
    /* Xen on x86: invalidating alone is not supported. */
    CHECK_RC(-XEN_EOPNOTSUPP, flush(a, 0, 64, GNTTAB_CACHE_INVAL));
    CHECK_RC(0, flush(a, 0, 64, GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL));
    CHECK_RC(0, flush(a, 0, 0, GNTTAB_CACHE_CLEAN));
    CHECK_RC(0, flush(a, 0, 64, 0));
    CHECK_RC(-XEN_EINVAL, flush(a, PAGE_SIZE, 0, GNTTAB_CACHE_CLEAN));
    CHECK_RC(-XEN_EINVAL, flush(a, 4000, 100, GNTTAB_CACHE_CLEAN));
    CHECK_RC(-XEN_EINVAL, flush(a, 0, PAGE_SIZE + 1, GNTTAB_CACHE_CLEAN));
    CHECK_RC(-XEN_EINVAL, flush(a, 0, 64, 1u << 5));
    /* Xen: GNTTAB_CACHE_SOURCE_GREF is refused with the unknown bits. */
    CHECK_RC(-XEN_EINVAL, flush(REF_DST, 0, 64,
                                    GNTTAB_CACHE_CLEAN |
                                    GNTTAB_CACHE_SOURCE_GREF));
    /* A frame that is not ours. */
    CHECK_RC(-XEN_EPERM, flush(0, 0, 64, GNTTAB_CACHE_CLEAN));
    CHECK_RC(0, gop(GNTTABOP_cache_flush, NULL, 0));
    CHECK_RC(-XEN_EINVAL, gop(GNTTABOP_cache_flush, NULL, -1));
}
