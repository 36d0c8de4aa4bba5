/*
 * Access to the current vCPU's guest virtual memory (arch/x86/usercopy.c).
 *
 * While a PV vCPU runs, its page tables are live (they carry the
 * hypervisor's PML4 slots), so the hypervisor reaches guest memory through
 * guest virtual addresses.  Every access goes through these functions:
 * they refuse ranges that touch the hypervisor's slots, wrap, or are
 * non-canonical, and a fault during the copy (page not present, not
 * writable) is caught by the exception table and reported, never fatal.
 *
 * Never call them with a spinlock held: copy in, validate, lock, act,
 * unlock, copy out.
 */
#ifndef KEEL_GUEST_ACCESS_H
#define KEEL_GUEST_ACCESS_H

#include <keel/types.h>

/* [va, va + n) is entirely guest-addressable (may still fault). */
bool guest_range_ok(uint64_t va, size_t n);

/*
 * Xen's access_ok() for a guest argument array: only its start is judged
 * (canonical lower half, or above the hypervisor's slots).  Elements past
 * a readable part fail one by one when copied, so a batch ends where its
 * array stops being readable, as on Xen.
 */
bool guest_array_access_ok(uint64_t va);

/* Return the number of bytes NOT copied: 0 on success. */
unsigned long copy_from_guest(void *dst, uint64_t guest_va, size_t n);
unsigned long copy_to_guest(uint64_t guest_va, const void *src, size_t n);
unsigned long clear_guest(uint64_t guest_va, size_t n);

/* Typed helpers for array elements: copy element idx of size sz. */
static inline unsigned long copy_from_guest_offset(void *dst, uint64_t base,
                                                   size_t idx, size_t sz)
{
    return copy_from_guest(dst, base + idx * sz, sz);
}

static inline unsigned long copy_to_guest_offset(uint64_t base, size_t idx,
                                                 const void *src, size_t sz)
{
    return copy_to_guest(base + idx * sz, src, sz);
}

#endif /* KEEL_GUEST_ACCESS_H */
