/*
 * Copies to and from the current vCPU's guest virtual memory.
 *
 * The range is checked first (canonical, no wrap, clear of the
 * hypervisor's PML4 slots 256-271); then a `rep movsb`/`rep stosb` does the
 * work with an exception-table entry, so a fault leaves rcx holding the
 * bytes not copied and execution resumes after the instruction.  With
 * SMAP on, guest (user) pages are reachable only between stac and clac.
 */
#include <keel/guest_access.h>
#include <asm/cpufeature.h>
#include <asm/extable.h>
#include <asm/page.h>

#define GUEST_HOLE_START PML4_SLOT_VA(256UL)        /* 0xffff800000000000 */
#define GUEST_HOLE_END   PML4_SLOT_VA(272UL)        /* 0xffff880000000000 */
#define CANONICAL_LOW_END 0x0000800000000000UL

bool guest_range_ok(uint64_t va, size_t n)
{
    uint64_t end = va + n;                      /* exclusive */

    if ( n == 0 )
        return true;
    if ( end < va )
        return false;                           /* wraps */
    if ( va < CANONICAL_LOW_END )
        return end <= CANONICAL_LOW_END;
    /* Upper half: canonical, and entirely above the hypervisor's slots. */
    return va >= GUEST_HOLE_END;
}

bool guest_array_access_ok(uint64_t va)
{
    return va < CANONICAL_LOW_END || va >= GUEST_HOLE_END;
}

static inline void stac(void)
{
    if ( boot_cpu.smap )
        __asm__ __volatile__ ( "stac" ::: "memory" );
}

static inline void clac(void)
{
    if ( boot_cpu.smap )
        __asm__ __volatile__ ( "clac" ::: "memory" );
}

static unsigned long raw_copy(void *dst, const void *src, size_t n)
{
    stac();
    __asm__ __volatile__ (
        "1: rep movsb\n"
        "2:\n"
        _ASM_EXTABLE(1b, 2b)
        : "+c" (n), "+D" (dst), "+S" (src) :: "memory" );
    clac();
    return n;
}

unsigned long copy_from_guest(void *dst, uint64_t guest_va, size_t n)
{
    if ( !guest_range_ok(guest_va, n) )
        return n;
    return raw_copy(dst, (const void *)guest_va, n);
}

unsigned long copy_to_guest(uint64_t guest_va, const void *src, size_t n)
{
    if ( !guest_range_ok(guest_va, n) )
        return n;
    return raw_copy((void *)guest_va, src, n);
}

unsigned long clear_guest(uint64_t guest_va, size_t n)
{
    void *dst = (void *)guest_va;

    if ( !guest_range_ok(guest_va, n) )
        return n;
    stac();
    __asm__ __volatile__ (
        "1: rep stosb\n"
        "2:\n"
        _ASM_EXTABLE(1b, 2b)
        : "+c" (n), "+D" (dst) : "a" (0) : "memory" );
    clac();
    return n;
}
