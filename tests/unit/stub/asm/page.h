/*
 * Host-test replacement for <asm/page.h>.  The "direct map" is a host
 * buffer: machine address X lives at stub_directmap_base + X.  A test sets
 * stub_directmap_base to an arena (minus the arena's first machine address)
 * before anything converts addresses.  Tests that include this header also
 * link tests/unit/stub/directmap.c, which defines the variable.
 *
 * Same function names and signatures as arch/x86/include/asm/page.h; the
 * layout constants are copied so code that merely names them compiles.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#define FRAMETABLE_VIRT_START 0xffff810000000000
#define IOREMAP_VIRT_START    0xffff818000000000
#define IOREMAP_VIRT_END      0xffff820000000000
#define KEEL_VIRT_START       0xffff82d080000000
#define DIRECTMAP_VIRT_START  0xffff830000000000
#define DIRECTMAP_VIRT_END    0xffff880000000000
#define KEEL_PHYS_START       0x200000
#define HYPERVISOR_SLOT_FIRST 256
#define HYPERVISOR_SLOT_LAST  271

#define _PAGE_PRESENT  0x001
#define _PAGE_RW       0x002
#define _PAGE_USER     0x004
#define _PAGE_PWT      0x008
#define _PAGE_PCD      0x010
#define _PAGE_ACCESSED 0x020
#define _PAGE_DIRTY    0x040
#define _PAGE_PSE      0x080
#define _PAGE_GLOBAL   0x100
#define _PAGE_NX       (1ULL << 63)

#ifndef __ASSEMBLY__
#include <keel/types.h>

#define PADDR_MASK     0x000ffffffffff000ULL

extern unsigned char *stub_directmap_base;

static inline void *maddr_to_virt(paddr_t ma)
{
    return (void *)((uintptr_t)stub_directmap_base + ma);
}

static inline paddr_t virt_to_maddr(const void *va)
{
    return (paddr_t)((uintptr_t)va - (uintptr_t)stub_directmap_base);
}

static inline void *mfn_to_virt(mfn_t mfn)
{
    return maddr_to_virt((paddr_t)mfn_x(mfn) << PAGE_SHIFT);
}

static inline mfn_t virt_to_mfn(const void *va)
{
    return _mfn(virt_to_maddr(va) >> PAGE_SHIFT);
}
#endif

#endif /* ASM_PAGE_H */
