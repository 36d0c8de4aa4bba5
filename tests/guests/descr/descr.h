/*
 * descr: shared declarations of the descriptor-table conformance kernel:
 * set_gdt and update_descriptor (gdt.c), MMUEXT_SET_LDT and selector
 * loads (ldt.c).
 */
#ifndef DESCR_TEST_H
#define DESCR_TEST_H

#include <pvguest/lib.h>

#define BAD_PTR_LOW     ((void *)0x1000)
#define BAD_PTR_XEN     ((void *)0xffff830000000000UL)

/*
 * A segment descriptor from its parts: ACCESS is the byte at bits 40-47
 * (P, DPL, S, type), FLAGS the nibble at bits 52-55 (G, D/B, L, AVL).
 */
static inline uint64_t mkdesc(uint32_t base, uint32_t limit,
                              unsigned int access,
                              unsigned int flags)
{
    return (limit & 0xffffUL) | ((uint64_t)(base & 0xffffff) << 16) |
           ((uint64_t)(access & 0xff) << 40) |
           ((uint64_t)((limit >> 16) & 0xf) << 48) |
           ((uint64_t)(flags & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

/* The low half of a 64-bit call gate (the high half holds offset 63:32). */
static inline uint64_t mkgate(uint16_t sel, uint64_t off, unsigned int dpl,
                              unsigned int ist)
{
    return (off & 0xffff) | ((uint64_t)sel << 16) | ((uint64_t)ist << 32) |
           ((uint64_t)(0x8c | (dpl << 5)) << 40) |
           (((off >> 16) & 0xffff) << 48);
}

#define ACC_CODE3       0xfb            /* P, DPL 3, code r/x, accessed */
#define ACC_CODE0       0x9b
#define ACC_XONLY3      0xf9            /* execute-only code */
#define ACC_CONFORM3    0xff            /* conforming code, DPL 3 */
#define ACC_CONFORM0    0x9f
#define ACC_DATA3       0xf3            /* P, DPL 3, data r/w, accessed */
#define ACC_DATA0       0x93
#define ACC_DATA1       0xb3
#define ACC_NP          0x73            /* not present */
#define ACC_TSS         0x89            /* 64-bit TSS (available), DPL 0 */
#define ACC_LDT         0x82            /* LDT descriptor */
#define FL_L            0xa             /* G, L: 64-bit code */
#define FL_DB           0xc             /* G, D/B: 32-bit data */
#define FL_BYTE         0x4             /* D/B, byte granular */

#define DPL_OF(d)       (((d) >> 45) & 3)

/* Results of the unprivileged segment instructions (ZF: valid). */
static inline bool lsl(uint16_t sel, uint32_t *limit)
{
    uint32_t l = 0;
    uint8_t ok;

    asm volatile ( "lsl %w2, %0\n\tsetz %1" : "+r" (l), "=q" (ok)
                   : "r" ((uint32_t)sel) : "cc" );
    *limit = l;
    return ok;
}

static inline bool lar(uint16_t sel, uint32_t *ar)
{
    uint32_t a = 0;
    uint8_t ok;

    asm volatile ( "lar %w2, %0\n\tsetz %1" : "+r" (a), "=q" (ok)
                   : "r" ((uint32_t)sel) : "cc" );
    *ar = a;
    return ok;
}

static inline uint16_t read_ds(void)
{
    uint16_t s;

    asm volatile ( "mov %%ds, %0" : "=r" (s) );
    return s;
}

/* Load DS (or SS, FS) with SEL; the vector raised, -1 for none. */
static inline int load_ds(uint16_t sel)
{
    PV_TRY("mov %w0, %%ds", : : "r" ((uint32_t)sel) : "memory");
    return pv_last_fault.vector;
}

static inline int load_fs(uint16_t sel)
{
    PV_TRY("mov %w0, %%fs", : : "r" ((uint32_t)sel) : "memory");
    return pv_last_fault.vector;
}

static inline int load_ss(uint16_t sel)
{
    PV_TRY_THEN("mov %w0, %%ss", "mov $0xe02b, %%eax\n\tmov %%eax, %%ss",
                : : "r" ((uint32_t)sel) : "rax", "memory");
    return pv_last_fault.vector;
}

/* Far jump to SEL and back to the flat kernel CS: the CS seen there
 * (0 if the jump faulted, pv_last_fault says how). */
uint16_t run_in_cs(uint16_t sel);
/* A far jump to SEL expected to fault: the vector. */
int ljmp_to(uint16_t sel);

void *new_page(void);
long make_ro(void *va);
uint64_t maddr_of(const void *va);
extern unsigned long xen_mfn;           /* a frame of the hypervisor's */
extern uint16_t orig_ds;

void test_gdt(void);
void test_ldt(void);

#endif /* DESCR_TEST_H */
