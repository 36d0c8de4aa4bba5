/*
 * Judging a PV guest's segment descriptors (pure; host-tested).
 *
 * A 64-bit PV guest's kernel runs in ring 3, so no descriptor it installs
 * may grant more: code and data segments get their DPL raised to 3, and
 * system descriptors (TSS, LDT, gates) are refused, since the guest could
 * otherwise reach ring 0 or the hypervisor's own state.  Not-present
 * descriptors are harmless and accepted as they are.
 */
#include <asm/pv/desc.h>

#define DESC_S        (1ULL << 44)          /* code/data (not system) */
#define DESC_P        (1ULL << 47)          /* present */
#define DESC_DPL_SHIFT 45
#define DESC_DPL_MASK (3ULL << DESC_DPL_SHIFT)
#define DESC_CODE     (1ULL << 43)
#define DESC_CONFORM  (1ULL << 42)

bool pv_check_descriptor(uint64_t *desc)
{
    uint64_t d = *desc;

    if ( !(d & DESC_P) )
        return true;
    if ( !(d & DESC_S) )
        return false;                       /* system descriptor */
    /* Conforming code would run at the caller's (any) privilege. */
    if ( (d & DESC_CODE) && (d & DESC_CONFORM) )
        return false;
    *desc = (d & ~DESC_DPL_MASK) | (3ULL << DESC_DPL_SHIFT);
    return true;
}
