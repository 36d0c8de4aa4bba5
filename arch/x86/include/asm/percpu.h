/*
 * Per-CPU state.  Each CPU runs on a STACK_SIZE-aligned block whose lowest
 * four pages are its IST stacks and whose top CPU_INFO_SIZE bytes hold its
 * struct cpu_info, so any stack (IST or not) finds its CPU by masking rsp.
 *
 *   block + STACK_SIZE  +-------------------+
 *                       | struct cpu_info   |
 *                       | primary stack  |  |
 *                       |                v  |
 *   block + 4 pages     +-------------------+
 *                       | IST stacks (4)    |  one page each: DF NMI MCE DB
 *   block               +-------------------+
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <keel/types.h>
#include <asm/regs.h>

#define NR_CPUS 128

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __packed;
BUILD_BUG_ON(sizeof(struct tss64) != 104);

struct cpu_info {
    unsigned int cpu;               /* (c) logical CPU number */
    uint32_t apic_id;               /* (c) */
    struct tss64 tss;               /* (c) set up by cpu_desc_init() */
    void *gdt;                      /* (c) 64 KiB GDT of this CPU */
    unsigned long irq_count;        /* [this CPU] interrupts taken */
    unsigned long softirq_pending;  /* [atomic] */
    struct vcpu *current_vcpu;      /* [this CPU] what runs here */
    uint64_t syscall_scratch;       /* [this CPU] guest rsp at SYSCALL */
    uint64_t stack_top;             /* (c) top of the guest frame */
    uint32_t fixup_vector;          /* [this CPU] last fault with a fixup */
    uint32_t fixup_error_code;      /* [this CPU] */
};
BUILD_BUG_ON(sizeof(struct cpu_info) > CPU_INFO_SIZE);

static inline struct cpu_info *cpu_info_of_stack(unsigned long block)
{
    return (struct cpu_info *)(block + STACK_SIZE - CPU_INFO_SIZE);
}

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;

    __asm__ ( "mov %%rsp, %0" : "=r" (sp) );
    return cpu_info_of_stack(sp & ~(unsigned long)(STACK_SIZE - 1));
}

static inline unsigned int smp_processor_id(void)
{
    return get_cpu_info()->cpu;
}

/* The stack block of every CPU that is up, indexed by logical CPU. */
extern void *cpu_stack_block[NR_CPUS];
extern unsigned int nr_cpus_online;

#endif /* ASM_PERCPU_H */
