/*
 * Guest-memory access for host tests of hypervisor code that copies to
 * and from guests: "guest" addresses are host pointers, except the first
 * page and the page `bad_page` (which the including test defines), which
 * fault.  The functions match include/keel/guest_access.h.
 */
#ifndef KEEL_TEST_GUEST_COPY_STUB_H
#define KEEL_TEST_GUEST_COPY_STUB_H

#include <keel/guest_access.h>
#include <string.h>

static bool faulting(uint64_t va, size_t n)
{
    uint64_t bad = (uintptr_t)bad_page;

    return va < PAGE_SIZE || va + n < va ||
           (va < bad + PAGE_SIZE && va + n > bad);
}

bool guest_range_ok(uint64_t va, size_t n)
{
    return !n || !faulting(va, n);
}

/* Only the array's start is judged (as Xen's access_ok). */
bool guest_array_access_ok(uint64_t va)
{
    return !faulting(va, 1);
}

unsigned long copy_from_guest(void *dst, uint64_t va, size_t n)
{
    if ( faulting(va, n) )
        return n;
    memcpy(dst, (void *)(uintptr_t)va, n);
    return 0;
}

unsigned long copy_to_guest(uint64_t va, const void *src, size_t n)
{
    if ( faulting(va, n) )
        return n;
    memcpy((void *)(uintptr_t)va, src, n);
    return 0;
}

unsigned long clear_guest(uint64_t va, size_t n)
{
    if ( faulting(va, n) )
        return n;
    memset((void *)(uintptr_t)va, 0, n);
    return 0;
}

#endif
