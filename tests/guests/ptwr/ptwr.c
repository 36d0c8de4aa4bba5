/*
 * ptwr: writable page-table emulation.  A PV kernel writes the entries of
 * its own L1 tables directly through their read-only mappings; the write
 * faults, the hypervisor decodes the instruction, validates the new entry
 * and applies it, as Linux relies on.
 *
 * Setup: an L1 pinned and hooked (through an L2 and a pinned L3) into L4
 * slot 1, VA 0x8000000000; three data pages A, B, C with known contents.
 * After each write: the entry as read back (with Xen's user and
 * guest-kernel bits added to present entries that lack the user bit),
 * then MMUEXT_INVLPG_LOCAL and an access through the VA it maps.
 *
 * Cases:
 *  - Xen 4.17: the emulation does not depend on vm_assist
 *    writable_pagetables: with it disabled a direct write is still
 *    emulated.
 *  - mov (8 bytes), mov of 4 bytes into the high half (NX) and into the
 *    low half (another frame), mov of 2 aligned bytes (RW off, NX off):
 *    merged into the entry; mov of an immediate; xchg (the old entry in
 *    the register); lock cmpxchg that succeeds (ZF set) and one that
 *    fails (ZF clear, RAX = the entry as it is, nothing written); lock or
 *    (RW on: the page becomes writable), lock and (RW off: a write
 *    through the VA is #PF(3) again); lock bts/btr with an immediate and
 *    a register bit offset (CF = the old bit); a not-present entry with
 *    garbage is stored as written.  Xen: any instruction that writes
 *    memory is emulated (add, lock xadd too).
 *  - refused, each a #PF(3) with CR2 = the written address and the entry
 *    unchanged: an entry mapping a page table (the L1 itself, the L2, the
 *    kernel L4) writable, by mov, xchg, cmpxchg and lock or; a frame of
 *    the hypervisor's; an 8-byte write at offset 4 (two entries); a
 *    2-byte write at offset 7; a write to the (read-only) L2 page; a
 *    write from guest user mode (#PF 7: Xen emulates kernel-mode writes
 *    only).
 */
#include <pvguest/lib.h>

const char test_name[] = "ptwr";

#define TEST_VA     0x0000008000000000UL
#define PTE_RW      (_PAGE_PRESENT | _PAGE_RW)
#define PTE_RO      _PAGE_PRESENT
#define PTE_TABLE   (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
                     _PAGE_ACCESSED | _PAGE_DIRTY)
#define XEN_ADDED   (_PAGE_USER | (1UL << 52))
#define AD          (_PAGE_ACCESSED | _PAGE_DIRTY)

static volatile uint64_t *l1, *l2;
static unsigned long l1_mfn, l2_mfn, l3_mfn, xen_mfn;
static unsigned long mfn_a, mfn_b, mfn_c;

long us_write0(long addr);
extern char us_write0_insn[];
asm ( ".pushsection .text\n"
      ".globl us_write0\n"
      "us_write0:\n"
      ".globl us_write0_insn\n"
      "us_write0_insn:\n\t"
      "movq $0, (%rdi)\n\t"
      "syscall\n\t"
      "ud2\n"
      ".popsection" );

static void *new_page(void)
{
    void *p = pv_alloc_page();

    if ( !p )
        test_abort("out of pages");
    return p;
}

static uint64_t pte(unsigned long mfn, uint64_t flags)
{
    return (mfn << PAGE_SHIFT) | flags;
}

/*
 * The entry without the bits the CPU and Xen add: accessed/dirty, the
 * user and guest-kernel bits on a kernel mapping, and (Xen) GLOBAL, which
 * Xen sets when an emulated sub-word write gives it an entry that already
 * has the user bit.
 */
static uint64_t entry(unsigned int i)
{
    return l1[i] & ~(AD | XEN_ADDED | _PAGE_GLOBAL);
}

static unsigned long va(unsigned int i)
{
    return TEST_VA + i * PAGE_SIZE;
}

/* Read through entry I's VA (after flushing it): the first word there,
 * or ~0 if it faulted. */
static unsigned long read_va(unsigned int i)
{
    unsigned long v = ~0UL;

    pv_mmuext1(MMUEXT_INVLPG_LOCAL, va(i), 0);
    PV_TRY("mov (%1), %0", : "+r" (v) : "r" (va(i)) : "memory");
    return v;
}

static int write_va(unsigned int i, unsigned long v)
{
    pv_mmuext1(MMUEXT_INVLPG_LOCAL, va(i), 0);
    PV_TRY("mov %1, (%0)", : : "r" (va(i)), "r" (v) : "memory");
    return pv_last_fault.vector;
}

static void setup(void)
{
    uint64_t *p3 = new_page(), *p2 = new_page(), *p1 = new_page();
    unsigned long *a = new_page(), *b = new_page(), *c = new_page();
    const uint64_t *l4 = mfn_to_virt(pv_kernel_l4_mfn);
    unsigned int slot;

    a[0] = 0xaaaa;
    b[0] = 0xbbbb;
    c[0] = 0xcccc;
    mfn_a = virt_to_mfn(a);
    mfn_b = virt_to_mfn(b);
    mfn_c = virt_to_mfn(c);
    l1_mfn = virt_to_mfn(p1);
    l2_mfn = virt_to_mfn(p2);
    l3_mfn = virt_to_mfn(p3);
    p2[0] = pte(l1_mfn, PTE_TABLE);
    p3[0] = pte(l2_mfn, PTE_TABLE);
    if ( pv_set_page_ro(p1) || pv_set_page_ro(p2) || pv_set_page_ro(p3) ||
         pv_pin(MMUEXT_PIN_L1_TABLE, l1_mfn) ||
         pv_pin(MMUEXT_PIN_L3_TABLE, l3_mfn) ||
         pv_mmu_update1((pv_kernel_l4_mfn << PAGE_SHIFT) + 8,
                        pte(l3_mfn, PTE_TABLE)) )
        test_abort("building the test page tables");
    l1 = (volatile uint64_t *)p1;
    l2 = (volatile uint64_t *)p2;
    for ( slot = 256; slot < 272 && !xen_mfn; slot++ )
        if ( l4[slot] & _PAGE_PRESENT )
            xen_mfn = (l4[slot] & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

static void check_assist(void)
{
    uint64_t v = pte(mfn_a, PTE_RW);

    /* Xen 4.17: with the assist disabled the write is emulated anyway. */
    CHECK_RC(0, HYPERVISOR_vm_assist(VMASST_CMD_disable,
                                     VMASST_TYPE_writable_pagetables));
    PV_TRY("movq %1, (%0)", : : "r" (&l1[0]), "r" (v) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(v, entry(0));
    PV_TRY("movq $0, (%0)", : : "r" (&l1[0]) : "memory");
    CHECK_EQ(0, l1[0]);
    CHECK_RC(0, HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                     VMASST_TYPE_writable_pagetables));
    PV_TRY("movq %1, (%0)", : : "r" (&l1[0]), "r" (v) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(v, entry(0));
    CHECK_EQ(XEN_ADDED, l1[0] & XEN_ADDED);
    CHECK_EQ(0xaaaa, read_va(0));
}

static void check_mov(void)
{
    uint32_t hi = 1U << 31;
    uint16_t w;

    /* 4 bytes into the high half: NX. */
    PV_TRY("movl %1, 4(%0)", : : "r" (&l1[0]), "r" (hi) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(pte(mfn_a, PTE_RW) | _PAGE_NX, entry(0));
    CHECK_EQ(0xaaaa, read_va(0));
    /* 4 bytes into the low half: frame B (its low 32 bits, NX kept). */
    PV_TRY("movl %1, (%0)", : : "r" (&l1[0]),
           "r" ((uint32_t)pte(mfn_b, PTE_RW)) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(pte(mfn_b, PTE_RW) | _PAGE_NX, entry(0));
    CHECK_EQ(0xbbbb, read_va(0));
    /* 2 aligned bytes at offset 0 (RW off) and at offset 6 (NX off). */
    w = (uint16_t)(pte(mfn_b, PTE_RO) & 0xffff);
    PV_TRY("movw %1, (%0)", : : "r" (&l1[0]), "r" (w) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(pte(mfn_b, PTE_RO) | _PAGE_NX, entry(0));
    CHECK_EQ(14, write_va(0, 1));
    PV_TRY("movw $0, 6(%0)", : : "r" (&l1[0]) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(pte(mfn_b, PTE_RO), entry(0));
    CHECK_EQ(0xbbbb, read_va(0));
    /* An immediate: a not-present entry with garbage, stored as is. */
    PV_TRY("movq $0x12345678, (%0)", : : "r" (&l1[0]) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(0x12345678, l1[0]);
    CHECK_EQ(~0UL, read_va(0));
    CHECK_EQ(14, pv_last_fault.vector);
}

static void check_xchg_cmpxchg(void)
{
    uint64_t r, old;
    uint8_t zf;

    r = pte(mfn_a, PTE_RW);
    PV_TRY("xchg %0, (%1)", : "+r" (r) : "r" (&l1[1]) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(0, r);
    CHECK_EQ(pte(mfn_a, PTE_RW), entry(1));
    CHECK_EQ(0xaaaa, read_va(1));
    r = pte(mfn_b, PTE_RO);
    old = l1[1];
    PV_TRY("xchg %0, (%1)", : "+r" (r) : "r" (&l1[1]) : "memory");
    CHECK_EQ(old, r);
    CHECK_EQ(pte(mfn_b, PTE_RO), entry(1));
    CHECK_EQ(0xbbbb, read_va(1));

    /* cmpxchg that succeeds. */
    old = l1[1];
    r = old;
    zf = 0;
    PV_TRY("lock cmpxchg %2, (%3)\n\tsetz %1", : "+a" (r), "+q" (zf)
           : "r" (pte(mfn_c, PTE_RW)), "r" (&l1[1]) : "memory", "cc");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(1, zf);
    CHECK_EQ(old, r);
    CHECK_EQ(pte(mfn_c, PTE_RW), entry(1));
    CHECK_EQ(0xcccc, read_va(1));
    /* ... and one that fails: RAX gets the entry, nothing changes. */
    old = l1[1];
    r = pte(mfn_a, PTE_RW);
    zf = 1;
    PV_TRY("lock cmpxchg %2, (%3)\n\tsetz %1", : "+a" (r), "+q" (zf)
           : "r" (pte(mfn_b, PTE_RW)), "r" (&l1[1]) : "memory", "cc");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(0, zf);
    CHECK_EQ(old, r);
    CHECK_EQ(old, l1[1]);
    CHECK_EQ(0xcccc, read_va(1));
}

static void check_bitops(void)
{
    uint64_t bit = 63;
    uint8_t cf;

    CHECK_RC(0, pv_mmu_update1((l1_mfn << PAGE_SHIFT) + 2 * 8,
                               pte(mfn_a, PTE_RO)));
    CHECK_EQ(14, write_va(2, 1));
    CHECK_EQ(3, pv_last_fault.error_code);

    PV_TRY("lock orq $2, (%0)", : : "r" (&l1[2]) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(pte(mfn_a, PTE_RW), entry(2));
    CHECK_EQ(-1, write_va(2, 0xaaaa));

    PV_TRY("lock andq $-3, (%0)", : : "r" (&l1[2]) : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(pte(mfn_a, PTE_RO), entry(2));
    CHECK_EQ(14, write_va(2, 1));

    cf = 1;
    PV_TRY("lock btsq $1, (%1)\n\tsetc %0", : "+q" (cf) : "r" (&l1[2])
           : "memory", "cc");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(0, cf);
    CHECK_EQ(pte(mfn_a, PTE_RW), entry(2));
    CHECK_EQ(-1, write_va(2, 0xaaaa));
    cf = 0;
    PV_TRY("lock btrq $1, (%1)\n\tsetc %0", : "+q" (cf) : "r" (&l1[2])
           : "memory", "cc");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(1, cf);
    CHECK_EQ(pte(mfn_a, PTE_RO), entry(2));
    cf = 1;
    PV_TRY("lock btsq %2, (%1)\n\tsetc %0", : "+q" (cf) : "r" (&l1[2]),
           "r" (bit) : "memory", "cc");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(0, cf);
    CHECK_EQ(pte(mfn_a, PTE_RO) | _PAGE_NX, entry(2));
    PV_TRY("lock btrq %2, (%1)\n\tsetc %0", : "+q" (cf) : "r" (&l1[2]),
           "r" (bit) : "memory", "cc");
    CHECK_EQ(1, cf);
    CHECK_EQ(pte(mfn_a, PTE_RO), entry(2));
    CHECK_EQ(0xaaaa, read_va(2));
}

/* Xen emulates whatever writes memory, not only the forms Linux uses. */
static void check_other_writes(void)
{
    uint64_t r = 2;

    PV_TRY("addq %1, (%0)", : : "r" (&l1[2]), "r" (r) : "memory", "cc");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(pte(mfn_a, PTE_RW), entry(2));
    r = -2UL;
    PV_TRY("lock xaddq %0, (%1)", : "+r" (r) : "r" (&l1[2]) : "memory", "cc");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(pte(mfn_a, PTE_RW), r & ~(AD | XEN_ADDED));
    CHECK_EQ(pte(mfn_a, PTE_RO), entry(2));
    CHECK_EQ(0xaaaa, read_va(2));
}

/* A write that must be refused: #PF(3) at ADDR, entry I unchanged. */
#define REFUSED(i, addr)                                                \
    do {                                                                \
        CHECK_EQ(14, pv_last_fault.vector);                             \
        CHECK_EQ(3, pv_last_fault.error_code);                          \
        CHECK_EQ((unsigned long)(addr), pv_last_fault.cr2);            \
        CHECK_EQ(before & ~AD, l1[i] & ~AD);                            \
    } while ( 0 )

static void check_refused(void)
{
    static const unsigned long *tables[] = { &l1_mfn, &l2_mfn,
                                             &pv_kernel_l4_mfn };
    struct pv_user_exit e;
    uint64_t before, r, v;
    unsigned int t;
    uint8_t zf;

    CHECK_RC(0, pv_mmu_update1((l1_mfn << PAGE_SHIFT) + 3 * 8,
                               pte(l1_mfn, PTE_RO)));
    before = l1[3];
    for ( t = 0; t < ARRAY_SIZE(tables); t++ )
    {
        v = pte(*tables[t], PTE_RW);
        PV_TRY("movq %1, (%0)", : : "r" (&l1[3]), "r" (v) : "memory");
        REFUSED(3, &l1[3]);
        r = v;
        PV_TRY("xchg %0, (%1)", : "+r" (r) : "r" (&l1[3]) : "memory");
        REFUSED(3, &l1[3]);
        CHECK_EQ(v, r);
        r = before;
        PV_TRY("lock cmpxchg %2, (%3)\n\tsetz %1", : "+a" (r), "=q" (zf)
               : "r" (v), "r" (&l1[3]) : "memory", "cc");
        REFUSED(3, &l1[3]);
    }
    /* The L1 mapped read-only by entry 3: RW on by lock or. */
    PV_TRY("lock orq $2, (%0)", : : "r" (&l1[3]) : "memory");
    REFUSED(3, &l1[3]);
    CHECK_EQ(l1[0], *(volatile uint64_t *)va(3));

    /* A frame that is not ours. */
    v = pte(xen_mfn, PTE_RO);
    PV_TRY("movq %1, (%0)", : : "r" (&l1[3]), "r" (v) : "memory");
    REFUSED(3, &l1[3]);

    /* Misaligned: across two entries, and a word across one. */
    before = l1[3];
    v = pte(mfn_a, PTE_RO);
    PV_TRY("movq %1, 4(%0)", : : "r" (&l1[3]), "r" (v) : "memory");
    REFUSED(3, (unsigned long)&l1[3] + 4);
    CHECK_EQ(0, l1[4]);
    PV_TRY("movw $0x1234, 7(%0)", : : "r" (&l1[3]) : "memory");
    REFUSED(3, (unsigned long)&l1[3] + 7);

    /* Not an L1: the L2 page. */
    v = pte(l1_mfn, PTE_TABLE);
    PV_TRY("movq %1, 8(%0)", : : "r" (l2), "r" (v) : "memory");
    CHECK_EQ(14, pv_last_fault.vector);
    CHECK_EQ(3, pv_last_fault.error_code);
    CHECK_EQ((unsigned long)&l2[1], pv_last_fault.cr2);
    CHECK_EQ(0, l2[1]);

    /* From user mode: not emulated. */
    pv_run_user(us_write0, (long)&l1[3], &e);
    CHECK(!e.by_syscall);
    CHECK_EQ(14, e.vector);
    CHECK_EQ(7, e.regs.error_code);
    CHECK_EQ((unsigned long)us_write0_insn, e.regs.rip);
    CHECK_EQ((unsigned long)&l1[3], pv_vcpu_info->arch.cr2);
    CHECK_EQ(before & ~AD, l1[3] & ~AD);
}

void test_main(void)
{
    setup();
    check_assist();
    check_mov();
    check_xchg_cmpxchg();
    check_bitops();
    check_other_writes();
    check_refused();
    /* Tidy: unhook and unpin. */
    CHECK_RC(0, pv_mmu_update1((pv_kernel_l4_mfn << PAGE_SHIFT) + 8, 0));
    CHECK_RC(0, pv_unpin(l3_mfn));
    CHECK_RC(0, pv_unpin(l1_mfn));
}
