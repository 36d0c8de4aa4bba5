/*
 * Grant tables for a PV kernel (v1 entries, public/grant_table.h): our
 * own table, to let other domains map our frames, and mapping the frames
 * other domains grant us.
 *
 * Our table: GNTTABOP_setup_table returns the machine frames of its first
 * PV_GNTTAB_FRAMES frames, which we map writable at windows of our own
 * boot mapping (pv_foreign_window()).  Entries below
 * GNTTAB_NR_RESERVED_ENTRIES belong to the toolstack (console, xenstore)
 * and are never handed out.  An entry is free when we hold no grant in it
 * (our bitmap) and its flags are 0.
 *
 * The order the ABI asks for: to grant, domid and frame are written
 * first, then (after a write barrier) the flags that make the entry
 * valid; to end access, the flags go back to 0 with a compare-exchange
 * that fails if the hypervisor set GTF_reading or GTF_writing meanwhile
 * (the grantee has it mapped, or a copy is running): the grant then stays.
 *
 * Mapping another domain's grant is GNTTABOP_map_grant_ref with
 * GNTMAP_host_map at a linear address; the hypervisor checks the grant.
 * Every call reports the hypercall's result and the operation's status
 * separately (see <pvguest/domu.h>).  vCPU 0 only: no locking.
 */
#include <pvguest/domu.h>

#define ENTRIES_PER_FRAME   (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define NR_ENTRIES          (PV_GNTTAB_FRAMES * ENTRIES_PER_FRAME)

static struct grant_entry_v1 *table[PV_GNTTAB_FRAMES];
static unsigned long held[NR_ENTRIES / 64];

/* 0, 1 (status not okay), or the hypercall's -errno. */
static long report(long rc, int16_t st, int16_t *status)
{
    if ( status )
        *status = rc ? GNTST_general_error : st;
    if ( rc )
        return rc;
    return st == GNTST_okay ? 0 : 1;
}

static struct grant_entry_v1 *entry(grant_ref_t ref)
{
    return &table[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

long pv_gnttab_init(int16_t *status)
{
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = PV_GNTTAB_FRAMES,
    };
    xen_pfn_t frames[PV_GNTTAB_FRAMES];
    unsigned int i;
    long rc;

    if ( table[0] )
        return report(0, GNTST_okay, status);
    set_xen_guest_handle(st.frame_list, frames);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
    if ( rc || st.status != GNTST_okay )
        return report(rc, st.status, status);
    for ( i = 0; i < PV_GNTTAB_FRAMES; i++ )
    {
        void *win = pv_foreign_window();

        if ( !win )
            return report(-XEN_ENOMEM, GNTST_okay, status);
        if ( (rc = pv_map_va((unsigned long)win, frames[i],
                             _PAGE_PRESENT | _PAGE_RW)) != 0 )
            return report(rc, GNTST_okay, status);
        table[i] = win;
    }
    return report(0, GNTST_okay, status);
}

long pv_gnttab_grant(domid_t dom, unsigned long mfn, bool readonly,
                     grant_ref_t *ref)
{
    grant_ref_t r;

    if ( !table[PV_GNTTAB_FRAMES - 1] )
        return -XEN_ENODEV;
    if ( mfn > UINT32_MAX )
        return -XEN_EINVAL;             /* a v1 entry holds 32 bits */
    for ( r = GNTTAB_NR_RESERVED_ENTRIES; r < NR_ENTRIES; r++ )
    {
        struct grant_entry_v1 *e = entry(r);

        if ( (held[r / 64] >> (r % 64)) & 1 ||
             __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) )
            continue;
        held[r / 64] |= 1UL << (r % 64);
        e->domid = dom;
        e->frame = (uint32_t)mfn;
        __atomic_thread_fence(__ATOMIC_RELEASE);        /* then valid */
        __atomic_store_n(&e->flags, GTF_permit_access |
                         (readonly ? GTF_readonly : 0), __ATOMIC_RELEASE);
        *ref = r;
        return 0;
    }
    return -XEN_ENOSPC;
}

uint16_t pv_gnttab_flags(grant_ref_t ref)
{
    if ( ref >= NR_ENTRIES || !table[PV_GNTTAB_FRAMES - 1] )
        return 0;
    return __atomic_load_n(&entry(ref)->flags, __ATOMIC_ACQUIRE);
}

long pv_gnttab_end(grant_ref_t ref)
{
    struct grant_entry_v1 *e;
    uint16_t flags;

    if ( ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= NR_ENTRIES ||
         !((held[ref / 64] >> (ref % 64)) & 1) )
        return -XEN_EINVAL;
    e = entry(ref);
    flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
    do {
        if ( flags & (GTF_reading | GTF_writing) )
            return -XEN_EBUSY;
    } while ( !__atomic_compare_exchange_n(&e->flags, &flags, 0, false,
                                           __ATOMIC_SEQ_CST,
                                           __ATOMIC_SEQ_CST) );
    held[ref / 64] &= ~(1UL << (ref % 64));
    return 0;
}

long pv_gnttab_map(unsigned long va, domid_t dom, grant_ref_t ref,
                   bool readonly, grant_handle_t *handle, int16_t *status)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = va, .ref = ref, .dom = dom,
        .flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
    };
    long rc;

    /*
     * Xen does not flush a translation that the map replaces: take the
     * old one down first (and out of the TLB), or reads through va may
     * still reach the frame that was mapped there.
     */
    if ( (rc = pv_unmap_va(va)) != 0 )
        return report(rc, GNTST_okay, status);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
    if ( !rc && op.status == GNTST_okay )
        *handle = op.handle;
    return report(rc, op.status, status);
}

long pv_gnttab_unmap(unsigned long va, grant_handle_t handle,
                     int16_t *status)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = va, .handle = handle,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    return report(rc, op.status, status);
}

const char *pv_gntst_name(int16_t status)
{
    static const char *const names[] = {
        "GNTST_okay", "GNTST_general_error", "GNTST_bad_domain",
        "GNTST_bad_gntref", "GNTST_bad_handle", "GNTST_bad_virt_addr",
        "GNTST_bad_dev_addr", "GNTST_no_device_space",
        "GNTST_permission_denied", "GNTST_bad_page", "GNTST_bad_copy_arg",
        "GNTST_address_too_big", "GNTST_eagain", "GNTST_no_space",
    };

    if ( status > 0 || status < -(int)ARRAY_SIZE(names) + 1 )
        return "GNTST_?";
    return names[-status];
}
