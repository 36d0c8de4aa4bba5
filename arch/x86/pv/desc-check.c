/*
 * Judging a PV guest's segment descriptors (pure; host-tested).
 *
 * A 64-bit PV guest's kernel runs in ring 3, so no descriptor it installs
 * may grant more: code and data segments (conforming code included) get
 * their DPL raised to 3; the only system descriptors accepted are 64-bit
 * call gates that target guest code, made uncallable from ring 3 (DPL 0);
 * TSS and LDT descriptors are refused, since they would reach the
 * hypervisor's own state.  Not-present descriptors pass as they are (the
 * upper half of a 16-byte gate looks like one).
 */
#include <asm/pv/desc.h>

#define DESC_S        (1ULL << 44)          /* code/data (not system) */
#define DESC_P        (1ULL << 47)          /* present */
#define DESC_DPL_SHIFT 45
#define DESC_DPL_MASK (3ULL << DESC_DPL_SHIFT)
#define DESC_CODE     (1ULL << 43)
#define DESC_CONFORM  (1ULL << 42)
#define DESC_TYPE_SHIFT 40
#define DESC_TYPE_MASK  0xfULL
#define TYPE_CALL_GATE64 0xcULL
#define GATE_SEL_SHIFT  16
#define GATE_RESERVED   (0xffULL << 32)     /* IST/reserved: must be 0 */
#define FIRST_RESERVED_SEL 0xe000           /* entry 7168 */
#define FLAT_KERNEL_CS_SEL 0xe033

bool pv_check_descriptor(uint64_t *desc)
{
    uint64_t d = *desc;

    if ( !(d & DESC_P) )
        return true;
    if ( !(d & DESC_S) )
    {
        uint16_t target = (d >> GATE_SEL_SHIFT) & 0xffff;

        /*
         * Only 64-bit call gates, to a guest selector or the flat guest
         * kernel code selector, never into the hypervisor's own; stored
         * with DPL 0 (callable only from ring 0, which no guest has) and
         * the target's RPL 3, as Xen does.
         */
        if ( ((d >> DESC_TYPE_SHIFT) & DESC_TYPE_MASK) != TYPE_CALL_GATE64 ||
             (d & GATE_RESERVED) )
            return false;
        if ( (target & ~7) >= (FIRST_RESERVED_SEL & ~7) &&
             (target & ~3) != (FLAT_KERNEL_CS_SEL & ~3) )
            return false;
        d &= ~(DESC_DPL_MASK | ((uint64_t)0xffff << GATE_SEL_SHIFT));
        *desc = d | ((uint64_t)(target | 3) << GATE_SEL_SHIFT);
        return true;
    }
    /* Code and data (conforming code too) run at most at DPL 3. */
    *desc = (d & ~DESC_DPL_MASK) | (3ULL << DESC_DPL_SHIFT);
    return true;
}
