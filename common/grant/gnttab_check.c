/*
 * Grant tables: the decisions on guest input, kept pure so host tests
 * can drive them directly.  Nothing here takes a lock or a reference; the
 * callers hold the active entry's lock where a pin count is involved.
 *
 * The shared entry is guest memory: the granting domain may change it at
 * any time.  Its flags and domid are read and updated together, as one
 * 32-bit word, with compare-exchange; a guest that keeps changing the word
 * makes the update fail after five tries instead of keeping us spinning.
 * Status codes and their order are Xen's.
 */
#include "gnttab_private.h"

/* The (flags, domid) pair of a v1 entry as one little-endian word. */
typedef uint32_t __attribute__((__may_alias__)) grant_combo_t;
#define COMBO_FLAGS(c)      ((uint16_t)(c))
#define COMBO_DOMID(c)      ((domid_t)((c) >> 16))
#define SET_STATUS_TRIES    5

BUILD_BUG_ON(offsetof(struct grant_entry_v1, flags) != 0);
BUILD_BUG_ON(offsetof(struct grant_entry_v1, domid) != 2);

int16_t gnttab_check_map_flags(uint32_t flags)
{
    if ( !(flags & (GNTMAP_device_map | GNTMAP_host_map)) )
        return GNTST_bad_gntref;
    return GNTST_okay;
}

int16_t gnttab_check_pin(uint32_t pin, domid_t act_domid, domid_t ldom)
{
    if ( pin && (act_domid != ldom || (pin & GNTPIN_overflow)) )
        return GNTST_general_error;
    return GNTST_okay;
}

uint32_t gnttab_map_pins(uint32_t flags)
{
    bool ro = flags & GNTMAP_readonly;
    uint32_t pins = 0;

    if ( flags & GNTMAP_device_map )
        pins += ro ? GNTPIN_devr_inc : GNTPIN_devw_inc;
    if ( flags & GNTMAP_host_map )
        pins += ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    return pins;
}

uint32_t gnttab_copy_pin(bool readonly)
{
    return readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
}

bool gnttab_needs_status(uint32_t pin, bool readonly)
{
    return !pin || (!readonly && !(pin & GNTPIN_write_mask));
}

int16_t gnttab_v1_set_status(struct grant_entry_v1 *e, bool pinned,
                             bool readonly, bool mapping, domid_t ldom)
{
    grant_combo_t *raw = (grant_combo_t *)e;
    /* A mapping must not name a sub-page grant (a v2 notion). */
    uint16_t type_mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
    uint32_t cur = __atomic_load_n(raw, __ATOMIC_ACQUIRE);
    unsigned int tries;

    for ( tries = 0; tries < SET_STATUS_TRIES; tries++ )
    {
        uint16_t flags = COMBO_FLAGS(cur);
        uint32_t want;

        /* An entry already pinned was checked by the first pin. */
        if ( !pinned && ((flags & type_mask) != GTF_permit_access ||
                         COMBO_DOMID(cur) != ldom) )
            return GNTST_general_error;
        if ( !readonly && (flags & GTF_readonly) )
            return GNTST_general_error;     /* write-pin of a r/o grant */

        flags |= GTF_reading | (readonly ? 0 : GTF_writing);
        want = (cur & 0xffff0000u) | flags;
        if ( __atomic_compare_exchange_n(raw, &cur, want, false,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) )
            return GNTST_okay;
        /* cur now holds what the guest wrote meanwhile: check it again. */
    }
    return GNTST_general_error;             /* the entry keeps changing */
}

uint16_t gnttab_status_to_clear(uint32_t pin, bool readonly)
{
    uint16_t clear = 0;

    if ( !readonly && !(pin & GNTPIN_write_mask) )
        clear |= GTF_writing;
    if ( !pin )
        clear |= GTF_reading;
    return clear;
}

void gnttab_v1_clear_status(struct grant_entry_v1 *e, uint16_t mask)
{
    if ( mask )
        __atomic_fetch_and(&e->flags, (uint16_t)~mask, __ATOMIC_ACQ_REL);
}

int16_t gnttab_check_copy_ptr(const struct gnttab_copy_ptr *p, bool is_gref)
{
    /* A frame number names the caller's own memory only. */
    if ( !is_gref && p->domid != DOMID_SELF )
        return GNTST_permission_denied;
    return GNTST_okay;
}

int16_t gnttab_check_copy_range(const struct gnttab_copy *op)
{
    /* uint16_t operands: the sums cannot wrap in unsigned int. */
    if ( (unsigned int)op->source.offset + op->len > PAGE_SIZE ||
         (unsigned int)op->dest.offset + op->len > PAGE_SIZE )
        return GNTST_bad_copy_arg;
    return GNTST_okay;
}

int gnttab_check_cache_flush(const struct gnttab_cache_flush *op)
{
    if ( op->offset >= PAGE_SIZE || op->length > PAGE_SIZE ||
         (unsigned int)op->offset + op->length > PAGE_SIZE ||
         (op->op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)) )
        return -EINVAL;             /* GNTTAB_CACHE_SOURCE_GREF included */
    if ( op->length == 0 || op->op == 0 )
        return 1;
    return 0;
}
